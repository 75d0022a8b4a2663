//! Verifies batch files: every checksum, the record list, the format and form versions.
//! Prints what each holds, or the first problem found; exits 1 if any file is refused.
//!
//!   cargo run -p verval-core --example verify_batch -- FILE.zip…
//!   cargo run -p verval-core --example verify_batch -- --cat prelist.csv FILE.zip
//!
//! `--cat NAME` prints that file of a verified batch instead (for tests and curious staff);
//! `--cat verval.xlsx:SHEET` prints a sheet of the workbook, a row a line, cells by tabs.
//! `--xlsx SHEET FILE.xlsx` prints a sheet of a workbook that is not in a batch (the Musdes
//! list a phone downloads) the same way, read by calamine.
//! `--form ID:VERSION` (repeatable) accepts records of that district form's version, which
//! the hub knows from its imports; without it only the household form's records are read.
//! `--unzip NAME FILE.zip` writes a file of any zip as it is stored (a district form's tables
//! downloaded on the phone, its photos); `--unzip NAME.xlsx:SHEET FILE.zip` a sheet of a workbook inside it.

use calamine::Reader;
use verval_core::export::{read_batch, Limits};
use verval_core::form::KnownForms;

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--xlsx") {
        let (Some(sheet), Some(path)) = (args.get(1), args.get(2)) else {
            eprintln!("--xlsx needs a sheet and a file");
            std::process::exit(2);
        };
        match std::fs::read(path)
            .map_err(|e| e.to_string())
            .and_then(|b| sheet_text(&b, sheet))
        {
            Ok(text) => print!("{text}"),
            Err(why) => {
                println!("REFUSED {path}: {why}");
                std::process::exit(1);
            }
        }
        return;
    }
    if args.first().map(String::as_str) == Some("--unzip") {
        let (Some(name), Some(path)) = (args.get(1), args.get(2)) else {
            eprintln!("--unzip needs a file name and a zip");
            std::process::exit(2);
        };
        match std::fs::read(path)
            .map_err(|e| e.to_string())
            .and_then(|bytes| unzipped(&bytes, name))
        {
            Ok(bytes) => {
                use std::io::Write;
                let _ = std::io::stdout().write_all(&bytes);
            }
            Err(why) => {
                println!("REFUSED {path}: {why}");
                std::process::exit(1);
            }
        }
        return;
    }
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
    let mut known = KnownForms::household();
    while let Some(i) = args.iter().position(|a| a == "--form") {
        let form = (i + 1 < args.len()).then(|| args.remove(i + 1));
        args.remove(i);
        match form.as_deref().and_then(|f| f.split_once(':')) {
            Some((id, version)) => known.add(id, version),
            None => {
                eprintln!("--form needs ID:VERSION");
                std::process::exit(2);
            }
        }
    }
    let mut refused = false;
    for path in args {
        let verdict = std::fs::read(&path)
            .map_err(|e| e.to_string())
            .and_then(|bytes| read_batch(&bytes, &Limits::default(), &known).map_err(|e| e.to_string()));
        match verdict {
            Ok(batch) if cat.is_some() => {
                let name = cat.as_deref().unwrap_or_default();
                let (file, sheet) = match name.split_once(':') {
                    Some((file, sheet)) => (file, Some(sheet)),
                    None => (name, None),
                };
                match batch.files.get(file) {
                    Some(bytes) => match sheet {
                        None => print!("{}", String::from_utf8_lossy(bytes)),
                        Some(sheet) => match sheet_text(bytes, sheet) {
                            Ok(text) => print!("{text}"),
                            Err(why) => {
                                refused = true;
                                println!("REFUSED {path}: {why}");
                            }
                        },
                    },
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

/// One sheet of a workbook, a row a line, cells separated by tabs.
fn sheet_text(xlsx: &[u8], sheet: &str) -> Result<String, String> {
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx))
        .map_err(|e: calamine::XlsxError| e.to_string())?;
    let range = book
        .worksheet_range(sheet)
        .map_err(|e| format!("sheet {sheet}: {e}"))?;
    let mut text = String::new();
    for row in range.rows() {
        let cells: Vec<String> = row.iter().map(|c| c.to_string()).collect();
        text.push_str(&cells.join("\t"));
        text.push('\n');
    }
    Ok(text)
}

/// A file of a zip as text, or (`NAME.xlsx:SHEET`) a sheet of a workbook in it.
fn unzipped(zip: &[u8], name: &str) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let (file, sheet) = match name.split_once(':') {
        Some((file, sheet)) => (file, Some(sheet)),
        None => (name, None),
    };
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).map_err(|e| e.to_string())?;
    let mut entry = archive.by_name(file).map_err(|e| format!("{file}: {e}"))?;
    let mut bytes = Vec::new();
    entry.read_to_end(&mut bytes).map_err(|e| e.to_string())?;
    match sheet {
        Some(sheet) => sheet_text(&bytes, sheet).map(String::into_bytes),
        // As stored: a CSV's text, a photo's bytes.
        None => Ok(bytes),
    }
}
