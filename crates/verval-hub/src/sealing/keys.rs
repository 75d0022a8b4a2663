//! The district's public keys (`district_keys`): every batch a phone makes is sealed to all
//! of them. At least two — the district's own and a break-glass key kept by another office —
//! so a lost key loses no data.

use crate::audit::{self, Action, Actor, Event};
use crate::db::{now_ms, Db};
use sqlx::Row;
use verval_core::seal::published::PublishedKey;
use verval_core::seal::Recipient;

pub use verval_core::seal::published::AT_LEAST;

/// One public key as the hub keeps it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DistrictKey {
    /// `age1…`
    pub recipient: String,
    pub fingerprint: String,
    pub label: String,
    pub added_at: i64,
    pub retired_at: Option<i64>,
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("{0}")]
    Bad(#[from] verval_core::seal::SealError),
    #[error("kunci {0} sudah terdaftar (this key is already listed)")]
    Known(String),
    #[error("tidak ada kunci aktif dengan sidik jari {0} (no active key with this fingerprint)")]
    Unknown(String),
    #[error("nama kunci kosong: beri --label, mis. \"Dinsos Kab.\" (a key needs a label)")]
    NoLabel,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl crate::db::Retry for KeyError {
    fn worth_retrying(&self) -> bool {
        matches!(self, KeyError::Db(e) if e.worth_retrying())
    }
}

/// Adds a public key phones will seal to.
pub async fn add(db: &Db, recipient: &str, label: &str, by: &Actor) -> Result<DistrictKey, KeyError> {
    let recipient = Recipient::parse(recipient)?;
    let label = label.trim();
    if label.is_empty() {
        return Err(KeyError::NoLabel);
    }
    let key = DistrictKey {
        recipient: recipient.encode(),
        fingerprint: recipient.fingerprint(),
        label: label.to_owned(),
        added_at: now_ms(),
        retired_at: None,
    };
    db.write(|| async {
        let mut tx = db.pool.begin().await?;
        let known: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM district_keys WHERE recipient = $1")
            .bind(&key.recipient)
            .fetch_one(&mut *tx)
            .await?;
        if known > 0 {
            return Err(KeyError::Known(key.fingerprint.clone()));
        }
        sqlx::query(
            "INSERT INTO district_keys (recipient, fingerprint, label, added_at, retired_at) \
             VALUES ($1, $2, $3, $4, NULL)",
        )
        .bind(&key.recipient)
        .bind(&key.fingerprint)
        .bind(&key.label)
        .bind(key.added_at)
        .execute(&mut *tx)
        .await?;
        audit::record_in(
            &mut tx,
            by,
            &event(Action::KeyAdded, &key.fingerprint, &key.label),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    })
    .await?;
    Ok(key)
}

/// Stops handing a key to phones (a yearly rotation, a key thought lost). Batches already
/// sealed to it still open with its private key, which the district keeps.
pub async fn retire(db: &Db, fingerprint: &str, by: &Actor) -> Result<(), KeyError> {
    let fingerprint = fingerprint.trim().to_ascii_uppercase();
    db.write(|| async {
        let mut tx = db.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE district_keys SET retired_at = $1 WHERE fingerprint = $2 AND retired_at IS NULL",
        )
        .bind(now_ms())
        .bind(&fingerprint)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(KeyError::Unknown(fingerprint.clone()));
        }
        audit::record_in(&mut tx, by, &event(Action::KeyRetired, &fingerprint, "")).await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}

fn event(action: Action, fingerprint: &str, label: &str) -> Event<'static> {
    Event {
        action,
        detail: serde_json::json!({ "sidik_jari": fingerprint, "nama": label }),
        households: &[],
    }
}

/// Every key, active first, then by when it was added.
pub async fn all(db: &Db) -> Result<Vec<DistrictKey>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT recipient, fingerprint, label, added_at, retired_at FROM district_keys \
         ORDER BY CASE WHEN retired_at IS NULL THEN 0 ELSE 1 END, added_at, recipient",
    )
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(DistrictKey {
                recipient: row.try_get(0)?,
                fingerprint: row.try_get(1)?,
                label: row.try_get(2)?,
                added_at: row.try_get(3)?,
                retired_at: row.try_get(4)?,
            })
        })
        .collect()
}

/// The fingerprints of `named` this hub never listed (retired keys are known: a phone may
/// not have confirmed their successors yet).
pub async fn unknown(db: &Db, named: &[String]) -> Result<Vec<String>, sqlx::Error> {
    let known = all(db).await?;
    Ok(named
        .iter()
        .filter(|f| !known.iter().any(|k| &k.fingerprint == *f))
        .cloned()
        .collect())
}

/// The keys handed to phones: the active ones, once there are at least [`AT_LEAST`]. Fewer
/// are not handed out at all — a single key lost would lose every batch sealed to it.
pub async fn for_phones(db: &Db) -> Result<Vec<PublishedKey>, sqlx::Error> {
    let active: Vec<PublishedKey> = all(db)
        .await?
        .into_iter()
        .filter(|k| k.retired_at.is_none())
        .map(|k| PublishedKey {
            recipient: k.recipient,
            fingerprint: k.fingerprint,
            label: k.label,
        })
        .collect();
    Ok(if active.len() >= AT_LEAST {
        active
    } else {
        Vec::new()
    })
}
