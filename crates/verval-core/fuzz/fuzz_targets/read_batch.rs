//! Any bytes given to the batch reader: it must answer Ok or a BatchError, never panic,
//! hang or allocate without bound (libFuzzer's -rss_limit_mb catches the last).
#![no_main]

use libfuzzer_sys::fuzz_target;
use verval_core::export::{read_batch, Limits};
use verval_core::form::KnownForms;

fuzz_target!(|data: &[u8]| {
    // Small limits, so a fuzzed "declared size" cannot make a run slow without being a bug.
    let limits = Limits {
        max_file_bytes: 4 << 20,
        max_entries: 1_000,
        max_entry_bytes: 16 << 20,
        max_total_bytes: 32 << 20,
        ..Limits::default()
    };
    let _ = read_batch(data, &limits, &KnownForms::household());
});
