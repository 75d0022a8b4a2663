//! XLSX and CSV files into a [`Sheet`]. CSV from Indonesian Excel uses `;` between fields:
//! the separator is whichever of `;`, `,` and tab the first lines have most of (not the
//! first line alone: a title above the table often has none).

use super::cell::{Cell, Sheet};
use calamine::{Data, Reader, Xlsx};
use std::io::Cursor;

#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("berkas XLSX tidak terbaca (unreadable XLSX): {0}")]
    Xlsx(String),
    #[error("berkas CSV tidak terbaca (unreadable CSV), baris {row}: {reason}")]
    Csv { row: usize, reason: String },
    #[error("berkas tidak punya lembar kerja (no worksheet)")]
    NoSheet,
}

/// The first worksheet of an XLSX file.
pub fn read_xlsx(bytes: &[u8]) -> Result<Sheet, FileError> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| FileError::Xlsx(e.to_string()))?;
    let name = book.sheet_names().first().cloned().ok_or(FileError::NoSheet)?;
    let range = book
        .worksheet_range(&name)
        .map_err(|e| FileError::Xlsx(e.to_string()))?;
    // The range starts at its first used cell; the sheet keeps spreadsheet positions.
    let (top, left) = range.start().unwrap_or((0, 0));
    let mut rows = vec![Vec::new(); top as usize];
    for row in range.rows() {
        let mut cells = vec![Cell::Empty; left as usize];
        cells.extend(row.iter().map(|d| match d {
            Data::Empty => Cell::Empty,
            Data::String(s) => Cell::Text(s.clone()),
            Data::Float(f) => Cell::Number(*f),
            Data::Int(i) => Cell::Number(*i as f64),
            Data::Bool(b) => Cell::Text(b.to_string()),
            other => Cell::Text(other.to_string()),
        }));
        rows.push(cells);
    }
    Ok(Sheet { rows })
}

/// How many lines the separator is guessed from.
const SNIFFED_LINES: usize = 10;

/// A CSV file, all cells as text (numbers in a CSV are text already).
pub fn read_csv(bytes: &[u8]) -> Result<Sheet, FileError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let head: Vec<&[u8]> = bytes.split(|b| *b == b'\n').take(SNIFFED_LINES).collect();
    let count = |s: u8| {
        head.iter()
            .map(|line| line.iter().filter(|b| **b == s).count())
            .sum::<usize>()
    };
    // Ties (no separator at all: one column) go to the comma, listed last.
    let separator = [b'\t', b';', b',']
        .into_iter()
        .rev()
        .max_by_key(|s| count(*s))
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator)
        .from_reader(bytes);
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| FileError::Csv {
            row: i + 1,
            reason: e.to_string(),
        })?;
        rows.push(record.iter().map(|c| Cell::Text(c.to_owned())).collect());
    }
    Ok(Sheet { rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_separator_is_found_below_a_title_line() {
        let text =
            "Daftar warga miskin Desa Sumberan\nNo;Kartu Keluarga;Nama\n1;3513141203150055;KARTO, S.\n";
        let sheet = read_csv(text.as_bytes()).expect("csv");
        assert_eq!(sheet.rows[1].len(), 3);
        assert_eq!(sheet.cell(2, 2).text(), "KARTO, S.");
        let commas = read_csv(b"a,b\n1,2\n").expect("csv");
        assert_eq!(commas.rows[0].len(), 2);
        let single = read_csv(b"nama\nKARTO\n").expect("csv");
        assert_eq!(single.cell(1, 0).text(), "KARTO");
    }
}
