//! `verval.xlsx`: the tables as sheets for people, with two header rows (the label, then
//! the field id) and every value a text cell. A text cell is what keeps a 16-digit NIK
//! whole: typed as a number, Excel keeps 15 significant digits and shows 3.51314E+15.

use super::tables::Table;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// The workbook of these tables, one sheet each, in order.
pub fn write(tables: &[&Table]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    // `@` is Excel's text number format: a value typed into the cell later stays text too.
    let text = Format::new().set_num_format("@");
    let label = Format::new().set_bold().set_num_format("@");
    let id = Format::new().set_italic().set_num_format("@");
    for table in tables {
        let sheet = workbook.add_worksheet();
        sheet.set_name(sheet_name(table.name))?;
        for (c, (name, title)) in table.header.iter().zip(&table.labels).enumerate() {
            let c = column(c)?;
            sheet.write_string_with_format(0, c, title, &label)?;
            sheet.write_string_with_format(1, c, name, &id)?;
        }
        for (r, row) in table.rows.iter().enumerate() {
            let r = u32::try_from(r + 2).map_err(|_| XlsxError::RowColumnLimitError)?;
            for (c, value) in row.iter().enumerate() {
                // Empty cells are left unwritten: smaller file, same reading.
                if !value.is_empty() {
                    sheet.write_string_with_format(r, column(c)?, value, &text)?;
                }
            }
        }
        sheet.set_freeze_panes(2, 0)?;
    }
    workbook.save_to_buffer()
}

fn column(index: usize) -> Result<u16, XlsxError> {
    u16::try_from(index).map_err(|_| XlsxError::RowColumnLimitError)
}

/// `rekap` is the sheet `Rekap`, as district staff call it; other sheets keep the table name.
fn sheet_name(table: &str) -> &str {
    match table {
        "rekap" => "Rekap",
        other => other,
    }
}
