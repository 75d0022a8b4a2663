//! Tables as files for people: one workbook (a sheet per table, regions named beside their
//! codes) and a zip of one CSV per table with that workbook. The hub's downloads and the
//! phone's own table of a district form's records (issue #25) are these same files.

use super::region_names::RegionNames;
use super::tables::Table;
use super::{csv, xlsx};
use std::io::{Cursor, Seek, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// The workbook inside a zip of tables.
pub const WORKBOOK: &str = "verval.xlsx";

#[derive(Debug, thiserror::Error)]
#[error("gagal menulis berkas (could not write the file): {0}")]
pub struct WriteError(pub String);

fn failed(e: impl std::fmt::Display) -> WriteError {
    WriteError(e.to_string())
}

/// One workbook, a sheet per table, each region code named beside it.
pub fn workbook(tables: &[Table], regions: &RegionNames) -> Result<Vec<u8>, WriteError> {
    let sheets: Vec<&Table> = tables.iter().collect();
    xlsx::write(&sheets, regions).map_err(failed)
}

/// A zip of one CSV per table and the workbook.
pub fn csv_zip(tables: &[Table], regions: &RegionNames) -> Result<Vec<u8>, WriteError> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    write_tables(&mut zip, tables, regions)?;
    Ok(zip.finish().map_err(failed)?.into_inner())
}

/// One CSV per table (a value a spreadsheet would run neutralised, `csv::write_for_people`)
/// and the workbook, into a zip being written.
pub fn write_tables<W: Write + Seek>(
    zip: &mut ZipWriter<W>,
    tables: &[Table],
    regions: &RegionNames,
) -> Result<(), WriteError> {
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for table in tables {
        zip.start_file(format!("{}.csv", table.name), options)
            .map_err(failed)?;
        zip.write_all(csv::write_for_people(table).as_bytes())
            .map_err(failed)?;
    }
    zip.start_file(WORKBOOK, options).map_err(failed)?;
    zip.write_all(&workbook(tables, regions)?).map_err(failed)?;
    Ok(())
}
