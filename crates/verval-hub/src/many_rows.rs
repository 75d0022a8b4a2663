//! Multi-row statements: one INSERT for many rows (issue #26: a batch's households in a
//! handful of statements, not seven each), numbered placeholders as both stores take them.

use crate::db::Backend;
use sqlx::any::{Any, AnyArguments};
use sqlx::query::{Query, QueryScalar};

/// The most values bound in one statement on `backend`. Both stores take more (SQLite
/// 32,766, PostgreSQL 65,535). SQLite finds a numbered placeholder (`$n`) by name in a list,
/// so binding those costs the square of a statement's values (100 new households' rows took
/// 10 ms in statements of 2,200 values, 3 ms in statements of 250); [`for_backend`] writes
/// them as `?` where it can, but a statement that repeats a value keeps its numbers.
/// PostgreSQL pays for each round trip and each plan, and likes few statements
/// (bench/hub/run ingest).
pub fn most_binds(backend: Backend) -> usize {
    match backend {
        Backend::Sqlite => 250,
        Backend::Postgres => 8_000,
    }
}

/// How many rows of `per_row` values one statement takes on `backend`.
pub fn rows_per_statement(backend: Backend, per_row: usize) -> usize {
    (most_binds(backend) / per_row.max(1)).max(1)
}

/// `sql` as `backend` binds it fastest. On SQLite, placeholders that read `$1, $2, …` in the
/// statement's order become anonymous `?`, which SQLite and sqlx bind in turn, none looked up
/// by name; any other statement (a placeholder used twice, or out of order) is kept as it is.
/// PostgreSQL takes only the numbered ones.
pub fn for_backend(backend: Backend, sql: String) -> String {
    match backend {
        Backend::Sqlite => anonymous(&sql).unwrap_or(sql),
        Backend::Postgres => sql,
    }
}

/// `sql` with `$1, $2, …` written as `?`, or `None` when its placeholders are not exactly
/// those, in that order.
fn anonymous(sql: &str) -> Option<String> {
    let mut out = String::with_capacity(sql.len());
    let mut next = 1usize;
    let mut rest = sql;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        rest = &rest[at + 1..];
        let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
        if rest[..digits].parse::<usize>().ok()? != next {
            return None;
        }
        out.push('?');
        next += 1;
        rest = &rest[digits..];
    }
    out.push_str(rest);
    Some(out)
}

/// A multi-row INSERT, kept prepared on both stores: an INSERT … VALUES has one plan whatever
/// its values, and the next batch's full statements have the same text (PostgreSQL 10%
/// faster in bench/hub/run ingest than planning each).
pub fn insert(sql: &str) -> Query<'_, Any, AnyArguments<'_>> {
    sqlx::query(sql).persistent(true)
}

/// A lookup of this module's kind (IN lists). On PostgreSQL it is not kept prepared:
/// PostgreSQL plans an unnamed statement for the values it is given, where a kept one may
/// settle on the plan it made while the tables were empty (a scan of every key, 25 times
/// slower once they were not). SQLite plans without the values, so it keeps the statement
/// and does not parse the next batch's same text again.
pub fn lookup(backend: Backend, sql: &str) -> Query<'_, Any, AnyArguments<'_>> {
    sqlx::query(sql).persistent(backend == Backend::Sqlite)
}

/// [`lookup`], reading one column.
pub fn scalar<T>(backend: Backend, sql: &str) -> QueryScalar<'_, Any, T, AnyArguments<'_>>
where
    (T,): for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow>,
{
    sqlx::query_scalar(sql).persistent(backend == Backend::Sqlite)
}

/// `head VALUES tuple, tuple, …`: `rows` copies of one row's `tuple`, its `$n` placeholders
/// renumbered for each row (row k's `$n` is `$(k × per_row + n)`), so a single-row statement's
/// own tuple serves for many rows; then [`for_backend`].
pub fn values(backend: Backend, head: &str, tuple: &str, rows: usize, per_row: usize) -> String {
    let mut sql = String::with_capacity(head.len() + 8 + rows * (tuple.len() + 8));
    sql.push_str(head);
    sql.push_str(" VALUES ");
    for row in 0..rows {
        if row > 0 {
            sql.push_str(", ");
        }
        shifted(&mut sql, tuple, row * per_row);
    }
    for_backend(backend, sql)
}

/// Appends `tuple` to `out` with each `$n` written as `$(n + by)`.
fn shifted(out: &mut String, tuple: &str, by: usize) {
    let mut rest = tuple;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..=at]);
        rest = &rest[at + 1..];
        let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
        match rest[..digits].parse::<usize>() {
            Ok(n) => out.push_str(&(n + by).to_string()),
            // A `$` not followed by a number is the statement's own text.
            Err(_) => out.push_str(&rest[..digits]),
        }
        rest = &rest[digits..];
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    const PG: Backend = Backend::Postgres;

    #[test]
    fn each_row_takes_the_next_placeholders() {
        assert_eq!(
            values(PG, "INSERT INTO t (a, b, c)", "($1, '', $3, $2)", 3, 3),
            "INSERT INTO t (a, b, c) VALUES ($1, '', $3, $2), ($4, '', $6, $5), ($7, '', $9, $8)"
        );
        assert_eq!(
            values(PG, "INSERT INTO t (a)", "($1)", 1, 1),
            "INSERT INTO t (a) VALUES ($1)"
        );
        assert_eq!(
            values(PG, "X", "($12, $1)", 2, 12),
            "X VALUES ($12, $1), ($24, $13)"
        );
    }

    #[test]
    fn sqlite_binds_placeholders_in_order_anonymously_and_keeps_any_other_statement() {
        let sqlite = Backend::Sqlite;
        assert_eq!(
            values(sqlite, "INSERT INTO t (a, b)", "($1, '', $2)", 2, 2),
            "INSERT INTO t (a, b) VALUES (?, '', ?), (?, '', ?)"
        );
        // Out of order, repeated, skipped, or not a number: each kept, numbered.
        for sql in [
            "VALUES ($1, $3, $2)",
            "WHERE a IN ($1) OR b IN ($1)",
            "VALUES ($2)",
            "VALUES ($1, $x)",
        ] {
            assert_eq!(for_backend(sqlite, sql.to_owned()), sql);
        }
        assert_eq!(
            for_backend(sqlite, "WHERE a = $1 AND b IN ($2, $3) LIMIT $4".to_owned()),
            "WHERE a = ? AND b IN (?, ?) LIMIT ?"
        );
        assert_eq!(for_backend(sqlite, "SELECT 1".to_owned()), "SELECT 1");
        assert_eq!(for_backend(PG, "VALUES ($1, $2)".to_owned()), "VALUES ($1, $2)");
    }

    #[test]
    fn a_statement_stays_under_both_stores_limits() {
        for backend in [Backend::Sqlite, Backend::Postgres] {
            let rows = rows_per_statement(backend, 22);
            assert!(rows * 22 <= most_binds(backend) && (rows + 1) * 22 > most_binds(backend));
            assert!(most_binds(backend) <= 32_766);
            assert_eq!(rows_per_statement(backend, 0), most_binds(backend));
            assert_eq!(rows_per_statement(backend, 100_000), 1);
        }
        assert_eq!(rows_per_statement(Backend::Sqlite, 22), 11);
    }
}
