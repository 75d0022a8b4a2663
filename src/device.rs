//! What the app asks of the device besides storage: the clock, the time zone and randomness.
//! The core takes these as values; this is where they come from.

use verval_core::date::Date;
use verval_core::{RecordId, Timestamp};
use wasm_bindgen::JsValue;

/// The device clock, in milliseconds since the epoch.
pub fn now() -> Timestamp {
    Timestamp(js_sys::Date::now() as i64)
}

/// Minutes east of UTC of the device's time zone (WIB is +420).
pub fn utc_offset_minutes() -> i32 {
    -(js_sys::Date::new_0().get_timezone_offset() as i32)
}

/// Today's date where the enumerator is.
pub fn today() -> Date {
    now().local_date(utc_offset_minutes())
}

/// Why a new record id could not be made.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("the browser's random number generator is not available: {0}")]
pub struct NoRandomness(String);

/// A fresh record id from the browser's cryptographic random numbers. `crypto.getRandomValues`
/// works on plain-http pages too, unlike `crypto.randomUUID`, so a district server on a LAN
/// address can serve the app. Works in a page and in a worker (the export's).
pub fn new_record_id() -> Result<RecordId, NoRandomness> {
    let mut bytes = [0u8; 16];
    fill_random(&mut bytes)?;
    Ok(RecordId::from_random_bytes(bytes))
}

/// Fills `bytes` from the browser's cryptographic random numbers (in a page or a worker).
pub fn fill_random(bytes: &mut [u8]) -> Result<(), NoRandomness> {
    use wasm_bindgen::JsCast;
    let describe = |e: JsValue| NoRandomness(format!("{e:?}"));
    let crypto: web_sys::Crypto = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("crypto"))
        .map_err(describe)?
        .dyn_into()
        .map_err(|_| NoRandomness("no crypto".into()))?;
    // getRandomValues gives at most 65,536 bytes a call.
    for chunk in bytes.chunks_mut(65_536) {
        crypto.get_random_values_with_u8_array(chunk).map_err(describe)?;
    }
    Ok(())
}

/// Resolves once the page has loaded and drawn a frame (or after half a second when the
/// browser draws no frames, as in a hidden tab): for work that must not compete with the
/// page's start-up.
pub async fn after_first_frame() {
    let loaded = js_sys::Promise::new(&mut |resolve, _reject| {
        let waiting = web_sys::window().is_some_and(|window| {
            let complete = window.document().is_some_and(|d| d.ready_state() == "complete");
            !complete && window.add_event_listener_with_callback("load", &resolve).is_ok()
        });
        if !waiting {
            let _ = resolve.call0(&JsValue::NULL);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(loaded).await;
    let drawn = js_sys::Promise::new(&mut |resolve, _reject| {
        let waiting = web_sys::window().is_some_and(|window| {
            let frame = window.request_animation_frame(&resolve).is_ok();
            let fallback = window
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 500)
                .is_ok();
            frame || fallback
        });
        if !waiting {
            let _ = resolve.call0(&JsValue::NULL);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(drawn).await;
    // The frame callback runs before that frame is painted; the paint comes before the next task.
    sleep_ms(0).await;
}

/// Waits `ms` milliseconds without blocking the page.
pub async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        if let Some(window) = web_sys::window() {
            if window
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
                .is_ok()
            {
                return;
            }
        }
        // No timer available: resolve at once rather than never.
        let _ = resolve.call0(&JsValue::NULL);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
