//! Browser tests: one test binary run by wasm-bindgen-test-runner in headless Chromium, against
//! the browser's real IndexedDB and localStorage. Each test uses a database of its own, with a
//! random name, and deletes it afterwards.
#![cfg(target_arch = "wasm32")]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod campaign;
mod dataforms;
mod discard;
mod exports;
mod fixtures;
mod journal;
mod musdes;
mod phone_backup;
mod prefs;
mod renderer;
mod reviews;
mod route;
mod sealing;
mod session;
mod store_idb;
mod sync;
mod vault;
