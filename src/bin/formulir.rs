//! Entry point of the district forms page (`formulir.html`, issue #25).

fn main() {
    // See src/main.rs: the panic hook only in debug builds.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    wasm_bindgen_futures::spawn_local(verval::start_data_forms());
}
