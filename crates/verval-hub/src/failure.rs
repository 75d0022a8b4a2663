//! What the hub says about its own failures (a database that refused, a full disk, the random
//! source): the failure's kind, never its text. A database error's text may quote the value it
//! choked on — PostgreSQL's "invalid input syntax for type integer: \"3513…\"", SQLite's "no
//! such table: …" — and a NIK must never reach the log, a phone or a page outside its role.

use std::error::Error;

/// The kind of a failure, safe to log and to show: the kind of the database error in its
/// chain (its SQLSTATE or SQLite code, which quote nothing), else the failing type's name.
pub fn kind<E: Error + 'static>(e: &E) -> String {
    let mut next: Option<&(dyn Error + 'static)> = Some(e);
    while let Some(error) = next {
        if let Some(db) = error.downcast_ref::<sqlx::Error>() {
            return database(db);
        }
        next = error.source();
    }
    let name = std::any::type_name::<E>();
    name.rsplit("::").next().unwrap_or(name).to_owned()
}

fn database(e: &sqlx::Error) -> String {
    use sqlx::error::ErrorKind;
    match e {
        sqlx::Error::Database(db) => {
            let kind = match db.kind() {
                ErrorKind::UniqueViolation => "unique violation",
                ErrorKind::ForeignKeyViolation => "foreign key violation",
                ErrorKind::NotNullViolation => "not-null violation",
                ErrorKind::CheckViolation => "check violation",
                _ => "refused",
            };
            match db.code() {
                Some(code) => format!("database {kind} (code {code})"),
                None => format!("database {kind}"),
            }
        }
        sqlx::Error::Io(io) => format!("database connection: {:?}", io.kind()),
        sqlx::Error::PoolTimedOut => "database busy: no connection free in time".to_owned(),
        sqlx::Error::PoolClosed => "database closed".to_owned(),
        sqlx::Error::RowNotFound => "database: row not found".to_owned(),
        sqlx::Error::ColumnNotFound(_) | sqlx::Error::ColumnIndexOutOfBounds { .. } => {
            "database: column missing".to_owned()
        }
        sqlx::Error::ColumnDecode { .. } | sqlx::Error::Decode(_) => "database: value unreadable".to_owned(),
        sqlx::Error::Tls(_) => "database connection: TLS".to_owned(),
        sqlx::Error::Protocol(_) => "database connection: protocol".to_owned(),
        _ => "database error".to_owned(),
    }
}

/// Logs a failure for the operator by its kind and `what` was being done.
pub fn log(what: &str, kind: &str) {
    eprintln!("verval-hub: {what} failed: {kind}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::DbError;

    const NIK: &str = "3513014501900001";

    /// A real SQLite error whose text quotes the value it choked on.
    async fn quoting_error() -> sqlx::Error {
        let pool = sqlx::SqlitePool::connect("sqlite::memory:")
            .await
            .expect("memory database");
        sqlx::query(&format!("SELECT * FROM \"{NIK}\""))
            .execute(&pool)
            .await
            .expect_err("no such table")
    }

    #[tokio::test]
    async fn a_database_error_is_told_by_its_kind_without_the_value_it_quotes() {
        let e = quoting_error().await;
        assert!(
            e.to_string().contains(NIK),
            "the premise: sqlx's text quotes it: {e}"
        );
        let told = kind(&e);
        assert!(!told.contains(NIK), "{told}");
        assert!(told.starts_with("database refused (code "), "{told}");
        // Wrapped in the hub's own error, found through the chain.
        let wrapped = DbError::Query(quoting_error().await);
        assert!(wrapped.to_string().contains(NIK));
        assert_eq!(kind(&wrapped), told);
    }

    #[test]
    fn another_failure_is_told_by_its_type() {
        let e = std::io::Error::other(format!("disk full writing {NIK}"));
        assert_eq!(kind(&e), "Error");
        let e = crate::db::DbError::Query(sqlx::Error::PoolTimedOut);
        assert_eq!(kind(&e), "database busy: no connection free in time");
    }
}
