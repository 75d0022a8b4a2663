//! Reading and verifying a batch: the hub's way in, and the check anyone can run on a file.
//!
//! Any bytes may arrive (a truncated download, a zip from another app, a hostile file), so
//! nothing here trusts the input: sizes are checked before anything is inflated, names are
//! whitelisted, every checksum is recomputed, and the first problem is reported precisely
//! (which file, which record, what is wrong). It never panics.

use super::batch::MEETINGS_FILE;
use super::canonical::{canonical_json, sha256_hex};
use super::manifest::{Manifest, FORMAT, FORMAT_VERSION};
use super::sealed::{read_sealed, Sealed, PAYLOAD, SEALED_FORMAT_VERSION};
use crate::aid::meeting_book::{MusdesUpload, MAX_MEETINGS};
use crate::form::KnownForms;
use crate::ids::RecordId;
use crate::record::{HouseholdRecord, RecordStatus};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Read};

/// How much a batch may hold; beyond these it is refused before it is inflated.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// The zip file itself.
    pub max_file_bytes: u64,
    /// Files in the zip, and entries in each list of the manifest (records, files, missing
    /// photos): a batch holds a few files per record (the household's photos).
    pub max_entries: usize,
    /// One file once inflated.
    pub max_entry_bytes: u64,
    /// All files once inflated.
    pub max_total_bytes: u64,
    /// Inflated : compressed size, checked for every file above [`RATIO_SLACK_BYTES`] (a zip
    /// bomb reaches ~1000; photos and spreadsheets are near 1, JSON and CSV near 10).
    pub max_ratio: u64,
    /// `manifest.json` once inflated.
    pub max_manifest_bytes: u64,
}

/// Files up to this size may compress as well as they like: a short CSV of empty columns
/// legitimately does, and cannot inflate to anything harmful.
pub const RATIO_SLACK_BYTES: u64 = 64 << 10;
/// All files of a batch once inflated, as a multiple of the zip's own limit: photos do not
/// compress, but records do (10,000 families' `records.jsonl` packs about 25:1 in a whole
/// batch: 4 MB of zip, 100 MB inflated).
pub const INFLATION_PER_FILE_BYTE: u64 = 8;

impl Limits {
    /// The limits for batches of at most `max_file_bytes` (the hub's upload limit): what
    /// they may inflate to follows from it, so a small upload can never become gigabytes.
    pub fn for_file(max_file_bytes: u64) -> Limits {
        let max_total_bytes = max_file_bytes.saturating_mul(INFLATION_PER_FILE_BYTE);
        Limits {
            max_file_bytes,
            max_entries: 20_000,
            max_entry_bytes: max_total_bytes.min(512 << 20),
            max_total_bytes,
            max_ratio: 250,
            max_manifest_bytes: 16 << 20,
        }
    }
}

impl Default for Limits {
    /// A batch file of up to 256 MiB (a village's batch with its photos, handed over).
    fn default() -> Limits {
        Limits::for_file(256 << 20)
    }
}

/// A verified batch.
#[derive(Clone, Debug)]
pub struct Batch {
    pub manifest: Manifest,
    /// In the order of `records.jsonl`.
    pub records: Vec<HouseholdRecord>,
    /// For each record, whether it is as its line reads: false for one the reader upgraded
    /// from an older schema, whose line is no longer its canonical JSON.
    pub as_written: Vec<bool>,
    /// Every file but the manifest, by path (`records.jsonl`, the CSVs, photos, …).
    pub files: BTreeMap<String, Vec<u8>>,
    /// The phone's village meetings ([`MEETINGS_FILE`]), read but not yet checked against
    /// a day or the hub: the hub takes them as it takes a phone's sync round.
    pub meetings: Option<MusdesUpload>,
}

impl Batch {
    /// Each record's line of `records.jsonl`, in order, where it is the record's canonical
    /// JSON (the reader proved the line canonical, and the record is [`Batch::as_written`]):
    /// whoever stores a version keeps this text instead of writing it again. `None` for a
    /// record upgraded from an older schema.
    pub fn record_lines(&self) -> Vec<Option<&str>> {
        let text = self
            .files
            .get("records.jsonl")
            .and_then(|bytes| std::str::from_utf8(bytes).ok())
            .unwrap_or_default();
        text.lines()
            .zip(&self.as_written)
            .map(|(line, as_written)| as_written.then_some(line))
            .collect()
    }
}

/// What is wrong with a batch: the first problem found.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BatchError {
    #[error("the file is {0} bytes, more than a batch may be")]
    FileTooLarge(u64),
    #[error("not a zip archive, or cut off before its end (an incomplete download?): {0}")]
    NotAZip(String),
    #[error("the zip has {0} files, more than a batch may hold")]
    TooManyFiles(usize),
    #[error("manifest.json lists {count} {list}, more than a batch may hold ({limit})")]
    ManifestListTooLong {
        list: &'static str,
        count: usize,
        limit: usize,
    },
    #[error("the zip entry {index} is unreadable: {reason}")]
    BadEntry { index: usize, reason: String },
    #[error("unsafe file name {0:?} in the zip (it points outside the batch)")]
    UnsafeName(String),
    #[error("unexpected file {0:?} in the zip (not part of the batch format)")]
    UnexpectedFile(String),
    #[error("the file {0:?} is in the zip twice")]
    DuplicateFile(String),
    #[error("the zip lists {listed} files under {distinct} names: a file is in it twice")]
    DuplicateFiles { listed: u64, distinct: usize },
    #[error("{file}: encrypted or compressed with an unsupported method")]
    UnsupportedEntry { file: String },
    #[error("{file}: declares {declared} bytes once inflated, more than a batch file may be")]
    DeclaredTooLarge { file: String, declared: u64 },
    #[error("{file}: would inflate {ratio} times its packed size (a zip bomb?)")]
    ExpansionTooHigh { file: String, ratio: u64 },
    #[error("the files together declare {0} bytes once inflated, more than a batch may hold")]
    TotalTooLarge(u64),
    #[error("{file}: damaged ({reason})")]
    Corrupt { file: String, reason: String },
    #[error("{file}: holds more bytes than its header declares")]
    LargerThanDeclared { file: String },
    #[error("manifest.json is missing: this is not a Verval batch")]
    MissingManifest,
    #[error("manifest.json is not valid: {0}")]
    BadManifest(String),
    #[error("manifest.json: format {0:?} is not a Verval batch")]
    WrongFormat(String),
    #[error("manifest.json: batch format version {0} is not known to this version (it reads versions {FORMAT_VERSION} and {SEALED_FORMAT_VERSION})")]
    UnknownFormatVersion(u32),
    #[error("manifest.json: {field} is not valid: {reason}")]
    BadManifestField { field: &'static str, reason: String },
    #[error("manifest.json lists {0:?} twice")]
    DuplicateManifestFile(String),
    #[error("{0} is listed in manifest.json but not in the zip")]
    MissingFile(String),
    #[error("{0} is in the zip but not listed in manifest.json")]
    UnlistedFile(String),
    #[error("{file}: size {found} bytes, manifest.json says {expected}")]
    SizeMismatch { file: String, expected: u64, found: u64 },
    #[error("{file}: checksum does not match manifest.json (changed or damaged after export)")]
    ChecksumMismatch { file: String },
    #[error("records.jsonl is missing")]
    MissingRecords,
    #[error("records.jsonl line {line}: {reason}")]
    BadRecord { line: usize, reason: String },
    #[error("record {0} is in the batch twice")]
    DuplicateRecord(String),
    #[error("record count does not match: manifest.json says {declared}, lists {listed}, records.jsonl holds {found}")]
    CountMismatch {
        declared: u32,
        listed: usize,
        found: usize,
    },
    #[error("record {0} is in records.jsonl but not in manifest.json")]
    UnlistedRecord(String),
    #[error("record {0} is in manifest.json but not in records.jsonl")]
    MissingRecord(String),
    #[error("record {id}: revision {found}, manifest.json says {expected}")]
    RevisionMismatch { id: String, expected: u32, found: u32 },
    #[error("record {0}: content does not match its checksum in manifest.json (changed after export)")]
    RecordHashMismatch(String),
    #[error("record {id}: form {form:?} version {version:?} is not known here")]
    UnknownFormVersion {
        id: String,
        form: String,
        version: String,
    },
    #[error("record {0}: {1}")]
    Unusable(String, String),
    #[error("record {0} is a draft; a batch holds only finalized records")]
    DraftRecord(String),
    #[error("the batch holds no records")]
    Empty,
    #[error("{MEETINGS_FILE}: {0}")]
    BadMeetings(String),
    #[error("this batch is sealed to the district's keys: it is read once opened with one of them")]
    SealedBatch,
    #[error("{0} is not allowed in a sealed batch: it holds manifest.json and batch.zip.age only")]
    NotInSealedBatch(String),
    #[error("manifest.json (sealed batch): {0}")]
    BadSealedManifest(String),
    #[error("{0}: a photo of a record that is not in the batch")]
    OrphanPhoto(String),
}

/// A batch file as it arrived: plain (format version 1), or sealed to the district's keys
/// (version 2), whose content is read once it is opened.
#[derive(Clone, Debug)]
pub enum Incoming {
    Plain(Batch),
    Sealed(Sealed),
}

/// Reads and verifies a plain batch; a sealed one is refused, saying it must be opened first.
/// `known_forms` are the form versions the reader can use.
pub fn read_batch(bytes: &[u8], limits: &Limits, known_forms: &KnownForms) -> Result<Batch, BatchError> {
    match read_incoming(bytes, limits, known_forms)? {
        Incoming::Plain(batch) => Ok(batch),
        Incoming::Sealed(_) => Err(BatchError::SealedBatch),
    }
}

/// Reads a batch of either kind: a plain one verified whole, a sealed one as far as it can be
/// without the key (its manifest, and its payload against the manifest's checksum).
pub fn read_incoming(
    bytes: &[u8],
    limits: &Limits,
    known_forms: &KnownForms,
) -> Result<Incoming, BatchError> {
    let files = unpack(bytes, limits)?;
    if files.contains_key(PAYLOAD) {
        return read_sealed(files, limits).map(Incoming::Sealed);
    }
    verify(files, limits, known_forms).map(Incoming::Plain)
}

/// A plain batch's files, verified against its manifest.
pub(super) fn verify(
    mut files: BTreeMap<String, Vec<u8>>,
    limits: &Limits,
    known_forms: &KnownForms,
) -> Result<Batch, BatchError> {
    let manifest_bytes = files.remove("manifest.json").ok_or(BatchError::MissingManifest)?;
    let manifest = parse_manifest(&manifest_bytes)?;
    check_list_lengths(&manifest, limits)?;
    check_files(&manifest, &files)?;
    let meetings = files.get(MEETINGS_FILE).map(|b| read_meetings(b)).transpose()?;
    let (records, as_written) = check_records(&manifest, &files, known_forms)?;
    if records.is_empty() && meetings.is_none() {
        return Err(BatchError::Empty);
    }
    for path in files.keys().filter(|p| p.starts_with("foto/")) {
        let owner = path["foto/".len()..].get(..36).unwrap_or_default();
        if !manifest.records.iter().any(|r| r.id == owner) {
            return Err(BatchError::OrphanPhoto(path.clone()));
        }
    }
    Ok(Batch {
        manifest,
        records,
        as_written,
        files,
        meetings,
    })
}

/// The meetings a batch holds: the upload a sync round would send, at most [`MAX_MEETINGS`].
fn read_meetings(bytes: &[u8]) -> Result<MusdesUpload, BatchError> {
    let upload: MusdesUpload =
        serde_json::from_slice(bytes).map_err(|e| BatchError::BadMeetings(e.to_string()))?;
    if upload.meetings.is_empty() {
        return Err(BatchError::BadMeetings("holds no meeting".to_owned()));
    }
    if upload.meetings.len() > MAX_MEETINGS {
        return Err(BatchError::BadMeetings(format!(
            "{} meetings, at most {MAX_MEETINGS}",
            upload.meetings.len()
        )));
    }
    Ok(upload)
}

/// Every file of the zip, inflated within the limits.
pub(super) fn unpack(bytes: &[u8], limits: &Limits) -> Result<BTreeMap<String, Vec<u8>>, BatchError> {
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(BatchError::FileTooLarge(bytes.len() as u64));
    }
    // The zip's directory must end the file: a cut-off batch may still hold a whole zip
    // inside it (the spreadsheet is one) that a reader searching backwards would find.
    let listed = end_of_central_directory(bytes)
        .ok_or_else(|| BatchError::NotAZip("no zip directory at the end of the file".to_owned()))?;
    // The directory's own count is refused before the zip library reads a single entry.
    if let Some(count) = listed.filter(|n| *n > limits.max_entries as u64) {
        return Err(BatchError::TooManyFiles(
            usize::try_from(count).unwrap_or(usize::MAX),
        ));
    }
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| BatchError::NotAZip(e.to_string()))?;
    if archive.len() > limits.max_entries {
        return Err(BatchError::TooManyFiles(archive.len()));
    }
    // The zip library keeps one entry per name; the directory's own count shows a twin.
    if let Some(listed) = listed.filter(|n| *n != archive.len() as u64) {
        return Err(BatchError::DuplicateFiles {
            listed,
            distinct: archive.len(),
        });
    }

    // First the headers only: names, declared sizes, ratios; nothing is inflated yet.
    let mut total: u64 = 0;
    let mut names = Vec::with_capacity(archive.len());
    // A set beside the list: the twin check stays linear in the number of entries (a list
    // search took 25 s for 100,000 entries).
    let mut seen = BTreeSet::new();
    for index in 0..archive.len() {
        let entry = archive.by_index_raw(index).map_err(|e| BatchError::BadEntry {
            index,
            reason: e.to_string(),
        })?;
        let name = entry
            .name()
            .map_err(|e| BatchError::BadEntry {
                index,
                reason: e.to_string(),
            })?
            .into_owned();
        check_name(&name)?;
        if !seen.insert(name.clone()) {
            return Err(BatchError::DuplicateFile(name));
        }
        if entry.encrypted()
            || !matches!(
                entry.compression(),
                zip::CompressionMethod::Stored | zip::CompressionMethod::Deflated
            )
        {
            return Err(BatchError::UnsupportedEntry { file: name });
        }
        let declared = entry.size();
        if declared > limits.max_entry_bytes {
            return Err(BatchError::DeclaredTooLarge { file: name, declared });
        }
        if name == "manifest.json" && declared > limits.max_manifest_bytes {
            return Err(BatchError::DeclaredTooLarge { file: name, declared });
        }
        let packed = entry.compressed_size().max(1);
        if declared > RATIO_SLACK_BYTES && declared / packed > limits.max_ratio {
            return Err(BatchError::ExpansionTooHigh {
                file: name,
                ratio: declared / packed,
            });
        }
        total = total.saturating_add(declared);
        if total > limits.max_total_bytes {
            return Err(BatchError::TotalTooLarge(total));
        }
        names.push(name);
    }

    // Then the contents, never more than declared.
    let mut files = BTreeMap::new();
    for (index, name) in names.into_iter().enumerate() {
        let mut entry = archive.by_index(index).map_err(|e| BatchError::Corrupt {
            file: name.clone(),
            reason: e.to_string(),
        })?;
        let declared = entry.size();
        let mut content = Vec::with_capacity(usize::try_from(declared.min(1 << 24)).unwrap_or(0));
        (&mut entry)
            .take(declared + 1)
            .read_to_end(&mut content)
            .map_err(|e| BatchError::Corrupt {
                file: name.clone(),
                reason: e.to_string(),
            })?;
        if content.len() as u64 > declared {
            return Err(BatchError::LargerThanDeclared { file: name });
        }
        files.insert(name, content);
    }
    Ok(files)
}

/// The end-of-central-directory record that ends `bytes` exactly (after its comment), with
/// the number of entries it declares (`None` when a ZIP64 record holds the count).
/// `None` outside: there is no such record, the file is not a whole zip.
fn end_of_central_directory(bytes: &[u8]) -> Option<Option<u64>> {
    const SIGNATURE: [u8; 4] = [0x50, 0x4b, 0x05, 0x06];
    const FIXED: usize = 22;
    let last = bytes.len().checked_sub(FIXED)?;
    let first = last.saturating_sub(usize::from(u16::MAX));
    (first..=last).rev().find_map(|at| {
        let record = &bytes[at..];
        let comment = usize::from(u16::from_le_bytes([record[20], record[21]]));
        (record[..4] == SIGNATURE && at + FIXED + comment == bytes.len()).then(|| {
            let entries = u16::from_le_bytes([record[10], record[11]]);
            (entries != u16::MAX).then_some(u64::from(entries))
        })
    })
}

/// Only the names the format has: `manifest.json`, `records.jsonl`, `<table>.csv`,
/// `verval.xlsx`, `musdes.json`, `foto/<record-id>_<field>.jpg|png`, and a sealed batch's
/// payload.
fn check_name(name: &str) -> Result<(), BatchError> {
    let unsafe_name = name.is_empty()
        || name.starts_with('/')
        || name.contains('\\')
        || name.contains('\0')
        || name.contains(':')
        || name
            .split('/')
            .any(|part| part == ".." || part == "." || part.is_empty());
    if unsafe_name {
        return Err(BatchError::UnsafeName(name.to_owned()));
    }
    let plain = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    };
    let known = match name.split_once('/') {
        None => {
            matches!(
                name,
                "manifest.json" | "records.jsonl" | "verval.xlsx" | PAYLOAD | MEETINGS_FILE
            ) || name.strip_suffix(".csv").is_some_and(plain)
        }
        Some(("foto", file)) => {
            let stem = file.strip_suffix(".jpg").or_else(|| file.strip_suffix(".png"));
            stem.and_then(|s| s.split_once('_')).is_some_and(|(id, field)| {
                RecordId::parse(id).is_ok_and(|parsed| parsed.as_str() == id) && plain(field)
            })
        }
        Some(_) => false,
    };
    if known {
        Ok(())
    } else {
        Err(BatchError::UnexpectedFile(name.to_owned()))
    }
}

pub(super) fn parse_manifest(bytes: &[u8]) -> Result<Manifest, BatchError> {
    // The format fields first, so a newer format is named as such and not as bad JSON.
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| BatchError::BadManifest(e.to_string()))?;
    match value.get("format").and_then(|f| f.as_str()) {
        Some(FORMAT) => {}
        Some(other) => return Err(BatchError::WrongFormat(other.to_owned())),
        None => return Err(BatchError::BadManifest("no \"format\"".to_owned())),
    }
    match value.get("format_version").and_then(|v| v.as_u64()) {
        Some(v) if v == u64::from(FORMAT_VERSION) => {}
        Some(v) if v == u64::from(SEALED_FORMAT_VERSION) => {
            return Err(BatchError::MissingFile(PAYLOAD.to_owned()))
        }
        Some(v) => {
            return Err(BatchError::UnknownFormatVersion(
                u32::try_from(v).unwrap_or(u32::MAX),
            ))
        }
        None => return Err(BatchError::BadManifest("no \"format_version\"".to_owned())),
    }
    let manifest: Manifest =
        serde_json::from_value(value).map_err(|e| BatchError::BadManifest(e.to_string()))?;
    if RecordId::parse(&manifest.batch_id).is_err() {
        return Err(BatchError::BadManifestField {
            field: "batch_id",
            reason: format!("{:?} is not a UUID", manifest.batch_id),
        });
    }
    for entry in &manifest.files {
        if !is_sha256(&entry.sha256) {
            return Err(BatchError::BadManifestField {
                field: "files.sha256",
                reason: format!("{}: {:?} is not a SHA-256", entry.path, entry.sha256),
            });
        }
    }
    for entry in &manifest.records {
        if RecordId::parse(&entry.id).map(|id| id.as_str() == entry.id) != Ok(true) {
            return Err(BatchError::BadManifestField {
                field: "records.id",
                reason: format!("{:?} is not a record id", entry.id),
            });
        }
        if !is_sha256(&entry.sha256) {
            return Err(BatchError::BadManifestField {
                field: "records.sha256",
                reason: format!("{}: {:?} is not a SHA-256", entry.id, entry.sha256),
            });
        }
    }
    Ok(manifest)
}

/// Every list of the manifest within [`Limits::max_entries`], before any is walked.
fn check_list_lengths(manifest: &Manifest, limits: &Limits) -> Result<(), BatchError> {
    let lists = [
        ("records", manifest.records.len()),
        ("files", manifest.files.len()),
        ("missing_photos", manifest.missing_photos.len()),
    ];
    match lists.into_iter().find(|(_, count)| *count > limits.max_entries) {
        Some((list, count)) => Err(BatchError::ManifestListTooLong {
            list,
            count,
            limit: limits.max_entries,
        }),
        None => Ok(()),
    }
}

pub(super) fn is_sha256(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The manifest's file list and the zip agree, byte for byte.
fn check_files(manifest: &Manifest, files: &BTreeMap<String, Vec<u8>>) -> Result<(), BatchError> {
    let mut listed = BTreeSet::new();
    for entry in &manifest.files {
        if !listed.insert(entry.path.as_str()) {
            return Err(BatchError::DuplicateManifestFile(entry.path.clone()));
        }
        let content = files
            .get(&entry.path)
            .ok_or_else(|| BatchError::MissingFile(entry.path.clone()))?;
        if content.len() as u64 != entry.bytes {
            return Err(BatchError::SizeMismatch {
                file: entry.path.clone(),
                expected: entry.bytes,
                found: content.len() as u64,
            });
        }
        if sha256_hex(content) != entry.sha256 {
            return Err(BatchError::ChecksumMismatch {
                file: entry.path.clone(),
            });
        }
    }
    if let Some(extra) = files.keys().find(|path| !listed.contains(path.as_str())) {
        return Err(BatchError::UnlistedFile(extra.clone()));
    }
    Ok(())
}

/// The records: each parses, is final, is listed once with its revision and checksum, and
/// uses a form this reader knows.
fn check_records(
    manifest: &Manifest,
    files: &BTreeMap<String, Vec<u8>>,
    known_forms: &KnownForms,
) -> Result<(Vec<HouseholdRecord>, Vec<bool>), BatchError> {
    let jsonl = files.get("records.jsonl").ok_or(BatchError::MissingRecords)?;
    let text = std::str::from_utf8(jsonl).map_err(|e| BatchError::BadRecord {
        line: 1 + jsonl[..e.valid_up_to()].iter().filter(|b| **b == b'\n').count(),
        reason: "not UTF-8 text".to_owned(),
    })?;
    let mut listed: BTreeMap<&str, &super::manifest::RecordEntry> = BTreeMap::new();
    for entry in &manifest.records {
        if listed.insert(entry.id.as_str(), entry).is_some() {
            return Err(BatchError::DuplicateRecord(entry.id.clone()));
        }
    }

    let mut records = Vec::new();
    let mut as_written = Vec::new();
    let mut seen = BTreeSet::new();
    for (i, line) in text.lines().enumerate() {
        let line_number = i + 1;
        if line.trim().is_empty() {
            return Err(BatchError::BadRecord {
                line: line_number,
                reason: "empty line".to_owned(),
            });
        }
        let record: HouseholdRecord = serde_json::from_str(line).map_err(|e| BatchError::BadRecord {
            line: line_number,
            reason: e.to_string(),
        })?;
        // The line must be the record exactly as the format writes it: anything the reader
        // would drop or reorder (an unknown key, other spacing) is refused, not lost quietly.
        let canonical = canonical_json(&record);
        if line != canonical {
            return Err(BatchError::BadRecord {
                line: line_number,
                reason: "not in the canonical form the batch format writes (unknown keys, \
                         other key order or spacing)"
                    .to_owned(),
            });
        }
        let id = record.id.to_string();
        if !seen.insert(id.clone()) {
            return Err(BatchError::DuplicateRecord(id));
        }
        let entry = listed
            .get(id.as_str())
            .ok_or_else(|| BatchError::UnlistedRecord(id.clone()))?;
        if entry.revision != record.revision {
            return Err(BatchError::RevisionMismatch {
                id,
                expected: entry.revision,
                found: record.revision,
            });
        }
        if sha256_hex(canonical.as_bytes()) != entry.sha256 {
            return Err(BatchError::RecordHashMismatch(id));
        }
        if !known_forms.knows(&record) {
            return Err(BatchError::UnknownFormVersion {
                id,
                form: record.form_id.clone(),
                version: record.form_version.clone(),
            });
        }
        if record.status != RecordStatus::Final {
            return Err(BatchError::DraftRecord(id));
        }
        let written_at = record.schema_version;
        let record = record
            .into_current()
            .map_err(|e| BatchError::Unusable(id.clone(), e.to_string()))?;
        as_written.push(record.schema_version == written_at);
        records.push(record);
    }
    if let Some(missing) = manifest.records.iter().find(|e| !seen.contains(&e.id)) {
        return Err(BatchError::MissingRecord(missing.id.clone()));
    }
    let declared = manifest.record_count;
    if usize::try_from(declared).ok() != Some(records.len()) || manifest.records.len() != records.len() {
        return Err(BatchError::CountMismatch {
            declared,
            listed: manifest.records.len(),
            found: records.len(),
        });
    }
    Ok((records, as_written))
}
