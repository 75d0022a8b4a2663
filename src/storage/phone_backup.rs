//! The phone's backup, on the phone (issue #23): what "Cadangkan perangkat" puts in the file
//! (`verval_core::vault::backup`) — every household, drafts included, the revisions the
//! phone keeps and the photos the households name, opened from their sealing — and what
//! "Pulihkan" writes back from one. Restoring follows the core's rules household by
//! household (`vault::backup::plan`): nothing newer on the phone is overwritten, and
//! restoring again writes nothing. Photos first, then kept revisions, then households, each
//! in its own transaction: a restore cut off by a killed tab is taken up again by restoring
//! the same file, and every household it wrote already has its photos.

use super::error::Operation;
use super::{read_all_raw, sealing, IdbStore, StoreError};
use indexed_db_futures::prelude::*;
use verval_core::form::default::DEFAULT_FORM;
use verval_core::record::{HouseholdRecord, RecordStatus, Timestamp};
use verval_core::store::HouseholdStore;
use verval_core::vault::backup::{plan, BackupPhoto, PhoneBackup, RestorePlan};
use wasm_bindgen::JsValue;

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
        for record in households.iter().chain(&revisions) {
            for key in DEFAULT_FORM.photo_keys(&record.answers) {
                if photos.iter().any(|p| p.key == key) {
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
        Ok(PhoneBackup::new(now, device_id, households, revisions, photos))
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
        let mut on_phone = Vec::new();
        for household in &backup.households {
            on_phone.push(self.get(&household.id).await?);
        }
        let restore = plan(backup, |id| {
            on_phone.iter().flatten().find(|h| &h.id == id).cloned()
        });
        for household in &restore.write {
            let phone = on_phone.iter().flatten().find(|h| h.id == household.id);
            // The phone's finalized revision, replaced by a later one, is kept first (as the
            // editor keeps it before a correction).
            if let Some(phone) =
                phone.filter(|p| p.status == RecordStatus::Final && p.revision < household.revision)
            {
                self.keep_revision(phone).await?;
            }
            self.put(household).await?;
        }
        Ok(restore)
    }
}
