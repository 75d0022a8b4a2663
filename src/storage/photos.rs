//! Photos as Blobs in IndexedDB, by key. A household's answer holds the key
//! (`foto-<uuid>`); the image itself lives here, so saving a record stays small. ID-card
//! photos and signatures are personal data: once the phone has a PIN they are sealed under
//! the data key (issue #23), kept as `{ type, vv1 }` (`IdbStore::blob_to_store`: the
//! image's type in the clear, its bytes sealed, bound to the photo's key).

use super::error::Operation;
use super::schema::v2;
use super::write::write_tx;
use super::{put_keyed, IdbStore, StoreError};
use indexed_db_futures::prelude::*;
use verval_core::vault::envelope::Place;
use wasm_bindgen::JsValue;

fn place(key: &str) -> Place<'_> {
    Place {
        store: v2::PHOTOS,
        key,
    }
}

impl IdbStore {
    /// Stores (or replaces) the photo under `key`.
    pub async fn put_photo(&self, key: &str, photo: &web_sys::Blob) -> Result<(), StoreError> {
        let value = self.blob_to_store(place(key), photo).await?;
        let fail = |e| StoreError::from_idb(Operation::Save, e);
        let tx = write_tx(&self.db, v2::PHOTOS, Operation::Save)?;
        let store = tx.object_store(v2::PHOTOS).map_err(fail)?;
        put_keyed(&store, key, value, fail).await?;
        tx.commit().await
    }

    /// The photo under `key`, if there is one.
    pub async fn photo(&self, key: &str) -> Result<Option<web_sys::Blob>, StoreError> {
        let found = self.stored_photo(key).await?;
        found.map(|value| self.opened_photo(key, value)).transpose()
    }

    /// A stored photo as an image: a sealed one opened.
    fn opened_photo(&self, key: &str, value: JsValue) -> Result<web_sys::Blob, StoreError> {
        self.opened_blob(place(key), &value)?
            .ok_or_else(|| StoreError::Unreadable(format!("photo {key} is not an image")))
    }

    /// Deletes the photo under `key` (nothing if there is none).
    pub async fn delete_photo(&self, key: &str) -> Result<(), StoreError> {
        let fail = |e| StoreError::from_idb(Operation::Save, e);
        let tx = write_tx(&self.db, v2::PHOTOS, Operation::Save)?;
        let store = tx.object_store(v2::PHOTOS).map_err(fail)?;
        store.delete(key).primitive().map_err(fail)?.await.map_err(fail)?;
        tx.commit().await
    }

    /// A photo's stored value as it is, sealed or not.
    async fn stored_photo(&self, key: &str) -> Result<Option<JsValue>, StoreError> {
        let fail = |e| StoreError::from_idb(Operation::Read, e);
        let tx = self.db.transaction(v2::PHOTOS).build().map_err(fail)?;
        let store = tx.object_store(v2::PHOTOS).map_err(fail)?;
        store.get(key).primitive().map_err(fail)?.await.map_err(fail)
    }
}
