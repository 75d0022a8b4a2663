//! Entry point: report panics to the console, then open storage and mount the app.

fn main() {
    console_error_panic_hook::set_once();
    // wasm-bindgen's executor, not Leptos's: Leptos sets its own up when the app mounts,
    // and opening storage comes before that.
    wasm_bindgen_futures::spawn_local(verval::start());
}
