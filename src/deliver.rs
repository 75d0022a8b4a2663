//! Handing a file to the user: a download, or the phone's share sheet (WhatsApp, Bluetooth,
//! Drive) where the browser can share files.

use verval_core::text::Message;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Why a file could not be handed over.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct DeliverError(String);

fn describe(e: JsValue) -> DeliverError {
    DeliverError(
        e.dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .unwrap_or_else(|| format!("{e:?}")),
    )
}

/// A zip Blob of these bytes.
pub fn zip_blob(bytes: &[u8]) -> Result<web_sys::Blob, DeliverError> {
    blob_of(bytes, "application/zip")
}

/// A Blob of these bytes, of MIME type `kind`.
pub fn blob_of(bytes: &[u8], kind: &str) -> Result<web_sys::Blob, DeliverError> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(kind);
    web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(describe)
}

/// Saves the blob as a download named `file_name`.
pub fn download(blob: &web_sys::Blob, file_name: &str) -> Result<(), DeliverError> {
    let window = web_sys::window().ok_or_else(|| DeliverError("no window".into()))?;
    let document = window
        .document()
        .ok_or_else(|| DeliverError("no document".into()))?;
    let url = web_sys::Url::create_object_url_with_blob(blob).map_err(describe)?;
    let link: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(describe)?
        .dyn_into()
        .map_err(|_| DeliverError("not a link".into()))?;
    link.set_href(&url);
    link.set_download(file_name);
    link.click();
    // The browser has taken the URL once the click is handled; free it a little later.
    let revoke = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 60_000);
    Ok(())
}

/// The share data for one file, if this browser can share files at all.
fn share_data(blob: &web_sys::Blob, file_name: &str) -> Option<(web_sys::Navigator, JsValue)> {
    let navigator = web_sys::window()?.navigator();
    let can_share = js_sys::Reflect::get(&navigator, &JsValue::from_str("canShare")).ok()?;
    let can_share: js_sys::Function = can_share.dyn_into().ok()?;
    let options = web_sys::FilePropertyBag::new();
    options.set_type("application/zip");
    let file =
        web_sys::File::new_with_blob_sequence_and_options(&js_sys::Array::of1(blob), file_name, &options)
            .ok()?;
    let data = js_sys::Object::new();
    js_sys::Reflect::set(&data, &JsValue::from_str("files"), &js_sys::Array::of1(&file)).ok()?;
    js_sys::Reflect::set(&data, &JsValue::from_str("title"), &JsValue::from_str(file_name)).ok()?;
    let yes = can_share.call1(&navigator, &data).ok()?.as_bool()?;
    yes.then_some((navigator, data.into()))
}

/// Whether the share sheet can take a file here (Chrome on Android can; desktop often not).
pub fn can_share_files() -> bool {
    zip_blob(b"PK")
        .ok()
        .and_then(|blob| share_data(&blob, "verval.zip"))
        .is_some()
}

/// Opens the share sheet with the file. A user who closes the sheet gets an error back
/// (`AbortError`), so the batch is not counted as handed over.
pub async fn share(blob: &web_sys::Blob, file_name: &str) -> Result<(), DeliverError> {
    let (navigator, data) =
        share_data(blob, file_name).ok_or_else(|| DeliverError("this browser cannot share files".into()))?;
    let share: js_sys::Function = js_sys::Reflect::get(&navigator, &JsValue::from_str("share"))
        .map_err(describe)?
        .dyn_into()
        .map_err(|_| DeliverError("no share".into()))?;
    let promise: js_sys::Promise = share
        .call1(&navigator, &data)
        .map_err(describe)?
        .dyn_into()
        .map_err(|_| DeliverError("share did not start".into()))?;
    JsFuture::from(promise).await.map_err(describe)?;
    Ok(())
}

/// Hands a file over, by the share sheet or as a download, saying in both languages what
/// went wrong (a closed share sheet is not handed over).
pub async fn hand_over(blob: &web_sys::Blob, file_name: &str, by_share: bool) -> Result<(), Message> {
    let delivered = match by_share {
        true => share(blob, file_name).await,
        false => download(blob, file_name),
    };
    delivered.map_err(|e| {
        Message::new(
            format!("Berkas tidak terkirim: {e}"),
            format!("The file was not handed over: {e}"),
        )
    })
}
