//! What a district form's expressions read on the phone: the device's clock and time zone,
//! and `regex()` by the browser's own `RegExp` (the app carries no regular-expression
//! engine of its own). A pattern the browser refuses is an error, not a crash.

use crate::device;
use verval_core::dataform::Host;
use wasm_bindgen::{JsCast, JsValue};

pub struct BrowserHost;

impl Host for BrowserHost {
    fn now_ms(&self) -> i64 {
        device::now().0
    }

    fn utc_offset_minutes(&self) -> i32 {
        device::utc_offset_minutes()
    }

    fn regex(&self, text: &str, pattern: &str) -> Result<bool, String> {
        let refused = |e: JsValue| {
            let why = e
                .dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
                .unwrap_or_default();
            format!("regex {pattern:?}: {why}")
        };
        let constructor =
            js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("RegExp")).map_err(refused)?;
        let constructor: js_sys::Function = constructor.dyn_into().map_err(refused)?;
        // `new RegExp(pattern)`, as Enketo reads a form's patterns; it throws on a pattern
        // it cannot read: caught here.
        let args = js_sys::Array::of1(&JsValue::from_str(pattern));
        let regexp: js_sys::RegExp = js_sys::Reflect::construct(&constructor, &args)
            .map_err(refused)?
            .unchecked_into();
        Ok(regexp.test(text))
    }
}
