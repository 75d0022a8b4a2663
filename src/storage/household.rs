//! Writing a household: the record and what the other stores keep of it (its search entry,
//! its visit entry, its place on the pending list), from a typed record or from a stored
//! object read back field by field (the journal's replay, which runs on the list page too,
//! where serde's reader would cost start-up bytes: see `decode`).

use super::error::Operation;
use super::form_entries::FormEntry;
use super::schema::{v1, v2, v3, v5, v7};
use super::search::SearchEntry;
use super::write::write_tx;
use super::{decode, exports, read_one, sealing, IdbStore, StoreError};
use indexed_db_futures::prelude::*;
use serde::Serialize;
use verval_core::campaign::progress::Visit;
use verval_core::record::{HouseholdRecord, RecordStatus, Timestamp, SCHEMA_VERSION};
use verval_core::RecordId;
use wasm_bindgen::{JsCast, JsValue};

/// A household ready to be written.
pub(super) struct Prepared {
    /// The record as IndexedDB keeps it.
    value: JsValue,
    id: RecordId,
    revision: u32,
    status: RecordStatus,
    updated_at: Timestamp,
    entry: SearchEntry,
    visit: Visit,
    /// A district form record's entry; none for a household.
    form: Option<FormEntry>,
}

/// A record as IndexedDB keeps it: maps as plain objects, exactly what the library's
/// `.serde()` writes, so the journal's copy and the stored one have one shape.
pub(super) fn to_stored(record: &HouseholdRecord) -> Result<JsValue, StoreError> {
    record
        .serialize(&serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true))
        .map_err(|e| StoreError::Failed {
            operation: Operation::Save,
            detail: e.to_string(),
        })
}

impl Prepared {
    pub(super) fn of(record: &HouseholdRecord) -> Result<Prepared, StoreError> {
        Ok(Prepared {
            value: to_stored(record)?,
            id: record.id.clone(),
            revision: record.revision,
            status: record.status,
            updated_at: record.updated_at,
            entry: SearchEntry::of(record),
            visit: Visit::of(record),
            form: FormEntry::of(record),
        })
    }

    /// A stored object, checked to have a household record's shape before anything is
    /// made of it: a broken one is refused with what is wrong, and nothing is written.
    pub(super) fn of_stored(value: JsValue) -> Result<Prepared, StoreError> {
        let (id, status, updated_at) = check_shape(&value)?;
        let answers = decode::field(&value, "answers");
        Ok(Prepared {
            revision: revision(&value)?,
            entry: SearchEntry::of_stored(&value)?,
            form: FormEntry::of_stored(&value)?,
            // A form as data's record visits no listed family and counts in no village.
            visit: match decode::is_household(&value) {
                true => Visit::from_answers(id.as_str(), status, updated_at, |f| {
                    decode::text(&answers, f.as_str())
                }),
                false => Visit::from_answers(id.as_str(), status, updated_at, |_| String::new()),
            },
            id,
            status,
            updated_at,
            value,
        })
    }

    pub(super) fn id(&self) -> &RecordId {
        &self.id
    }

    pub(super) fn revision(&self) -> u32 {
        self.revision
    }

    pub(super) fn updated_at(&self) -> Timestamp {
        self.updated_at
    }

    pub(super) fn value(&self) -> &JsValue {
        &self.value
    }
}

fn broken(what: &str) -> StoreError {
    StoreError::Unreadable(format!("not a household record: {what}"))
}

/// A whole number field.
fn whole(value: &JsValue, name: &str) -> Option<f64> {
    decode::field(value, name)
        .as_f64()
        .filter(|n| n.is_finite() && n.fract() == 0.0 && *n >= 0.0)
}

pub(super) fn revision(value: &JsValue) -> Result<u32, StoreError> {
    whole(value, "revision")
        .filter(|n| *n >= 1.0 && *n <= f64::from(u32::MAX))
        .map(|n| n as u32)
        .ok_or_else(|| broken("revision"))
}

/// An object whose every value is text (a record's or a row's answers).
fn is_answers(value: &JsValue) -> bool {
    value.is_object()
        && !js_sys::Array::is_array(value)
        && js_sys::Object::values(value.unchecked_ref())
            .iter()
            .all(|v: JsValue| v.is_string())
}

/// Everything the app relies on when it reads the record back with serde: the record's
/// fields of the right kinds, answers as text, rows with a key and answers.
fn check_shape(value: &JsValue) -> Result<(RecordId, RecordStatus, Timestamp), StoreError> {
    if !value.is_object() {
        return Err(broken("not an object"));
    }
    let identity = decode::identity(value)?;
    let schema = whole(value, "schema_version").ok_or_else(|| broken("schema version"))?;
    if schema < 1.0 || schema > f64::from(SCHEMA_VERSION) {
        return Err(broken("schema version unknown to this app"));
    }
    if !decode::field(value, "form_version").is_string() {
        return Err(broken("form version"));
    }
    revision(value)?;
    whole(value, "created_at").ok_or_else(|| broken("time of creation"))?;
    if !is_answers(&decode::field(value, "answers")) {
        return Err(broken("answers"));
    }
    let repeats = decode::field(value, "repeats");
    if !repeats.is_undefined() {
        if !repeats.is_object() || js_sys::Array::is_array(&repeats) {
            return Err(broken("rows"));
        }
        for rows in js_sys::Object::values(repeats.unchecked_ref()).iter() {
            if !js_sys::Array::is_array(&rows) {
                return Err(broken("rows"));
            }
            for row in js_sys::Array::from(&rows).iter() {
                if whole(&row, "key").is_none() || !is_answers(&decode::field(&row, "answers")) {
                    return Err(broken("a row"));
                }
            }
        }
    }
    let prelist = decode::field(value, "prelist");
    if !(prelist.is_undefined() || prelist.is_null() || prelist.is_object()) {
        return Err(broken("prelist link"));
    }
    Ok(identity)
}

impl IdbStore {
    /// Writes a household with its search entry, its visit entry and its place on the
    /// pending list in one transaction: all or nothing.
    pub(super) async fn write_household(&self, household: &Prepared) -> Result<(), StoreError> {
        // Sealed before the transaction opens (`sealing`).
        let value = self.sealed(&sealing::HOUSEHOLDS, household.value.clone())?;
        let entry = household.entry.stored(self)?;
        let visit = self.sealed_value(&sealing::VISITS, &household.visit)?;
        let form = household.form.as_ref().map(FormEntry::stored);
        let tx = write_tx(
            &self.db,
            [
                v1::HOUSEHOLDS,
                v2::SEARCH,
                v3::PENDING,
                v3::EXPORTS,
                v5::VISITS,
                v7::FORM_RECORDS,
            ],
            Operation::Save,
        )?;
        let fail = tx.fail();
        // Every request is placed before the first is awaited: IndexedDB runs them in order
        // within the transaction, and waiting for each before placing the next cost a turn
        // of the event loop per request (bench/storage: a save took 3.6× a bare write).
        let households = tx.object_store(v1::HOUSEHOLDS).map_err(fail)?;
        let search = tx.object_store(v2::SEARCH).map_err(fail)?;
        let pending = tx.object_store(v3::PENDING).map_err(fail)?;
        let id = household.id.as_str();
        let record = households.put(&value).primitive().map_err(fail)?;
        let entry = search.put(&entry).primitive().map_err(fail)?;
        let visit = tx
            .object_store(v5::VISITS)
            .map_err(fail)?
            .put(&visit)
            .primitive()
            .map_err(fail)?;
        let form = match form {
            Some(form) => Some(
                tx.object_store(v7::FORM_RECORDS)
                    .map_err(fail)?
                    .put(&form)
                    .primitive()
                    .map_err(fail)?,
            ),
            None => None,
        };
        // A finalized revision waits for a batch unless it already went out in one; a
        // draft (a correction under way) waits for nothing until it is finalized again.
        if household.status == RecordStatus::Final {
            let exports = tx.object_store(v3::EXPORTS).map_err(fail)?;
            let exported = IdbStore::was_exported(&exports, &household.id, household.revision);
            record.await.map_err(fail)?;
            entry.await.map_err(fail)?;
            visit.await.map_err(fail)?;
            if let Some(form) = form {
                form.await.map_err(fail)?;
            }
            if exported.await.map_err(fail)? {
                pending
                    .delete(id)
                    .primitive()
                    .map_err(fail)?
                    .await
                    .map_err(fail)?;
            } else {
                let waiting = exports::Pending {
                    id: household.id.clone(),
                    revision: household.revision,
                    since: household.updated_at,
                };
                pending.put(waiting).serde().map_err(fail)?.await.map_err(fail)?;
            }
        } else {
            let off_the_list = pending.delete(id).primitive().map_err(fail)?;
            record.await.map_err(fail)?;
            entry.await.map_err(fail)?;
            visit.await.map_err(fail)?;
            if let Some(form) = form {
                form.await.map_err(fail)?;
            }
            off_the_list.await.map_err(fail)?;
        }
        tx.commit().await
    }

    /// Keeps a finalized revision (a stored object) before a correction replaces it as the
    /// household's current one. `add`, not `put`: a kept revision is never replaced; keeping
    /// it again (a retried correction) finds it there, which is success.
    pub(super) async fn keep_stored_revision(&self, stored: &JsValue) -> Result<(), StoreError> {
        let id = decode::id(stored)?;
        let key = (id.as_str().to_owned(), revision(stored)?);
        let value = self.sealed(&sealing::REVISIONS, stored.clone())?;
        let tx = write_tx(&self.db, v2::REVISIONS, Operation::Save)?;
        let fail = tx.fail();
        let store = tx.object_store(v2::REVISIONS).map_err(fail)?;
        let kept = store
            .count()
            .with_query(indexed_db_futures::KeyRange::Only(key))
            .serde()
            .map_err(fail)?
            .await
            .map_err(fail)?;
        if kept > 0 {
            return Ok(());
        }
        store.add(&value).primitive().map_err(fail)?.await.map_err(fail)?;
        tx.commit().await
    }

    /// A stored household, opened if sealed, not read through serde.
    pub(super) async fn stored_household(&self, id: &RecordId) -> Result<Option<JsValue>, StoreError> {
        let fail = |e| StoreError::from_idb(Operation::Read, e);
        let tx = self.db.transaction(v1::HOUSEHOLDS).build().map_err(fail)?;
        let store = tx.object_store(v1::HOUSEHOLDS).map_err(fail)?;
        read_one(&store, id.as_str(), fail)
            .await?
            .map(|stored| self.opened(&sealing::HOUSEHOLDS, stored))
            .transpose()
    }
}
