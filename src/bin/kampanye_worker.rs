//! Entry point of the campaign page's worker (`kampanye_worker`): reads a prelist file.

fn main() {
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    verval::prelist_job::worker::run();
}
