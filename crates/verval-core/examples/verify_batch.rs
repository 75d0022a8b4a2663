//! Verifies batch files: every checksum, the record list, the format and form versions.
//! Prints what each holds, or the first problem found; exits 1 if any file is refused.
//!
//!   cargo run -p verval-core --example verify_batch -- FILE.zip…
//!   cargo run -p verval-core --example verify_batch -- --cat prelist.csv FILE.zip
//!
//! `--cat NAME` prints that file of a verified batch instead (for tests and curious staff).

use verval_core::export::{read_batch, Limits};
use verval_core::record::FORM_VERSION;

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let cat = match args.iter().position(|a| a == "--cat") {
        Some(i) if i + 1 < args.len() => {
            let name = args.remove(i + 1);
            args.remove(i);
            Some(name)
        }
        Some(_) => {
            eprintln!("--cat needs a file name");
            std::process::exit(2);
        }
        None => None,
    };
    let mut refused = false;
    for path in args {
        let verdict = std::fs::read(&path).map_err(|e| e.to_string()).and_then(|bytes| {
            read_batch(&bytes, &Limits::default(), &[FORM_VERSION]).map_err(|e| e.to_string())
        });
        match verdict {
            Ok(batch) if cat.is_some() => {
                let name = cat.as_deref().unwrap_or_default();
                match batch.files.get(name) {
                    Some(bytes) => print!("{}", String::from_utf8_lossy(bytes)),
                    None => {
                        refused = true;
                        println!("REFUSED {path}: no file {name} in the batch");
                    }
                }
            }
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
