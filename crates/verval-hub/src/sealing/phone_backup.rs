//! A phone's backup moved to a new phone (issue #23), the one step the Segel page's form
//! (`/admin/segel/cadangan-hp`) and `verval-hub phone-backup reseal` share: the backup
//! ("Cadangkan perangkat", sealed to the district's keys) is opened in memory only, checked
//! whole, and sealed again to the new phone's one-time key alone
//! (`verval_core::vault::backup::reseal`); the move is audited by who did it, for which
//! device and key, with counts and never a name or a number.

use crate::audit::{self, Action, Actor, Event};
use crate::db::{Db, DbError};
use verval_core::seal::{Identity, Recipient};
use verval_core::vault::backup::{reseal, BackupError, Summary};

#[derive(Debug, thiserror::Error)]
pub enum MoveError {
    #[error("kunci dinas terkunci: buka dulu di halaman Segel (the district key is locked: unlock it on the Segel page first)")]
    Locked,
    #[error("kunci HP baru bukan kunci pemulihan (age1…) yang utuh: {0} (not the new phone's restore key)")]
    NotAKey(String),
    #[error("kode tidak cocok dengan kunci HP baru: minta petugas membacakan ulang kode di bawah kunci pemulihannya (the code does not match the new phone's key)")]
    WrongCode,
    #[error(transparent)]
    Backup(#[from] BackupError),
    #[error("tidak ada keacakan (no randomness): {0}")]
    Random(String),
    #[error(transparent)]
    Db(#[from] DbError),
}

/// The new phone's one-time key as staff typed it.
pub fn new_phone_key(typed: &str) -> Result<Recipient, MoveError> {
    Recipient::parse(typed.trim()).map_err(|e| MoveError::NotAKey(e.to_string()))
}

/// Checks the code the enumerator read out over the telephone against the key sent in
/// writing: a key forwarded by someone else does not match the code the enumerator's own
/// phone shows.
pub fn check_code(key: &Recipient, code: &str) -> Result<(), MoveError> {
    if super::codes_match(code, &key.fingerprint()) {
        Ok(())
    } else {
        Err(MoveError::WrongCode)
    }
}

/// The backup `sealed` opened with `district` and sealed to `to` alone, and what it holds.
/// CPU work on a file from outside: the pages run it off the async workers.
pub fn reseal_for(
    sealed: &[u8],
    district: &[Identity],
    to: &Recipient,
) -> Result<(Vec<u8>, Summary), MoveError> {
    if district.is_empty() {
        return Err(MoveError::Locked);
    }
    let entropy = super::entropy_for_one().map_err(|e| MoveError::Random(e.to_string()))?;
    Ok(reseal(sealed, district, to, &entropy)?)
}

/// Records that `by` moved the backup `summary` describes to the key `to`.
pub async fn audit_move(db: &Db, by: &Actor, summary: &Summary, to: &Recipient) -> Result<(), MoveError> {
    let event = Event::new(
        Action::PhoneBackupMoved,
        serde_json::json!({
            "perangkat": summary.device_id,
            "dibuat": summary.made_at.0,
            "keluarga": summary.households,
            "draf": summary.drafts,
            "foto": summary.photos,
            "untuk_kunci": to.fingerprint(),
        }),
    );
    audit::record(db, by, &event).await?;
    Ok(())
}
