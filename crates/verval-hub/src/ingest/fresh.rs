//! Households a batch brings to the hub for the first time, stored together (issue #26: a
//! province at the hub). One by one, a new household cost seven statements; here a batch's
//! new households take a handful in all: which of its ids the hub knows, then their versions,
//! their current rows, their match keys and their pairs, each a multi-row statement. Every
//! other record (a household's next version, a district form's record) goes the one-by-one
//! way, which weighs it against what is stored.

use super::{bind_current, bind_version, IngestError, Insert, Shown, Stored, Write};
use super::{CURRENT_VALUES, VERSION_INSERT, VERSION_VALUES};
use crate::db::Backend;
use crate::many_rows::{for_backend, insert, most_binds, rows_per_statement, scalar, values};
use crate::supervision::duplicates::{self, NewHousehold};
use sqlx::any::Any;
use sqlx::Transaction;
use std::collections::HashSet;
use verval_core::export::canonical::{canonical_json, sha256_hex};
use verval_core::supervision::duplicates::match_keys;
use verval_core::HouseholdRecord;

/// A record of the batch with its stored text and checksum, computed once.
pub(super) struct Prepared<'b> {
    pub record: &'b HouseholdRecord,
    pub id: String,
    /// Its canonical JSON, as `record_versions.body` keeps it.
    pub body: String,
    pub sha256: String,
}

impl<'b> Prepared<'b> {
    /// `record` with its `line` in the batch where that is its canonical JSON already
    /// ([`verval_core::export::Batch::record_lines`]); written again without one (a record the
    /// reader upgraded from an older schema).
    pub fn of(record: &'b HouseholdRecord, line: Option<&str>) -> Prepared<'b> {
        let body = line.map_or_else(|| canonical_json(record), str::to_owned);
        Prepared {
            record,
            id: record.id.to_string(),
            sha256: sha256_hex(body.as_bytes()),
            body,
        }
    }
}

/// The ids among `records` the hub holds anything of: a version, a household, a district
/// form's record.
pub(super) async fn known_ids(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    records: &[Prepared<'_>],
) -> Result<HashSet<String>, sqlx::Error> {
    let mut known = HashSet::new();
    const TABLES: [&str; 3] = ["record_versions", "records", "form_records"];
    for chunk in records.chunks(most_binds(backend) / TABLES.len()) {
        // Each list its own placeholders, all in order: SQLite binds them without a name.
        let selects: Vec<String> = TABLES
            .iter()
            .enumerate()
            .map(|(t, table)| {
                let marks: Vec<String> = (1..=chunk.len())
                    .map(|i| format!("${}", t * chunk.len() + i))
                    .collect();
                format!(
                    "SELECT record_id FROM {table} WHERE record_id IN ({})",
                    marks.join(", ")
                )
            })
            .collect();
        let sql = for_backend(backend, selects.join(" UNION "));
        let mut query = scalar::<String>(backend, &sql);
        for _ in TABLES {
            for p in chunk {
                query = query.bind(p.id.as_str());
            }
        }
        known.extend(query.fetch_all(&mut **tx).await?);
    }
    Ok(known)
}

/// Stores `new`, households no table holds yet: each version, its current row (waiting for
/// review, no conflict: nothing came before it), its match keys and the pairs they make.
pub(super) async fn store(
    tx: &mut Transaction<'static, Any>,
    batch: &Stored<'_>,
    new: &[&Prepared<'_>],
    now: i64,
) -> Result<(), IngestError> {
    if new.is_empty() {
        return Ok(());
    }
    let (head, tuple) = split_insert(VERSION_INSERT);
    for chunk in new.chunks(rows_per_statement(batch.backend, VERSION_VALUES)) {
        let sql = values(batch.backend, head, tuple, chunk.len(), VERSION_VALUES);
        let mut query = insert(&sql);
        for p in chunk {
            let revision = i64::from(p.record.revision);
            query = bind_version(query, batch, &p.id, revision, &p.sha256, &p.body, now);
        }
        query.execute(&mut **tx).await?;
    }
    let shown: Vec<Shown> = new
        .iter()
        .map(|p| Shown::of(batch.source, p.record, &batch.origin))
        .collect();
    let (head, tuple) = split_insert(Insert::SQL);
    let rows: Vec<(&Prepared, &Shown)> = new.iter().copied().zip(&shown).collect();
    for chunk in rows.chunks(rows_per_statement(batch.backend, CURRENT_VALUES)) {
        let sql = values(batch.backend, head, tuple, chunk.len(), CURRENT_VALUES);
        let mut query = insert(&sql);
        for (p, shown) in chunk {
            query = bind_current::<Insert>(query, p.record, shown, &p.sha256, false, now);
        }
        query.execute(&mut **tx).await?;
    }
    let keyed: Vec<NewHousehold> = new
        .iter()
        .map(|p| NewHousehold {
            record_id: &p.id,
            keys: match_keys(p.record),
            origin: &batch.origin,
        })
        .collect();
    duplicates::index_new(tx, batch.backend, &keyed, now).await?;
    Ok(())
}

/// A single-row INSERT's head and its VALUES tuple.
fn split_insert(sql: &'static str) -> (&'static str, &'static str) {
    sql.split_once(" VALUES ")
        .expect("an INSERT statement of this module, with its VALUES")
}
