//! The phone's backup, on the phone (issue #23): what "Cadangkan perangkat" puts in the file
//! (`verval_core::vault::backup`) — every household, drafts included, the revisions the
//! phone keeps and the photos the households name, opened from their sealing — and what
//! "Pulihkan" writes back from one. Restoring follows the core's rules household by
//! household (`vault::backup::plan`): nothing newer on the phone is overwritten, and
//! restoring again writes nothing. Photos first, then kept revisions, then households, each
//! in its own transaction: a restore cut off by a killed tab is taken up again by restoring
//! the same file, and every household it wrote already has its photos. The village
//! meetings go last, kept for the campaign page to take into the phone's book.

use super::error::Operation;
use super::schema::{v1, v3};
use super::{read_all_raw, sealing, IdbStore, StoreError};
use indexed_db_futures::cursor::CursorDirection;
use indexed_db_futures::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use verval_core::record::{HouseholdRecord, RecordStatus, Timestamp};
use verval_core::seal::Identity;
use verval_core::store::HouseholdStore;
use verval_core::vault::backup::{plan, BackupPhoto, PhoneBackup, RestorePlan};
use verval_core::vault::envelope::Place;
use verval_core::vault::reminder::{backup_state, BackupState, Changes};
use verval_core::vault::Zeroizing;
use wasm_bindgen::{JsCast, JsValue};

impl IdbStore {
    /// Every value of a household store (`HOUSEHOLDS` or `REVISIONS`), opened as records.
    async fn every_record(&self, layout: &sealing::Layout) -> Result<Vec<HouseholdRecord>, StoreError> {
        let fail = |e| StoreError::from_idb(Operation::Read, e);
        let stored: Vec<JsValue> = {
            let tx = self.db.transaction(layout.store).build().map_err(fail)?;
            read_all_raw(&tx.object_store(layout.store).map_err(fail)?, fail).await?
        };
        stored
            .into_iter()
            .map(|s| {
                let record: HouseholdRecord = sealing::record_of(self.opened(layout, s)?)?;
                Ok(record.into_current()?)
            })
            .collect()
    }

    /// The whole phone as a backup holds it, made at `now` on the device `device_id`.
    pub async fn phone_backup(&self, device_id: &str, now: Timestamp) -> Result<PhoneBackup, StoreError> {
        let households = self.every_record(&sealing::HOUSEHOLDS).await?;
        let revisions = self.every_record(&sealing::REVISIONS).await?;
        let mut photos: Vec<BackupPhoto> = Vec::new();
        let mut taken = BTreeSet::new();
        for record in households.iter().chain(&revisions) {
            for key in verval_core::dataform::record_photo_keys(record) {
                if !taken.insert(key) {
                    continue;
                }
                // A photo the record names but the phone lost is left out, as a batch does.
                if let Some(blob) = self.photo(key).await? {
                    photos.push(BackupPhoto {
                        key: key.to_owned(),
                        mime: blob.type_(),
                        bytes: sealing::blob_bytes(&blob, Operation::Read).await?,
                    });
                }
            }
        }
        let mut backup = PhoneBackup::new(now, device_id, households, revisions, photos);
        backup.meetings = self.meeting_book_json().await?.unwrap_or_default();
        Ok(backup)
    }

    /// Restores a backup already opened and checked (`vault::backup::open_backup`) onto
    /// this phone, and says what it did.
    pub async fn restore_backup(&self, backup: &PhoneBackup) -> Result<RestorePlan, StoreError> {
        for photo in &backup.photos {
            // A photo key is a fresh UUID: one the phone has is the same photo.
            if self.photo(&photo.key).await?.is_none() {
                let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(photo.bytes.as_slice()));
                let options = web_sys::BlobPropertyBag::new();
                options.set_type(&photo.mime);
                let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
                    .map_err(|_| StoreError::Unreadable(format!("photo {}", photo.key)))?;
                self.put_photo(&photo.key, &blob).await?;
            }
        }
        for revision in &backup.revisions {
            // Kept revisions are never replaced: keeping one twice changes nothing.
            self.keep_revision(revision).await?;
        }
        // The phone's households the backup holds too, by id: a backup of 10,000 looked up
        // by a scan each would be 10^8 comparisons.
        let mut on_phone = BTreeMap::new();
        for household in &backup.households {
            if let Some(found) = self.get(&household.id).await? {
                on_phone.insert(found.id.clone(), found);
            }
        }
        let restore = plan(backup, |id| on_phone.get(id).cloned());
        for household in &restore.write {
            let phone = on_phone.get(&household.id);
            // The phone's finalized revision, replaced by a later one, is kept first (as the
            // editor keeps it before a correction).
            if let Some(phone) =
                phone.filter(|p| p.status == RecordStatus::Final && p.revision < household.revision)
            {
                self.keep_revision(phone).await?;
            }
            self.put(household).await?;
        }
        if !backup.meetings.is_empty() {
            self.keep_restored_meetings(&backup.meetings).await?;
        }
        Ok(restore)
    }
}

/// In the meta store: the last backup made on this phone, its facts and its sealed file
/// (`{ …BackupInfo, file: Blob }`), until the next one replaces it.
const KEPT_BACKUP: &str = "phone_backup";
/// In the meta store: the one-time key a restore waits with (an age identity), until the
/// restore finished. With the district's answer beside it, it opens every household of the
/// old phone: on a phone with a PIN its secret half is sealed (a key made before the PIN is
/// sealed by the first unlock's `seal_plain`).
const RESTORE_KEY: &str = "restore_key";
/// In the meta store: the district's answer the enumerator chose, for the worker to
/// restore from (kept until restored: a killed tab restores it again, which is harmless).
const RESTORE_FILE: &str = "restore_file";

/// The last backup made on this phone, as the export page shows it.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BackupInfo {
    pub file_name: String,
    pub made_at: Timestamp,
    pub households: u32,
    pub drafts: u32,
    pub photos: u32,
}

const FILE: &str = "file";

/// The waiting one-time key, with its public half written out for the page. With its secret
/// half the district's answer opens: on a phone with a PIN it is sealed like a household.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
struct RestoreKey {
    /// `AGE-SECRET-KEY-1…`, on a phone without a PIN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    identity: Option<String>,
    /// The same, sealed under the data key for [`RESTORE_KEY_PLACE`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sealed: Option<Vec<u8>>,
    /// `age1…`.
    recipient: String,
    /// Its fingerprint, the code the enumerator reads out to the district over the telephone
    /// (the district checks the key it received in writing against it). Written where the
    /// key is made, in the export worker, so the page carries no hash for it; a key kept by
    /// an older version has none until "Siapkan kunci pemulihan" fills it in.
    #[serde(default)]
    code: String,
}

const RESTORE_KEY_PLACE: Place = Place {
    store: v3::META,
    key: RESTORE_KEY,
};

impl IdbStore {
    /// `made` as the meta store keeps it: sealed on a phone with a PIN.
    fn restore_key_of(&self, made: &Identity) -> Result<RestoreKey, StoreError> {
        let secret = Zeroizing::new(made.encode());
        let sealed = self.seal_bytes(RESTORE_KEY_PLACE, secret.as_bytes())?;
        Ok(RestoreKey {
            identity: sealed.is_none().then(|| secret.to_string()),
            sealed,
            recipient: made.recipient().encode(),
            code: made.recipient().fingerprint(),
        })
    }

    /// Seals a one-time key made before the phone had a PIN (see `sealing::migration`): the
    /// key is sealed before the meta transaction opens, written only if still plain. Returns
    /// whether it sealed one.
    pub(super) async fn seal_plain_restore_key(&self) -> Result<bool, StoreError> {
        // Read and written by field name, as `RestoreKey`'s serde form has them: every page
        // runs this, and none carries that type's reader and writer (nor the curve arithmetic
        // parsing the key would take). A key an older version made has no code: only the
        // fields there are kept.
        self.seal_plain_text(RESTORE_KEY_PLACE, "identity", &["recipient", "code"])
            .await
    }

    fn restore_key_opened(&self, kept: &RestoreKey) -> Result<Identity, StoreError> {
        let unreadable = |why: String| StoreError::Unreadable(format!("{RESTORE_KEY}: {why}"));
        let secret = match (&kept.sealed, &kept.identity) {
            (Some(sealed), _) => {
                let bytes = self.open_bytes(RESTORE_KEY_PLACE, sealed)?;
                Zeroizing::new(
                    String::from_utf8(bytes.to_vec()).map_err(|_| unreadable("not text".to_owned()))?,
                )
            }
            (None, Some(plain)) => Zeroizing::new(plain.clone()),
            (None, None) => return Err(unreadable("no key".to_owned())),
        };
        Identity::parse(&secret).map_err(|e| unreadable(e.to_string()))
    }
}

impl IdbStore {
    /// Keeps a sealed backup just made (replacing the one before) for the page to hand over.
    pub async fn keep_phone_backup(&self, info: &BackupInfo, file: &web_sys::Blob) -> Result<(), StoreError> {
        let value = serde_wasm_bindgen::to_value(info).map_err(|e| StoreError::Unreadable(e.to_string()))?;
        js_sys::Reflect::set(&value, &FILE.into(), file)
            .map_err(|e| StoreError::Unreadable(format!("{e:?}")))?;
        self.meta_change_raw(KEPT_BACKUP, |_| Ok((Some(value), ()))).await
    }

    /// The last backup made here and its file, if there is one.
    pub async fn kept_phone_backup(&self) -> Result<Option<(BackupInfo, web_sys::Blob)>, StoreError> {
        let Some(kept) = self.meta_raw(KEPT_BACKUP).await? else {
            return Ok(None);
        };
        let info: BackupInfo = serde_wasm_bindgen::from_value(kept.clone())
            .map_err(|e| StoreError::Unreadable(e.to_string()))?;
        let file = super::decode::field(&kept, FILE)
            .dyn_into::<web_sys::Blob>()
            .map_err(|_| StoreError::Unreadable(format!("{KEPT_BACKUP}: no file")))?;
        Ok(Some((info, file)))
    }

    /// What the household list says of the phone's backup: the last one kept here against
    /// when the stored households changed, by the `by_updated` index (the first and the last
    /// household; neither is opened).
    pub async fn backup_state(&self, now: Timestamp) -> Result<BackupState, StoreError> {
        // Only its time, read directly: the list page carries no backup reader.
        let last = self.meta_raw(KEPT_BACKUP).await?.and_then(|kept| {
            let at = super::decode::field(&kept, "made_at").as_f64()?;
            Some(Timestamp(at as i64))
        });
        let changes = match (
            self.changed_at(CursorDirection::Next).await?,
            self.changed_at(CursorDirection::Prev).await?,
        ) {
            (Some(oldest), Some(newest)) => Some(Changes { oldest, newest }),
            _ => None,
        };
        Ok(backup_state(last, changes, now))
    }

    /// The `updated_at` of the household first in `direction` by the `by_updated` index.
    async fn changed_at(&self, direction: CursorDirection) -> Result<Option<Timestamp>, StoreError> {
        let fail = |e| StoreError::from_idb(Operation::Read, e);
        let tx = self.db.transaction(v1::HOUSEHOLDS).build().map_err(fail)?;
        let store = tx.object_store(v1::HOUSEHOLDS).map_err(fail)?;
        let index = store.index(v1::BY_UPDATED).map_err(fail)?;
        // A value cursor, as the list's own read (`recent`): `updated_at` is plain in a sealed
        // household too, and the page carries no second kind of cursor.
        let Some(mut cursor) = index
            .open_cursor()
            .with_direction(direction)
            .await
            .map_err(fail)?
        else {
            return Ok(None);
        };
        let first: Option<JsValue> = cursor.next_record().await.map_err(fail)?;
        let at = first.and_then(|stored| super::decode::field(&stored, "updated_at").as_f64());
        Ok(at.map(|ms| Timestamp(ms as i64)))
    }

    /// The one-time key this phone restores with: the one already waiting, or `fresh`'s.
    pub async fn restore_identity(&self, fresh: [u8; 32]) -> Result<Identity, StoreError> {
        // Sealed before the meta transaction opens (see `sealing::migration`).
        let made = self.restore_key_of(&Identity::from_random(fresh))?;
        let kept = self
            .meta_change::<RestoreKey, RestoreKey>(RESTORE_KEY, |found| match found {
                Some(mut kept) if kept.code.is_empty() => {
                    kept.code = verval_core::seal::fingerprint_of(&kept.recipient);
                    (Some(kept.clone()), kept)
                }
                Some(kept) => (None, kept),
                None => (Some(made.clone()), made),
            })
            .await?;
        self.restore_key_opened(&kept)
    }

    /// The one-time key a restore waits with, if one does.
    pub async fn waiting_restore_identity(&self) -> Result<Option<Identity>, StoreError> {
        self.meta_get::<RestoreKey>(RESTORE_KEY)
            .await?
            .map(|kept| self.restore_key_opened(&kept))
            .transpose()
    }

    /// The public half of the waiting one-time key (`age1…`) and its code, for the page to
    /// show: read as text, so the page carries no curve arithmetic and no hash. The code is
    /// empty for a key an older version made.
    pub async fn restore_recipient(&self) -> Result<Option<(String, String)>, StoreError> {
        Ok(self.meta_raw(RESTORE_KEY).await?.and_then(|kept| {
            let recipient = super::decode::text(&kept, "recipient");
            (!recipient.is_empty()).then(|| (recipient, super::decode::text(&kept, "code")))
        }))
    }

    /// Keeps the district's answer the enumerator chose, for the worker.
    pub async fn put_restore_file(&self, file: &web_sys::Blob) -> Result<(), StoreError> {
        let value: JsValue = file.clone().into();
        self.meta_change_raw(RESTORE_FILE, |_| Ok((Some(value), ())))
            .await
    }

    /// The district's answer waiting to be restored.
    pub async fn restore_file(&self) -> Result<Option<web_sys::Blob>, StoreError> {
        Ok(self
            .meta_raw(RESTORE_FILE)
            .await?
            .and_then(|v| v.dyn_into::<web_sys::Blob>().ok()))
    }

    /// A restore done: its answer and one-time key are let go.
    pub async fn finish_restore(&self) -> Result<(), StoreError> {
        self.meta_put::<()>(RESTORE_FILE, None).await?;
        self.meta_put::<()>(RESTORE_KEY, None).await
    }
}
