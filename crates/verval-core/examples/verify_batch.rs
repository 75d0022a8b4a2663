//! Verifies batch files: every checksum, the record list, the format and form versions.
//! Prints what each holds, or the first problem found; exits 1 if any file is refused.
//!
//!   cargo run -p verval-core --example verify_batch -- FILE.zip…

use verval_core::export::{read_batch, Limits};
use verval_core::record::FORM_VERSION;

fn main() {
    let mut refused = false;
    for path in std::env::args().skip(1) {
        let verdict = std::fs::read(&path).map_err(|e| e.to_string()).and_then(|bytes| {
            read_batch(&bytes, &Limits::default(), &[FORM_VERSION]).map_err(|e| e.to_string())
        });
        match verdict {
            Ok(batch) => println!(
                "OK {path}: batch {} by {} ({}), {} records, {} files, {} photos missing",
                batch.manifest.batch_id,
                batch.manifest.enumerator,
                batch.manifest.kode_desa,
                batch.records.len(),
                batch.files.len(),
                batch.manifest.missing_photos.len()
            ),
            Err(why) => {
                refused = true;
                println!("REFUSED {path}: {why}");
            }
        }
    }
    if refused {
        std::process::exit(1);
    }
}
