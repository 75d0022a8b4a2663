//! Building a batch: the one zip file finalized records leave the phone in.
//!
//! Records are added one at a time ([`BatchBuilder::add`]) so the app can yield to the
//! browser between them and show progress; [`BatchBuilder::finish`] writes the tables, the
//! spreadsheet, the recap and the manifest, and packs the zip.

use super::canonical::{canonical_json, sha256_hex};
use super::manifest::{FileEntry, Manifest, MissingPhoto, RecordEntry, FORMAT, FORMAT_VERSION};
use super::profile::Profile;
use super::region_names::RegionNames;
use super::sealed::SealedRecord;
use super::sheets::export_tables;
use super::tables::{photo_path, Table};
use super::{csv, xlsx};
use crate::dataform;
use crate::date::Date;
use crate::form::default::{KODE_DESA, NAMA_PETUGAS};
use crate::form::{Form, Kind};
use crate::ids::RecordId;
use crate::record::{HouseholdRecord, RecordStatus, Timestamp};
use std::collections::BTreeSet;
use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// Who made the batch, when, and how.
#[derive(Clone, Debug)]
pub struct BatchMeta {
    /// A fresh UUID for this batch.
    pub batch_id: RecordId,
    pub app_version: String,
    /// Who made the batch; when empty, the enumerator named most often in the records'
    /// `nama_petugas`.
    pub enumerator: String,
    pub device_id: String,
    /// This device's batch counter, part of the file name.
    pub sequence: u32,
    pub created_at: Timestamp,
    /// The phone's offset from UTC, for the date in the file name (WIB is +420).
    pub utc_offset_minutes: i32,
    pub profile: Profile,
}

/// A finished batch.
#[derive(Clone, Debug)]
pub struct BuiltBatch {
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub manifest: Manifest,
    /// The file's name once sealed: no person's name in it (`sealed_file_name`).
    pub sealed_file_name: String,
    /// What a sealed batch's plaintext manifest says of each record, in order.
    pub sealed_records: Vec<SealedRecord>,
}

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("rekaman {0} masih draf; hanya rekaman final yang dikirim (record is a draft; only finalized records are exported)")]
    Draft(String),
    #[error("rekaman {0} sudah ada di batch ini (record added twice)")]
    Duplicate(String),
    #[error("batch kosong: tidak ada rekaman (empty batch)")]
    Empty,
    #[error("gagal menulis spreadsheet (could not write the spreadsheet): {0}")]
    Spreadsheet(String),
    #[error("gagal menulis zip (could not write the zip): {0}")]
    Zip(String),
}

/// Collects records, then writes the batch.
pub struct BatchBuilder<'f> {
    form: &'f Form,
    meta: BatchMeta,
    records: Vec<HouseholdRecord>,
    ids: BTreeSet<String>,
    jsonl: String,
    entries: Vec<RecordEntry>,
    sealed: Vec<SealedRecord>,
    photos: Vec<(String, Vec<u8>)>,
    missing: Vec<MissingPhoto>,
    names: RegionNames,
    /// The phone's village meetings ([`MEETINGS_FILE`]), as the phone keeps them to send.
    meetings: Option<String>,
}

/// The batch's file holding the phone's village meetings (`aid::meeting_book::MusdesUpload`
/// as JSON): how a phone with no hub hands its Musdes decisions over (issue #24).
pub const MEETINGS_FILE: &str = "musdes.json";

/// The village part of a batch that holds meetings only.
const MEETINGS_ONLY: &str = "musdes";

impl<'f> BatchBuilder<'f> {
    pub fn new(form: &'f Form, meta: BatchMeta) -> BatchBuilder<'f> {
        BatchBuilder {
            form,
            meta,
            records: Vec::new(),
            ids: BTreeSet::new(),
            jsonl: String::new(),
            entries: Vec::new(),
            sealed: Vec::new(),
            photos: Vec::new(),
            missing: Vec::new(),
            names: RegionNames::default(),
            meetings: None,
        }
    }

    /// Adds the phone's village meetings to send (`MusdesUpload` as JSON, written as it is:
    /// the export worker carries no reader of them). A batch with meetings may hold no
    /// household.
    pub fn add_meetings(&mut self, upload_json: String) {
        self.meetings = Some(upload_json);
    }

    /// The region codes the records answer (province to village): what the spreadsheet
    /// names, from the tables of their provinces ([`crate::offline::province_of`]).
    pub fn region_codes(&self) -> BTreeSet<String> {
        // Inserted one by one: collecting into a set links a stable sort, kilobytes in the
        // export worker.
        let mut codes = BTreeSet::new();
        for (repeat, question) in self.form.questions() {
            if repeat.is_some() || !matches!(question.kind, Kind::Region(_)) {
                continue;
            }
            for record in &self.records {
                let code = record.answers.get(question.id).trim();
                if !code.is_empty() {
                    codes.insert(code.to_owned());
                }
            }
        }
        codes
    }

    /// The names the spreadsheet gives the records' regions (read from the region tables
    /// for [`BatchBuilder::region_codes`]); without them the names are left empty.
    pub fn name_regions(&mut self, names: RegionNames) {
        self.names = names;
    }

    /// Carries the phone's village meetings.
    pub fn has_meetings(&self) -> bool {
        self.meetings.is_some()
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Neither a household nor meetings: nothing to make a batch of.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty() && self.meetings.is_none()
    }

    /// Adds a finalized record. `photo` gives the bytes stored under a photo key
    /// (`None` when the phone no longer has it: the manifest then says so).
    pub fn add(
        &mut self,
        record: HouseholdRecord,
        photo: &mut dyn FnMut(&str) -> Option<Vec<u8>>,
    ) -> Result<(), BuildError> {
        let id = record.id.to_string();
        if record.status != RecordStatus::Final {
            return Err(BuildError::Draft(id));
        }
        if !self.ids.insert(id.clone()) {
            return Err(BuildError::Duplicate(id));
        }
        let line = canonical_json(&record);
        self.entries.push(RecordEntry {
            id: id.clone(),
            revision: record.revision,
            form_version: record.form_version.clone(),
            sha256: sha256_hex(line.as_bytes()),
        });
        self.sealed
            .push(SealedRecord::of(&record, &sha256_hex(line.as_bytes())));
        self.jsonl.push_str(&line);
        self.jsonl.push('\n');
        let form = self.form;
        // A form as data's photos are not the household form's questions: named by their
        // key (a repeat's rows have photos too), each once.
        let household = record.is_household_form();
        let mut wanted: Vec<(String, String, &str)> = form
            .photo_answers(&record)
            .filter(|_| household)
            .map(|(question, key)| (photo_path(&id, question), question.id.to_string(), key))
            .collect();
        for answer in dataform::photo_answers(&record) {
            let path = dataform::photo_path(&id, answer.key);
            if !wanted.iter().any(|(taken, _, _)| *taken == path) {
                wanted.push((path, answer.field.to_owned(), answer.key));
            }
        }
        for (path, field, key) in wanted {
            match photo(key) {
                Some(bytes) => self.photos.push((path, bytes)),
                None => self.missing.push(MissingPhoto {
                    record_id: id.clone(),
                    field,
                }),
            }
        }
        self.records.push(record);
        Ok(())
    }

    /// Writes every file and packs the zip.
    pub fn finish(self) -> Result<BuiltBatch, BuildError> {
        if self.is_empty() {
            return Err(BuildError::Empty);
        }
        let mut meta = self.meta;
        if meta.enumerator.trim().is_empty() {
            meta.enumerator = enumerator_of(&self.records);
        }
        let meta = &meta;
        let today = meta.created_at.local_date(meta.utc_offset_minutes);
        // The household tables hold the household form's records; a form as data's records
        // travel in `records.jsonl` alone, and the hub makes their tables by their form.
        let households: Vec<HouseholdRecord> = self
            .records
            .iter()
            .filter(|r| r.is_household_form())
            .cloned()
            .collect();
        let mut all = export_tables(self.form, meta.profile, &households, today);
        super::p3ke::name_regions(&mut all, &self.names);

        let mut files: Vec<(String, Vec<u8>)> = vec![("records.jsonl".to_owned(), self.jsonl.into_bytes())];
        for table in &all {
            files.push((format!("{}.csv", table.name), csv::write(table).into_bytes()));
        }
        let sheets: Vec<&Table> = all.iter().collect();
        let workbook =
            xlsx::write(&sheets, &self.names).map_err(|e| BuildError::Spreadsheet(e.to_string()))?;
        files.push(("verval.xlsx".to_owned(), workbook));
        files.extend(self.photos);
        if let Some(meetings) = self.meetings {
            files.push((MEETINGS_FILE.to_owned(), meetings.into_bytes()));
        }

        let kode_desa = match self.records.is_empty() {
            true => MEETINGS_ONLY.to_owned(),
            false => village_of(&self.records),
        };
        let file_name = file_name(&kode_desa, &meta.enumerator, today, meta.sequence);
        let sealed_file_name = sealed_file_name(&kode_desa, today, meta.sequence);
        let manifest = Manifest {
            format: FORMAT.to_owned(),
            format_version: FORMAT_VERSION,
            batch_id: meta.batch_id.to_string(),
            file_name: file_name.clone(),
            app_version: meta.app_version.clone(),
            form_version: self.form.version.to_owned(),
            profile: meta.profile.id().to_owned(),
            enumerator: meta.enumerator.clone(),
            device_id: meta.device_id.clone(),
            kode_desa,
            sequence: meta.sequence,
            created_at: meta.created_at.0,
            record_count: u32::try_from(self.entries.len()).unwrap_or(u32::MAX),
            records: self.entries,
            files: files
                .iter()
                .map(|(path, bytes)| FileEntry {
                    path: path.clone(),
                    bytes: bytes.len() as u64,
                    sha256: sha256_hex(bytes),
                })
                .collect(),
            missing_photos: self.missing,
        };
        let manifest_json =
            serde_json::to_vec_pretty(&manifest).map_err(|e| BuildError::Zip(e.to_string()))?;

        let zip_error = |e: &dyn std::fmt::Display| BuildError::Zip(e.to_string());
        // Sized once for everything stored as it is (packed files only shrink): a growing
        // buffer would hold the old and the new copy at once, and a batch with photos is
        // tens of megabytes on a phone (issue #26 item 5).
        let room = files
            .iter()
            .map(|(path, bytes)| bytes.len() + 2 * path.len() + 128)
            .sum::<usize>()
            + manifest_json.len()
            + 4096;
        let mut zip = ZipWriter::new(Cursor::new(Vec::with_capacity(room)));
        let stamp = zip_time(meta.created_at, meta.utc_offset_minutes);
        let packed = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .compression_level(Some(6))
            .last_modified_time(stamp);
        // Photos are compressed already. The spreadsheet is too, but is packed anyway: a zip
        // stored inside the batch would let a cut-off batch read as the spreadsheet's zip.
        let stored = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Stored)
            .last_modified_time(stamp);
        zip.start_file("manifest.json", packed)
            .map_err(|e| zip_error(&e))?;
        zip.write_all(&manifest_json).map_err(|e| zip_error(&e))?;
        for (path, bytes) in &files {
            let options = if !path.starts_with("foto/") {
                packed
            } else {
                stored
            };
            zip.start_file(path.as_str(), options)
                .map_err(|e| zip_error(&e))?;
            zip.write_all(bytes).map_err(|e| zip_error(&e))?;
        }
        let bytes = zip.finish().map_err(|e| zip_error(&e))?.into_inner();
        Ok(BuiltBatch {
            file_name,
            bytes,
            manifest,
            sealed_file_name,
            sealed_records: self.sealed,
        })
    }
}

/// The `nama_petugas` most records carry (the first of equals), empty when none has one.
fn enumerator_of(records: &[HouseholdRecord]) -> String {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for name in records.iter().map(|r| r.answers.get(NAMA_PETUGAS).trim()) {
        if name.is_empty() {
            continue;
        }
        match counts.iter_mut().find(|(n, _)| *n == name) {
            Some((_, count)) => *count += 1,
            None => counts.push((name, 1)),
        }
    }
    let most = counts.iter().map(|(_, c)| *c).max().unwrap_or(0);
    counts
        .into_iter()
        .find(|(_, c)| *c == most)
        .map(|(n, _)| n.to_owned())
        .unwrap_or_default()
}

/// The village all records share, `campuran` (mixed) when they differ, `tanpadesa` when
/// none has one.
fn village_of(records: &[HouseholdRecord]) -> String {
    let villages: BTreeSet<&str> = records
        .iter()
        .map(|r| r.answers.get(KODE_DESA))
        .filter(|v| !v.is_empty())
        .collect();
    match villages.len() {
        0 => "tanpadesa".to_owned(),
        1 => villages.into_iter().next().unwrap_or_default().to_owned(),
        _ => "campuran".to_owned(),
    }
}

/// `verval-<kode_desa>-<enumerator>-<YYYYMMDD>-<seq>.zip`. The enumerator's name is
/// lowered to `a-z0-9_` so the name survives every file system and chat app.
pub fn file_name(kode_desa: &str, enumerator: &str, day: Date, sequence: u32) -> String {
    let mut slug = String::new();
    for c in enumerator.trim().chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('_') && !slug.is_empty() {
            slug.push('_');
        }
    }
    let slug = slug.trim_end_matches('_');
    let slug = if slug.is_empty() { "petugas" } else { slug };
    format!(
        "verval-{}-{slug}-{}-{sequence:03}.zip",
        desa_part(kode_desa),
        day_part(day)
    )
}

/// `verval-<kode_desa>-<YYYYMMDD>-<seq>-segel.zip`: a sealed batch's name says no one's name,
/// as it travels where anyone may read it.
pub fn sealed_file_name(kode_desa: &str, day: Date, sequence: u32) -> String {
    format!(
        "verval-{}-{}-{sequence:03}-segel.zip",
        desa_part(kode_desa),
        day_part(day)
    )
}

fn desa_part(kode_desa: &str) -> String {
    kode_desa.chars().filter(|c| c.is_ascii_alphanumeric()).collect()
}

fn day_part(day: Date) -> String {
    format!("{:04}{:02}{:02}", day.year, day.month, day.day)
}

/// The local time for the zip entries (the zip format has no time zone).
fn zip_time(at: Timestamp, utc_offset_minutes: i32) -> DateTime {
    let date = at.local_date(utc_offset_minutes);
    let local = at.0 / 1000 + i64::from(utc_offset_minutes) * 60;
    let second_of_day = local.rem_euclid(86_400);
    let year = u16::try_from(date.year).unwrap_or(1980);
    DateTime::from_date_and_time(
        year,
        date.month,
        date.day,
        (second_of_day / 3600) as u8,
        (second_of_day / 60 % 60) as u8,
        (second_of_day % 60) as u8,
    )
    .unwrap_or_default()
}
