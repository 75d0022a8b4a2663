//! The browser's WebCrypto, for what the core cannot do itself: deriving a key from the
//! enumerator's PIN with PBKDF2-HMAC-SHA256 (issue #23). Native code, off the page's thread,
//! no bytes added to any page; measured against Argon2id in wasm in `bench/kdf`.
//!
//! WebCrypto's `crypto.subtle` exists only on a secure page (HTTPS, or 127.0.0.1): a district
//! serving the app over plain HTTP gets a clear error instead of a weaker lock.

use verval_core::vault::KEY_LEN;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    #[error("kunci PIN perlu alamat aplikasi yang aman (https://): browser ini tidak memberi WebCrypto di sini (the PIN lock needs the app on a secure address, https://)")]
    NotSecure,
    #[error(
        "browser gagal menurunkan kunci dari PIN (the browser failed to derive the key from the PIN): {0}"
    )]
    Failed(String),
}

fn failed(e: JsValue) -> CryptoError {
    CryptoError::Failed(
        e.dyn_ref::<js_sys::Error>()
            .map_or_else(|| format!("{e:?}"), |e| String::from(e.message())),
    )
}

/// `crypto.subtle`, in a page or a worker.
fn subtle() -> Result<web_sys::SubtleCrypto, CryptoError> {
    let crypto = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("crypto"))
        .map_err(|_| CryptoError::NotSecure)?;
    let subtle =
        js_sys::Reflect::get(&crypto, &JsValue::from_str("subtle")).map_err(|_| CryptoError::NotSecure)?;
    subtle.dyn_into().map_err(|_| CryptoError::NotSecure)
}

/// PBKDF2-HMAC-SHA256 of `pin` with `salt` and `iterations`: the 32-byte key that wraps the
/// data key (`verval_core::vault::pin::PinWrap`).
pub async fn pbkdf2_sha256(pin: &str, salt: &[u8], iterations: u32) -> Result<[u8; KEY_LEN], CryptoError> {
    let subtle = subtle()?;
    let usages = js_sys::Array::of1(&JsValue::from_str("deriveBits"));
    let pin_bytes = js_sys::Uint8Array::from(pin.as_bytes());
    let material = subtle
        .import_key_with_str("raw", &pin_bytes, "PBKDF2", false, &usages)
        .map_err(failed)?;
    let material: web_sys::CryptoKey = JsFuture::from(material).await.map_err(failed)?.unchecked_into();
    // The PIN's copy handed to the browser is cleared; WebCrypto keeps its own, unexportable.
    pin_bytes.fill(0, 0, pin_bytes.length());
    let params = web_sys::Pbkdf2Params::new(
        "PBKDF2",
        &JsValue::from_str("SHA-256"),
        iterations,
        &js_sys::Uint8Array::from(salt),
    );
    let bits = subtle
        .derive_bits_with_object(&params, &material, (KEY_LEN * 8) as u32)
        .map_err(failed)?;
    let bits = JsFuture::from(bits).await.map_err(failed)?;
    let view = js_sys::Uint8Array::new(&bits);
    let mut bytes = view.to_vec();
    view.fill(0, 0, view.length());
    let derived = <[u8; KEY_LEN]>::try_from(bytes.as_slice());
    let len = bytes.len();
    bytes.fill(0);
    derived.map_err(|_| CryptoError::Failed(format!("{len} bytes")))
}
