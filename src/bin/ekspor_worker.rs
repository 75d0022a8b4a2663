//! Entry point of the export page's worker (`ekspor_worker`). Started by the export page it
//! makes a batch file; started under the name `verval-sync` (by any page, once the phone is
//! enrolled with a hub) it runs the sync loop.

use wasm_bindgen::JsCast;

fn main() {
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    // The sync worker's name carries the page's session after a space (`sync::start`).
    if scope.name().split(' ').next() == Some(verval::sync::WORKER_NAME) {
        verval::sync::worker::run();
    } else {
        verval::export_job::worker::run();
    }
}
