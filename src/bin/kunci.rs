//! Entry point of the lock page (`kunci.html`): the PIN is set, typed and reset here.

fn main() {
    // See src/main.rs: the panic hook only in debug builds.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    wasm_bindgen_futures::spawn_local(verval::start_lock());
}
