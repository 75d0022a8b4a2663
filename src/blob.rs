//! A Blob's bytes: a picked file, a stored photo, a batch or a backup. Every reader of one
//! goes through here and says in its own error what could not be read.

use wasm_bindgen::JsValue;

/// The whole Blob (or File) in memory. Inside an IndexedDB write transaction this await
/// would commit it: read first, then open the transaction.
pub async fn blob_bytes(blob: &web_sys::Blob) -> Result<Vec<u8>, JsValue> {
    let buffer = wasm_bindgen_futures::JsFuture::from(blob.array_buffer()).await?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}
