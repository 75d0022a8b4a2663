//! Tables as files for people: one workbook (a sheet per table, regions named beside their
//! codes) and a zip of one CSV per table with that workbook. The hub's downloads and the
//! phone's own table of a district form's records (issue #25) are these same files.

use super::column::ColumnKind;
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
    TablesZip::new().finish(tables, regions, &[])
}

/// The file of a zip that names the photos it could not carry.
pub const MISSING_PHOTOS: &str = "foto-tidak-ada.csv";

/// A photo a zip could not carry: the record it belongs to and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MissingPhoto {
    pub record_id: String,
    pub reason: String,
}

/// [`MISSING_PHOTOS`]'s text: a record and a reason per line, as the other CSVs for people.
pub fn missing_photos_csv(missing: &[MissingPhoto]) -> String {
    let mut table = Table::new(
        "foto_tidak_ada",
        &[
            ("record_id", "ID rekaman", ColumnKind::Text),
            ("alasan", "Alasan", ColumnKind::Text),
        ],
    );
    table.rows = missing
        .iter()
        .map(|m| vec![m.record_id.clone(), m.reason.clone()])
        .collect();
    csv::write_for_people(&table)
}

/// A zip of tables with their photos, in memory, the photos added one at a time: what is
/// held is the zip so far and the photo being added, never every photo besides.
pub struct TablesZip {
    zip: ZipWriter<Cursor<Vec<u8>>>,
}

impl Default for TablesZip {
    fn default() -> Self {
        Self::new()
    }
}

impl TablesZip {
    pub fn new() -> TablesZip {
        TablesZip {
            zip: ZipWriter::new(Cursor::new(Vec::new())),
        }
    }

    /// A photo at its path (a JPEG is compressed already: stored as it is).
    pub fn add_photo(&mut self, path: &str, bytes: &[u8]) -> Result<(), WriteError> {
        let options = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
        self.zip.start_file(path, options).map_err(failed)?;
        self.zip.write_all(bytes).map_err(failed)
    }

    /// The tables, the workbook and, when some are missing, [`MISSING_PHOTOS`].
    pub fn finish(
        mut self,
        tables: &[Table],
        regions: &RegionNames,
        missing: &[MissingPhoto],
    ) -> Result<Vec<u8>, WriteError> {
        write_missing(&mut self.zip, missing)?;
        write_tables(&mut self.zip, tables, regions)?;
        Ok(self.zip.finish().map_err(failed)?.into_inner())
    }
}

/// [`MISSING_PHOTOS`] into a zip being written, when anything is missing.
pub fn write_missing<W: Write + Seek>(
    zip: &mut ZipWriter<W>,
    missing: &[MissingPhoto],
) -> Result<(), WriteError> {
    if missing.is_empty() {
        return Ok(());
    }
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    zip.start_file(MISSING_PHOTOS, options).map_err(failed)?;
    zip.write_all(missing_photos_csv(missing).as_bytes())
        .map_err(failed)
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn names(archive: &mut zip::ZipArchive<Cursor<Vec<u8>>>) -> Vec<String> {
        (0..archive.len())
            .map(|i| archive.by_index(i).unwrap().name().unwrap().into_owned())
            .collect()
    }

    #[test]
    fn a_tables_zip_holds_its_photos_as_they_are_and_names_the_missing() {
        let mut table = Table::new("cek", &[("record_id", "ID", ColumnKind::Text)]);
        table.rows.push(vec!["r1".to_owned()]);
        let mut zip = TablesZip::new();
        zip.add_photo("foto/r1_foto_1.jpg", b"\xff\xd8jpeg").unwrap();
        let missing = [MissingPhoto {
            record_id: "r2".to_owned(),
            reason: "=hilang, kata mereka".to_owned(),
        }];
        let bytes = zip.finish(&[table], &RegionNames::default(), &missing).unwrap();
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        assert_eq!(
            names(&mut archive),
            ["foto/r1_foto_1.jpg", MISSING_PHOTOS, "cek.csv", WORKBOOK],
            "photos first, then what is missing, the tables and the workbook"
        );
        let mut photo = archive.by_name("foto/r1_foto_1.jpg").unwrap();
        assert_eq!(photo.compression(), CompressionMethod::Stored);
        let mut read = Vec::new();
        photo.read_to_end(&mut read).unwrap();
        assert_eq!(read, b"\xff\xd8jpeg");
        drop(photo);
        let mut listing = String::new();
        archive
            .by_name(MISSING_PHOTOS)
            .unwrap()
            .read_to_string(&mut listing)
            .unwrap();
        assert_eq!(
            listing, "record_id,alasan\r\nr2,\"'=hilang, kata mereka\"\r\n",
            "quoted, and a formula never run"
        );
    }

    #[test]
    fn nothing_missing_writes_no_listing() {
        let bytes = csv_zip(&[], &RegionNames::default()).unwrap();
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        assert_eq!(names(&mut archive), [WORKBOOK]);
    }
}
