//! The database: SQLite (a file, the default) or PostgreSQL, behind sqlx's `Any` driver so
//! that one set of queries and one set of migrations serve both.

use sqlx::any::{install_default_drivers, AnyPoolOptions};
use sqlx::AnyPool;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};
use tokio::sync::Mutex;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot open the database {url}: {source}")]
    Open { url: String, source: sqlx::Error },
    #[error("cannot bring the database schema up to date: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database error: {0}")]
    Query(#[from] sqlx::Error),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
    /// Held while a batch is stored: one writer at a time in this process, so SQLite never
    /// sees two write transactions race. (Between processes sharing PostgreSQL, the unique
    /// keys decide and the loser retries.)
    pub writes: Arc<Mutex<()>>,
}

impl Db {
    /// Opens (creating a SQLite file if needed) and migrates. `url` is `sqlite://PATH` or
    /// `postgres://…`; a bare path means a SQLite file.
    pub async fn open(url: &str) -> Result<Db, DbError> {
        install_default_drivers();
        let (url, backend) = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (url.to_owned(), Backend::Postgres)
        } else {
            let path = url.strip_prefix("sqlite://").unwrap_or(url);
            (format!("sqlite://{path}?mode=rwc"), Backend::Sqlite)
        };
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 4 } else { 8 })
            .connect(&url)
            .await
            .map_err(|source| DbError::Open {
                url: url.clone(),
                source,
            })?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Db {
            pool,
            backend,
            writes: Arc::new(Mutex::new(())),
        })
    }

    pub async fn setting(&self, key: &str) -> Result<Option<String>, DbError> {
        let value = sqlx::query_scalar::<_, String>("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        Ok(value)
    }

    pub async fn set_setting(&self, key: &str, value: &str) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(value)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

/// Milliseconds since 1970 (UTC).
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// Whether an error is a unique-key violation (two writers raced for the same row).
pub fn is_unique_violation(error: &sqlx::Error) -> bool {
    error.as_database_error().is_some_and(|e| e.is_unique_violation())
}

/// Creates the database `name` on the PostgreSQL server `server_url` points at (a URL of any
/// database there) and returns the new database's URL: a fresh store for a test or a
/// benchmark run. `name` must be a plain identifier.
pub async fn create_postgres_database(server_url: &str, name: &str) -> Result<String, DbError> {
    install_default_drivers();
    let open = |source| DbError::Open {
        url: server_url.to_owned(),
        source,
    };
    let admin = sqlx::AnyPool::connect(server_url).await.map_err(open)?;
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&admin)
        .await?;
    admin.close().await;
    let server = server_url.rsplit_once('/').map_or(server_url, |(s, _)| s);
    Ok(format!("{server}/{name}"))
}
