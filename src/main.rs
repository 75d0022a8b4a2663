//! Entry point of the list page (`index.html`): open storage and mount the household list.

fn main() {
    // Panic messages in the console for debug builds. Release builds leave the hook out: it
    // costs kilobytes of formatting code in the start-up download, and errors the user must
    // see are typed and shown on screen, never panics.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    // wasm-bindgen's executor, not Leptos's: Leptos sets its own up when the app mounts,
    // and opening storage comes before that.
    wasm_bindgen_futures::spawn_local(verval::start_list());
}
