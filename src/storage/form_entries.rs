//! The entries of district forms' records (issue #25). Those records live in the households'
//! store beside the households (so saving, revisions, the journal, batches and sync carry
//! them unchanged), and each has a search entry like a household's; this store, written in
//! the same transaction as the record, is what lets a count of households leave them out
//! without opening a record: the households' count less this store's. Records stored before
//! schema version 7 get theirs from `IdbStore::complete_search_entries`.

use super::error::Operation;
use super::schema::{v1, v2, v3, v7};
use super::search::status_range;
use super::{decode, read_all_raw, read_one, IdbStore, StoreError};
use indexed_db_futures::prelude::*;
use verval_core::record::{HouseholdRecord, RecordStatus, Timestamp};
use verval_core::RecordId;
use wasm_bindgen::JsValue;

/// The meta store's mark that every district form record stored before schema version 7
/// has its entry: set once, by the first `IdbStore::complete_search_entries` that could read
/// every record.
pub(super) const COMPLETED: &str = "form_entries_completed";

/// A district form record's entry. Plain: no answer is in it.
pub(super) struct FormEntry {
    id: RecordId,
    status: RecordStatus,
    updated_at: Timestamp,
    form_id: String,
}

impl FormEntry {
    /// The entry of a record, `None` for a household.
    pub(super) fn of(record: &HouseholdRecord) -> Option<FormEntry> {
        (!record.is_household_form()).then(|| FormEntry {
            id: record.id.clone(),
            status: record.status,
            updated_at: record.updated_at,
            form_id: record.form_id.clone(),
        })
    }

    /// The entry of a stored (opened) record, `None` for a household.
    pub(super) fn of_stored(stored: &JsValue) -> Result<Option<FormEntry>, StoreError> {
        if decode::is_household(stored) {
            return Ok(None);
        }
        let (id, status, updated_at) = decode::identity(stored)?;
        Ok(Some(FormEntry {
            id,
            status,
            updated_at,
            form_id: decode::text(stored, "form_id"),
        }))
    }

    /// As the store keeps it. Built field by field, not through serde: this is written by
    /// every page that saves, the list page too, where serde's writer costs start-up bytes.
    pub(super) fn stored(&self) -> JsValue {
        let object = js_sys::Object::new();
        let fields: [(&str, JsValue); 4] = [
            ("id", self.id.as_str().into()),
            ("status", self.status.tag().into()),
            ("updated_at", (self.updated_at.0 as f64).into()),
            ("form_id", self.form_id.as_str().into()),
        ];
        for (name, value) in fields {
            let _ = js_sys::Reflect::set(&object, &name.into(), &value);
        }
        object.into()
    }
}

impl IdbStore {
    /// How many households the phone holds (district form records left out).
    pub(super) async fn household_count(&self) -> Result<u32, StoreError> {
        let fail = |e| StoreError::from_idb(Operation::Count, e);
        let tx = self
            .db
            .transaction([v1::HOUSEHOLDS, v7::FORM_RECORDS])
            .build()
            .map_err(fail)?;
        let all = tx
            .object_store(v1::HOUSEHOLDS)
            .map_err(fail)?
            .count()
            .await
            .map_err(fail)?;
        let forms = tx
            .object_store(v7::FORM_RECORDS)
            .map_err(fail)?
            .count()
            .await
            .map_err(fail)?;
        Ok(all.saturating_sub(forms))
    }

    /// How many records of one status: households (from the search store's status index,
    /// less the district form records), and district form records.
    pub async fn counts_with_status(&self, status: RecordStatus) -> Result<(u32, u32), StoreError> {
        let fail = |e| StoreError::from_idb(Operation::Count, e);
        let tx = self
            .db
            .transaction([v2::SEARCH, v7::FORM_RECORDS])
            .build()
            .map_err(fail)?;
        // The same status range counted in each store's status index.
        let mut counts = [0; 2];
        for (count, (store, index)) in counts
            .iter_mut()
            .zip([(v2::SEARCH, v2::BY_STATUS), (v7::FORM_RECORDS, v7::BY_STATUS)])
        {
            *count = tx
                .object_store(store)
                .map_err(fail)?
                .index(index)
                .map_err(fail)?
                .count()
                .with_query(status_range(status))
                .serde()
                .map_err(fail)?
                .await
                .map_err(fail)?;
        }
        let [all, forms] = counts;
        Ok((all.saturating_sub(forms), forms))
    }

    /// How many of the records waiting for a batch are district form records. One look-up
    /// per district form record (few beside the households), through the helpers every page
    /// already carries: a set of keys cost the export page 4 KB.
    pub async fn pending_form_count(&self) -> Result<u32, StoreError> {
        let fail = |e| StoreError::from_idb(Operation::Count, e);
        let tx = self
            .db
            .transaction([v3::PENDING, v7::FORM_RECORDS])
            .build()
            .map_err(fail)?;
        let forms = read_all_raw(&tx.object_store(v7::FORM_RECORDS).map_err(fail)?, fail).await?;
        let pending = tx.object_store(v3::PENDING).map_err(fail)?;
        let mut waiting = 0;
        for form in forms {
            if read_one(&pending, &decode::text(&form, "id"), fail)
                .await?
                .is_some()
            {
                waiting += 1;
            }
        }
        Ok(waiting)
    }
}
