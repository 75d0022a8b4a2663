//! "Cadangkan perangkat": the whole phone — every household, drafts included, the revisions
//! it keeps, and the photos and signatures — as one file sealed with age to the district's
//! recipients (issue #23). Only the district opens it; to move it onto a new phone, the
//! district's hub or laptop opens it and seals the same content again to the new phone's
//! one-time key alone ([`reseal`]). What is inside never travels in the clear.
//!
//! The content is one JSON document (photos in base64): small next to the photos, read
//! whole by the phone that restores it, and checked here before anything uses it — format,
//! unique ids, revisions of households it holds, photo keys and types — so a damaged or
//! foreign file is refused with its reason and nothing on the phone is touched.

use super::restore::{choose, Choice};
use crate::aid::meeting_book::MeetingBook;
use crate::record::{HouseholdRecord, Timestamp};
use crate::seal::base64::{decode, encode, Alphabet::Standard};
use crate::seal::{self, Identity, Recipient};
use crate::RecordId;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// What the document says it is. A later format gets another name; this reader refuses it.
pub const FORMAT: &str = "verval-cadangan/1";

/// The largest backup taken, sealed or open: a phone's households with their photos (a
/// village of 300 families with two photos each is ~100 MB).
pub const MAX_BYTES: usize = 512 << 20;

/// The image types a photo may have (what the form's camera and signature pad store).
const PHOTO_TYPES: [&str; 2] = ["image/jpeg", "image/png"];

/// The whole phone, as a backup holds it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhoneBackup {
    /// [`FORMAT`].
    pub format: String,
    /// When the phone made it.
    pub made_at: Timestamp,
    /// The device id of the phone it came from (`storage::exports`' device id).
    pub device_id: String,
    /// Every household as the phone holds it now, drafts included.
    pub households: Vec<HouseholdRecord>,
    /// The finalized revisions the phone keeps from before a correction.
    #[serde(default)]
    pub revisions: Vec<HouseholdRecord>,
    /// Photos and signatures, by the key the households' answers hold.
    #[serde(default)]
    pub photos: Vec<BackupPhoto>,
    /// The phone's village meetings (`aid::meeting_book::MeetingBook` as JSON, as the phone
    /// keeps it: the export worker that makes and restores backups carries no reader of
    /// it); empty when the phone kept none.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub meetings: String,
}

/// One photo or signature.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackupPhoto {
    /// `foto-<uuid>`, as the household's answer holds it.
    pub key: String,
    /// `image/jpeg` or `image/png`.
    #[serde(rename = "type")]
    pub mime: String,
    #[serde(with = "base64_bytes")]
    pub bytes: Vec<u8>,
}

mod base64_bytes {
    use super::{decode, encode, Standard};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], out: S) -> Result<S::Ok, S::Error> {
        out.serialize_str(&encode(bytes, Standard))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(input: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(input)?;
        decode(&text, Standard).ok_or_else(|| serde::de::Error::custom("not base64"))
    }
}

/// Why a backup cannot be made, opened or used. Nothing on the phone changes with any of
/// these.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("berkas cadangan terlalu besar: {0} bita, paling besar {MAX_BYTES} (the backup file is too large: {0} bytes, at most {MAX_BYTES})")]
    TooLarge(usize),
    #[error("berkas ini bukan cadangan Verval yang dapat dibuka dengan kunci ini (this is not a Verval backup this key opens): {0}")]
    Sealed(#[from] seal::SealError),
    #[error("isi cadangan tidak terbaca (the backup's content cannot be read): {0}")]
    NotABackup(String),
    #[error("cadangan format {0:?}, aplikasi ini membaca {FORMAT:?} (a backup of format {0:?}; this app reads {FORMAT:?})")]
    Format(String),
    #[error("cadangan rusak (the backup is damaged): {0}")]
    Damaged(String),
}

impl PhoneBackup {
    /// A backup of these households, revisions and photos, made now.
    pub fn new(
        made_at: Timestamp,
        device_id: &str,
        households: Vec<HouseholdRecord>,
        revisions: Vec<HouseholdRecord>,
        photos: Vec<BackupPhoto>,
    ) -> PhoneBackup {
        PhoneBackup {
            format: FORMAT.to_owned(),
            made_at,
            device_id: device_id.to_owned(),
            households,
            revisions,
            photos,
            meetings: String::new(),
        }
    }

    /// The phone's meetings in it, read ([`PhoneBackup::meetings`]).
    pub fn meeting_book(&self) -> Result<MeetingBook, BackupError> {
        match self.meetings.is_empty() {
            true => Ok(MeetingBook::default()),
            false => serde_json::from_str(&self.meetings)
                .map_err(|e| BackupError::Damaged(format!("musyawarah desa (village meetings): {e}"))),
        }
    }

    /// The file's name: the device's first eight characters and the time, UTC.
    pub fn file_name(&self) -> String {
        let device: String = self
            .device_id
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(8)
            .collect();
        let ms = self.made_at.0;
        let day = crate::date::Date::from_days_since_epoch(ms.div_euclid(86_400_000));
        let minutes = ms.rem_euclid(86_400_000) / 60_000;
        format!(
            "verval-cadangan-{device}-{:04}{:02}{:02}-{:02}{:02}.age",
            day.year,
            day.month,
            day.day,
            minutes / 60,
            minutes % 60
        )
    }

    /// Everything a backup must be before anything uses it. [`read`] checks what it reads;
    /// a caller that reads the content another way (the phone, with the browser's JSON)
    /// calls this itself.
    pub fn check(&self) -> Result<(), BackupError> {
        let damaged = |why: String| Err(BackupError::Damaged(why));
        if self.format != FORMAT {
            return Err(BackupError::Format(self.format.clone()));
        }
        let mut ids = BTreeSet::new();
        for household in &self.households {
            household
                .check_restored()
                .map_err(|e| BackupError::Damaged(format!("{}: {e}", household.id)))?;
            if !ids.insert(&household.id) {
                return damaged(format!("household {} twice", household.id));
            }
        }
        let mut kept = BTreeSet::new();
        for revision in &self.revisions {
            if !ids.contains(&revision.id) {
                return damaged(format!(
                    "a revision of {}, which the backup does not hold",
                    revision.id
                ));
            }
            if !kept.insert((&revision.id, revision.revision)) {
                return damaged(format!("revision {} of {} twice", revision.revision, revision.id));
            }
        }
        let mut keys = BTreeSet::new();
        for photo in &self.photos {
            let uuid = photo.key.strip_prefix("foto-").unwrap_or_default();
            if RecordId::parse(uuid).map_or(true, |id| id.as_str() != uuid) {
                return damaged(format!("a photo named {:?}", photo.key));
            }
            if !PHOTO_TYPES.contains(&photo.mime.as_str()) {
                return damaged(format!("photo {} of type {:?}", photo.key, photo.mime));
            }
            if !keys.insert(&photo.key) {
                return damaged(format!("photo {} twice", photo.key));
            }
        }
        Ok(())
    }
}

/// Reads a backup's open content, checked whole ([`PhoneBackup`]'s rules).
pub fn read(content: &[u8]) -> Result<PhoneBackup, BackupError> {
    if content.len() > MAX_BYTES {
        return Err(BackupError::TooLarge(content.len()));
    }
    let backup: PhoneBackup =
        serde_json::from_slice(content).map_err(|e| BackupError::NotABackup(e.to_string()))?;
    backup.check()?;
    // The phone checks the meetings where it reads them (the campaign page).
    backup.meeting_book()?;
    Ok(backup)
}

/// The backup sealed to `recipients` (the district's keys; age, the standard tool opens it).
/// `entropy`: [`seal::entropy_len`] random bytes for that many recipients.
pub fn seal_backup(
    backup: &PhoneBackup,
    recipients: &[Recipient],
    entropy: &[u8],
) -> Result<Vec<u8>, BackupError> {
    backup.check()?;
    let content = serde_json::to_vec(backup).map_err(|e| BackupError::NotABackup(e.to_string()))?;
    seal_content(&content, recipients, entropy)
}

/// A backup's content, written as JSON by the caller (the phone writes it with the
/// browser's `JSON.stringify`, whose code it does not download), sealed as
/// [`seal_backup`] seals it.
pub fn seal_content(
    content: &[u8],
    recipients: &[Recipient],
    entropy: &[u8],
) -> Result<Vec<u8>, BackupError> {
    if content.len() > MAX_BYTES {
        return Err(BackupError::TooLarge(content.len()));
    }
    Ok(seal::seal(content, recipients, entropy)?)
}

/// Opens a sealed backup with `identities` and checks it.
pub fn open_backup(sealed: &[u8], identities: &[Identity]) -> Result<PhoneBackup, BackupError> {
    read(&open_content(sealed, identities)?)
}

/// A sealed backup's content, opened but not read: the caller reads it and then
/// [`PhoneBackup::check`]s it.
pub fn open_content(sealed: &[u8], identities: &[Identity]) -> Result<Vec<u8>, BackupError> {
    if sealed.len() > MAX_BYTES {
        return Err(BackupError::TooLarge(sealed.len()));
    }
    Ok(seal::open(sealed, identities)?)
}

/// The district's side of moving a backup to a new phone: opens it with the district's
/// keys, checks it is a whole backup, and seals the same content to the new phone's
/// one-time key alone. `entropy`: [`seal::entropy_len`]`(1)` bytes. Returns the answer
/// and the backup's summary for the one who did it (how many households, from which
/// device).
pub fn reseal(
    sealed: &[u8],
    district: &[Identity],
    new_phone: &Recipient,
    entropy: &[u8],
) -> Result<(Vec<u8>, Summary), BackupError> {
    let content = open_content(sealed, district)?;
    let backup = read(&content)?;
    let answer = seal::seal(&content, std::slice::from_ref(new_phone), entropy)?;
    Ok((answer, Summary::of(&backup)))
}

/// What a backup holds, for the people who move it (no name, no number).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    pub device_id: String,
    pub made_at: Timestamp,
    pub households: usize,
    pub drafts: usize,
    pub photos: usize,
}

impl Summary {
    pub fn of(backup: &PhoneBackup) -> Summary {
        Summary {
            device_id: backup.device_id.clone(),
            made_at: backup.made_at,
            households: backup.households.len(),
            drafts: backup
                .households
                .iter()
                .filter(|h| h.status != crate::record::RecordStatus::Final)
                .count(),
            photos: backup.photos.len(),
        }
    }
}

/// What restoring a backup onto a phone does, household by household ([`choose`]): added,
/// replacing an older one, or left out for the phone's own as new or newer.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RestorePlan {
    /// Households to write: new on this phone, or newer than the phone's.
    pub write: Vec<HouseholdRecord>,
    pub added: usize,
    pub replaced: usize,
    /// The phone's own were as new or newer.
    pub kept: usize,
}

/// Plans the restore of `backup` onto a phone whose household of an id is `phone(id)`.
/// Restoring the same backup twice writes nothing the second time; a phone's newer
/// household is never overwritten.
pub fn plan(backup: &PhoneBackup, phone: impl Fn(&RecordId) -> Option<HouseholdRecord>) -> RestorePlan {
    let mut out = RestorePlan::default();
    for household in &backup.households {
        match choose(phone(&household.id).as_ref(), household) {
            Choice::Add => out.added += 1,
            Choice::Replace => out.replaced += 1,
            Choice::Keep => {
                out.kept += 1;
                continue;
            }
        }
        out.write.push(household.clone());
    }
    out
}
