//! XLSForm import (issue #25): an XLSForm spreadsheet — `survey`, `choices` and `settings`
//! sheets, as the XLSForm spec writes them — read into a [`FormDef`]. Every problem is
//! reported, not just the first, with its sheet, row, column and cell, in Indonesian and
//! English; what Verval's forms do not do (external data, entities, nested repeats, …) is
//! refused by name. A form that reads is checked before it may be published: every
//! `${name}` names a question, every function is known, and the calculations read each
//! other in no circle (their order is kept: [`FormDef::calculation_order`]).

mod check;
pub mod def;
mod read;
mod sheet;

#[cfg(test)]
mod tests;

pub use def::{Choice, Field, FieldType, FormDef, Group, Item, Label, FORMAT};
pub use read::from_sheets;

/// One thing wrong with the spreadsheet, where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub sheet: String,
    /// The spreadsheet's row (1 is the header); 0 when the problem is the sheet's.
    pub row: usize,
    /// The column as spreadsheets name it (`C`), or the column's name.
    pub column: String,
    /// The cell's text.
    pub cell: String,
    pub id: String,
    pub en: String,
}

impl Problem {
    pub(crate) fn at(sheet: &str, row: usize, column: &str, cell: &str, id: &str, en: &str) -> Problem {
        Problem {
            sheet: sheet.to_owned(),
            row,
            column: column.to_owned(),
            cell: cell.to_owned(),
            id: id.to_owned(),
            en: en.to_owned(),
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.sheet)?;
        if self.row > 0 {
            write!(f, " baris (row) {}", self.row)?;
        }
        if !self.column.is_empty() {
            write!(f, " kolom (column) {}", self.column)?;
        }
        write!(f, ": {} ({})", self.id, self.en)?;
        if !self.cell.is_empty() {
            write!(f, " — {:?}", self.cell)?;
        }
        Ok(())
    }
}

/// Reads an XLSForm file (`.xlsx`).
pub fn from_xlsx(bytes: &[u8]) -> Result<FormDef, Vec<Problem>> {
    let sheets = crate::prelist::files::read_xlsx_sheets(bytes).map_err(|e| {
        vec![Problem::at(
            "",
            0,
            "",
            "",
            &e.to_string(),
            "the file does not read as XLSX",
        )]
    })?;
    from_sheets(&sheets)
}
