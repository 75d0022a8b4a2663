//! The district's own forms on the phone (issue #25): the shelf of every version published
//! to it (`verval_core::dataform::FormShelf`, in the meta store), taken from each
//! assignment in the assignment's own transaction, and the records filled with them, which
//! live in the households' store beside the households (so that storage, revisions, the
//! journal, batches and sync carry them unchanged) and are listed here, not on the list.

use super::error::Operation;
use super::schema::v1;
use super::{decode, read_one, sealing, IdbStore, StoreError};
use indexed_db_futures::object_store::ObjectStore;
use indexed_db_futures::prelude::*;
use verval_core::dataform::FormShelf;
use verval_core::record::{RecordStatus, Timestamp};
use verval_core::sync::api::PublishedForm;
use verval_core::RecordId;
use wasm_bindgen::JsValue;

/// The meta store's key of the shelf. Definitions are not personal data: kept plain.
pub(super) const FORMS: &str = "forms";

/// One line of a form's record list: read field by field, never the whole record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormRecordLine {
    pub id: RecordId,
    pub form_id: String,
    pub form_version: String,
    pub status: RecordStatus,
    pub revision: u32,
    pub updated_at: Timestamp,
    pub kode_desa: String,
}

fn unreadable(e: impl std::fmt::Display) -> StoreError {
    StoreError::Unreadable(format!("the phone's forms: {e}"))
}

fn shelf_of(stored: Option<JsValue>) -> Result<FormShelf, StoreError> {
    match stored {
        Some(value) => serde_wasm_bindgen::from_value(value).map_err(unreadable),
        None => Ok(FormShelf::default()),
    }
}

impl IdbStore {
    /// Every form version on the phone.
    pub async fn form_shelf(&self) -> Result<FormShelf, StoreError> {
        shelf_of(
            self.meta_raw(FORMS)
                .await?
                .filter(|v| !v.is_undefined() && !v.is_null()),
        )
    }

    /// Takes the forms an assignment carries, inside its transaction on the meta store.
    pub(super) async fn take_forms_in(
        &self,
        meta: &ObjectStore<'_>,
        forms: &[PublishedForm],
    ) -> Result<(), StoreError> {
        if forms.is_empty() {
            return Ok(());
        }
        let fail = |e| StoreError::from_idb(Operation::Save, e);
        let mut shelf = shelf_of(read_one(meta, FORMS, fail).await?)?;
        // Written even when no version is new: a version received again is current again.
        shelf.take(forms);
        let value = serde_wasm_bindgen::to_value(&shelf).map_err(unreadable)?;
        super::put_keyed(meta, FORMS, value, fail).await
    }

    /// The records of forms as data on the phone, newest change first.
    pub async fn form_records(&self) -> Result<Vec<FormRecordLine>, StoreError> {
        let fail = |e| StoreError::from_idb(Operation::List, e);
        let tx = self.db.transaction(v1::HOUSEHOLDS).build().map_err(fail)?;
        let store = tx.object_store(v1::HOUSEHOLDS).map_err(fail)?;
        let all = super::read_all_raw(&store, fail).await?;
        let mut lines = Vec::new();
        for stored in all {
            let opened = self.opened(&sealing::HOUSEHOLDS, stored)?;
            if decode::is_household(&opened) {
                continue;
            }
            let (id, status, updated_at) = decode::identity(&opened)?;
            lines.push(FormRecordLine {
                id,
                form_id: decode::text(&opened, "form_id"),
                form_version: decode::text(&opened, "form_version"),
                status,
                revision: decode::revision(&opened).unwrap_or(1),
                updated_at,
                kode_desa: decode::text(&decode::field(&opened, "answers"), "kode_desa"),
            });
        }
        lines.sort_by_key(|line| std::cmp::Reverse(line.updated_at));
        Ok(lines)
    }
}
