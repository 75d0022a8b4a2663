//! How long the hub keeps raw batches (the zip files as they arrived, photos of ID cards
//! included): the district's choice. Pruning lets go of a batch's bytes only; its row, its
//! receipt and every record version it brought stay, so a repeat of the upload is still
//! answered with the receipt given the first time.

use crate::db::{now_ms, Db, DbError};

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// Lets go of the bytes of every batch received more than `days` ago; returns how many.
pub async fn prune_raw_batches(db: &Db, days: u32) -> Result<u64, DbError> {
    let now = now_ms();
    let cutoff = now - i64::from(days) * DAY_MS;
    let pruned = db
        .write(|| {
            sqlx::query(
                "UPDATE batches SET bytes = $1, pruned_at = $2 \
                 WHERE received_at < $3 AND pruned_at IS NULL",
            )
            .bind(Vec::<u8>::new())
            .bind(now)
            .bind(cutoff)
            .execute(&db.pool)
        })
        .await?
        .rows_affected();
    Ok(pruned)
}

/// Prunes once an hour for as long as the hub runs (`serve --keep-batches-days`).
pub async fn prune_every_hour(db: Db, days: u32) {
    let mut hourly = tokio::time::interval(std::time::Duration::from_secs(60 * 60));
    loop {
        hourly.tick().await;
        match prune_raw_batches(&db, days).await {
            Ok(0) => {}
            Ok(n) => println!("verval-hub: {n} raw batch(es) older than {days} days let go"),
            Err(e) => crate::failure::log("pruning raw batches", &crate::failure::kind(&e)),
        }
    }
}
