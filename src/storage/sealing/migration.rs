//! Sealing what a phone stored plain before its PIN (issue #23), record by record and file
//! by file, outside any upgrade: each value is read, sealed before its write transaction
//! opens (WebCrypto and Blob reads would commit one), and written back only if unchanged
//! meanwhile, so a kill at any point leaves every record readable and the next unlock goes
//! on where this one stopped.

use super::{is_sealed_object, Layout, ASSIGNED, HOUSEHOLDS, REVIEWS, REVISIONS, SEARCH, VISITS};
use crate::storage::error::Operation;
use crate::storage::schema::{v2, v3};
use crate::storage::write::write_tx;
use crate::storage::{decode, exports, put_keyed, IdbStore, StoreError};
use indexed_db_futures::prelude::*;
use verval_core::vault::envelope::Place;
use wasm_bindgen::{JsCast, JsValue};

impl IdbStore {
    /// Seals, record by record, what a store still holds plain: each record read, sealed
    /// (before its write transaction opens) and written back only if unchanged meanwhile,
    /// in its own transaction, so a kill at any point leaves every record readable and the
    /// next run goes on where this one stopped. Returns how many it sealed.
    pub(in crate::storage) async fn seal_stored(&self, layout: &Layout) -> Result<u32, StoreError> {
        if !self.holds_key() {
            return Err(StoreError::Locked);
        }
        let fail = |e| StoreError::from_idb(Operation::Save, e);
        let keys: Vec<JsValue> = {
            let tx = self.db.transaction(layout.store).build().map_err(fail)?;
            let store = tx.object_store(layout.store).map_err(fail)?;
            let all = store
                .get_all_keys::<JsValue>()
                .primitive()
                .map_err(fail)?
                .await
                .map_err(fail)?;
            all.collect::<Result<_, _>>().map_err(fail)?
        };
        let mut sealed = 0;
        for key in keys {
            let tx = self.db.transaction(layout.store).build().map_err(fail)?;
            let store = tx.object_store(layout.store).map_err(fail)?;
            let found: Option<JsValue> = store
                .get(key.clone())
                .primitive()
                .map_err(fail)?
                .await
                .map_err(fail)?;
            drop(store);
            drop(tx);
            let Some(plain) = found.filter(|v| v.is_object() && !is_sealed_object(v)) else {
                continue;
            };
            let value = self.sealed(layout, plain.clone())?;
            let tx = write_tx(&self.db, layout.store, Operation::Save)?;
            let store = tx.object_store(layout.store).map_err(fail)?;
            let now: Option<JsValue> = store.get(key).primitive().map_err(fail)?.await.map_err(fail)?;
            // Written meanwhile (a save from the form): that write was sealed already, or
            // the next run takes it.
            if now.is_some_and(|n| same_plain(&n, &plain)) {
                store.put(&value).primitive().map_err(fail)?.await.map_err(fail)?;
                tx.commit().await?;
                sealed += 1;
            }
        }
        Ok(sealed)
    }

    /// Seals everything a family's data is in that is still plain: households, kept
    /// revisions, search and visit entries, the assigned families, the district's reviews,
    /// the photos, a waiting restore key, the village meetings and the zips of batches made plain before the
    /// district's keys (see
    /// [`Self::seal_stored`]). Returns how many values it sealed.
    pub async fn seal_plain(&self) -> Result<u32, StoreError> {
        let mut sealed = 0;
        for layout in [&HOUSEHOLDS, &REVISIONS, &SEARCH, &VISITS, &ASSIGNED, &REVIEWS] {
            sealed += self.seal_stored(layout).await?;
        }
        sealed += self.seal_stored_files(v2::PHOTOS, None).await?;
        sealed += u32::from(self.seal_plain_restore_key().await?);
        sealed += self.seal_plain_meetings().await?;
        Ok(sealed + self.seal_stored_files(v3::BATCHES, Some(exports::ZIP)).await?)
    }
}

impl IdbStore {
    /// Seals, one by one, the files (Blobs) a store still keeps plain — the value itself
    /// (`field` `None`: the photos) or one field of it (a batch's zip) — as
    /// [`Self::seal_stored`] does records: each file read and sealed before its write
    /// transaction opens, written back only if that key still holds a file of that size.
    /// A value marked `sealed` (a batch sealed to the district's keys) stays as it is: a
    /// locked phone's sync worker sends it. Returns how many it sealed.
    async fn seal_stored_files(&self, store: &'static str, field: Option<&str>) -> Result<u32, StoreError> {
        if !self.holds_key() {
            return Err(StoreError::Locked);
        }
        let fail = |e| StoreError::from_idb(Operation::Save, e);
        let plain_file = |stored: &JsValue| {
            let file = field.map_or_else(|| stored.clone(), |f| decode::field(stored, f));
            let for_district = decode::field(stored, "sealed").as_bool() == Some(true);
            file.dyn_into::<web_sys::Blob>().ok().filter(|_| !for_district)
        };
        let keys: Vec<String> = {
            let tx = self.db.transaction(store).build().map_err(fail)?;
            let all = tx
                .object_store(store)
                .map_err(fail)?
                .get_all_keys::<JsValue>()
                .primitive()
                .map_err(fail)?
                .await
                .map_err(fail)?;
            all.filter_map(|k| k.ok().and_then(|k| k.as_string())).collect()
        };
        let mut sealed = 0;
        for key in keys {
            let found: Option<JsValue> = {
                let tx = self.db.transaction(store).build().map_err(fail)?;
                let target = tx.object_store(store).map_err(fail)?;
                target
                    .get(key.as_str())
                    .primitive()
                    .map_err(fail)?
                    .await
                    .map_err(fail)?
            };
            let Some(file) = found.as_ref().and_then(plain_file) else {
                continue;
            };
            let value = self.blob_to_store(Place { store, key: &key }, &file).await?;
            let tx = write_tx(&self.db, store, Operation::Save)?;
            let target = tx.object_store(store).map_err(fail)?;
            let now: Option<JsValue> = target
                .get(key.as_str())
                .primitive()
                .map_err(fail)?
                .await
                .map_err(fail)?;
            // Replaced meanwhile: the new file was sealed as it was stored.
            let Some(now) = now.filter(|n| plain_file(n).is_some_and(|f| f.size() == file.size())) else {
                continue;
            };
            let value = match field {
                Some(f) => {
                    let _ = js_sys::Reflect::set(&now, &f.into(), &value);
                    now
                }
                None => value,
            };
            match field {
                Some(_) => target.put(value).primitive().map_err(fail)?.await.map_err(fail)?,
                None => put_keyed(&target, &key, value, fail).await?,
            };
            tx.commit().await?;
            sealed += 1;
        }
        Ok(sealed)
    }
}

/// In the meta store: the last sealing round that ran to its end on this phone.
const ALL_SEALED: &str = "vault_sealed";
/// The round [`IdbStore::seal_plain`] is: raised whenever it seals a store it did not
/// before, so a phone sealed by an older version seals the new stores too (round 1, kept
/// as `true`, sealed households, revisions, search and visit entries; round 2 the assigned
/// families, reviews, photos and plain batch files; round 3 a restore key made before the
/// PIN; round 4 the village meetings).
const SEALING_ROUND: f64 = 4.0;

impl IdbStore {
    /// Seals what the phone still holds plain, once per round: the first unlocks after the
    /// PIN was set run it (again after a kill, until it finished); afterwards every write is
    /// sealed and this costs one read.
    pub async fn seal_all_once(&self) -> Result<(), StoreError> {
        let done = self.meta_raw(ALL_SEALED).await?.and_then(|v| v.as_f64());
        if done.is_some_and(|round| round >= SEALING_ROUND) {
            return Ok(());
        }
        self.seal_plain().await?;
        self.meta_put(ALL_SEALED, Some(&SEALING_ROUND)).await
    }
}

/// Whether two plain stored objects are the same value (as JSON: what is stored is plain
/// data).
fn same_plain(a: &JsValue, b: &JsValue) -> bool {
    let text = |v: &JsValue| js_sys::JSON::stringify(v).ok().and_then(|t| t.as_string());
    !is_sealed_object(a) && text(a).is_some() && text(a) == text(b)
}
