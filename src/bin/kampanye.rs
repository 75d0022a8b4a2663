//! Entry point of the campaign page (`kampanye.html`): open storage and mount the list of
//! assigned families to visit.

fn main() {
    // See src/main.rs: the panic hook only in debug builds.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    wasm_bindgen_futures::spawn_local(verval::start_campaign());
}
