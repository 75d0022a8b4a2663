//! Phones' data keys escrowed to the district, and forgotten PINs (issue #23).
//!
//! A phone encrypts what it stores with one random data key and sends that key sealed to the
//! district's public keys ([`keep`]). When its PIN is forgotten it makes a one-time key pair
//! and asks for its data key back ([`request`]); district staff, on the telephone with the
//! enumerator, type the one-time key's fingerprint the phone shows and the hub, with the
//! district's unlocked key, seals the data key again to that one-time key alone ([`answer`]);
//! the phone fetches the answer ([`state`]). Typing the fingerprint binds the answer to the
//! phone in the enumerator's hand: a stolen phone's own request, made with its token, is not
//! the one staff were read out. A phone with no hub asks in writing instead: its request
//! carries its escrow, and staff answer it the same way, by the code heard over the
//! telephone ([`answer_written`]); the answer goes back in writing and is pasted.
//!
//! The data key is in the clear only in the memory of [`answer`], never stored, never logged.

use crate::audit::{self, Action, Actor, Event};
use crate::db::{now_ms, Db};
use crate::enrol::Device;
use sqlx::Row;
use verval_core::seal::{Identity, Recipient};
use verval_core::sync::api::{EscrowUpload, PinReset, PinResetRequest};
use verval_core::vault::escrow::{
    self as vault_escrow, check_key_id, from_text, key_id, to_text, WrittenRequest,
};
use verval_core::vault::VaultError;

#[derive(Debug, thiserror::Error)]
pub enum EscrowError {
    #[error("{0}")]
    Bad(String),
    #[error("kunci cadangan disegel untuk kunci yang tidak dikenal hub ini: {} (sealed to keys this hub never listed)", .0.join(", "))]
    UnknownKeys(Vec<String>),
    #[error("hub belum menerima kunci cadangan HP ini ({0}); sambungkan HP sekali saat PIN masih diingat (the hub holds no escrow of this phone's key)")]
    NoEscrow(String),
    #[error("tidak ada permintaan PIN baru dari HP ini (no forgotten-PIN request from this phone)")]
    NoRequest,
    #[error("HP ini sudah dicabut dinas; kuncinya tidak diberikan lagi (this phone was revoked by the district; its key is not given back)")]
    Revoked,
    #[error("kode tidak cocok dengan permintaan HP: baca ulang kode di layar HP (the code does not match the phone's request)")]
    WrongCode,
    #[error("kunci dinas terkunci: buka dulu di halaman Segel (the district key is locked)")]
    Locked,
    #[error("kunci cadangan tidak terbuka dengan kunci dinas yang dibuka: {0} (the escrow does not open with the unlocked keys)")]
    DoesNotOpen(VaultError),
    #[error("tidak ada bilangan acak (no random numbers): {0}")]
    Random(String),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl crate::db::Retry for EscrowError {
    fn worth_retrying(&self) -> bool {
        matches!(self, EscrowError::Db(e) if crate::db::is_retryable(e))
    }
}

/// Keeps a phone's escrow. The same key sent again is kept once; when the district's key is
/// unlocked the escrow is opened first, so one that does not hold the key it names is refused
/// while the phone can still send it again.
pub async fn keep(
    db: &Db,
    device: &Device,
    upload: &EscrowUpload,
    unlocked: &[Identity],
) -> Result<(), EscrowError> {
    let bad = |e: VaultError| EscrowError::Bad(e.to_string());
    check_key_id(&upload.key_id).map_err(bad)?;
    let sealed = from_text(&upload.escrow).map_err(bad)?;
    if upload.district_keys.is_empty() || upload.district_keys.len() > 16 {
        return Err(EscrowError::Bad(
            "daftar kunci dinas kosong atau terlalu panjang (no or too many district keys named)".to_owned(),
        ));
    }
    let unknown = super::keys::unknown(db, &upload.district_keys).await?;
    if !unknown.is_empty() {
        return Err(EscrowError::UnknownKeys(unknown));
    }
    if !unlocked.is_empty() {
        let opened = verval_core::seal::open(&sealed, unlocked);
        let holds = |key: &[u8]| {
            <[u8; verval_core::vault::KEY_LEN]>::try_from(key)
                .is_ok_and(|k| key_id(&verval_core::vault::DataKey::from_random(k)) == upload.key_id)
        };
        match opened {
            Ok(key) if !holds(&key) => {
                return Err(EscrowError::Bad(
                    "kunci cadangan tidak memuat kunci yang dinamainya (the escrow does not hold the key it names)"
                        .to_owned(),
                ))
            }
            // Sealed to keys the hub has listed but does not hold unlocked (a break-glass
            // key kept elsewhere): kept, it opens there.
            _ => {}
        }
    }
    let keys = upload.district_keys.join(",");
    db.write(|| async {
        sqlx::query(
            "INSERT INTO device_escrows (device_key, key_id, enumerator_id, escrow, district_keys, received_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (device_key, key_id) DO NOTHING",
        )
        .bind(&device.device_key)
        .bind(&upload.key_id)
        .bind(&device.enumerator_id)
        .bind(&upload.escrow)
        .bind(&keys)
        .bind(now_ms())
        .execute(&db.pool)
        .await
        .map(|_| ())
    })
    .await?;
    Ok(())
}

/// A phone asks for its data key back. Its latest request replaces any earlier one, answered
/// or not (the phone made a new one-time key).
pub async fn request(db: &Db, device: &Device, asked: &PinResetRequest) -> Result<(), EscrowError> {
    check_key_id(&asked.key_id).map_err(|e| EscrowError::Bad(e.to_string()))?;
    let one_time = Recipient::parse(&asked.one_time).map_err(|e| EscrowError::Bad(e.to_string()))?;
    if escrow_of(db, &device.device_key, &asked.key_id).await?.is_none() {
        return Err(EscrowError::NoEscrow(asked.key_id.clone()));
    }
    db.write(|| async {
        sqlx::query(
            "INSERT INTO pin_resets (device_key, key_id, enumerator_id, one_time, fingerprint, requested_at, \
             answer, answered_by, answered_at) VALUES ($1, $2, $3, $4, $5, $6, NULL, NULL, NULL) \
             ON CONFLICT (device_key) DO UPDATE SET key_id = excluded.key_id, \
             enumerator_id = excluded.enumerator_id, one_time = excluded.one_time, \
             fingerprint = excluded.fingerprint, requested_at = excluded.requested_at, \
             answer = NULL, answered_by = NULL, answered_at = NULL",
        )
        .bind(&device.device_key)
        .bind(&asked.key_id)
        .bind(&device.enumerator_id)
        .bind(one_time.encode())
        .bind(one_time.fingerprint())
        .bind(now_ms())
        .execute(&db.pool)
        .await
        .map(|_| ())
    })
    .await?;
    Ok(())
}

/// The phone's latest request and, once given, its answer.
pub async fn state(db: &Db, device_key: &str) -> Result<Option<PinReset>, EscrowError> {
    let row = sqlx::query("SELECT key_id, fingerprint, answer FROM pin_resets WHERE device_key = $1")
        .bind(device_key)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row
        .map(|row| -> Result<PinReset, sqlx::Error> {
            Ok(PinReset {
                key_id: row.try_get(0)?,
                fingerprint: row.try_get(1)?,
                answer: row.try_get(2)?,
            })
        })
        .transpose()?)
}

/// A request not answered yet, as staff see it: who asked and when, never the code (staff
/// must hear it from the enumerator).
#[derive(Clone, Debug)]
pub struct Waiting {
    pub device_key: String,
    pub enumerator_id: String,
    pub enumerator: String,
    pub requested_at: i64,
}

/// The requests waiting for an answer, oldest first.
pub async fn waiting(db: &Db) -> Result<Vec<Waiting>, EscrowError> {
    let rows = sqlx::query(
        "SELECT r.device_key, r.enumerator_id, COALESCE(e.name, ''), r.requested_at FROM pin_resets r \
         LEFT JOIN enumerators e ON e.id = r.enumerator_id WHERE r.answer IS NULL \
         ORDER BY r.requested_at, r.device_key",
    )
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(Waiting {
                device_key: row.try_get(0)?,
                enumerator_id: row.try_get(1)?,
                enumerator: row.try_get(2)?,
                requested_at: row.try_get(3)?,
            })
        })
        .collect()
}

/// Answers a phone's request: `code` is the fingerprint the enumerator read out (dashes,
/// spaces and case ignored). Opens the escrow with `district`, seals the data key to the
/// phone's one-time key alone, stores the answer and records who gave it.
pub async fn answer(
    db: &Db,
    device_key: &str,
    code: &str,
    district: &[Identity],
    by: &Actor,
) -> Result<(), EscrowError> {
    if district.is_empty() {
        return Err(EscrowError::Locked);
    }
    let row = sqlx::query(
        "SELECT key_id, enumerator_id, one_time, fingerprint FROM pin_resets WHERE device_key = $1",
    )
    .bind(device_key)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(EscrowError::NoRequest)?;
    let (key, enumerator_id, one_time, fingerprint): (String, String, String, String) =
        (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?, row.try_get(3)?);
    if !super::codes_match(code, &fingerprint) {
        return Err(EscrowError::WrongCode);
    }
    let escrow = escrow_of(db, device_key, &key)
        .await?
        .ok_or_else(|| EscrowError::NoEscrow(key.clone()))?;
    let escrow = from_text(&escrow).map_err(|e| EscrowError::Bad(e.to_string()))?;
    let one_time = Recipient::parse(&one_time).map_err(|e| EscrowError::Bad(e.to_string()))?;
    let entropy = super::entropy_for_one().map_err(|e| EscrowError::Random(e.to_string()))?;
    let sealed =
        vault_escrow::reseal_for(&escrow, district, &one_time, &entropy).map_err(EscrowError::DoesNotOpen)?;
    let answer = to_text(&sealed);
    let event = Event::new(
        Action::PinReset,
        serde_json::json!({ "petugas_id": enumerator_id, "perangkat": device_key, "kunci_data": key }),
    );
    db.write(|| async {
        let mut tx = db.pool.begin().await?;
        // Only the request staff were read out: a newer one (another one-time key) since
        // is not answered with this code.
        let done = sqlx::query(
            "UPDATE pin_resets SET answer = $1, answered_by = $2, answered_at = $3 \
             WHERE device_key = $4 AND fingerprint = $5",
        )
        .bind(&answer)
        .bind(&by.name)
        .bind(now_ms())
        .bind(device_key)
        .bind(&fingerprint)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(EscrowError::NoRequest);
        }
        audit::record_in(&mut tx, by, &event).await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// Answers a forgotten PIN asked in writing by a phone with no hub (`WrittenRequest`, which
/// carries the phone's escrow): `code` is the one-time key's fingerprint the enumerator read
/// out over the telephone. Returns the answer for staff to send back, which the phone takes
/// pasted. Nothing is stored but the audit event.
pub async fn answer_written(
    db: &Db,
    request: &str,
    code: &str,
    district: &[Identity],
    by: &Actor,
) -> Result<String, EscrowError> {
    if district.is_empty() {
        return Err(EscrowError::Locked);
    }
    let asked = WrittenRequest::parse(request).map_err(|e| EscrowError::Bad(e.to_string()))?;
    if !super::codes_match(code, &asked.one_time.fingerprint()) {
        return Err(EscrowError::WrongCode);
    }
    // A phone that was enrolled sent this escrow before: if the district revoked it (lost,
    // stolen, handed back), its key is not given back in writing either.
    let revoked: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM device_escrows e JOIN devices d ON d.device_key = e.device_key \
         WHERE e.key_id = $1 AND d.revoked_at IS NOT NULL",
    )
    .bind(&asked.key_id)
    .fetch_one(&db.pool)
    .await?;
    if revoked > 0 {
        return Err(EscrowError::Revoked);
    }
    let entropy = super::entropy_for_one().map_err(|e| EscrowError::Random(e.to_string()))?;
    let sealed = vault_escrow::answer_written(&asked, district, &entropy).map_err(|e| match e {
        VaultError::NotARequest(_) => EscrowError::Bad(e.to_string()),
        other => EscrowError::DoesNotOpen(other),
    })?;
    let event = Event::new(
        Action::PinReset,
        serde_json::json!({
            "perangkat": "tanpa hub (permintaan tertulis)",
            "kunci_data": asked.key_id,
            "untuk_kunci": asked.one_time.fingerprint(),
        }),
    );
    db.write(|| async {
        let mut tx = db.pool.begin().await?;
        audit::record_in(&mut tx, by, &event).await?;
        tx.commit().await?;
        Ok::<_, EscrowError>(())
    })
    .await?;
    Ok(to_text(&sealed))
}

async fn escrow_of(db: &Db, device_key: &str, key: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT escrow FROM device_escrows WHERE device_key = $1 AND key_id = $2")
        .bind(device_key)
        .bind(key)
        .fetch_optional(&db.pool)
        .await
}
