//! `verval.xlsx`: the tables as sheets for people. Two header rows (the label, then the
//! field id), frozen; columns sized to what they hold; each cell typed by its column
//! ([`ColumnKind`]): numbers as numbers (a recap's counts sum), dates and times as dates,
//! beside every coded answer a column with its label (`jenis_kelamin` 2, then
//! `jenis_kelamin_keterangan` "Perempuan"), and beside every region code its name
//! (`kode_desa` 35.13.14.2001, then `kode_desa_nama` "Kregenan").
//!
//! Text stays text, with Excel's text format `@`: that is what keeps a 16-digit NIK whole
//! (as a number Excel keeps 15 significant digits and shows 3.51314E+15) and a code `00`
//! with its zeros. A value its column cannot type (a number column holding `abc`) is
//! written as the text it is: nothing is dropped.

use super::column::{whole_date, ColumnKind};
use super::region_names::RegionNames;
use super::tables::Table;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

/// Excel's serial day number of 1970-01-01 (day 1 is 1900-01-01, counting Excel's 29
/// February 1900).
const EXCEL_1970: f64 = 25_569.0;
/// Serial day 61 is 1900-03-01: before it Excel's serials are off by its leap-year bug.
const FIRST_EXACT_SERIAL: f64 = 61.0;
/// Column widths, in characters.
const NARROWEST: usize = 6;
const WIDEST: usize = 48;

/// The label column beside a coded one: its id and label suffixes.
pub const LABEL_COLUMN_SUFFIX: &str = "_keterangan";
const LABEL_COLUMN_LABEL: &str = " (keterangan)";
/// The name column beside a region code's.
pub const NAME_COLUMN_SUFFIX: &str = "_nama";
const NAME_COLUMN_LABEL: &str = " (nama)";

struct Formats {
    text: Format,
    label: Format,
    id: Format,
    number: Format,
    date: Format,
    time: Format,
}

/// One column of a sheet: the table column it shows, and whether it shows what its values
/// say in words (a code's label, a region's name) rather than the values.
#[derive(Clone, Copy)]
struct SheetColumn {
    source: usize,
    words: bool,
}

/// The workbook of these tables, one sheet each, in order; region codes named by `names`.
pub fn write(tables: &[&Table], names: &RegionNames) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let formats = Formats {
        // `@` is Excel's text number format: a value typed into the cell later stays text too.
        text: Format::new().set_num_format("@"),
        label: Format::new().set_bold().set_text_wrap().set_num_format("@"),
        id: Format::new().set_italic().set_num_format("@"),
        number: Format::new(),
        date: Format::new().set_num_format("yyyy-mm-dd"),
        time: Format::new().set_num_format("yyyy-mm-dd hh:mm:ss"),
    };
    for table in tables {
        let sheet = workbook.add_worksheet();
        sheet.set_name(sheet_name(&table.name))?;
        write_sheet(sheet, table, names, &formats)?;
    }
    workbook.save_to_buffer()
}

fn write_sheet(
    sheet: &mut Worksheet,
    table: &Table,
    names: &RegionNames,
    formats: &Formats,
) -> Result<(), XlsxError> {
    let columns: Vec<SheetColumn> = table
        .kinds
        .iter()
        .enumerate()
        .flat_map(|(source, kind)| {
            let worded = matches!(kind, ColumnKind::Coded(_) | ColumnKind::Region);
            std::iter::once(SheetColumn { source, words: false })
                .chain(worded.then_some(SheetColumn { source, words: true }))
        })
        .collect();
    let mut widths = vec![NARROWEST; columns.len()];
    for (c, column) in columns.iter().enumerate() {
        let (mut label, mut id) = (
            table.labels[column.source].clone(),
            table.header[column.source].clone(),
        );
        if column.words {
            let (label_suffix, id_suffix) = match table.kinds[column.source] {
                ColumnKind::Region => (NAME_COLUMN_LABEL, NAME_COLUMN_SUFFIX),
                _ => (LABEL_COLUMN_LABEL, LABEL_COLUMN_SUFFIX),
            };
            label.push_str(label_suffix);
            id.push_str(id_suffix);
        }
        let at = column_number(c)?;
        sheet.write_string_with_format(0, at, &label, &formats.label)?;
        sheet.write_string_with_format(1, at, &id, &formats.id)?;
        // The label row wraps; the id row sets the least width.
        widths[c] = widths[c].max(id.chars().count());
    }
    for (r, row) in table.rows.iter().enumerate() {
        let r = u32::try_from(r + 2).map_err(|_| XlsxError::RowColumnLimitError)?;
        for (c, column) in columns.iter().enumerate() {
            let value = row[column.source].as_str();
            // Empty cells are left unwritten: smaller file, same reading.
            if value.is_empty() {
                continue;
            }
            let kind = table.kinds[column.source];
            let at = column_number(c)?;
            let shown = if column.words {
                let words = match kind {
                    ColumnKind::Region => names.name(value).map(str::to_owned),
                    _ => kind.labels_of(value),
                };
                let words = words.unwrap_or_default();
                sheet.write_string_with_format(r, at, &words, &formats.text)?;
                words.chars().count()
            } else {
                write_cell(sheet, r, at, value, kind, formats)?
            };
            widths[c] = widths[c].max(shown);
        }
    }
    for (c, width) in widths.into_iter().enumerate() {
        // Two characters of margin, like a person widening a column by hand.
        sheet.set_column_width(column_number(c)?, (width.min(WIDEST) + 2) as f64)?;
    }
    sheet.set_freeze_panes(2, 0)?;
    Ok(())
}

/// Writes one value as its kind asks; returns how many characters it shows.
fn write_cell(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    value: &str,
    kind: ColumnKind,
    formats: &Formats,
) -> Result<usize, XlsxError> {
    let typed = match kind {
        ColumnKind::Number | ColumnKind::Whole => kind
            .plain_number(value)
            .and_then(|n| n.parse::<f64>().ok())
            .map(|n| (n, &formats.number, value.chars().count())),
        ColumnKind::Date => whole_date(value)
            .map(|d| EXCEL_1970 + d.days_since_epoch() as f64)
            .filter(|serial| *serial >= FIRST_EXACT_SERIAL)
            .map(|serial| (serial, &formats.date, 10)),
        ColumnKind::Timestamp => value
            .parse::<i64>()
            .ok()
            .map(|ms| EXCEL_1970 + ms as f64 / 86_400_000.0)
            .filter(|serial| *serial >= FIRST_EXACT_SERIAL)
            .map(|serial| (serial, &formats.time, 19)),
        ColumnKind::Text | ColumnKind::Coded(_) | ColumnKind::Region => None,
    };
    match typed {
        Some((number, format, shown)) => {
            sheet.write_number_with_format(row, col, number, format)?;
            Ok(shown)
        }
        None => {
            sheet.write_string_with_format(row, col, value, &formats.text)?;
            Ok(value.chars().count())
        }
    }
}

fn column_number(index: usize) -> Result<u16, XlsxError> {
    u16::try_from(index).map_err(|_| XlsxError::RowColumnLimitError)
}

/// `rekap` is the sheet `Rekap`, as district staff call it; other sheets keep the table name.
fn sheet_name(table: &str) -> &str {
    match table {
        "rekap" => "Rekap",
        other => other,
    }
}
