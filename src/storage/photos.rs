//! Photos as Blobs in IndexedDB, by key. A household's answer holds the key
//! (`foto-<uuid>`); the image itself lives here, so saving a record stays small.

use super::error::Operation;
use super::schema::v2;
use super::write::write_tx;
use super::{put_keyed, IdbStore, StoreError};
use indexed_db_futures::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

impl IdbStore {
    /// Stores (or replaces) the photo under `key`.
    pub async fn put_photo(&self, key: &str, photo: &web_sys::Blob) -> Result<(), StoreError> {
        let fail = |e| StoreError::from_idb(Operation::Save, e);
        let tx = write_tx(&self.db, v2::PHOTOS, Operation::Save)?;
        let store = tx.object_store(v2::PHOTOS).map_err(fail)?;
        let value: JsValue = photo.clone().into();
        put_keyed(&store, key, value, fail).await?;
        tx.commit().await
    }

    /// The photo under `key`, if there is one.
    pub async fn photo(&self, key: &str) -> Result<Option<web_sys::Blob>, StoreError> {
        let fail = |e| StoreError::from_idb(Operation::Read, e);
        let tx = self.db.transaction(v2::PHOTOS).build().map_err(fail)?;
        let store = tx.object_store(v2::PHOTOS).map_err(fail)?;
        let found: Option<JsValue> = store.get(key).primitive().map_err(fail)?.await.map_err(fail)?;
        match found {
            None => Ok(None),
            Some(value) => value
                .dyn_into::<web_sys::Blob>()
                .map(Some)
                .map_err(|_| StoreError::Unreadable(format!("photo {key} is not an image"))),
        }
    }

    /// Deletes the photo under `key` (nothing if there is none).
    pub async fn delete_photo(&self, key: &str) -> Result<(), StoreError> {
        let fail = |e| StoreError::from_idb(Operation::Save, e);
        let tx = write_tx(&self.db, v2::PHOTOS, Operation::Save)?;
        let store = tx.object_store(v2::PHOTOS).map_err(fail)?;
        store.delete(key).primitive().map_err(fail)?.await.map_err(fail)?;
        tx.commit().await
    }
}
