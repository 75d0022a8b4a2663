//! `records.prelist_id` (migration 0007) for households stored before it existed: read from
//! the current version's body once, when the hub opens. Ingest writes it for every new
//! version, so after the first open this finds nothing to do.

use crate::db::{Db, DbError};
use sqlx::Row;
use verval_core::HouseholdRecord;

/// Fills in the prelist family each older household visited; returns how many were linked.
pub async fn link_prelist(db: &Db) -> Result<usize, DbError> {
    // Only bodies that name a prelist family; a family found in the field keeps ''.
    let rows = sqlx::query(
        "SELECT r.record_id, v.body FROM records r JOIN record_versions v \
           ON v.record_id = r.record_id AND v.revision = r.revision AND v.sha256 = r.sha256 \
         WHERE r.prelist_id = '' AND v.body LIKE '%\"prelist_id\"%'",
    )
    .fetch_all(&db.pool)
    .await?;
    let mut links = Vec::new();
    for row in rows {
        let record_id: String = row.try_get(0)?;
        let body: String = row.try_get(1)?;
        // A stored body passed the batch reader; one that no longer parses is left unlinked
        // (its page still shows it) rather than stopping the hub.
        let Ok(record) = serde_json::from_str::<HouseholdRecord>(&body) else {
            continue;
        };
        let prelist_id = crate::ingest::prelist_id(&record).to_owned();
        if !prelist_id.is_empty() {
            links.push((record_id, prelist_id));
        }
    }
    if links.is_empty() {
        return Ok(0);
    }
    db.write(|| async {
        let mut tx = db.pool.begin().await?;
        for (record_id, prelist_id) in &links {
            sqlx::query("UPDATE records SET prelist_id = $1 WHERE record_id = $2 AND prelist_id = ''")
                .bind(prelist_id)
                .bind(record_id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await
    })
    .await?;
    Ok(links.len())
}
