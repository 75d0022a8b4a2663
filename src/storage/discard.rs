//! Deleting a draft the enumerator gives up on (a family started by mistake, a visit begun
//! twice): only a draft that was never locked. A revision that was ever locked — handed in,
//! maybe already at the district — is kept for good, so a correction under way is never
//! deleted, and neither is anything that could be in a batch.

use super::error::Operation;
use super::schema::{v1, v2, v3, v5, v7};
use super::write::write_tx;
use super::{decode, read_one, sealing, IdbStore, StoreError};
use indexed_db_futures::prelude::*;
use indexed_db_futures::KeyRange;
use verval_core::form::default::DEFAULT_FORM;
use verval_core::record::{HouseholdRecord, RecordStatus};
use verval_core::RecordId;
use wasm_bindgen::JsValue;

impl IdbStore {
    /// Deletes the draft `id` with its search entry, its visit and its photos, all in one
    /// transaction. `Ok(false)` when nothing is stored under `id` (deleted already);
    /// [`StoreError::NotDeletable`] for a household locked at least once, and then nothing
    /// changes. The caller clears the draft's journal entry once this succeeds.
    pub async fn delete_draft(&self, id: &RecordId) -> Result<bool, StoreError> {
        self.delete_draft_and_photos(id, household_photo_keys).await
    }

    /// [`IdbStore::delete_draft`] for a district form's draft: its photos are the photo keys
    /// its answers hold (`verval_core::dataform::photo_answers`).
    pub async fn delete_form_draft(&self, id: &RecordId) -> Result<bool, StoreError> {
        self.delete_draft_and_photos(id, form_photo_keys).await
    }

    // A function pointer, not a generic: one copy of the deletion serves both forms.
    async fn delete_draft_and_photos(
        &self,
        id: &RecordId,
        photo_keys: fn(&JsValue) -> Result<Vec<String>, StoreError>,
    ) -> Result<bool, StoreError> {
        let tx = write_tx(
            &self.db,
            [
                v1::HOUSEHOLDS,
                v2::SEARCH,
                v2::REVISIONS,
                v2::PHOTOS,
                v3::PENDING,
                v5::VISITS,
                v7::FORM_RECORDS,
            ],
            Operation::Delete,
        )?;
        let fail = tx.fail();
        let households = tx.object_store(v1::HOUSEHOLDS).map_err(fail)?;
        let Some(stored) = read_one(&households, id.as_str(), fail).await? else {
            return Ok(false);
        };
        let stored = self.opened(&sealing::HOUSEHOLDS, stored)?;
        let (_, status, _) = decode::identity(&stored)?;
        let kept = tx
            .object_store(v2::REVISIONS)
            .map_err(fail)?
            .count()
            .with_query(KeyRange::Bound(
                (id.as_str().to_owned(), 0u32),
                false,
                (id.as_str().to_owned(), u32::MAX),
                false,
            ))
            .serde()
            .map_err(fail)?
            .await
            .map_err(fail)?;
        // Revision 1 as a draft, with no revision kept: never locked.
        if status != RecordStatus::Draft || decode::revision(&stored) != Some(1) || kept > 0 {
            return Err(StoreError::NotDeletable);
        }
        let photos = tx.object_store(v2::PHOTOS).map_err(fail)?;
        // Every request placed before the first is awaited (see `write_household`).
        let mut deletions = Vec::new();
        for key in photo_keys(&stored)? {
            deletions.push(photos.delete(key).primitive().map_err(fail)?);
        }
        let key = id.as_str();
        deletions.push(households.delete(key).primitive().map_err(fail)?);
        for store in [v2::SEARCH, v3::PENDING, v5::VISITS, v7::FORM_RECORDS] {
            let store = tx.object_store(store).map_err(fail)?;
            deletions.push(store.delete(key).primitive().map_err(fail)?);
        }
        for deletion in deletions {
            deletion.await.map_err(fail)?;
        }
        tx.commit().await?;
        Ok(true)
    }
}

/// The household form's photo and drawing answers of a stored record.
fn household_photo_keys(stored: &JsValue) -> Result<Vec<String>, StoreError> {
    let answers = decode::field(stored, "answers");
    Ok(DEFAULT_FORM
        .photo_questions()
        .map(|question| decode::text(&answers, question.id.as_str()))
        .filter(|key| !key.is_empty())
        .collect())
}

/// The photo keys a district form's stored record holds, in its answers and its rows.
fn form_photo_keys(stored: &JsValue) -> Result<Vec<String>, StoreError> {
    let record: HouseholdRecord = sealing::record_of(stored.clone())?;
    Ok(verval_core::dataform::record_photo_keys(&record)
        .into_iter()
        .map(str::to_owned)
        .collect())
}
