//! The export ledger: batches made on this device, which record revision went out in which
//! batch, the finalized households still waiting for a batch, and the device's small facts
//! (its id, its batch counter, when it last exported).
//!
//! Saving a batch is one transaction: the batch with its zip, a ledger entry per record,
//! the records taken off the pending list, the counter and the export time. A killed tab
//! leaves either all of it or none, so a record is never marked exported without its file.

use super::error::Operation;
use super::schema::{v1, v3};
use super::write::write_tx;
use super::{decode, put_keyed, read_all_raw, read_one, IdbStore, StoreError};
use indexed_db_futures::cursor::CursorDirection;
use indexed_db_futures::object_store::ObjectStore;
use indexed_db_futures::prelude::*;
use indexed_db_futures::KeyRange;
use serde::{Deserialize, Serialize};
use verval_core::export::nudge::{export_state, ExportState};
use verval_core::export::parts::DEFAULT_PART_BYTES;
use verval_core::record::{RecordStatus, Timestamp};
use verval_core::vault::envelope::Place;
use verval_core::RecordId;
use wasm_bindgen::JsValue;

/// Keys of the meta store.
mod meta {
    /// This device's id (a UUID), made at the first export.
    pub const DEVICE_ID: &str = "device_id";
    /// The sequence number of the last batch made here.
    pub const BATCH_SEQUENCE: &str = "batch_sequence";
    /// When the last batch was made (ms since 1970).
    pub const LAST_EXPORT_AT: &str = "last_export_at";
    /// Set once the finalized households of an older database are on the pending list.
    pub const PENDING_READY: &str = "pending_ready";
    /// The district's largest part of a batch with photos, from its list (issue #26 item 5).
    pub const BATCH_PART_BYTES: &str = "batch_part_bytes";
}

/// A finalized household waiting for a batch.
#[derive(Serialize, Deserialize)]
pub(super) struct Pending {
    pub id: RecordId,
    pub revision: u32,
    /// When this revision was saved final: how long it has waited.
    #[serde(default)]
    pub since: Timestamp,
}

/// One line of the ledger: this revision of this record went out in this batch.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExportEntry {
    pub id: RecordId,
    pub revision: u32,
    pub batch_id: String,
    pub file_name: String,
    pub at: Timestamp,
}

/// A batch made on this device, as the batch list shows it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BatchInfo {
    pub batch_id: String,
    pub file_name: String,
    pub created_at: Timestamp,
    pub record_count: u32,
    pub bytes: u64,
    pub profile: String,
    /// When the file was last downloaded or shared: until then the batch has not left the
    /// phone, and the export page says so.
    #[serde(default)]
    pub handed_over_at: Option<Timestamp>,
    /// When the user deleted the file (the ledger stays).
    #[serde(default)]
    pub deleted_at: Option<Timestamp>,
    /// Made by sync, to be uploaded to the hub (not a file for the user to hand over).
    #[serde(default)]
    pub for_sync: bool,
    /// When a receipt for this batch was stored, and how it came (`sync` or `file`).
    #[serde(default)]
    pub received_at: Option<Timestamp>,
    #[serde(default)]
    pub received_via: Option<String>,
    /// Why the hub refused this batch for good, if it did.
    #[serde(default)]
    pub rejected: Option<String>,
    /// Sealed to the district's keys (issue #22): the file reveals nothing of the families.
    #[serde(default)]
    pub sealed: bool,
    /// A plain sync batch made before the phone had the district's keys and withdrawn unsent
    /// once it had them: its households travel again, sealed, in a new batch.
    #[serde(default)]
    pub replaced_at: Option<Timestamp>,
    /// Carries the phone's village meetings (`musdes.json`), with households or alone.
    #[serde(default)]
    pub meetings: bool,
    /// How many of its records are district form records (issue #25), the rest households.
    /// Batches made before forms as data hold none.
    #[serde(default)]
    pub form_records: u32,
    /// Which part of one export it is, from 1, when the export was cut into parts for its
    /// photos (issue #26 item 5), each part a complete batch; 0 for a batch made whole.
    #[serde(default)]
    pub part: u32,
}

impl BatchInfo {
    /// The households it carries.
    pub fn households(&self) -> u32 {
        self.record_count.saturating_sub(self.form_records)
    }

    /// A sync batch the hub has not answered yet: it is uploaded (again) until it is.
    pub fn waiting_for_hub(&self) -> bool {
        self.for_sync && self.received_at.is_none() && self.rejected.is_none() && self.replaced_at.is_none()
    }
}

/// A batch's file, as it may leave the phone (downloaded, shared or uploaded).
pub enum Leaving {
    File(web_sys::Blob),
    /// The user deleted it, or the hub's receipt dropped it.
    Deleted,
    /// Made plain before the phone had the district's keys. Now that it has them, a plain
    /// file never leaves again (issue #22, fail closed): its households go in a sealed batch.
    PlainBeforeKeys,
}

/// Where a batch's zip is sealed at rest (`sealing`): the batch store and its id.
fn zip_place(batch_id: &str) -> Place<'_> {
    Place {
        store: v3::BATCHES,
        key: batch_id,
    }
}

/// The field of a stored batch that holds its zip.
pub(super) const ZIP: &str = "zip";

/// The ledger key range of one record: `[id, 0, ""]` to `[id, MAX, "\u{ffff}"]`.
fn ledger_range(id: &RecordId, revision: Option<u32>) -> KeyRange<(String, u32, String)> {
    let (low, high) = revision.map_or((0, u32::MAX), |r| (r, r));
    KeyRange::Bound(
        (id.as_str().to_owned(), low, String::new()),
        false,
        (id.as_str().to_owned(), high, "\u{ffff}".to_owned()),
        false,
    )
}

impl IdbStore {
    /// Whether this revision already went out in a batch: then saving it again does not put
    /// it back on the pending list. Runs inside the save transaction.
    pub(super) async fn was_exported(
        exports: &indexed_db_futures::object_store::ObjectStore<'_>,
        id: &RecordId,
        revision: u32,
    ) -> indexed_db_futures::Result<bool> {
        let count = exports
            .count()
            .with_query(ledger_range(id, Some(revision)))
            .serde()?
            .await?;
        Ok(count > 0)
    }

    /// Puts every finalized household of a database from before the ledger on the pending
    /// list, once. Cheap afterwards (one read).
    pub(super) async fn mark_pending_once(&self) -> Result<(), StoreError> {
        let fail = |e| StoreError::from_idb(Operation::Open, e);
        let tx = write_tx(&self.db, [v1::HOUSEHOLDS, v3::PENDING, v3::META], Operation::Open)?;
        let meta = tx.object_store(v3::META).map_err(fail)?;
        let ready: Option<JsValue> = meta
            .get(meta::PENDING_READY)
            .primitive()
            .map_err(fail)?
            .await
            .map_err(fail)?;
        if ready.is_some() {
            return Ok(());
        }
        let households = tx.object_store(v1::HOUSEHOLDS).map_err(fail)?;
        let pending = tx.object_store(v3::PENDING).map_err(fail)?;
        if let Some(mut cursor) = households.open_cursor().await.map_err(fail)? {
            while let Some(stored) = cursor.next_record::<JsValue>().await.map_err(fail)? {
                // Read field by field, not through serde: this runs on the list page (see
                // `decode`).
                if decode::text(&stored, "status") == RecordStatus::Final.tag() {
                    let entry = js_sys::Object::new();
                    for (to, from) in [("id", "id"), ("revision", "revision"), ("since", "updated_at")] {
                        let value = decode::field(&stored, from);
                        let _ = js_sys::Reflect::set(&entry, &JsValue::from_str(to), &value);
                    }
                    pending
                        .put(JsValue::from(entry))
                        .primitive()
                        .map_err(fail)?
                        .await
                        .map_err(fail)?;
                }
            }
        }
        put_keyed(&meta, meta::PENDING_READY, JsValue::TRUE, fail).await?;
        tx.commit().await
    }

    /// The finalized households not yet exported, with the revision waiting.
    pub async fn pending(&self) -> Result<Vec<(RecordId, u32)>, StoreError> {
        let fail = |e| StoreError::from_idb(Operation::Read, e);
        let tx = self.db.transaction(v3::PENDING).build().map_err(fail)?;
        let store = tx.object_store(v3::PENDING).map_err(fail)?;
        let all: Vec<Pending> = store
            .get_all()
            .serde()
            .map_err(fail)?
            .await
            .map_err(fail)?
            .collect::<Result<_, _>>()
            .map_err(fail)?;
        Ok(all.into_iter().map(|p| (p.id, p.revision)).collect())
    }

    /// How many finalized households wait for a batch.
    pub async fn pending_count(&self) -> Result<u32, StoreError> {
        let fail = |e| StoreError::from_idb(Operation::Count, e);
        let tx = self.db.transaction(v3::PENDING).build().map_err(fail)?;
        let store = tx.object_store(v3::PENDING).map_err(fail)?;
        store.count().await.map_err(fail)
    }

    /// What the household list says about exporting: pending households, the last export
    /// and how long the oldest has waited (`verval_core::export::nudge`).
    pub async fn export_state(&self, now: Timestamp) -> Result<ExportState, StoreError> {
        let fail = |e| StoreError::from_idb(Operation::Read, e);
        let (count, oldest) = {
            let tx = self.db.transaction(v3::PENDING).build().map_err(fail)?;
            let store = tx.object_store(v3::PENDING).map_err(fail)?;
            let all: Vec<JsValue> = read_all_raw(&store, fail).await?;
            // `since` read directly: the list page shows this, see `mark_pending_once`.
            let since = all.iter().filter_map(|p| decode::field(p, "since").as_f64());
            (all.len() as u32, since.map(|ms| Timestamp(ms as i64)).min())
        };
        let last = self.last_export_at().await?;
        Ok(export_state(count, last, oldest, now))
    }

    /// Every batch this record went out in, oldest first.
    pub async fn exports_of(&self, id: &RecordId) -> Result<Vec<ExportEntry>, StoreError> {
        let fail = |e| StoreError::from_idb(Operation::Read, e);
        let tx = self.db.transaction(v3::EXPORTS).build().map_err(fail)?;
        let store = tx.object_store(v3::EXPORTS).map_err(fail)?;
        let mut found: Vec<ExportEntry> = store
            .get_all()
            .with_query(ledger_range(id, None))
            .serde()
            .map_err(fail)?
            .await
            .map_err(fail)?
            .collect::<Result<_, _>>()
            .map_err(fail)?;
        found.sort_by_key(|e| e.at);
        Ok(found)
    }

    /// The batches made here, newest first.
    pub async fn batches(&self) -> Result<Vec<BatchInfo>, StoreError> {
        let fail = |e| StoreError::from_idb(Operation::Read, e);
        let tx = self.db.transaction(v3::BATCHES).build().map_err(fail)?;
        let store = tx.object_store(v3::BATCHES).map_err(fail)?;
        let index = store.index(v3::BY_CREATED).map_err(fail)?;
        let mut out = Vec::new();
        let Some(mut cursor) = index
            .open_cursor()
            .with_direction(CursorDirection::Prev)
            .await
            .map_err(fail)?
        else {
            return Ok(out);
        };
        while let Some(info) = cursor.next_record_ser::<BatchInfo>().await.map_err(fail)? {
            out.push(info);
        }
        Ok(out)
    }

    /// The zip of a batch, unless the user deleted it.
    pub async fn batch_file(&self, batch_id: &str) -> Result<Option<web_sys::Blob>, StoreError> {
        match self.stored_batch(batch_id).await? {
            Some(stored) => self.zip_of(batch_id, &stored),
            None => Ok(None),
        }
    }

    /// The zip a stored batch holds, if it still does. A batch sealed to the district's
    /// keys is kept as it is (a locked phone's sync worker sends it); a plain one made
    /// before the keys is sealed at rest on a phone with a PIN, and opens with the data key.
    fn zip_of(&self, batch_id: &str, stored: &JsValue) -> Result<Option<web_sys::Blob>, StoreError> {
        self.opened_blob(zip_place(batch_id), &decode::field(stored, ZIP))
    }

    /// A batch as stored: its facts and, unless deleted, its zip.
    async fn stored_batch(&self, batch_id: &str) -> Result<Option<JsValue>, StoreError> {
        let fail = |e| StoreError::from_idb(Operation::Read, e);
        let tx = self.db.transaction(v3::BATCHES).build().map_err(fail)?;
        let store = tx.object_store(v3::BATCHES).map_err(fail)?;
        store.get(batch_id).primitive().map_err(fail)?.await.map_err(fail)
    }

    /// A batch's file for handing over or uploading: refused when it is plain and the phone
    /// now seals (`Leaving::PlainBeforeKeys`). Keys whose list does not check count as
    /// sealing: a doubt never lets a plain file out.
    pub async fn leaving_file(&self, batch_id: &str) -> Result<Leaving, StoreError> {
        let Some(stored) = self.stored_batch(batch_id).await? else {
            return Ok(Leaving::Deleted);
        };
        let sealed = js_sys::Reflect::get(&stored, &JsValue::from_str("sealed"))
            .is_ok_and(|v| v.as_bool() == Some(true));
        if !sealed && self.phone_seals().await? {
            return Ok(Leaving::PlainBeforeKeys);
        }
        Ok(self
            .zip_of(batch_id, &stored)?
            .map_or(Leaving::Deleted, Leaving::File))
    }

    /// Withdraws every plain sync batch still waiting for the hub once the phone seals: the
    /// file is dropped and its households go back to the outbox, to travel sealed in a new
    /// batch (the hub takes a revision it already holds as known). Returns how many.
    pub async fn withdraw_plain_batches(&self, now: Timestamp) -> Result<usize, StoreError> {
        if !self.phone_seals().await? {
            return Ok(0);
        }
        let plain: Vec<BatchInfo> = self
            .batches()
            .await?
            .into_iter()
            .filter(|b| b.waiting_for_hub() && !b.sealed)
            .collect();
        let replace = |info: &mut BatchInfo| {
            info.replaced_at = Some(now);
            info.deleted_at = info.deleted_at.or(Some(now));
        };
        for info in &plain {
            self.update_batch(&info.batch_id, &replace, false).await?;
        }
        Ok(plain.len())
    }

    /// Deletes a batch's file after the district's receipt; the ledger keeps that the
    /// records went out in it.
    pub async fn delete_batch_file(&self, batch_id: &str, now: Timestamp) -> Result<(), StoreError> {
        // Written back from `BatchInfo`, which has no `zip`: that drops the file.
        self.update_batch(batch_id, &|info| info.deleted_at = Some(now), false)
            .await
    }

    /// Notes that the batch's file was downloaded or shared.
    pub async fn mark_handed_over(&self, batch_id: &str, now: Timestamp) -> Result<(), StoreError> {
        self.update_batch(batch_id, &|info| info.handed_over_at = Some(now), true)
            .await
    }

    /// Changes a batch's facts; `keep_file` carries the zip over, otherwise it is dropped.
    /// (`change` is a `dyn`: one copy of this transaction in each page's code, not one per
    /// caller.)
    pub(super) async fn update_batch(
        &self,
        batch_id: &str,
        change: &dyn Fn(&mut BatchInfo),
        keep_file: bool,
    ) -> Result<(), StoreError> {
        let fail = |e| StoreError::from_idb(Operation::Save, e);
        let tx = write_tx(&self.db, v3::BATCHES, Operation::Save)?;
        let store = tx.object_store(v3::BATCHES).map_err(fail)?;
        let found: Option<JsValue> = store
            .get(batch_id)
            .primitive()
            .map_err(fail)?
            .await
            .map_err(fail)?;
        let Some(stored) = found else {
            return Ok(());
        };
        let mut info: BatchInfo = serde_wasm_bindgen::from_value(stored.clone())
            .map_err(|e| StoreError::Unreadable(e.to_string()))?;
        change(&mut info);
        let value = serde_wasm_bindgen::to_value(&info).map_err(|e| StoreError::Unreadable(e.to_string()))?;
        if keep_file {
            let zip = js_sys::Reflect::get(&stored, &JsValue::from_str(ZIP))
                .map_err(|e| StoreError::Unreadable(format!("{e:?}")))?;
            js_sys::Reflect::set(&value, &JsValue::from_str(ZIP), &zip)
                .map_err(|e| StoreError::Unreadable(format!("{e:?}")))?;
        }
        store.put(value).primitive().map_err(fail)?.await.map_err(fail)?;
        tx.commit().await
    }

    /// This device's id, made and kept at the first call.
    pub async fn device_id(&self, fresh: RecordId) -> Result<String, StoreError> {
        let fail = |e| StoreError::from_idb(Operation::Save, e);
        let tx = write_tx(&self.db, v3::META, Operation::Save)?;
        let store = tx.object_store(v3::META).map_err(fail)?;
        let found: Option<JsValue> = store
            .get(meta::DEVICE_ID)
            .primitive()
            .map_err(fail)?
            .await
            .map_err(fail)?;
        if let Some(id) = found.and_then(|v| v.as_string()) {
            return Ok(id);
        }
        let id = fresh.to_string();
        put_keyed(&store, meta::DEVICE_ID, JsValue::from_str(&id), fail).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Takes the next batch number for a batch about to be made, in one write transaction:
    /// a sync and an export made at the same moment (the page's automatic sync while the
    /// user taps "Buat batch", in the export worker's own connection) never get the same
    /// number, so two batches never share a file name. A batch that fails leaves a gap.
    pub async fn reserve_batch_sequence(&self) -> Result<u32, StoreError> {
        let fail = |e| StoreError::from_idb(Operation::Save, e);
        let tx = write_tx(&self.db, v3::META, Operation::Save)?;
        let store = tx.object_store(v3::META).map_err(fail)?;
        let stored: Option<JsValue> = store
            .get(meta::BATCH_SEQUENCE)
            .primitive()
            .map_err(fail)?
            .await
            .map_err(fail)?;
        let next = stored.and_then(|v| v.as_f64()).map_or(1, |n| n as u32 + 1);
        put_keyed(
            &store,
            meta::BATCH_SEQUENCE,
            JsValue::from_f64(f64::from(next)),
            fail,
        )
        .await?;
        tx.commit().await?;
        Ok(next)
    }

    /// The largest part of a batch with photos: the district's, as its list said, or
    /// [`DEFAULT_PART_BYTES`] when no list said.
    pub async fn batch_part_bytes(&self) -> Result<u64, StoreError> {
        let fail = |e| StoreError::from_idb(Operation::Read, e);
        let tx = self.db.transaction(v3::META).build().map_err(fail)?;
        let store = tx.object_store(v3::META).map_err(fail)?;
        let stored = read_one(&store, meta::BATCH_PART_BYTES, fail).await?;
        Ok(stored
            .and_then(|v| v.as_f64())
            .map_or(DEFAULT_PART_BYTES, |n| n as u64))
    }

    /// Keeps the district's part size (`None`: its list said none), in the caller's
    /// transaction.
    pub(super) async fn keep_part_bytes_in(
        &self,
        store: &ObjectStore<'_>,
        part_bytes: Option<u64>,
    ) -> Result<(), StoreError> {
        let fail = |e| StoreError::from_idb(Operation::Save, e);
        match part_bytes {
            Some(n) => put_keyed(store, meta::BATCH_PART_BYTES, JsValue::from_f64(n as f64), fail).await,
            None => store
                .delete(meta::BATCH_PART_BYTES)
                .primitive()
                .map_err(fail)?
                .await
                .map_err(fail),
        }
    }

    /// The number the next batch made here would get (a batch being made has reserved its
    /// own already).
    pub async fn next_batch_sequence(&self) -> Result<u32, StoreError> {
        Ok(self
            .meta_number(meta::BATCH_SEQUENCE)
            .await?
            .map_or(1, |n| n as u32 + 1))
    }

    /// When the last batch was made here, if ever.
    pub async fn last_export_at(&self) -> Result<Option<Timestamp>, StoreError> {
        Ok(self
            .meta_number(meta::LAST_EXPORT_AT)
            .await?
            .map(|n| Timestamp(n as i64)))
    }

    async fn meta_number(&self, key: &str) -> Result<Option<f64>, StoreError> {
        let fail = |e| StoreError::from_idb(Operation::Read, e);
        let tx = self.db.transaction(v3::META).build().map_err(fail)?;
        let store = tx.object_store(v3::META).map_err(fail)?;
        let found: Option<JsValue> = store.get(key).primitive().map_err(fail)?.await.map_err(fail)?;
        Ok(found.and_then(|v| v.as_f64()))
    }

    /// Records a made batch: its file, the ledger, the pending list, the counter and the time,
    /// all in one transaction. A record whose stored revision moved on while the batch was
    /// being made (a correction in another tab) stays pending with its new revision.
    pub async fn save_batch(
        &self,
        info: &BatchInfo,
        zip: &web_sys::Blob,
        sequence: u32,
        records: &[(RecordId, u32)],
    ) -> Result<(), StoreError> {
        let zip = match info.sealed {
            true => zip.clone().into(),
            false => self.blob_to_store(zip_place(&info.batch_id), zip).await?,
        };
        let fail = |e| StoreError::from_idb(Operation::Save, e);
        let tx = write_tx(
            &self.db,
            [v3::BATCHES, v3::EXPORTS, v3::PENDING, v3::META],
            Operation::Save,
        )?;
        let batches = tx.object_store(v3::BATCHES).map_err(fail)?;
        let value = serde_wasm_bindgen::to_value(info).map_err(|e| StoreError::Unreadable(e.to_string()))?;
        js_sys::Reflect::set(&value, &JsValue::from_str(ZIP), &zip)
            .map_err(|e| StoreError::Unreadable(format!("{e:?}")))?;
        batches
            .add(value)
            .primitive()
            .map_err(fail)?
            .await
            .map_err(fail)?;

        let exports = tx.object_store(v3::EXPORTS).map_err(fail)?;
        let pending = tx.object_store(v3::PENDING).map_err(fail)?;
        for (id, revision) in records {
            let entry = ExportEntry {
                id: id.clone(),
                revision: *revision,
                batch_id: info.batch_id.clone(),
                file_name: info.file_name.clone(),
                at: info.created_at,
            };
            exports.put(entry).serde().map_err(fail)?.await.map_err(fail)?;
            let waiting: Option<Pending> = pending
                .get(id.as_str())
                .serde()
                .map_err(fail)?
                .await
                .map_err(fail)?;
            if waiting.is_some_and(|p| p.revision == *revision) {
                pending
                    .delete(id.as_str())
                    .primitive()
                    .map_err(fail)?
                    .await
                    .map_err(fail)?;
            }
        }

        let meta = tx.object_store(v3::META).map_err(fail)?;
        let stored: Option<JsValue> = meta
            .get(meta::BATCH_SEQUENCE)
            .primitive()
            .map_err(fail)?
            .await
            .map_err(fail)?;
        let highest = stored
            .and_then(|v| v.as_f64())
            .unwrap_or(0.0)
            .max(f64::from(sequence));
        for (key, number) in [
            (meta::BATCH_SEQUENCE, highest),
            (meta::LAST_EXPORT_AT, info.created_at.0 as f64),
        ] {
            put_keyed(&meta, key, JsValue::from_f64(number), fail).await?;
        }
        tx.commit().await
    }
}
