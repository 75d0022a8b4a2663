//! The village meetings recorded on this phone and those the hub handed it (issue #24): one
//! `verval_core::aid::meeting_book::MeetingBook` under one meta key, read and changed in one
//! transaction. Its notes may name a family's circumstances, so on a phone with a PIN it is
//! sealed under the data key like a household (`{ sealed }`); before a PIN it is kept as
//! its JSON (`{ plain }`), sealed by the first unlock (`sealing::migration`).

use super::error::Operation;
use super::schema::v3;
use super::{decode, put_keyed, read_one, IdbStore, StoreError};
use indexed_db_futures::object_store::ObjectStore;
use verval_core::aid::meeting_book::MeetingBook;
use verval_core::vault::envelope::Place;
use wasm_bindgen::{JsCast, JsValue};

/// The meta store's key of the book.
const MEETINGS: &str = "musdes";
const PLACE: Place = Place {
    store: v3::META,
    key: MEETINGS,
};
const SEALED: &str = "sealed";
const PLAIN: &str = "plain";

fn unreadable(why: impl std::fmt::Display) -> StoreError {
    StoreError::Unreadable(format!("musyawarah desa (village meetings): {why}"))
}

impl IdbStore {
    /// The book as stored (`None`: none yet).
    fn book_of(&self, stored: Option<JsValue>) -> Result<MeetingBook, StoreError> {
        let Some(stored) = stored else {
            return Ok(MeetingBook::default());
        };
        let sealed = decode::field(&stored, SEALED);
        let json = match sealed.dyn_into::<js_sys::Uint8Array>() {
            Ok(bytes) => self.open_bytes(PLACE, &bytes.to_vec())?.to_vec(),
            Err(_) => decode::text(&stored, PLAIN).into_bytes(),
        };
        serde_json::from_slice(&json).map_err(unreadable)
    }

    /// The book as it is to be stored: sealed when the store holds the data key.
    fn book_to_store(&self, book: &MeetingBook) -> Result<JsValue, StoreError> {
        let json = serde_json::to_string(book).map_err(unreadable)?;
        let stored = js_sys::Object::new();
        let (field, value): (&str, JsValue) = match self.seal_bytes(PLACE, json.as_bytes())? {
            Some(sealed) => (SEALED, js_sys::Uint8Array::from(sealed.as_slice()).into()),
            None => (PLAIN, JsValue::from_str(&json)),
        };
        js_sys::Reflect::set(&stored, &field.into(), &value).map_err(|e| unreadable(format!("{e:?}")))?;
        Ok(stored.into())
    }

    /// The phone's meetings.
    pub async fn meeting_book(&self) -> Result<MeetingBook, StoreError> {
        let stored = self.meta_raw(MEETINGS).await?;
        self.book_of(stored.filter(|v| !v.is_undefined() && !v.is_null()))
    }

    /// Reads the book, lets `change` change it, and writes it back, in one transaction.
    pub async fn change_meeting_book<R>(
        &self,
        change: impl FnOnce(&mut MeetingBook) -> R,
    ) -> Result<R, StoreError> {
        self.meta_change_raw(MEETINGS, |found| {
            let mut book = self.book_of(found.filter(|v| !v.is_undefined() && !v.is_null()))?;
            let outcome = change(&mut book);
            Ok((Some(self.book_to_store(&book)?), outcome))
        })
        .await
    }

    /// [`Self::change_meeting_book`] inside the caller's transaction on the meta store (the
    /// assignment's).
    pub(super) async fn change_meeting_book_in(
        &self,
        meta: &ObjectStore<'_>,
        change: impl FnOnce(&mut MeetingBook),
    ) -> Result<(), StoreError> {
        let fail = |e| StoreError::from_idb(Operation::Save, e);
        let mut book = self.book_of(read_one(meta, MEETINGS, fail).await?)?;
        change(&mut book);
        put_keyed(meta, MEETINGS, self.book_to_store(&book)?, fail).await
    }

    /// Seals a book kept plain before the phone had a PIN; whether it sealed one. Its JSON
    /// is sealed as it is, unread: every page runs this, and none but the campaign page and
    /// the sync worker carries the book's reader.
    pub(super) async fn seal_plain_meeting_book(&self) -> Result<bool, StoreError> {
        let Some(kept) = self.meta_raw(MEETINGS).await? else {
            return Ok(false);
        };
        let plain = decode::field(&kept, PLAIN).as_string();
        let Some(plain) = plain else {
            return Ok(false);
        };
        let Some(sealed) = self.seal_bytes(PLACE, plain.as_bytes())? else {
            return Ok(false);
        };
        let stored = js_sys::Object::new();
        let bytes: JsValue = js_sys::Uint8Array::from(sealed.as_slice()).into();
        js_sys::Reflect::set(&stored, &SEALED.into(), &bytes).map_err(|e| unreadable(format!("{e:?}")))?;
        // Written only if the book is still the one read.
        self.meta_change_raw(MEETINGS, |found| {
            let unchanged = found.is_some_and(|now| decode::field(&now, PLAIN).as_string() == Some(plain));
            Ok(match unchanged {
                true => (Some(stored.into()), true),
                false => (None, false),
            })
        })
        .await
    }
}
