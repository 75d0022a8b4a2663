//! Entry point of the export worker (`ekspor_worker`, started by the export page): makes
//! batches off the page's thread.

fn main() {
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    verval::export_job::worker::run();
}
