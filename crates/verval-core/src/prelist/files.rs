//! XLSX and CSV files into a [`Sheet`]. CSV from Indonesian Excel uses `;` between fields:
//! the separator is whichever of `;`, `,` and tab the first lines have most of (not the
//! first line alone: a title above the table often has none).

use super::cell::{Cell, Sheet};
use calamine::{DataRef, Reader, Xlsx};
use std::io::Cursor;

/// The most rows a prelist sheet may have: the largest district lists (all members of every
/// family in a kabupaten) are a few hundred thousand rows.
pub const MAX_ROWS: usize = 500_000;
/// The most columns: the P3KE template has about 60, an office's own list fewer.
pub const MAX_COLUMNS: usize = 256;
/// The most cells kept in all (each row counts up to its last filled cell): what a district
/// list fills, about 40 columns of the largest lists, and no more than the hub should hold
/// in memory for one file.
pub const MAX_CELLS: usize = 16_000_000;
/// The most bytes the parts of an XLSX file may declare once unpacked: a sheet of
/// [`MAX_CELLS`] short cells and its shared strings, with room to spare.
pub const MAX_UNPACKED_BYTES: u64 = 1 << 30;

#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("berkas XLSX tidak terbaca (unreadable XLSX): {0}")]
    Xlsx(String),
    #[error("berkas CSV tidak terbaca (unreadable CSV), baris {row}: {reason}")]
    Csv { row: usize, reason: String },
    #[error("berkas tidak punya lembar kerja (no worksheet)")]
    NoSheet,
    #[error("lembar kerja terlalu besar: {what}; prelist paling banyak {MAX_ROWS} baris × {MAX_COLUMNS} kolom dan {MAX_CELLS} sel (sheet too large for a prelist: at most {MAX_ROWS} rows × {MAX_COLUMNS} columns, {MAX_CELLS} cells)")]
    TooLarge { what: String },
}

/// A sheet built cell by cell, refusing what no prelist can be before it allocates it.
#[derive(Default)]
struct Bounded {
    rows: Vec<Vec<Cell>>,
    cells: usize,
}

impl Bounded {
    fn check_position(row: usize, column: usize) -> Result<(), FileError> {
        if row >= MAX_ROWS {
            return Err(FileError::TooLarge {
                what: format!("ada sel di baris {} (a cell in row {})", row + 1, row + 1),
            });
        }
        if column >= MAX_COLUMNS {
            return Err(FileError::TooLarge {
                what: format!(
                    "ada sel di kolom ke-{} (a cell in column {})",
                    column + 1,
                    column + 1
                ),
            });
        }
        Ok(())
    }

    fn put(&mut self, row: usize, column: usize, cell: Cell) -> Result<(), FileError> {
        Self::check_position(row, column)?;
        if self.rows.len() <= row {
            self.rows.resize_with(row + 1, Vec::new);
        }
        let cells = &mut self.rows[row];
        if cells.len() <= column {
            self.cells += column + 1 - cells.len();
            if self.cells > MAX_CELLS {
                return Err(FileError::TooLarge {
                    what: format!("lebih dari {MAX_CELLS} sel (more than {MAX_CELLS} cells)"),
                });
            }
            cells.resize(column + 1, Cell::Empty);
        }
        cells[column] = cell;
        Ok(())
    }
}

/// The first worksheet of an XLSX file, read cell by cell: a sheet that declares or uses a
/// range beyond a prelist's ([`MAX_ROWS`] × [`MAX_COLUMNS`], [`MAX_CELLS`]) is refused
/// before anything that size is allocated (two cells at A1 and XFD1048576 once asked for
/// half a terabyte).
pub fn read_xlsx(bytes: &[u8]) -> Result<Sheet, FileError> {
    check_unpacked_size(bytes, MAX_UNPACKED_BYTES)?;
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| FileError::Xlsx(e.to_string()))?;
    let name = book.sheet_names().first().cloned().ok_or(FileError::NoSheet)?;
    read_sheet(&mut book, &name)
}

/// Every worksheet of an XLSX file by name, each read as [`read_xlsx`] reads the first
/// (an XLSForm's `survey`, `choices` and `settings`).
pub fn read_xlsx_sheets(bytes: &[u8]) -> Result<Vec<(String, Sheet)>, FileError> {
    check_unpacked_size(bytes, MAX_UNPACKED_BYTES)?;
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| FileError::Xlsx(e.to_string()))?;
    let names = book.sheet_names();
    if names.is_empty() {
        return Err(FileError::NoSheet);
    }
    names
        .into_iter()
        .map(|name| Ok((name.clone(), read_sheet(&mut book, &name)?)))
        .collect()
}

fn read_sheet(book: &mut Xlsx<Cursor<&[u8]>>, name: &str) -> Result<Sheet, FileError> {
    let mut cells = book
        .worksheet_cells_reader(name)
        .map_err(|e| FileError::Xlsx(e.to_string()))?;
    let declared = cells.dimensions();
    let (last_row, last_column) = (declared.end.0 as usize, declared.end.1 as usize);
    if last_row >= MAX_ROWS || last_column >= MAX_COLUMNS {
        return Err(FileError::TooLarge {
            what: format!(
                "lembar kerja menyatakan {} baris × {} kolom (the sheet declares {} rows × {} columns)",
                last_row + 1,
                last_column + 1,
                last_row + 1,
                last_column + 1
            ),
        });
    }
    let mut sheet = Bounded::default();
    while let Some(cell) = cells.next_cell().map_err(|e| FileError::Xlsx(e.to_string()))? {
        let (row, column) = cell.get_position();
        let value = match cell.get_value() {
            DataRef::Empty => continue,
            DataRef::String(s) => Cell::Text(s.clone()),
            DataRef::SharedString(s) => Cell::Text((*s).to_owned()),
            DataRef::Float(f) => Cell::Number(*f),
            DataRef::Int(i) => Cell::Number(*i as f64),
            DataRef::Bool(b) => Cell::Text(b.to_string()),
            other => Cell::Text(calamine::Data::from(other.clone()).to_string()),
        };
        sheet.put(row as usize, column as usize, value)?;
    }
    Ok(Sheet { rows: sheet.rows })
}

/// Refuses an XLSX whose parts declare more than `limit` bytes unpacked, before the reader
/// unpacks its shared strings into memory. What a part declares in the zip's directory is
/// also what the zip reader lets it unpack to (a part holding more fails as damaged), so the
/// sum bounds the memory the reader can take.
fn check_unpacked_size(bytes: &[u8], limit: u64) -> Result<(), FileError> {
    let unreadable = |e: &dyn std::fmt::Display| FileError::Xlsx(e.to_string());
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let declared = zip.by_index_raw(i).map_err(|e| unreadable(&e))?.size();
        total = total.saturating_add(declared);
    }
    if total > limit {
        return Err(FileError::TooLarge {
            what: format!(
                "isinya lebih dari {} MB setelah dibuka (it unpacks to more than {} MB)",
                limit >> 20,
                limit >> 20
            ),
        });
    }
    Ok(())
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
    let mut sheet = Bounded::default();
    for (row, record) in reader.records().enumerate() {
        let record = record.map_err(|e| FileError::Csv {
            row: row + 1,
            reason: e.to_string(),
        })?;
        // Positions are checked before a row's cells are kept: a CSV row cannot be longer
        // than the file, but the limits are the same for every prelist file.
        Bounded::check_position(row, record.len().saturating_sub(1))?;
        for (column, text) in record.iter().enumerate() {
            sheet.put(row, column, Cell::Text(text.to_owned()))?;
        }
        if record.is_empty() && sheet.rows.len() <= row {
            sheet.rows.resize_with(row + 1, Vec::new);
        }
    }
    Ok(Sheet { rows: sheet.rows })
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::sparse_xlsx as xlsx;
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

    fn too_large(result: Result<Sheet, FileError>) -> String {
        match result {
            Err(e @ FileError::TooLarge { .. }) => e.to_string(),
            other => panic!("expected a refusal as too large, got {other:?}"),
        }
    }

    #[test]
    fn a_small_sheet_keeps_its_cells_where_they_are() {
        let sheet = read_xlsx(&xlsx(Some("B2:C3"), &[("B2", "NIK"), ("C3", "3513")])).expect("read");
        assert_eq!(sheet.cell(1, 1).text(), "NIK");
        assert_eq!(sheet.cell(2, 2).text(), "3513");
        assert_eq!(sheet.rows.len(), 3);
    }

    #[test]
    fn two_cells_far_apart_are_refused_before_anything_that_size_is_made() {
        // Issue #17, row 1: A1 and XFD1048576 made the reader allocate ~512 GiB and abort.
        let message = too_large(read_xlsx(&xlsx(None, &[("A1", "NIK"), ("XFD1048576", "x")])));
        assert!(
            message.contains("kolom ke-16384") || message.contains("baris 1048576"),
            "{message}"
        );
        assert!(message.contains("500000 baris × 256 kolom"), "{message}");
        // The declared range alone is enough to refuse.
        let declared = too_large(read_xlsx(&xlsx(Some("A1:XFD1048576"), &[("A1", "NIK")])));
        assert!(
            declared.contains("menyatakan 1048576 baris × 16384 kolom"),
            "{declared}"
        );
        // A far row within the columns, or a far column within the rows, each on its own.
        too_large(read_xlsx(&xlsx(None, &[("A1", "NIK"), ("A600000", "x")])));
        too_large(read_xlsx(&xlsx(None, &[("A1", "NIK"), ("JA1", "x")])));
    }

    #[test]
    fn an_xlsx_that_unpacks_beyond_the_limit_is_refused_before_it_is_read() {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options =
            zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("xl/sharedStrings.xml", options).expect("part");
        zip.write_all(&vec![b' '; 9 << 20]).expect("spaces");
        let bytes = zip.finish().expect("zip").into_inner();
        assert!(bytes.len() < 64 << 10, "{}", bytes.len());
        let message = too_large(check_unpacked_size(&bytes, 8 << 20).map(|()| Sheet::default()));
        assert!(message.contains("lebih dari 8 MB"), "{message}");
        assert!(check_unpacked_size(&bytes, 10 << 20).is_ok());
    }

    #[test]
    fn a_csv_beyond_the_rows_or_columns_of_a_prelist_is_refused() {
        let mut rows = "NIK\n".repeat(MAX_ROWS);
        assert!(read_csv(rows.as_bytes()).is_ok());
        rows.push_str("NIK\n");
        let message = too_large(read_csv(rows.as_bytes()));
        assert!(message.contains("baris 500001"), "{message}");
        let wide = ";".repeat(MAX_COLUMNS) + "\n";
        let message = too_large(read_csv(wide.as_bytes()));
        assert!(message.contains("kolom ke-257"), "{message}");
    }
}
