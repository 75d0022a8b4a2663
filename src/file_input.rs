//! Files the user picks in an `<input type="file">`: the receipt, the assignment and the
//! prelist imports all take one the same way.

use verval_core::text::Message;
use wasm_bindgen::JsCast;

/// The file picked in the input that fired `ev`, if any. The input is cleared, so picking
/// the same file again (after fixing it) fires again.
pub fn take_picked_file(ev: &leptos::ev::Event) -> Option<web_sys::File> {
    let input = ev.target()?.dyn_into::<web_sys::HtmlInputElement>().ok()?;
    let file = input.files().and_then(|files| files.get(0));
    input.set_value("");
    file
}

fn unreadable(e: wasm_bindgen::JsValue) -> Message {
    Message::new(
        format!("Berkas tidak terbaca: {e:?}"),
        format!("The file cannot be read: {e:?}"),
    )
}

/// The file's bytes.
pub async fn file_bytes(file: &web_sys::File) -> Result<Vec<u8>, Message> {
    crate::blob::blob_bytes(file).await.map_err(unreadable)
}

/// The file as text (UTF-8).
pub async fn file_text(file: &web_sys::File) -> Result<String, Message> {
    let text = wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .map_err(unreadable)?;
    Ok(text.as_string().unwrap_or_default())
}
