//! Enumerators, their one-time enrolment codes and their devices' tokens.

use crate::db::{now_ms, Db, DbError};
use crate::secret::{self, hash_token, SecretError};
use sqlx::Row;
use verval_core::region::{RegionCode, RegionLevel};
use verval_core::sync::api::{Enrolment, ErrorCode};

/// How long an enrolment code stays usable.
pub const CODE_VALID_MS: i64 = 14 * 24 * 60 * 60 * 1000;

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
    #[error("tidak ada token; daftarkan perangkat dulu (no token: enrol this device first)")]
    NoToken,
    #[error("token tidak dikenal; daftarkan perangkat lagi (unknown token: enrol this device again)")]
    UnknownToken,
    #[error("token sudah dicabut oleh dinas (this device's token was revoked by district staff)")]
    Revoked,
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
            | EnrolError::NoDevice => ErrorCode::BadRequest,
            EnrolError::BadCode => ErrorCode::BadEnrolmentCode,
            EnrolError::NoToken | EnrolError::UnknownToken => ErrorCode::Unauthorized,
            EnrolError::Revoked => ErrorCode::TokenRevoked,
            EnrolError::Db(_) | EnrolError::Secret(_) => ErrorCode::ServerError,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Enumerator {
    pub id: String,
    pub name: String,
    pub villages: Vec<String>,
    /// Devices enrolled and not revoked.
    pub active_devices: i64,
}

/// An authenticated device, as an upload presents it.
#[derive(Clone, Debug)]
pub struct Device {
    pub enumerator_id: String,
    pub enumerator: String,
    pub device_id: String,
    pub villages: Vec<String>,
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

/// Adds an enumerator for `villages` and returns it with a first enrolment code.
pub async fn add_enumerator(
    db: &Db,
    name: &str,
    villages: &[String],
) -> Result<(Enumerator, String), EnrolError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(EnrolError::NoName);
    }
    let villages = parse_villages(villages)?;
    let id: String = secret::random_bytes::<4>()?
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let id = format!("ptg-{id}");
    let mut tx = db.pool.begin().await?;
    sqlx::query("INSERT INTO enumerators (id, name, created_at) VALUES ($1, $2, $3)")
        .bind(&id)
        .bind(name)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
    for v in &villages {
        sqlx::query("INSERT INTO enumerator_villages (enumerator_id, kode_desa) VALUES ($1, $2)")
            .bind(&id)
            .bind(v)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    let code = new_code(db, &id).await?;
    Ok((
        Enumerator {
            id,
            name: name.to_owned(),
            villages,
            active_devices: 0,
        },
        code,
    ))
}

/// A fresh one-time enrolment code for an existing enumerator (a new phone, a lost code).
pub async fn new_code(db: &Db, enumerator_id: &str) -> Result<String, EnrolError> {
    find(db, enumerator_id).await?;
    let code = secret::new_code()?;
    let now = now_ms();
    sqlx::query(
        "INSERT INTO enrolment_codes (code_hash, enumerator_id, created_at, expires_at) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(hash_token(&code))
    .bind(enumerator_id)
    .bind(now)
    .bind(now + CODE_VALID_MS)
    .execute(&db.pool)
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
    let villages = sqlx::query("SELECT enumerator_id, kode_desa FROM enumerator_villages ORDER BY kode_desa")
        .fetch_all(&db.pool)
        .await?;
    let mut out = Vec::new();
    for row in rows {
        let id: String = row.try_get(0)?;
        let mut mine = Vec::new();
        for v in &villages {
            if v.try_get::<String, _>(0)? == id {
                mine.push(v.try_get(1)?);
            }
        }
        out.push(Enumerator {
            name: row.try_get(1)?,
            active_devices: row.try_get(2)?,
            villages: mine,
            id,
        });
    }
    Ok(out)
}

/// Exchanges a one-time code for a device token. The code is spent even if two devices race
/// with it: only one `UPDATE` can claim it.
pub async fn enrol(db: &Db, hub_name: &str, code: &str, device_id: &str) -> Result<Enrolment, EnrolError> {
    let code = secret::normalize_code(code);
    let device_id = device_id.trim();
    if device_id.is_empty() {
        return Err(EnrolError::NoDevice);
    }
    let now = now_ms();
    let mut tx = db.pool.begin().await?;
    let enumerator_id: Option<String> = sqlx::query_scalar(
        "UPDATE enrolment_codes SET used_at = $1 \
         WHERE code_hash = $2 AND used_at IS NULL AND expires_at > $1 \
         RETURNING enumerator_id",
    )
    .bind(now)
    .bind(hash_token(&code))
    .fetch_optional(&mut *tx)
    .await?;
    let enumerator_id = enumerator_id.ok_or(EnrolError::BadCode)?;
    let token = secret::new_token()?;
    sqlx::query(
        "INSERT INTO devices (token_hash, enumerator_id, device_id, enrolled_at) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(hash_token(&token))
    .bind(&enumerator_id)
    .bind(device_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let enumerator = find(db, &enumerator_id).await?;
    Ok(Enrolment {
        token,
        enumerator_id,
        enumerator: enumerator.name,
        villages: enumerator.villages,
        hub: hub_name.to_owned(),
    })
}

/// The device a bearer token belongs to.
pub async fn authenticate(db: &Db, token: Option<&str>) -> Result<Device, EnrolError> {
    let token = token.filter(|t| !t.is_empty()).ok_or(EnrolError::NoToken)?;
    let row = sqlx::query("SELECT enumerator_id, device_id, revoked_at FROM devices WHERE token_hash = $1")
        .bind(hash_token(token))
        .fetch_optional(&db.pool)
        .await?
        .ok_or(EnrolError::UnknownToken)?;
    if row.try_get::<Option<i64>, _>(2)?.is_some() {
        return Err(EnrolError::Revoked);
    }
    let enumerator_id: String = row.try_get(0)?;
    let enumerator = find(db, &enumerator_id).await?;
    Ok(Device {
        enumerator_id,
        enumerator: enumerator.name,
        device_id: row.try_get(1)?,
        villages: enumerator.villages,
    })
}

/// Revokes every token and unused code of an enumerator; returns how many devices lost access.
pub async fn revoke(db: &Db, enumerator_id: &str) -> Result<u64, EnrolError> {
    find(db, enumerator_id).await?;
    let now = now_ms();
    let mut tx = db.pool.begin().await?;
    let revoked =
        sqlx::query("UPDATE devices SET revoked_at = $1 WHERE enumerator_id = $2 AND revoked_at IS NULL")
            .bind(now)
            .bind(enumerator_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    sqlx::query("UPDATE enrolment_codes SET expires_at = $1 WHERE enumerator_id = $2 AND used_at IS NULL")
        .bind(now)
        .bind(enumerator_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(revoked)
}
