//! Multi-row statements: one INSERT for many rows (issue #26: a batch's households in a
//! handful of statements, not seven each), numbered placeholders as both stores take them.

use crate::db::Backend;
use sqlx::any::{Any, AnyArguments};
use sqlx::query::{Query, QueryScalar};

/// The most values bound in one statement on `backend`. Both stores take more (SQLite
/// 32,766, PostgreSQL 65,535), but SQLite finds each `$n` by name in a list, so binding costs
/// the square of a statement's values (100 new households' rows took 10 ms in statements of
/// 2,200 values, 3 ms in statements of 250), while PostgreSQL pays for each round trip and
/// each plan, and likes few statements (bench/hub/run ingest).
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

/// A statement of this module's kind, not kept prepared: its text changes with its row count,
/// and PostgreSQL plans an unnamed statement for the values it is given, where a kept one
/// may settle on the plan it made while the tables were empty (a scan of every key, 25 times
/// slower once they were not).
pub fn statement(sql: &str) -> Query<'_, Any, AnyArguments<'_>> {
    sqlx::query(sql).persistent(false)
}

/// [`statement`], reading one column.
pub fn scalar<T>(sql: &str) -> QueryScalar<'_, Any, T, AnyArguments<'_>>
where
    (T,): for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow>,
{
    sqlx::query_scalar(sql).persistent(false)
}

/// `head VALUES tuple, tuple, …`: `rows` copies of one row's `tuple`, its `$n` placeholders
/// renumbered for each row (row k's `$n` is `$(k × per_row + n)`), so a single-row statement's
/// own tuple serves for many rows.
pub fn values(head: &str, tuple: &str, rows: usize, per_row: usize) -> String {
    let mut sql = String::with_capacity(head.len() + 8 + rows * (tuple.len() + 8));
    sql.push_str(head);
    sql.push_str(" VALUES ");
    for row in 0..rows {
        if row > 0 {
            sql.push_str(", ");
        }
        shifted(&mut sql, tuple, row * per_row);
    }
    sql
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

    #[test]
    fn each_row_takes_the_next_placeholders() {
        assert_eq!(
            values("INSERT INTO t (a, b, c)", "($1, '', $3, $2)", 3, 3),
            "INSERT INTO t (a, b, c) VALUES ($1, '', $3, $2), ($4, '', $6, $5), ($7, '', $9, $8)"
        );
        assert_eq!(
            values("INSERT INTO t (a)", "($1)", 1, 1),
            "INSERT INTO t (a) VALUES ($1)"
        );
        assert_eq!(values("X", "($12, $1)", 2, 12), "X VALUES ($12, $1), ($24, $13)");
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
