//! Where each household stands in SIKS-NG (issue #24, migration 0011): not entered, entered
//! (day, operator, the usulan id SIKS-NG gave), then accepted with the new desil or refused
//! with the reason. A family is marked entered only when nothing SIKS-NG asks is missing from
//! its current version (`verval_core::aid::siks_ng`): one empty field invalidates a proposal
//! there, after the fact. Every change is audited, without a name or a number.

use crate::audit::{self, Action, Actor, Event};
use crate::db::{Db, DbError};
use sqlx::Row;
use verval_core::aid::siks_ng::{missing, Entry};
use verval_core::date::Date;
use verval_core::form::validate::parse_date;
use verval_core::HouseholdRecord;

/// The statuses after "belum diinput" (no row): `(code, Indonesian, English)`.
pub const STATUSES: [(&str, &str, &str); 3] = [
    ("diinput", "Sudah diinput", "entered"),
    ("diterima", "Hasil: diterima", "accepted"),
    ("ditolak", "Hasil: ditolak", "refused"),
];

/// What district staff record of one household in SIKS-NG.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SiksEntry {
    pub status: String,
    /// `YYYY-MM-DD`.
    pub entered_on: String,
    pub operator: String,
    pub usulan_id: String,
    /// The desil SIKS-NG gave an accepted family (1–10).
    pub desil: Option<i64>,
    /// Why SIKS-NG refused the family.
    pub reason: String,
    /// The household revision entered.
    pub revision: i64,
}

/// Stored, with who changed it last.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stored {
    pub entry: SiksEntry,
    pub updated_at: i64,
    pub updated_by: String,
}

#[derive(Debug, thiserror::Error)]
pub enum SiksError {
    #[error("{0}")]
    Invalid(String),
    #[error("belum siap diinput ke SIKS-NG, masih kosong: {0} (not ready: fields SIKS-NG asks are empty)")]
    Incomplete(String),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<sqlx::Error> for SiksError {
    fn from(e: sqlx::Error) -> SiksError {
        SiksError::Db(DbError::Query(e))
    }
}

/// What is wrong with `entry` as typed, every problem named; `Ok` when it may be stored.
pub fn check(entry: &SiksEntry, today: Date) -> Result<(), SiksError> {
    let mut problems = Vec::new();
    if !STATUSES.iter().any(|(code, _, _)| *code == entry.status) {
        problems.push("status tidak dikenal (unknown status)".to_owned());
    }
    match parse_date(entry.entered_on.trim()) {
        None => {
            problems.push("tanggal input harus YYYY-MM-DD (the entry date must be YYYY-MM-DD)".to_owned())
        }
        Some(day) if day > today => {
            problems.push("tanggal input di masa depan (the entry date is in the future)".to_owned())
        }
        Some(_) => {}
    }
    if entry.operator.trim().is_empty() {
        problems.push("nama operator SIKS-NG kosong (the SIKS-NG operator's name is empty)".to_owned());
    }
    if entry.usulan_id.trim().is_empty() {
        problems.push("ID usulan SIKS-NG kosong (the SIKS-NG proposal id is empty)".to_owned());
    }
    for (name, text) in [
        ("operator", &entry.operator),
        ("ID usulan", &entry.usulan_id),
        ("alasan", &entry.reason),
    ] {
        if text.chars().count() > 200 || text.chars().any(char::is_control) {
            problems.push(format!(
                "{name}: terlalu panjang atau berisi karakter kendali (too long or has control characters)"
            ));
        }
    }
    match (entry.status.as_str(), entry.desil) {
        ("diterima", Some(1..=10)) => {}
        ("diterima", _) => {
            problems.push("desil hasil harus 1–10 (the resulting desil must be 1–10)".to_owned())
        }
        (_, Some(_)) => {
            problems.push("desil hanya untuk hasil diterima (a desil only for an accepted family)".to_owned())
        }
        _ => {}
    }
    if entry.status == "ditolak" && entry.reason.trim().is_empty() {
        problems.push("alasan penolakan kosong (the reason for the refusal is empty)".to_owned());
    }
    match problems.is_empty() {
        true => Ok(()),
        false => Err(SiksError::Invalid(problems.join("; "))),
    }
}

/// `Ok` when nothing SIKS-NG asks is missing from `record`; else every missing field named
/// (by column, and the member's number).
pub fn ready(record: &HouseholdRecord, today: Date) -> Result<(), SiksError> {
    let lacking = missing(record, today);
    if lacking.is_empty() {
        return Ok(());
    }
    let name = |e: &Entry| match &e.member {
        Some(member) => format!("{} (anggota {member})", e.field.as_str()),
        None => e.field.as_str().to_owned(),
    };
    Err(SiksError::Incomplete(
        lacking.iter().map(name).collect::<Vec<_>>().join(", "),
    ))
}

pub async fn of(db: &Db, record_id: &str) -> Result<Option<Stored>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT status, entered_on, operator, usulan_id, desil, reason, revision, updated_at, updated_by \
         FROM siks_entries WHERE record_id = $1",
    )
    .bind(record_id)
    .fetch_optional(&db.pool)
    .await?;
    row.map(|r| {
        Ok(Stored {
            entry: SiksEntry {
                status: r.try_get("status")?,
                entered_on: r.try_get("entered_on")?,
                operator: r.try_get("operator")?,
                usulan_id: r.try_get("usulan_id")?,
                desil: r.try_get("desil")?,
                reason: r.try_get("reason")?,
                revision: r.try_get("revision")?,
            },
            updated_at: r.try_get("updated_at")?,
            updated_by: r.try_get("updated_by")?,
        })
    })
    .transpose()
}

/// Stores `entry` for the household `record_id` (checked by [`check`], and by [`ready`]
/// against its current version by the caller), with its audit event, in one transaction.
pub async fn set(db: &Db, record_id: &str, entry: &SiksEntry, by: &Actor) -> Result<(), SiksError> {
    db.write(|| async {
        let mut tx = db.pool.begin().await?;
        store_in(&mut tx, record_id, entry, by).await?;
        let event = Event {
            action: Action::SiksNg,
            detail: serde_json::json!({ "status": entry.status, "revision": entry.revision }),
            households: &[record_id.to_owned()],
        };
        audit::record_in(&mut tx, by, &event).await?;
        tx.commit().await
    })
    .await
    .map_err(|e: sqlx::Error| SiksError::Db(DbError::Query(e)))
}

/// Writes one household's entry within the caller's transaction (its audit event is the
/// caller's too).
pub(crate) async fn store_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    record_id: &str,
    entry: &SiksEntry,
    by: &Actor,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO siks_entries (record_id, status, entered_on, operator, usulan_id, desil, reason, \
           revision, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         ON CONFLICT (record_id) DO UPDATE SET status = excluded.status, \
           entered_on = excluded.entered_on, operator = excluded.operator, \
           usulan_id = excluded.usulan_id, desil = excluded.desil, reason = excluded.reason, \
           revision = excluded.revision, updated_at = excluded.updated_at, \
           updated_by = excluded.updated_by",
    )
    .bind(record_id)
    .bind(&entry.status)
    .bind(entry.entered_on.trim())
    .bind(entry.operator.trim())
    .bind(entry.usulan_id.trim())
    .bind(entry.desil)
    .bind(entry.reason.trim())
    .bind(entry.revision)
    .bind(crate::db::now_ms())
    .bind(&by.name)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}
