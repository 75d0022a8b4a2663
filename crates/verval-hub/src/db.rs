//! The database: SQLite (a file, the default) or PostgreSQL, behind sqlx's `Any` driver so
//! that one set of queries and one set of migrations serve both.

use sqlx::any::{install_default_drivers, AnyPoolOptions};
use sqlx::AnyPool;
use std::future::Future;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::sync::Mutex;

/// The hub's schema, step by step (`migrations/`).
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// How many times a write is tried when the database was busy (about 5 s in all).
const WRITE_TRIES: u32 = 8;
/// The first pause between tries; it doubles each time.
const FIRST_PAUSE: Duration = Duration::from_millis(20);

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
    /// Held by every write ([`Db::write`]): one writer at a time in this process, so SQLite
    /// never sees two write transactions race. (Between processes sharing PostgreSQL, the
    /// unique keys and serializable failures decide and the loser tries again.)
    pub writes: Arc<Mutex<()>>,
}

/// An error that may mean "try again": another writer held the database.
pub trait Retry {
    fn worth_retrying(&self) -> bool;
}

impl Retry for sqlx::Error {
    fn worth_retrying(&self) -> bool {
        is_retryable(self)
    }
}

impl Retry for DbError {
    fn worth_retrying(&self) -> bool {
        matches!(self, DbError::Query(e) if is_retryable(e))
    }
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
            private_file(Path::new(path)).map_err(|e| DbError::Open {
                url: url.to_owned(),
                source: sqlx::Error::Io(e),
            })?;
            (format!("sqlite://{path}?mode=rwc"), Backend::Sqlite)
        };
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 4 } else { 8 })
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // Pages read from memory, not through a system call each (SQLite's
                        // own cache is 2 MB; a province's tables are hundreds): ingest spent
                        // a fifth of its time copying pages it had read before.
                        sqlx::Executor::execute(&mut *conn, "PRAGMA cache_size = -32768").await?;
                        sqlx::Executor::execute(&mut *conn, "PRAGMA mmap_size = 1073741824").await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await
            .map_err(|source| DbError::Open {
                url: url.clone(),
                source,
            })?;
        if backend == Backend::Sqlite {
            // Readers (pages, exports) never wait for a writer, nor a writer for them. The
            // setting stays with the file.
            sqlx::query("PRAGMA journal_mode = WAL").execute(&pool).await?;
        }
        MIGRATOR.run(&pool).await?;
        let db = Db {
            pool,
            backend,
            writes: Arc::new(Mutex::new(())),
        };
        crate::audit::guard(&db).await?;
        crate::supervision::derived::derive_older(&db).await?;
        Ok(db)
    }

    /// Runs a write: one writer at a time in this process, and the whole `attempt` tried
    /// again, after a short growing pause, while the database answers that it is busy
    /// (SQLite `BUSY`/`LOCKED`, PostgreSQL serialization failures and deadlocks, two
    /// writers racing for one key). `attempt` must be a whole transaction or a single
    /// statement, so that a retry repeats all of it or none.
    pub async fn write<T, E, F, Fut>(&self, mut attempt: F) -> Result<T, E>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, E>>,
        E: Retry,
    {
        let _one_writer = self.writes.lock().await;
        let mut pause = FIRST_PAUSE;
        let mut tries = 0;
        loop {
            tries += 1;
            match attempt().await {
                Err(e) if tries < WRITE_TRIES && e.worth_retrying() => {
                    tokio::time::sleep(pause).await;
                    pause *= 2;
                }
                done => return done,
            }
        }
    }

    pub async fn setting(&self, key: &str) -> Result<Option<String>, DbError> {
        let value = sqlx::query_scalar::<_, String>("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        Ok(value)
    }

    pub async fn set_setting(&self, key: &str, value: &str) -> Result<(), DbError> {
        self.write(|| sqlx::query(PUT_SETTING).bind(key).bind(value).execute(&self.pool))
            .await?;
        Ok(())
    }
}

const PUT_SETTING: &str = "INSERT INTO settings (key, value) VALUES ($1, $2) \
                           ON CONFLICT (key) DO UPDATE SET value = excluded.value";

/// Stores a setting inside a transaction (with the audit event of its change, say).
pub async fn put_setting(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    key: &str,
    value: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(PUT_SETTING)
        .bind(key)
        .bind(value)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Milliseconds since 1970 (UTC).
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// Makes sure the SQLite file exists and only its owner may read it (`0600`): it holds NIKs
/// and family cards. SQLite gives its `-wal` and `-shm` files the same permissions.
fn private_file(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        options.open(path)?;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    #[cfg(not(unix))]
    options.open(path)?;
    Ok(())
}

/// Whether a failed write may succeed when tried again: SQLite `BUSY` (5, and its extended
/// codes 261, 517, 773) or `LOCKED` (6, 262); PostgreSQL's serialization failure (40001)
/// or deadlock (40P01); or two writers racing for one unique key.
pub fn is_retryable(error: &sqlx::Error) -> bool {
    let Some(db) = error.as_database_error() else {
        return false;
    };
    db.is_unique_violation()
        || matches!(
            db.code().as_deref(),
            Some("5" | "261" | "517" | "773" | "6" | "262" | "40001" | "40P01")
        )
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
