//! Stored values under the data key (issue #23). Once the store holds the data key
//! ([`IdbStore::hold_key`]) every household, kept revision, search entry and visit entry it
//! writes is sealed
//! (`verval_core::vault::envelope`): the stored object keeps in the clear only what
//! IndexedDB needs for its keys and indexes and what is read without opening — ids, revision
//! numbers, status and time of change, never a name or a number — and the whole value
//! sealed under `vv1`, bound to the store and the record's key, so a sealed value copied
//! onto another record does not open there. Reads take both kinds: a phone's stores are
//! sealed record by record after the PIN is set ([`IdbStore::seal_stored`]), each record
//! readable at every moment.
//!
//! The value is written out by the browser's `JSON.stringify` and read back by `JSON.parse`
//! (what is stored is plain data: `household::to_stored` writes maps as objects), so
//! sealing carries no serde code and every reader keeps working on the object it knew.

use super::error::Operation;
use super::schema::{v1, v2, v5};
use super::vault::random;
use super::write::write_tx;
use super::{decode, IdbStore, StoreError};
use indexed_db_futures::prelude::*;
use std::cell::RefCell;
use std::rc::Rc;
use verval_core::vault::envelope::{is_sealed, open_value, seal_value, Place, NONCE_LEN};
use verval_core::vault::DataKey;
use wasm_bindgen::{JsCast, JsValue};

/// The field a sealed value is kept under.
const SEALED: &str = "vv1";

/// How one store's values are sealed.
pub(super) struct Layout {
    pub store: &'static str,
    /// The fields whose values make the record's key (its place, in the associated data).
    key: &'static [&'static str],
    /// The fields kept in the clear: the key path, the indexes' fields, and what is read
    /// without opening. Never personal data.
    plain: &'static [&'static str],
}

pub(super) const HOUSEHOLDS: Layout = Layout {
    store: v1::HOUSEHOLDS,
    key: &["id"],
    // `by_updated` is on [updated_at, id]; the pending list is rebuilt from status and
    // revision (`mark_pending_once`).
    plain: &["id", "updated_at", "status", "revision"],
};

pub(super) const SEARCH: Layout = Layout {
    store: v2::SEARCH,
    key: &["id"],
    // `by_status` is on [status, updated_at, id]; the words and numbers are sealed, so
    // `by_word` and `by_number` hold only entries not yet sealed.
    plain: &["id", "status", "updated_at"],
};

pub(super) const VISITS: Layout = Layout {
    store: v5::VISITS,
    key: &["record_id"],
    // What the campaign's counts and the sync report read without opening; the head's
    // name, the KK and the outcome are sealed.
    plain: &["record_id", "prelist_id", "kode_desa", "status", "updated_at"],
};

pub(super) const REVISIONS: Layout = Layout {
    store: v2::REVISIONS,
    key: &["id", "revision"],
    plain: &["id", "revision"],
};

/// The data key while the phone is unlocked, shared by every clone of the store, and
/// whether the phone has a PIN: then nothing is written plain, key or no key.
#[derive(Clone, Debug, Default)]
pub(super) struct KeyHold(Rc<RefCell<Option<DataKey>>>, Rc<std::cell::Cell<bool>>);

fn unreadable(layout: &Layout, why: &str) -> StoreError {
    StoreError::Unreadable(format!("{}: {why}", layout.store))
}

/// The record's key as the associated data names it: its key fields' values, `/` between.
fn place_key(layout: &Layout, value: &JsValue) -> String {
    layout
        .key
        .iter()
        .map(|field| {
            let v = decode::field(value, field);
            v.as_string()
                .or_else(|| v.as_f64().map(|n| (n as i64).to_string()))
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Whether a stored object is a sealed one.
pub(super) fn is_sealed_object(value: &JsValue) -> bool {
    decode::field(value, SEALED).is_instance_of::<js_sys::Uint8Array>()
}

impl IdbStore {
    /// Holds the data key the phone was unlocked with: from now on this store (and every
    /// clone of it) seals what it writes and opens what was sealed.
    pub fn hold_key(&self, key: DataKey) {
        *self.key.0.borrow_mut() = Some(key);
    }

    /// Lets go of the data key: sealed values no longer open here.
    pub fn drop_key(&self) {
        *self.key.0.borrow_mut() = None;
    }

    /// Whether the store holds the data key.
    pub fn holds_key(&self) -> bool {
        self.key.0.borrow().is_some()
    }

    /// The phone has a PIN (known when the store opened, or set through it since).
    pub(super) fn mark_pin_set(&self) {
        self.key.1.set(true);
    }

    /// Whether the phone has a PIN and this store has not the key: sealed values do not
    /// open, and nothing is written (the sync worker then only sends what is made).
    pub fn locked(&self) -> bool {
        self.key.1.get() && !self.holds_key()
    }

    /// `value` as it is to be stored: sealed when the store holds the data key, else as it
    /// is.
    pub(super) fn sealed(&self, layout: &Layout, value: JsValue) -> Result<JsValue, StoreError> {
        let held = self.key.0.borrow();
        let Some(key) = held.as_ref() else {
            // A phone with a PIN never writes a family plain.
            return if self.key.1.get() {
                Err(StoreError::Locked)
            } else {
                Ok(value)
            };
        };
        let text = js_sys::JSON::stringify(&value)
            .ok()
            .and_then(|t| t.as_string())
            .ok_or_else(|| unreadable(layout, "not plain data"))?;
        let nonce = random::<NONCE_LEN>().map_err(|e| StoreError::Failed {
            operation: Operation::Save,
            detail: e.to_string(),
        })?;
        let place = Place {
            store: layout.store,
            key: &place_key(layout, &value),
        };
        let sealed = seal_value(key, place, text.as_bytes(), nonce);
        let out = js_sys::Object::new();
        for field in layout.plain {
            let _ = js_sys::Reflect::set(&out, &JsValue::from_str(field), &decode::field(&value, field));
        }
        let bytes = js_sys::Uint8Array::from(sealed.as_slice());
        let _ = js_sys::Reflect::set(&out, &JsValue::from_str(SEALED), &bytes);
        Ok(out.into())
    }

    /// A typed value as it is to be stored (see [`Self::sealed`]).
    pub(super) fn sealed_value<T: serde::Serialize>(
        &self,
        layout: &Layout,
        value: &T,
    ) -> Result<JsValue, StoreError> {
        let value = serde_wasm_bindgen::to_value(value).map_err(|e| StoreError::Unreadable(e.to_string()))?;
        self.sealed(layout, value)
    }

    /// A stored object as its readers know it: a sealed one opened (the data key needed:
    /// [`StoreError::Locked`] without it), a plain one as it is.
    pub(super) fn opened(&self, layout: &Layout, stored: JsValue) -> Result<JsValue, StoreError> {
        let sealed = decode::field(&stored, SEALED);
        let Some(bytes) = sealed
            .dyn_ref::<js_sys::Uint8Array>()
            .map(js_sys::Uint8Array::to_vec)
        else {
            return Ok(stored);
        };
        let held = self.key.0.borrow();
        let key = held.as_ref().ok_or(StoreError::Locked)?;
        if !is_sealed(&bytes) {
            return Err(unreadable(layout, "a sealed value without its mark"));
        }
        let place = Place {
            store: layout.store,
            key: &place_key(layout, &stored),
        };
        let plain = open_value(key, place, &bytes).map_err(|e| unreadable(layout, &e.to_string()))?;
        let text = std::str::from_utf8(&plain).map_err(|_| unreadable(layout, "not text"))?;
        js_sys::JSON::parse(text).map_err(|_| unreadable(layout, "not JSON"))
    }

    /// Seals, record by record, what a store still holds plain: each record read, sealed
    /// (before its write transaction opens) and written back only if unchanged meanwhile,
    /// in its own transaction, so a kill at any point leaves every record readable and the
    /// next run goes on where this one stopped. Returns how many it sealed.
    pub(super) async fn seal_stored(&self, layout: &Layout) -> Result<u32, StoreError> {
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

    /// Seals every household, kept revision, search entry and visit entry still plain
    /// (see [`Self::seal_stored`]).
    pub async fn seal_households(&self) -> Result<u32, StoreError> {
        let mut sealed = 0;
        for layout in [&HOUSEHOLDS, &REVISIONS, &SEARCH, &VISITS] {
            sealed += self.seal_stored(layout).await?;
        }
        Ok(sealed)
    }
}

/// A typed record from a stored object already opened.
pub(super) fn record_of<T: serde::de::DeserializeOwned>(value: JsValue) -> Result<T, StoreError> {
    serde_wasm_bindgen::from_value(value).map_err(|e| StoreError::Unreadable(e.to_string()))
}

/// In the meta store once every household, revision and search entry was sealed.
const ALL_SEALED: &str = "vault_sealed";

impl IdbStore {
    /// Seals what the phone still holds plain, once: the first unlocks after the PIN was
    /// set run it (again after a kill, until it finished); afterwards every write is sealed
    /// and this costs one read.
    pub async fn seal_all_once(&self) -> Result<(), StoreError> {
        if self.meta_raw(ALL_SEALED).await?.is_some() {
            return Ok(());
        }
        self.seal_households().await?;
        self.meta_put(ALL_SEALED, Some(&true)).await
    }
}

/// Whether two plain stored objects are the same value (as JSON: what is stored is plain
/// data).
fn same_plain(a: &JsValue, b: &JsValue) -> bool {
    let text = |v: &JsValue| js_sys::JSON::stringify(v).ok().and_then(|t| t.as_string());
    !is_sealed_object(a) && text(a).is_some() && text(a) == text(b)
}
