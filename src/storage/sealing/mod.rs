//! Stored values under the data key (issue #23). Once the store holds the data key
//! ([`IdbStore::hold_key`]) every household, kept revision, search entry, visit entry,
//! assigned family, review and photo (`storage::photos`) it writes is sealed
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
use super::journal::local_storage;
use super::schema::{v1, v2, v5, v6};
use super::vault::random;
use super::{decode, IdbStore, StoreError};
use std::cell::RefCell;
use std::rc::Rc;
use verval_core::vault::envelope::{is_sealed, open_value, seal_value, Place, NONCE_LEN};
use verval_core::vault::{DataKey, Zeroizing};
use wasm_bindgen::{JsCast, JsValue};

mod files;
mod migration;

pub(super) use files::blob_bytes;

/// The field a sealed value is kept under.
pub(super) const SEALED: &str = "vv1";

/// In localStorage, then the database's name: `1` once the phone has a PIN.
/// `keluarga.html`'s inline script spells the same key for the database "verval".
pub const PIN_MARK: &str = "verval.pin.";
/// [`PIN_MARK`]'s value on a phone with the district's keys and no PIN yet (`keluarga.html`'s
/// inline script spells it too).
const PIN_DUE: &str = "kunci";

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

pub(super) const ASSIGNED: Layout = Layout {
    store: v5::ASSIGNED,
    key: &["prelist_id"],
    // What the campaign's village counts read; the family (names, NIKs) is sealed.
    plain: &["prelist_id", "kode_desa", "source", "listed"],
};

pub(super) const REVIEWS: Layout = Layout {
    store: v6::REVIEWS,
    key: &["record_id"],
    // The notes may quote a family's names and numbers, and a duplicate names another
    // family: all sealed but what orders the decisions.
    plain: &["record_id", "seq", "revision"],
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

fn unreadable(store: &str, why: &str) -> StoreError {
    StoreError::Unreadable(format!("{store}: {why}"))
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

/// Sealed bytes as the meta store keeps them: an array of numbers.
pub(super) fn numbers(bytes: &[u8]) -> JsValue {
    bytes
        .iter()
        .map(|b| JsValue::from(*b))
        .collect::<js_sys::Array>()
        .into()
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
        // For the form page's prerendered screen, which runs before any module and cannot
        // seal: with this mark it is not shown, so nothing typed is journaled plain.
        if let Some(storage) = local_storage() {
            let _ = storage.set_item(&self.pin_mark(), "1");
        }
    }

    /// The phone has the district's keys and no PIN yet (`lock::gate` sends it to set one):
    /// marked for the prerendered screen too, so nothing is typed there that the journal
    /// would keep plain until the PIN. Not a PIN: [`Self::pin_set`] reads only "1".
    pub fn mark_pin_due(&self) {
        if let Some(storage) = local_storage() {
            let mark = self.pin_mark();
            if storage.get_item(&mark).ok().flatten().as_deref() != Some("1") {
                let _ = storage.set_item(&mark, PIN_DUE);
            }
        }
    }

    /// This database's key of [`PIN_MARK`].
    fn pin_mark(&self) -> String {
        format!("{PIN_MARK}{}", self.name())
    }

    /// Whether the phone has a PIN: known when the store opened, or set through it — or,
    /// for a page open since before another tab set the PIN, marked in localStorage by
    /// that tab (workers open a store per round, and know it from opening).
    fn pin_set(&self) -> bool {
        if !self.key.1.get() {
            let marked = local_storage().and_then(|s| s.get_item(&self.pin_mark()).ok().flatten());
            if marked.as_deref() == Some("1") {
                self.key.1.set(true);
            }
        }
        self.key.1.get()
    }

    /// Whether what this store writes is sealed: the phone has a PIN (without the key,
    /// writing fails) or the store holds the key.
    pub(super) fn seals(&self) -> bool {
        self.holds_key() || self.pin_set()
    }

    /// Whether the phone has a PIN and this store has not the key: sealed values do not
    /// open, and nothing is written (the sync worker then only sends what is made).
    pub fn locked(&self) -> bool {
        !self.holds_key() && self.pin_set()
    }

    /// `plain` sealed under the data key for `place`; `None` on a phone without a PIN,
    /// which stores it as it is. A phone with a PIN never writes a family plain: without
    /// the key this is [`StoreError::Locked`].
    pub(super) fn seal_bytes(&self, place: Place, plain: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        let held = self.key.0.borrow();
        let Some(key) = held.as_ref() else {
            return if self.pin_set() {
                Err(StoreError::Locked)
            } else {
                Ok(None)
            };
        };
        let nonce = random::<NONCE_LEN>().map_err(|e| StoreError::Failed {
            operation: Operation::Save,
            detail: e.to_string(),
        })?;
        Ok(Some(seal_value(key, place, plain, nonce)))
    }

    /// Seals a meta value's text field kept plain before the PIN (`plain_field`), read and
    /// written by field name, never parsed: the value becomes `{ sealed, …keep }`, written
    /// only if the field still holds the text read. Whether it sealed one. (One function for
    /// every such value: each its own copy cost every page's download ~1 KB.)
    pub(super) async fn seal_plain_text(
        &self,
        place: Place<'static>,
        plain_field: &str,
        keep: &[&str],
    ) -> Result<bool, StoreError> {
        let Some(kept) = self.meta_raw(place.key).await? else {
            return Ok(false);
        };
        let plain = decode::text(&kept, plain_field);
        if plain.is_empty() || !decode::field(&kept, "sealed").is_undefined() {
            return Ok(false);
        }
        // No key held: nothing can be sealed, and the plain value stays as it is.
        let Some(bytes) = self.seal_bytes(place, plain.as_bytes())? else {
            return Ok(false);
        };
        let sealed = js_sys::Object::new();
        // Only the fields there: a field set to undefined would not read back as missing.
        for name in keep {
            let value = decode::field(&kept, name);
            if !value.is_undefined() {
                let _ = js_sys::Reflect::set(&sealed, &(*name).into(), &value);
            }
        }
        let _ = js_sys::Reflect::set(&sealed, &"sealed".into(), &numbers(&bytes));
        self.meta_change_raw(place.key, |found| {
            let unchanged = found.is_some_and(|now| decode::text(&now, plain_field) == plain);
            Ok(match unchanged {
                true => (Some(sealed.into()), true),
                false => (None, false),
            })
        })
        .await
    }

    /// What [`Self::seal_bytes`] sealed for `place`: [`StoreError::Locked`] without the
    /// data key, unreadable when it was sealed for another place or changed.
    pub(super) fn open_bytes(&self, place: Place, sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>, StoreError> {
        let held = self.key.0.borrow();
        let key = held.as_ref().ok_or(StoreError::Locked)?;
        let store = place.store;
        if !is_sealed(sealed) {
            return Err(unreadable(store, "a sealed value without its mark"));
        }
        open_value(key, place, sealed).map_err(|e| unreadable(store, &e.to_string()))
    }

    /// `value` as it is to be stored: sealed when the store holds the data key, else as it
    /// is.
    pub(super) fn sealed(&self, layout: &Layout, value: JsValue) -> Result<JsValue, StoreError> {
        if !self.seals() {
            return Ok(value);
        }
        let text = js_sys::JSON::stringify(&value)
            .ok()
            .and_then(|t| t.as_string())
            .ok_or_else(|| unreadable(layout.store, "not plain data"))?;
        let place = Place {
            store: layout.store,
            key: &place_key(layout, &value),
        };
        let Some(sealed) = self.seal_bytes(place, text.as_bytes())? else {
            return Ok(value);
        };
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
        // Maps as objects: the sealed text is `JSON.stringify`'s, which writes a `Map` as `{}`.
        let value = value
            .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
            .map_err(|e| StoreError::Unreadable(e.to_string()))?;
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
        let place = Place {
            store: layout.store,
            key: &place_key(layout, &stored),
        };
        let plain = self.open_bytes(place, &bytes)?;
        let text = std::str::from_utf8(&plain).map_err(|_| unreadable(layout.store, "not text"))?;
        js_sys::JSON::parse(text).map_err(|_| unreadable(layout.store, "not JSON"))
    }
}

/// A typed record from a stored object already opened.
pub(super) fn record_of<T: serde::de::DeserializeOwned>(value: JsValue) -> Result<T, StoreError> {
    serde_wasm_bindgen::from_value(value).map_err(|e| StoreError::Unreadable(e.to_string()))
}
