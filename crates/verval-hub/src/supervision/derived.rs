//! Columns of `records` read from the current version's body — the prelist family it
//! visited and its proof of visit (`verval_core::supervision::evidence`) — and its match
//! keys (`record_keys`, for duplicates) — so progress, flags, the map and duplicates are
//! counted over columns, not by parsing every record. Ingest writes
//! them with each current version; when the hub opens, rows written by an older derivation
//! (or before the columns existed) are derived again, a page at a time.

use crate::db::{Db, DbError};
use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::{Any, Row};
use verval_core::form::default::DEFAULT_FORM;
use verval_core::supervision::duplicates::match_keys;
use verval_core::supervision::evidence::Evidence;
use verval_core::HouseholdRecord;

/// The derivation this hub writes; raise it when a derived column is added or read anew
/// (2: the match keys of `record_keys`, after which pairs are found over all of them).
pub const VERSION: i64 = 2;

/// Rows derived again per transaction when the hub opens.
const PAGE: i64 = 500;

/// Binds a record's evidence, in the order ingest's statements name the columns: `lat_e6,
/// lon_e6, accuracy_m, location_asked, house_photo, started_at, finalized_at`.
pub(crate) trait BindDerived {
    fn bind_derived(self, record: &HouseholdRecord) -> Self;
}

impl<'q> BindDerived for Query<'q, Any, AnyArguments<'q>> {
    fn bind_derived(self, record: &HouseholdRecord) -> Self {
        let e = Evidence::of(&DEFAULT_FORM, record);
        self.bind(e.point.map(|p| p.lat_e6))
            .bind(e.point.map(|p| p.lon_e6))
            .bind(e.point.map(|p| p.accuracy_m))
            .bind(i64::from(e.point_asked))
            .bind(e.house_photo.map(i64::from))
            .bind(e.started_at)
            .bind(e.finalized_at)
    }
}

/// Derives again every row an older derivation wrote; returns how many.
pub async fn derive_older(db: &Db) -> Result<usize, DbError> {
    let mut done = 0;
    loop {
        let rows = sqlx::query(
            "SELECT r.record_id, v.body, COALESCE(v.origin, v.device_id) FROM records r \
             JOIN record_versions v \
               ON v.record_id = r.record_id AND v.revision = r.revision AND v.sha256 = r.sha256 \
             WHERE r.derived < $1 ORDER BY r.record_id LIMIT $2",
        )
        .bind(VERSION)
        .bind(PAGE)
        .fetch_all(&db.pool)
        .await?;
        if rows.is_empty() {
            if done > 0 {
                super::duplicates::find_all(db).await?;
            }
            return Ok(done);
        }
        let mut page = Vec::with_capacity(rows.len());
        for row in &rows {
            let record_id: String = row.try_get(0)?;
            let body: String = row.try_get(1)?;
            // A stored body passed the batch reader; one that no longer parses keeps its
            // columns as they are (its page still shows it) rather than stopping the hub.
            let record = serde_json::from_str::<HouseholdRecord>(&body).ok();
            page.push((record_id, record, row.try_get::<String, _>(2)?));
        }
        db.write(|| async {
            let mut tx = db.pool.begin().await?;
            for (record_id, record, origin) in &page {
                match record {
                    Some(record) => {
                        sqlx::query(
                            "UPDATE records SET prelist_id = $1, lat_e6 = $2, lon_e6 = $3, accuracy_m = $4, \
                             location_asked = $5, house_photo = $6, started_at = $7, finalized_at = $8, \
                             origin = $9, derived = $10 WHERE record_id = $11",
                        )
                        .bind(crate::ingest::prelist_id(record))
                        .bind_derived(record)
                        .bind(origin)
                        .bind(VERSION)
                        .bind(record_id)
                        .execute(&mut *tx)
                        .await?;
                        super::duplicates::replace_keys(&mut tx, record_id, &match_keys(record)).await?;
                    }
                    None => {
                        sqlx::query("UPDATE records SET derived = $1 WHERE record_id = $2")
                            .bind(VERSION)
                            .bind(record_id)
                            .execute(&mut *tx)
                            .await?;
                    }
                }
            }
            tx.commit().await
        })
        .await?;
        done += page.len();
    }
}
