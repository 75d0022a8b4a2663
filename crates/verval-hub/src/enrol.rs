//! Enumerators, their one-time enrolment codes and their devices' tokens.

use crate::audit::{self, Action, Actor, Event};
use crate::db::{now_ms, Db, DbError, Retry};
use crate::secret::{self, hash_token, SecretError};
use sqlx::Row;
use std::collections::BTreeMap;
use verval_core::campaign::share::Share;
use verval_core::region::{RegionCode, RegionLevel};
use verval_core::sync::api::{Enrolment, ErrorCode};

/// How long an enrolment code stays usable.
pub const CODE_VALID_MS: i64 = 14 * 24 * 60 * 60 * 1000;
const DAY_MS: i64 = 24 * 60 * 60 * 1000;
/// How long a device token may go unused before it expires, unless the district sets
/// otherwise: a round lasts weeks, and a phone out of signal for a month must still sync.
pub const DEFAULT_TOKEN_IDLE_DAYS: u32 = 90;
/// A token's last use is written at most this often (not on every request).
const RENEW_EVERY_MS: i64 = 60 * 60 * 1000;
/// The longest device id a phone may send (the app's are UUIDs).
const MAX_DEVICE_ID_CHARS: usize = 100;

#[derive(Debug, thiserror::Error)]
pub enum EnrolError {
    #[error("kode wilayah {0:?} bukan kode desa/kelurahan seperti 35.13.14.2001 (not a village code)")]
    NotAVillage(String),
    #[error("nama petugas kosong (the enumerator's name is empty)")]
    NoName,
    #[error("petugas harus punya paling sedikit satu desa (an enumerator needs at least one village)")]
    NoVillages,
    #[error("petugas {0} tidak ada (no such enumerator)")]
    NoSuchEnumerator(String),
    #[error("kode pendaftaran tidak dikenal, sudah dipakai, atau kedaluwarsa (enrolment code unknown, used or expired)")]
    BadCode,
    #[error("id perangkat kosong (the device id is empty)")]
    NoDevice,
    #[error("id perangkat tidak sah: paling banyak {MAX_DEVICE_ID_CHARS} huruf, angka, '-', '_' atau '.' (bad device id)")]
    BadDevice,
    #[error("tidak ada token; daftarkan perangkat dulu (no token: enrol this device first)")]
    NoToken,
    #[error("token tidak dikenal; daftarkan perangkat lagi (unknown token: enrol this device again)")]
    UnknownToken,
    #[error("token sudah dicabut oleh dinas (this device's token was revoked by district staff)")]
    Revoked,
    #[error("token kedaluwarsa: tidak dipakai lebih dari {0} hari; daftarkan perangkat lagi dengan kode baru (token expired after {0} days unused: enrol again)")]
    Expired(u32),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    Secret(#[from] SecretError),
}

impl From<sqlx::Error> for EnrolError {
    fn from(e: sqlx::Error) -> EnrolError {
        EnrolError::Db(DbError::Query(e))
    }
}

impl EnrolError {
    pub fn code(&self) -> ErrorCode {
        match self {
            EnrolError::NotAVillage(_)
            | EnrolError::NoName
            | EnrolError::NoVillages
            | EnrolError::NoSuchEnumerator(_)
            | EnrolError::NoDevice
            | EnrolError::BadDevice => ErrorCode::BadRequest,
            EnrolError::BadCode => ErrorCode::BadEnrolmentCode,
            EnrolError::NoToken | EnrolError::UnknownToken => ErrorCode::Unauthorized,
            EnrolError::Revoked | EnrolError::Expired(_) => ErrorCode::TokenRevoked,
            EnrolError::Db(_) | EnrolError::Secret(_) => ErrorCode::ServerError,
        }
    }
}

impl Retry for EnrolError {
    fn worth_retrying(&self) -> bool {
        matches!(self, EnrolError::Db(e) if e.worth_retrying())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Enumerator {
    pub id: String,
    pub name: String,
    pub villages: Vec<String>,
    /// Their part of each village split with another enumerator; a village not named here
    /// is theirs whole.
    pub shares: BTreeMap<String, Share>,
    /// Devices enrolled and not revoked.
    pub active_devices: i64,
}

/// Someone who already has a village.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Holder {
    pub enumerator_id: String,
    pub name: String,
    pub share: Share,
}

/// An authenticated device, as an upload presents it.
#[derive(Clone, Debug)]
pub struct Device {
    pub enumerator_id: String,
    /// The enrolled enumerator's name: what the hub shows, whatever a record says.
    pub enumerator: String,
    /// The hub's key for this device (`dev-…`), given at enrolment.
    pub device_key: String,
    /// The id the phone gave itself: a label, checked against its batches' manifests.
    pub device_id: String,
    pub villages: Vec<String>,
}

impl Device {
    /// Who the audit trail and the decisions it writes name for this phone: its enumerator
    /// (a phone may be replaced; its enumerator's work stays theirs).
    pub fn actor_name(&self) -> String {
        format!("petugas:{}", self.enumerator_id)
    }
}

fn parse_villages(villages: &[String]) -> Result<Vec<String>, EnrolError> {
    let mut codes = Vec::new();
    for v in villages {
        let code = RegionCode::parse(v.trim())
            .ok()
            .filter(|c| c.level() == RegionLevel::Village)
            .ok_or_else(|| EnrolError::NotAVillage(v.clone()))?;
        codes.push(code.as_str().to_owned());
    }
    codes.sort();
    codes.dedup();
    if codes.is_empty() {
        return Err(EnrolError::NoVillages);
    }
    Ok(codes)
}

/// Adds an enumerator for `villages` (each whole) and returns it with a first enrolment
/// code.
pub async fn add_enumerator(
    db: &Db,
    name: &str,
    villages: &[String],
    by: &Actor,
) -> Result<(Enumerator, String), EnrolError> {
    add_enumerator_sharing(db, name, villages, &BTreeMap::new(), by).await
}

/// Adds an enumerator for `villages`, with their part of each village named in `shares`
/// (the rest whole). A part given of a village someone has whole leaves them its rest, in
/// the same transaction, so each listed family stays in exactly one assignment.
pub async fn add_enumerator_sharing(
    db: &Db,
    name: &str,
    villages: &[String],
    shares: &BTreeMap<String, Share>,
    by: &Actor,
) -> Result<(Enumerator, String), EnrolError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(EnrolError::NoName);
    }
    let villages = parse_villages(villages)?;
    let shares: BTreeMap<String, Share> = shares
        .iter()
        .filter(|(v, s)| villages.contains(v) && **s != Share::Whole)
        .map(|(v, s)| (v.clone(), s.clone()))
        .collect();
    let id: String = secret::random_bytes::<4>()?
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let id = format!("ptg-{id}");
    let code = secret::new_code()?;
    let parts: BTreeMap<&String, String> = shares.iter().map(|(v, s)| (v, s.to_text())).collect();
    let event = Event::new(
        Action::EnumeratorAdded,
        serde_json::json!({ "petugas_id": id, "desa": villages, "bagian": parts }),
    );
    let (id_ref, villages_ref, shares_ref, code_ref, event_ref) = (&id, &villages, &shares, &code, &event);
    db.write(|| async move {
        let (id, villages) = (id_ref, villages_ref);
        let mut tx = db.pool.begin().await?;
        sqlx::query("INSERT INTO enumerators (id, name, created_at) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(name)
            .bind(now_ms())
            .execute(&mut *tx)
            .await?;
        for v in villages {
            let share = shares_ref.get(v).cloned().unwrap_or_default();
            if share != Share::Whole {
                // Whoever had the whole village keeps what this part leaves.
                sqlx::query(
                    "UPDATE enumerator_villages SET village_share = $1 WHERE kode_desa = $2 AND village_share = ''",
                )
                .bind(Share::rest_of(&share).to_text())
                .bind(v)
                .execute(&mut *tx)
                .await?;
            }
            sqlx::query("INSERT INTO enumerator_villages (enumerator_id, kode_desa, village_share) VALUES ($1, $2, $3)")
                .bind(id)
                .bind(v)
                .bind(share.to_text())
                .execute(&mut *tx)
                .await?;
        }
        insert_code(&mut tx, id, code_ref).await?;
        audit::record_in(&mut tx, by, event_ref).await?;
        tx.commit().await
    })
    .await?;
    Ok((
        Enumerator {
            id,
            name: name.to_owned(),
            villages,
            shares,
            active_devices: 0,
        },
        code,
    ))
}

/// Who already has each of `villages` (those nobody has are left out), by village.
pub async fn holders(db: &Db, villages: &[String]) -> Result<BTreeMap<String, Vec<Holder>>, EnrolError> {
    let mut out: BTreeMap<String, Vec<Holder>> = BTreeMap::new();
    for enumerator in list(db).await? {
        for village in &enumerator.villages {
            if villages.contains(village) {
                out.entry(village.clone()).or_default().push(Holder {
                    enumerator_id: enumerator.id.clone(),
                    name: enumerator.name.clone(),
                    share: enumerator.shares.get(village).cloned().unwrap_or_default(),
                });
            }
        }
    }
    Ok(out)
}

async fn insert_code(
    tx: &mut sqlx::AnyConnection,
    enumerator_id: &str,
    code: &str,
) -> Result<(), sqlx::Error> {
    let now = now_ms();
    sqlx::query(
        "INSERT INTO enrolment_codes (code_hash, enumerator_id, created_at, expires_at) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(hash_token(code))
    .bind(enumerator_id)
    .bind(now)
    .bind(now + CODE_VALID_MS)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// A new one-time enrolment code for an enumerator (the earlier ones stay valid until used
/// or expired).
pub async fn new_code(db: &Db, enumerator_id: &str, by: &Actor) -> Result<String, EnrolError> {
    find(db, enumerator_id).await?;
    let code = secret::new_code()?;
    let event = Event::new(
        Action::EnrolmentCode,
        serde_json::json!({ "petugas_id": enumerator_id }),
    );
    db.write(|| async {
        let mut tx = db.pool.begin().await?;
        insert_code(&mut tx, enumerator_id, &code).await?;
        audit::record_in(&mut tx, by, &event).await?;
        tx.commit().await
    })
    .await?;
    Ok(code)
}

pub async fn find(db: &Db, enumerator_id: &str) -> Result<Enumerator, EnrolError> {
    list(db)
        .await?
        .into_iter()
        .find(|e| e.id == enumerator_id)
        .ok_or_else(|| EnrolError::NoSuchEnumerator(enumerator_id.to_owned()))
}

pub async fn list(db: &Db) -> Result<Vec<Enumerator>, EnrolError> {
    let rows = sqlx::query(
        "SELECT e.id, e.name, \
           (SELECT COUNT(*) FROM devices d WHERE d.enumerator_id = e.id AND d.revoked_at IS NULL) \
         FROM enumerators e ORDER BY e.name, e.id",
    )
    .fetch_all(&db.pool)
    .await?;
    let villages = sqlx::query(
        "SELECT enumerator_id, kode_desa, village_share FROM enumerator_villages ORDER BY kode_desa",
    )
    .fetch_all(&db.pool)
    .await?;
    let mut out = Vec::new();
    for row in rows {
        let id: String = row.try_get(0)?;
        let mut mine = Vec::new();
        let mut shares = BTreeMap::new();
        for v in &villages {
            if v.try_get::<String, _>(0)? == id {
                let village: String = v.try_get(1)?;
                // A share this hub wrote always reads back; one that does not is the whole
                // village rather than no family at all.
                let share = Share::parse(&v.try_get::<String, _>(2)?).unwrap_or_default();
                if share != Share::Whole {
                    shares.insert(village.clone(), share);
                }
                mine.push(village);
            }
        }
        out.push(Enumerator {
            name: row.try_get(1)?,
            active_devices: row.try_get(2)?,
            villages: mine,
            shares,
            id,
        });
    }
    Ok(out)
}

/// Exchanges a one-time code for a device token. The code is spent even if two devices race
/// with it: only one `UPDATE` can claim it. The device gets the hub's key for it: the one it
/// had if the same enumerator enrolled the same phone id before, else a new one, so a phone
/// claiming another's id never passes for it.
pub async fn enrol(db: &Db, hub_name: &str, code: &str, device_id: &str) -> Result<Enrolment, EnrolError> {
    let code = secret::normalize_code(code);
    let device_id = device_id.trim();
    if device_id.is_empty() {
        return Err(EnrolError::NoDevice);
    }
    if device_id.chars().count() > MAX_DEVICE_ID_CHARS
        || !device_id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(EnrolError::BadDevice);
    }
    let code_hash = hash_token(&code);
    // A code nobody was given is refused by a read: a flood of guesses never writes.
    let known: Option<i64> =
        sqlx::query_scalar("SELECT expires_at FROM enrolment_codes WHERE code_hash = $1 AND used_at IS NULL")
            .bind(&code_hash)
            .fetch_optional(&db.pool)
            .await?;
    if known.is_none_or(|expires| expires <= now_ms()) {
        return Err(EnrolError::BadCode);
    }
    let token = secret::new_token()?;
    let fresh_key = format!("dev-{}", hex(&secret::random_bytes::<8>()?));
    let enumerator_id = db
        .write(|| claim(db, &code_hash, &token, &fresh_key, device_id))
        .await?;
    let enumerator = find(db, &enumerator_id).await?;
    Ok(Enrolment {
        token,
        enumerator_id,
        enumerator: enumerator.name,
        villages: enumerator.villages,
        hub: hub_name.to_owned(),
        district_keys: crate::sealing::keys::for_phones(db).await?,
    })
}

/// Spends the code and stores the device: one transaction.
async fn claim(
    db: &Db,
    code_hash: &str,
    token: &str,
    fresh_key: &str,
    device_id: &str,
) -> Result<String, EnrolError> {
    let now = now_ms();
    let mut tx = db.pool.begin().await?;
    let enumerator_id: Option<String> = sqlx::query_scalar(
        "UPDATE enrolment_codes SET used_at = $1 \
         WHERE code_hash = $2 AND used_at IS NULL AND expires_at > $1 \
         RETURNING enumerator_id",
    )
    .bind(now)
    .bind(code_hash)
    .fetch_optional(&mut *tx)
    .await?;
    let enumerator_id = enumerator_id.ok_or(EnrolError::BadCode)?;
    let known_key: Option<String> = sqlx::query_scalar(
        "SELECT device_key FROM devices WHERE enumerator_id = $1 AND device_id = $2 \
         ORDER BY enrolled_at DESC LIMIT 1",
    )
    .bind(&enumerator_id)
    .bind(device_id)
    .fetch_optional(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO devices (token_hash, enumerator_id, device_id, enrolled_at, device_key, last_seen_at) \
         VALUES ($1, $2, $3, $4, $5, $4)",
    )
    .bind(hash_token(token))
    .bind(&enumerator_id)
    .bind(device_id)
    .bind(now)
    .bind(known_key.as_deref().unwrap_or(fresh_key))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(enumerator_id)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The device a bearer token belongs to. A token unused for more than `idle_days` has
/// expired; each use renews it (written at most once an hour).
pub async fn authenticate(db: &Db, token: Option<&str>, idle_days: u32) -> Result<Device, EnrolError> {
    let token = token.filter(|t| !t.is_empty()).ok_or(EnrolError::NoToken)?;
    let token_hash = hash_token(token);
    let row = sqlx::query(
        "SELECT enumerator_id, device_id, revoked_at, device_key, last_seen_at, enrolled_at \
         FROM devices WHERE token_hash = $1",
    )
    .bind(&token_hash)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(EnrolError::UnknownToken)?;
    if row.try_get::<Option<i64>, _>(2)?.is_some() {
        return Err(EnrolError::Revoked);
    }
    let now = now_ms();
    // A device enrolled before expiry existed counts from its first use since.
    let last_seen: Option<i64> = row.try_get(4)?;
    if last_seen.is_some_and(|seen| now - seen > i64::from(idle_days) * DAY_MS) {
        return Err(EnrolError::Expired(idle_days));
    }
    if last_seen.is_none_or(|seen| now - seen > RENEW_EVERY_MS) {
        db.write(|| {
            sqlx::query("UPDATE devices SET last_seen_at = $1 WHERE token_hash = $2")
                .bind(now)
                .bind(&token_hash)
                .execute(&db.pool)
        })
        .await
        .map_err(DbError::Query)?;
    }
    let enumerator_id: String = row.try_get(0)?;
    let enumerator = find(db, &enumerator_id).await?;
    Ok(Device {
        enumerator_id,
        enumerator: enumerator.name,
        device_key: row.try_get(3)?,
        device_id: row.try_get(1)?,
        villages: enumerator.villages,
    })
}

/// Revokes every token and unused code of an enumerator; returns how many devices lost access.
pub async fn revoke(db: &Db, enumerator_id: &str, by: &Actor) -> Result<u64, EnrolError> {
    find(db, enumerator_id).await?;
    let now = now_ms();
    let revoked = db
        .write(|| async move {
            let mut tx = db.pool.begin().await?;
            let revoked = sqlx::query(
                "UPDATE devices SET revoked_at = $1 WHERE enumerator_id = $2 AND revoked_at IS NULL",
            )
            .bind(now)
            .bind(enumerator_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            sqlx::query(
                "UPDATE enrolment_codes SET expires_at = $1 WHERE enumerator_id = $2 AND used_at IS NULL",
            )
            .bind(now)
            .bind(enumerator_id)
            .execute(&mut *tx)
            .await?;
            let event = Event::new(
                Action::EnumeratorRevoked,
                serde_json::json!({ "petugas_id": enumerator_id, "perangkat": revoked }),
            );
            audit::record_in(&mut tx, by, &event).await?;
            tx.commit().await.map(|()| revoked)
        })
        .await?;
    Ok(revoked)
}
