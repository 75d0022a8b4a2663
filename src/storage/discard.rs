//! Deleting a draft the enumerator gives up on (a family started by mistake, a visit begun
//! twice): only a draft that was never locked. A revision that was ever locked — handed in,
//! maybe already at the district — is kept for good, so a correction under way is never
//! deleted, and neither is anything that could be in a batch.

use super::error::Operation;
use super::schema::{v1, v2, v3, v5, v7};
use super::write::{write_tx, Write};
use super::{decode, read_all_raw, read_one, sealing, IdbStore, StoreError};
use indexed_db_futures::future::VoidRequest;
use indexed_db_futures::prelude::*;
use indexed_db_futures::KeyRange;
use verval_core::dataform::section_record_id;
use verval_core::form::default::DEFAULT_FORM;
use verval_core::record::RecordStatus;
use verval_core::RecordId;
use wasm_bindgen::{JsCast, JsValue};

impl IdbStore {
    /// Deletes the draft `id` with its search entry, its visit and its photos, all in one
    /// transaction. `Ok(false)` when nothing is stored under `id` (deleted already);
    /// [`StoreError::NotDeletable`] for a household locked at least once, and then nothing
    /// changes. The caller clears the draft's journal entry once this succeeds.
    ///
    /// The household's district sections (issue #25, `formulir.html#keluarga:<id>`) that are
    /// drafts never locked go with it, in the same transaction, and their journal entries
    /// after it: they answer for a family that is no longer there. A section ever locked is
    /// kept, like every locked revision.
    pub async fn delete_draft(&self, id: &RecordId) -> Result<bool, StoreError> {
        let (deleted, sections) = self
            .delete_draft_and_photos(id, household_photo_keys, true)
            .await?;
        for section in &sections {
            self.journal_clear(section);
        }
        Ok(deleted)
    }

    /// [`IdbStore::delete_draft`] for a district form's draft: its photos are the photo keys
    /// its answers hold (`verval_core::dataform::photo_answers`).
    pub async fn delete_form_draft(&self, id: &RecordId) -> Result<bool, StoreError> {
        Ok(self.delete_draft_and_photos(id, form_photo_keys, false).await?.0)
    }

    // A function pointer, not a generic: one copy of the deletion serves both forms.
    // Returns whether `id` was deleted, and which of its sections were.
    async fn delete_draft_and_photos(
        &self,
        id: &RecordId,
        photo_keys: fn(&JsValue) -> Result<Vec<String>, StoreError>,
        with_sections: bool,
    ) -> Result<(bool, Vec<RecordId>), StoreError> {
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
        // The record first, then (for a household) its sections: one pass over both, so the
        // page carries one copy of the reads.
        let mut candidates = vec![id.clone()];
        if with_sections {
            let entries = read_all_raw(&tx.object_store(v7::FORM_RECORDS).map_err(fail)?, fail).await?;
            for entry in entries {
                let section = section_record_id(id, &decode::text(&entry, "form_id"));
                if decode::text(&entry, "id") == section.as_str() {
                    candidates.push(section);
                }
            }
        }
        // The deletions are placed as each record is checked and awaited together at the end
        // (see `write_household`); a failure before commit aborts them all.
        let mut deletions = Vec::new();
        let mut sections = Vec::new();
        for (n, candidate) in candidates.into_iter().enumerate() {
            let deletable = self.never_locked(&tx, &candidate).await;
            let stored = match (n, deletable) {
                (_, Ok(Some(stored))) => stored,
                (0, Ok(None)) => return Ok((false, Vec::new())),
                (0, Err(error)) => return Err(error),
                // A section gone already, ever locked, or that does not open: kept, and the
                // household's draft is deleted all the same.
                (_, Ok(None) | Err(_)) => continue,
            };
            let keys = if n == 0 {
                photo_keys(&stored)?
            } else {
                form_photo_keys(&stored)?
            };
            delete_record(&tx, &candidate, &keys, &mut deletions)?;
            if n > 0 {
                sections.push(candidate);
            }
        }
        for deletion in deletions {
            deletion.await.map_err(fail)?;
        }
        tx.commit().await?;
        Ok((true, sections))
    }

    /// The record `id` as stored, opened, if it is a draft that was never locked: revision 1
    /// as a draft with no revision kept. `None` when nothing is stored under `id`;
    /// [`StoreError::NotDeletable`] when it was ever locked.
    async fn never_locked(&self, tx: &Write<'_>, id: &RecordId) -> Result<Option<JsValue>, StoreError> {
        let fail = tx.fail();
        let households = tx.object_store(v1::HOUSEHOLDS).map_err(fail)?;
        let Some(stored) = read_one(&households, id.as_str(), fail).await? else {
            return Ok(None);
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
        if status != RecordStatus::Draft || decode::revision(&stored) != Some(1) || kept > 0 {
            return Err(StoreError::NotDeletable);
        }
        Ok(Some(stored))
    }
}

/// Places the deletion of a record, its photos and its entries in every store, inside the
/// caller's write; the caller awaits them.
fn delete_record(
    tx: &Write<'_>,
    id: &RecordId,
    photo_keys: &[String],
    deletions: &mut Vec<VoidRequest>,
) -> Result<(), StoreError> {
    let fail = tx.fail();
    let photos = tx.object_store(v2::PHOTOS).map_err(fail)?;
    for key in photo_keys {
        deletions.push(photos.delete(key.as_str()).primitive().map_err(fail)?);
    }
    let key = id.as_str();
    for store in [
        v1::HOUSEHOLDS,
        v2::SEARCH,
        v3::PENDING,
        v5::VISITS,
        v7::FORM_RECORDS,
    ] {
        let store = tx.object_store(store).map_err(fail)?;
        deletions.push(store.delete(key).primitive().map_err(fail)?);
    }
    Ok(())
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

/// The photo keys a district form's stored record holds, in its answers and its rows: each
/// answer that is a photo key (`dataform::is_photo_key`), as `dataform::photo_answers` finds
/// them in a record. Read from the stored object itself: decoding the whole record cost the
/// household form's page 2 KB for its sections alone.
fn form_photo_keys(stored: &JsValue) -> Result<Vec<String>, StoreError> {
    let mut answers = vec![decode::field(stored, "answers")];
    let repeats = decode::field(stored, "repeats");
    if repeats.is_object() {
        for rows in js_sys::Object::values(repeats.unchecked_ref::<js_sys::Object>()).iter() {
            answers.extend(
                js_sys::Array::from(&rows)
                    .iter()
                    .map(|row| decode::field(&row, "answers")),
            );
        }
    }
    let mut keys = Vec::new();
    for answers in answers.iter().filter(|a| a.is_object()) {
        for value in js_sys::Object::values(answers.unchecked_ref::<js_sys::Object>()).iter() {
            if let Some(text) = value
                .as_string()
                .filter(|t| verval_core::dataform::is_photo_key(t))
            {
                keys.push(text);
            }
        }
    }
    Ok(keys)
}
