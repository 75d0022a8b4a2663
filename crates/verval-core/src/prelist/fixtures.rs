//! Prelist files made by hand for tests (here and in the hub's): the smallest XLSX that
//! spreadsheet readers accept, with cells wherever a test wants them.

use std::io::{Cursor, Write};

/// A minimal XLSX whose one sheet holds `cells` (`("A1", "NIK")`), declaring
/// `dimension` if given.
pub fn sparse_xlsx(dimension: Option<&str>, cells: &[(&str, &str)]) -> Vec<u8> {
    let sheet_data: String = cells
        .iter()
        .map(|(at, text)| {
            let row: String = at.chars().filter(char::is_ascii_digit).collect();
            format!("<row r=\"{row}\"><c r=\"{at}\" t=\"inlineStr\"><is><t>{text}</t></is></c></row>")
        })
        .collect();
    let dimension = dimension.map_or(String::new(), |d| format!("<dimension ref=\"{d}\"/>"));
    let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    let rels = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let package = "http://schemas.openxmlformats.org/package/2006/relationships";
    let parts = [
        ("[Content_Types].xml".to_owned(), String::from("<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/><Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/></Types>")),
        ("_rels/.rels".to_owned(), format!("<?xml version=\"1.0\"?><Relationships xmlns=\"{package}\"><Relationship Id=\"rId1\" Type=\"{rels}/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>")),
        ("xl/workbook.xml".to_owned(), format!("<?xml version=\"1.0\"?><workbook xmlns=\"{main}\" xmlns:r=\"{rels}\"><sheets><sheet name=\"prelist\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>")),
        ("xl/_rels/workbook.xml.rels".to_owned(), format!("<?xml version=\"1.0\"?><Relationships xmlns=\"{package}\"><Relationship Id=\"rId1\" Type=\"{rels}/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>")),
        ("xl/worksheets/sheet1.xml".to_owned(), format!("<?xml version=\"1.0\"?><worksheet xmlns=\"{main}\">{dimension}<sheetData>{sheet_data}</sheetData></worksheet>")),
    ];
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, text) in parts {
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("a part");
        zip.write_all(text.as_bytes()).expect("its text");
    }
    zip.finish().expect("the zip").into_inner()
}
