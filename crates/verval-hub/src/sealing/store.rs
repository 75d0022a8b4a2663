//! Sealed batches kept as they arrived (`sealed_batches`, `sealed_records`): answered with a
//! receipt from the plaintext manifest, listed on the sealed page, then opened ([`super::open`])
//! or quarantined with the reason.

use crate::audit::{self, Actor, Event};
use crate::db::{now_ms, Db};
use crate::households::BindAll;
use crate::ingest::{IngestError, Source};
use crate::staff::Scope;
use sqlx::any::Any;
use sqlx::{Row, Transaction};
use verval_core::export::SealedManifest;
use verval_core::sync::receipt::{RECEIPT_FORMAT, RECEIPT_FORMAT_VERSION};
use verval_core::sync::{parse_receipt, Outcome, Receipt, ReceivedRecord};

/// A sealed batch's state.
pub const WAITING: &str = "tersegel";
pub const OPENED: &str = "dibuka";
pub const QUARANTINED: &str = "karantina";

/// A sealed batch as it arrived, checked against its sender.
pub struct Arrival<'a> {
    pub hub_name: &'a str,
    pub bytes: &'a [u8],
    pub sha256: &'a str,
    pub manifest: &'a SealedManifest,
    pub source: &'a Source,
    pub by: &'a Actor,
}

/// Keeps a sealed batch and answers with its receipt: every record `sealed`. A repeat of the
/// same file is answered with the receipt given the first time and changes nothing.
pub async fn keep(db: &Db, arrival: &Arrival<'_>) -> Result<Receipt, IngestError> {
    db.write(|| keep_once(db, arrival)).await
}

async fn keep_once(db: &Db, a: &Arrival<'_>) -> Result<Receipt, IngestError> {
    let mut tx = db.pool.begin().await?;
    let batch_id = &a.manifest.batch_id;
    let earlier = sqlx::query("SELECT sha256, receipt FROM sealed_batches WHERE batch_id = $1")
        .bind(batch_id)
        .fetch_optional(&mut *tx)
        .await?;
    if let Some(row) = earlier {
        let sha: String = row.try_get(0)?;
        if sha != a.sha256 {
            return Err(IngestError::BatchIdReused(batch_id.clone()));
        }
        let receipt: String = row.try_get(1)?;
        return parse_receipt(receipt.as_bytes()).map_err(|e| IngestError::StoredReceipt(e.to_string()));
    }
    let plain: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM batches WHERE batch_id = $1")
        .bind(batch_id)
        .fetch_one(&mut *tx)
        .await?;
    if plain > 0 {
        return Err(IngestError::BatchIdReused(batch_id.clone()));
    }
    let now = now_ms();
    let receipt = Receipt {
        format: RECEIPT_FORMAT.to_owned(),
        format_version: RECEIPT_FORMAT_VERSION,
        batch_id: batch_id.clone(),
        batch_sha256: a.sha256.to_owned(),
        file_name: a.manifest.file_name.clone(),
        hub: a.hub_name.to_owned(),
        received_at: now,
        records: a
            .manifest
            .records
            .iter()
            .map(|r| ReceivedRecord {
                id: r.id.clone(),
                revision: r.revision,
                sha256: r.sha256.clone(),
                outcome: Outcome::Sealed,
            })
            .collect(),
    };
    let (enumerator_id, enumerator) = match a.source {
        Source::Device(d) => (Some(d.enumerator_id.as_str()), d.enumerator.as_str()),
        // A sealed file names no one: its enumerator is known once it is opened.
        Source::File => (None, ""),
    };
    let origin = a.source.origin(&a.manifest.device_id);
    sqlx::query(
        "INSERT INTO sealed_batches (batch_id, sha256, file_name, via, enumerator_id, enumerator, \
         origin, device_id, record_count, received_at, receipt, bytes, state, reason, opened_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, '', NULL)",
    )
    .bind(batch_id)
    .bind(a.sha256)
    .bind(&a.manifest.file_name)
    .bind(a.source.via())
    .bind(enumerator_id)
    .bind(enumerator)
    .bind(&origin)
    .bind(&a.manifest.device_id)
    .bind(a.manifest.records.len() as i64)
    .bind(now)
    .bind(String::from_utf8_lossy(&receipt.to_file()).into_owned())
    .bind(a.bytes.to_vec())
    .bind(WAITING)
    .execute(&mut *tx)
    .await?;
    for record in &a.manifest.records {
        sqlx::query(
            "INSERT INTO sealed_records (batch_id, record_id, revision, kode_desa, status) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(batch_id)
        .bind(&record.id)
        .bind(i64::from(record.revision))
        .bind(&record.kode_desa)
        .bind(&record.status)
        .execute(&mut *tx)
        .await?;
    }
    let households: Vec<String> = a.manifest.records.iter().map(|r| r.id.clone()).collect();
    let event = Event {
        action: a.source.arrival(),
        detail: serde_json::json!({
            "batch_id": batch_id,
            "berkas": a.manifest.file_name,
            "perangkat": origin,
            "keluarga": households.len(),
            "tersegel": true,
        }),
        households: &households,
    };
    audit::record_in(&mut tx, a.by, &event).await?;
    tx.commit().await?;
    Ok(receipt)
}

/// A sealed batch waiting for the key, with what opening it needs.
pub struct Waiting {
    pub batch_id: String,
    pub sha256: String,
    pub source: Source,
    pub bytes: Vec<u8>,
}

/// The sealed batches waiting for the key, oldest first.
pub async fn waiting_ids(db: &Db) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT batch_id FROM sealed_batches WHERE state = $1 ORDER BY received_at, batch_id")
        .bind(WAITING)
        .fetch_all(&db.pool)
        .await
}

/// One waiting batch; `None` once it is no longer waiting.
pub async fn waiting(db: &Db, batch_id: &str) -> Result<Option<Waiting>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT sha256, via, enumerator_id, enumerator, origin, device_id, bytes FROM sealed_batches \
         WHERE batch_id = $1 AND state = $2",
    )
    .bind(batch_id)
    .bind(WAITING)
    .fetch_optional(&db.pool)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let via: String = row.try_get(1)?;
    let source = match row.try_get::<Option<String>, _>(2)? {
        Some(enumerator_id) if via == "sync" => Source::Device(crate::enrol::Device {
            enumerator_id,
            enumerator: row.try_get(3)?,
            device_key: row.try_get(4)?,
            device_id: row.try_get(5)?,
            // Its villages were checked against the manifest when it arrived, and opening
            // checks the content against the manifest.
            villages: Vec::new(),
        }),
        _ => Source::File,
    };
    Ok(Some(Waiting {
        batch_id: batch_id.to_owned(),
        sha256: row.try_get(0)?,
        source,
        bytes: row.try_get(6)?,
    }))
}

/// Marks a batch opened, in the transaction that stored its households; its sealed bytes
/// are let go (the opened batch is kept in `batches`).
pub(crate) async fn mark_opened_in(
    tx: &mut Transaction<'static, Any>,
    batch_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE sealed_batches SET state = $1, opened_at = $2, reason = '', bytes = $3 WHERE batch_id = $4",
    )
    .bind(OPENED)
    .bind(now_ms())
    .bind(Vec::<u8>::new())
    .bind(batch_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Sets a batch aside: quarantined (its content is at fault), or still waiting with the
/// reason the key did not open it. Only a batch still waiting: one another opening stored
/// meanwhile stays opened.
pub async fn set_aside(db: &Db, batch_id: &str, state: &str, reason: &str) -> Result<(), sqlx::Error> {
    db.write(|| async {
        sqlx::query("UPDATE sealed_batches SET state = $1, reason = $2 WHERE batch_id = $3 AND state = $4")
            .bind(state)
            .bind(reason)
            .bind(batch_id)
            .bind(WAITING)
            .execute(&db.pool)
            .await
            .map(|_| ())
    })
    .await
}

/// A sealed batch's state and reason; `None` for a batch that was not sealed.
pub async fn state_of(db: &Db, batch_id: &str) -> Result<Option<(String, String)>, sqlx::Error> {
    let row = sqlx::query("SELECT state, reason FROM sealed_batches WHERE batch_id = $1")
        .bind(batch_id)
        .fetch_optional(&db.pool)
        .await?;
    row.map(|row| Ok((row.try_get(0)?, row.try_get(1)?))).transpose()
}

/// A sealed batch not opened: waiting or quarantined.
#[derive(Clone, Debug)]
pub struct NotOpened {
    pub batch_id: String,
    pub file_name: String,
    pub via: String,
    pub enumerator: String,
    pub record_count: i64,
    pub received_at: i64,
    pub state: String,
    pub reason: String,
}

/// A household known only by a sealed batch's manifest.
#[derive(Clone, Debug)]
pub struct SealedHousehold {
    pub record_id: String,
    pub revision: i64,
    pub kode_desa: String,
    pub status: String,
    pub batch_id: String,
}

/// What the sealed page shows: the batches not opened that hold a household within `scope`
/// (staff of one kecamatan see neither the files nor the enumerators of another), or no
/// household at all (a batch of village meetings alone: its villages are known only once
/// opened), and those households (id, village and status only: nothing else is known
/// before opening).
pub async fn not_opened(
    db: &Db,
    scope: &Scope,
) -> Result<(Vec<NotOpened>, Vec<SealedHousehold>), sqlx::Error> {
    let (in_scope, binds) = scope.condition("r.kode_desa", 2);
    let sql = format!(
        "SELECT b.batch_id, b.file_name, b.via, b.enumerator, b.record_count, b.received_at, b.state, \
         b.reason FROM sealed_batches b WHERE b.state <> $1 AND (b.record_count = 0 OR EXISTS (SELECT 1 \
         FROM sealed_records r WHERE r.batch_id = b.batch_id AND ({in_scope}))) \
         ORDER BY b.received_at, b.batch_id"
    );
    let rows = sqlx::query(&sql)
        .bind(OPENED)
        .bind_all(&binds)
        .fetch_all(&db.pool)
        .await?;
    let batches = rows
        .iter()
        .map(|row| {
            Ok(NotOpened {
                batch_id: row.try_get(0)?,
                file_name: row.try_get(1)?,
                via: row.try_get(2)?,
                enumerator: row.try_get(3)?,
                record_count: row.try_get(4)?,
                received_at: row.try_get(5)?,
                state: row.try_get(6)?,
                reason: row.try_get(7)?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let sql = format!(
        "SELECT r.record_id, r.revision, r.kode_desa, r.status, r.batch_id FROM sealed_records r \
         JOIN sealed_batches b ON b.batch_id = r.batch_id \
         WHERE b.state <> $1 AND ({in_scope}) ORDER BY r.kode_desa, r.record_id"
    );
    let rows = sqlx::query(&sql)
        .bind(OPENED)
        .bind_all(&binds)
        .fetch_all(&db.pool)
        .await?;
    let households = rows
        .iter()
        .map(|row| {
            Ok(SealedHousehold {
                record_id: row.try_get(0)?,
                revision: row.try_get(1)?,
                kode_desa: row.try_get(2)?,
                status: row.try_get(3)?,
                batch_id: row.try_get(4)?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok((batches, households))
}
