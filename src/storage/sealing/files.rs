//! Files at rest (photos, signatures, a batch's zip): on a phone with a PIN a Blob is kept
//! as `{ type, vv1 }`, its type in the clear and its bytes sealed for its place.

use super::{is_sealed_object, unreadable, SEALED};
use crate::storage::error::Operation;
use crate::storage::{decode, IdbStore, StoreError};
use verval_core::vault::envelope::Place;
use wasm_bindgen::{JsCast, JsValue};

/// The field of a sealed Blob that keeps its type.
const BLOB_TYPE: &str = "type";

/// A Blob's bytes (read before any write transaction opens: awaiting anything but
/// IndexedDB inside one commits it).
pub(in crate::storage) async fn blob_bytes(
    blob: &web_sys::Blob,
    operation: Operation,
) -> Result<Vec<u8>, StoreError> {
    crate::blob::blob_bytes(blob)
        .await
        .map_err(|e| StoreError::Failed {
            operation,
            detail: format!("a file could not be read: {e:?}"),
        })
}

impl IdbStore {
    /// A Blob (a photo, a batch's zip) as it is to be stored: on a phone with a PIN,
    /// `{ type, vv1 }`, its type in the clear and its bytes sealed for `place`; else the
    /// Blob.
    pub(in crate::storage) async fn blob_to_store(
        &self,
        place: Place<'_>,
        blob: &web_sys::Blob,
    ) -> Result<JsValue, StoreError> {
        if !self.seals() {
            return Ok(blob.clone().into());
        }
        let bytes = blob_bytes(blob, Operation::Save).await?;
        let Some(sealed) = self.seal_bytes(place, &bytes)? else {
            return Ok(blob.clone().into());
        };
        let out = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&out, &BLOB_TYPE.into(), &blob.type_().into());
        let _ = js_sys::Reflect::set(&out, &SEALED.into(), &js_sys::Uint8Array::from(sealed.as_slice()));
        Ok(out.into())
    }

    /// A stored Blob value as [`Self::blob_to_store`] wrote it, opened: `None` when it is
    /// neither a Blob nor a sealed one.
    pub(in crate::storage) fn opened_blob(
        &self,
        place: Place<'_>,
        value: &JsValue,
    ) -> Result<Option<web_sys::Blob>, StoreError> {
        if !is_sealed_object(value) {
            return Ok(value.dyn_ref::<web_sys::Blob>().cloned());
        }
        let sealed = js_sys::Uint8Array::new(&decode::field(value, SEALED)).to_vec();
        let store = place.store;
        let bytes = self.open_bytes(place, &sealed)?;
        let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes.as_slice()));
        let options = web_sys::BlobPropertyBag::new();
        options.set_type(&decode::text(value, BLOB_TYPE));
        web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
            .map(Some)
            .map_err(|_| unreadable(store, "a sealed file that is no file"))
    }
}
