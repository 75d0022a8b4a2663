//! The merged export with the households' photos and signatures, for a reviewer working
//! offline or a Musdes: the tables of the export and `foto/<id>_<field>.jpg|png` of every
//! household's current version, copied from the stored batches without decompressing. A
//! district form's export (issue #25) carries its records' photos the same way, at the paths
//! its batches keep them (`foto/<id>_<key>.jpg`), which its tables name.
//!
//! A regency's photos do not fit in memory: the zip is written to an unlinked temporary
//! file one batch at a time (one batch's bytes in memory, its copying on a `heavy` thread),
//! then streamed to the browser. A household whose batch bytes were let go
//! (`--keep-batches-days`) is listed in `foto-tidak-ada.csv` (`people::MISSING_PHOTOS`), never silently left out.

use crate::db::Db;
use crate::export::{Export, ExportError};
use crate::heavy;
use crate::staff::Scope;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{Seek, SeekFrom};
use verval_core::export::people::{self, MissingPhoto};
use verval_core::export::tables::photo_path;
use verval_core::export::{RegionNames, Table};
use verval_core::form::Question;
use verval_core::region::RegionCode;
use zip::{ZipArchive, ZipWriter};

/// A finished zip, ready to stream.
pub struct PhotoZip {
    /// Read from the start; its name is already gone from the disk.
    pub file: File,
    pub bytes: u64,
    pub photos: usize,
    /// Households whose photos could not be included (listed in the zip).
    pub missing: usize,
}

fn write_failed(e: impl std::fmt::Display) -> ExportError {
    ExportError::Write(e.to_string())
}

/// For each household of the export, the batch that carried its current version and whose
/// bytes are still kept (the largest, when it came more than once); `None` when every such
/// batch was let go.
async fn batches_of(
    db: &Db,
    region: Option<&RegionCode>,
    scope: &Scope,
) -> Result<BTreeMap<String, Option<String>>, ExportError> {
    let (exact, below) = match region {
        Some(r) => (r.as_str().to_owned(), format!("{}.%", r.as_str())),
        None => (String::new(), "%".to_owned()),
    };
    let (in_scope, binds) = scope.condition("r.kode_desa", 3);
    let sql = format!(
        "SELECT r.record_id, v.batch_id, CAST(LENGTH(b.bytes) AS BIGINT) FROM records r \
         JOIN record_versions v ON v.record_id = r.record_id AND v.revision = r.revision AND v.sha256 = r.sha256 \
         JOIN batches b ON b.batch_id = v.batch_id \
         WHERE (r.kode_desa = $1 OR r.kode_desa LIKE $2) AND {in_scope}"
    );
    let mut query = sqlx::query_as::<_, (String, String, i64)>(&sql)
        .bind(exact)
        .bind(below);
    for b in &binds {
        query = query.bind(b.as_str());
    }
    Ok(largest(query.fetch_all(&db.pool).await?))
}

/// For each record of a district form, the batch that carried its current version and whose
/// bytes are still kept, as [`batches_of`] for households.
async fn form_batches_of(db: &Db, form_id: &str) -> Result<BTreeMap<String, Option<String>>, ExportError> {
    let rows = sqlx::query_as::<_, (String, String, i64)>(
        "SELECT f.record_id, v.batch_id, CAST(LENGTH(b.bytes) AS BIGINT) FROM form_records f \
         JOIN record_versions v ON v.record_id = f.record_id AND v.revision = f.revision AND v.sha256 = f.sha256 \
         JOIN batches b ON b.batch_id = v.batch_id \
         WHERE f.form_id = $1",
    )
    .bind(form_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(largest(rows))
}

/// Each record's largest batch among `(record, batch, bytes)` (`None` when every batch that
/// carried it was let go: its bytes are NULL, its length 0).
fn largest(rows: Vec<(String, String, i64)>) -> BTreeMap<String, Option<String>> {
    let mut best: BTreeMap<String, (Option<String>, i64)> = BTreeMap::new();
    for (record, batch, length) in rows {
        let entry = best.entry(record).or_insert((None, 0));
        if length > entry.1 {
            *entry = (Some(batch), length);
        }
    }
    best.into_iter().map(|(r, (b, _))| (r, b)).collect()
}

/// Copies these photos (their paths in the batch, as in the export) out of one batch into
/// the zip being written.
fn copy_photos(zip: &mut ZipWriter<File>, batch: &[u8], paths: &[String]) -> Result<usize, String> {
    let mut archive = ZipArchive::new(std::io::Cursor::new(batch)).map_err(|e| e.to_string())?;
    let mut copied = 0;
    for path in paths {
        match archive.by_name(path) {
            Ok(entry) => {
                zip.raw_copy_file(entry).map_err(|e| e.to_string())?;
                copied += 1;
            }
            // Not taken: nothing to copy.
            Err(zip::result::ZipError::FileNotFound) => {}
            Err(e) => return Err(e.to_string()),
        }
    }
    Ok(copied)
}

/// A temporary file for the zip, unlinked at once: nothing is left behind, whatever
/// happens to the hub.
fn temporary_file() -> Result<File, ExportError> {
    let mut random = [0u8; 12];
    getrandom::fill(&mut random).map_err(write_failed)?;
    let name: String = random.iter().map(|b| format!("{b:02x}")).collect();
    let path = std::env::temp_dir().join(format!("verval-ekspor-{name}.zip"));
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(write_failed)?;
    std::fs::remove_file(&path).map_err(write_failed)?;
    Ok(file)
}

/// Writes the export's tables and the photos of its households that its reader may see.
pub async fn zip_with_photos(
    db: &Db,
    made: &Export,
    scope: &Scope,
    see_identity: bool,
    regions: RegionNames,
) -> Result<PhotoZip, ExportError> {
    let questions: Vec<&'static Question> = crate::photos::questions(see_identity).collect();
    let wanted = batches_of(db, made.region.as_ref(), scope)
        .await?
        .into_iter()
        .map(|(household, batch)| {
            let paths = questions.iter().map(|q| photo_path(&household, q)).collect();
            (household, batch, paths)
        })
        .collect();
    zip_tables_and_photos(db, wanted, made.tables.clone(), regions).await
}

/// Writes a district form's tables and its records' photos (issue #25): `photos` gives each
/// record's photo paths (`verval_core::dataform::photo_path`).
pub async fn zip_with_form_photos(
    db: &Db,
    form_id: &str,
    tables: Vec<Table>,
    photos: BTreeMap<String, Vec<String>>,
    regions: RegionNames,
) -> Result<PhotoZip, ExportError> {
    let wanted = form_batches_of(db, form_id)
        .await?
        .into_iter()
        .filter_map(|(record, batch)| {
            let paths = photos.get(&record).filter(|p| !p.is_empty())?.clone();
            Some((record, batch, paths))
        })
        .collect();
    zip_tables_and_photos(db, wanted, tables, regions).await
}

/// The zip of `tables` and, for each record, the photos at its paths in the batch that
/// carried it (`None`: its batch was let go; listed in [`people::MISSING_PHOTOS`]).
async fn zip_tables_and_photos(
    db: &Db,
    wanted: Vec<(String, Option<String>, Vec<String>)>,
    tables: Vec<Table>,
    regions: RegionNames,
) -> Result<PhotoZip, ExportError> {
    let mut by_batch: BTreeMap<String, (Vec<String>, Vec<String>)> = BTreeMap::new();
    let mut missing: Vec<String> = Vec::new();
    for (record, batch, paths) in wanted {
        match batch {
            Some(batch) => {
                let entry = by_batch.entry(batch).or_default();
                entry.0.push(record);
                entry.1.extend(paths);
            }
            None => missing.push(record),
        }
    }
    let mut zip = ZipWriter::new(temporary_file()?);
    let mut photos = 0;
    for (batch_id, (records, paths)) in by_batch {
        let bytes: Vec<u8> = sqlx::query_scalar("SELECT bytes FROM batches WHERE batch_id = $1")
            .bind(&batch_id)
            .fetch_one(&db.pool)
            .await?;
        let (back, copied) = heavy::run(move || {
            let copied = copy_photos(&mut zip, &bytes, &paths);
            (zip, copied.map_err(|e| (records, e)))
        })
        .await
        .map_err(|_| ExportError::Write("hub sedang sibuk (the hub is busy); coba lagi".to_owned()))?;
        zip = back;
        match copied {
            Ok(n) => photos += n,
            // A stored batch that no longer reads: its records are named, the rest go on.
            Err((records, _)) => missing.extend(records),
        }
    }
    let listed: Vec<MissingPhoto> = missing
        .iter()
        .map(|record| MissingPhoto {
            record_id: record.clone(),
            reason: "berkas batch sudah dihapus atau tidak terbaca (batch bytes gone or unreadable)"
                .to_owned(),
        })
        .collect();
    people::write_missing(&mut zip, &listed).map_err(write_failed)?;
    let mut file = heavy::run(move || {
        people::write_tables(&mut zip, &tables, &regions)?;
        zip.finish().map_err(write_failed)
    })
    .await
    .map_err(|_| ExportError::Write("hub sedang sibuk (the hub is busy); coba lagi".to_owned()))??;
    let bytes = file.seek(SeekFrom::End(0)).map_err(write_failed)?;
    file.seek(SeekFrom::Start(0)).map_err(write_failed)?;
    Ok(PhotoZip {
        file,
        bytes,
        photos,
        missing: missing.len(),
    })
}
