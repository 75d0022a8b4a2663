//! Writes an XLSForm as a district would hand one over: a workbook with one sheet per key of
//! a JSON object read on standard input, each a list of rows of text cells. The end-to-end
//! tests keep their forms as readable JSON and make the spreadsheet with this.
//!
//!   echo '{"survey": [["type","name","label"],["text","nama","Nama"]]}' \
//!     | cargo run -p verval-core --example write_xlsform -- FORM.xlsx

use std::collections::BTreeMap;
use std::io::Read;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: write_xlsform FILE.xlsx < sheets.json");
        std::process::exit(2);
    };
    let mut input = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut input) {
        eprintln!("standard input: {e}");
        std::process::exit(2);
    }
    let sheets: BTreeMap<String, Vec<Vec<String>>> = match serde_json::from_str(&input) {
        Ok(sheets) => sheets,
        Err(e) => {
            eprintln!("not sheets of text rows: {e}");
            std::process::exit(2);
        }
    };
    let mut book = rust_xlsxwriter::Workbook::new();
    for (name, rows) in &sheets {
        let sheet = book.add_worksheet();
        let written = sheet.set_name(name).map(|_| ()).and_then(|()| {
            for (r, row) in rows.iter().enumerate() {
                for (c, cell) in row.iter().enumerate().filter(|(_, cell)| !cell.is_empty()) {
                    sheet.write_string(r as u32, c as u16, cell)?;
                }
            }
            Ok(())
        });
        if let Err(e) = written {
            eprintln!("sheet {name}: {e}");
            std::process::exit(1);
        }
    }
    if let Err(e) = book.save(&path) {
        eprintln!("{path}: {e}");
        std::process::exit(1);
    }
}
