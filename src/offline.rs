//! Whether this phone can work with no signal: asks the service worker, which fetches the
//! work area's region tables while there is signal (see `verval_core::offline`). The browser
//! side lives in `browser.js`.

use crate::storage::prefs;
use verval_core::offline::{Readiness, PROVINCE_LIST, REGION_TABLES};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(module = "/src/browser.js")]
extern "C" {
    #[wasm_bindgen(js_name = offlineReadiness)]
    fn offline_readiness(dir: &str, list: &str, area: &str) -> js_sys::Promise;
}

/// Asks, and waits for the answer (on a first visit, until the app is stored): a
/// [`Readiness`] by its number (see [`Readiness::at`]).
pub async fn readiness() -> u32 {
    // Only ever written through `verval_core::offline::widen_area`: provinces or nothing.
    let area = prefs::work_area();
    let answer = JsFuture::from(offline_readiness(REGION_TABLES, PROVINCE_LIST, &area)).await;
    match answer.ok().and_then(|a| a.as_f64()) {
        Some(number) => number as u32,
        None => Readiness::NoApp as u32,
    }
}
