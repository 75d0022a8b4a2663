//! Any bytes given to the prelist readers (XLSX and CSV) and then to the P3KE column
//! detection and reader: Ok or an error, never a panic, a hang or unbounded memory (a sheet
//! with two cells far apart once asked for half a terabyte).
#![no_main]

use libfuzzer_sys::fuzz_target;
use verval_core::prelist::columns::detect;
use verval_core::prelist::files::{read_csv, read_xlsx};
use verval_core::prelist::{read_prelist, P3KE_PRESET};

fuzz_target!(|data: &[u8]| {
    for sheet in [read_xlsx(data), read_csv(data)].into_iter().flatten() {
        if let Some(mapping) = detect(&sheet, &P3KE_PRESET) {
            let _ = read_prelist(&sheet, &mapping);
        }
    }
});
