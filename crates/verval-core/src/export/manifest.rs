//! `manifest.json`: what a batch holds and the checksum of every part of it
//! (docs/batch-format.md describes it for readers outside this code).

use serde::{Deserialize, Serialize};

/// The value of `format`: says this zip is a Verval batch.
pub const FORMAT: &str = "verval-batch";
/// The batch format version this code writes; readers refuse versions they do not know.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub format: String,
    pub format_version: u32,
    /// A UUID made on the phone for this batch; a re-export is a new batch.
    pub batch_id: String,
    /// The zip's file name when it was made.
    pub file_name: String,
    pub app_version: String,
    /// The form version of the app that made the batch (each record carries its own).
    pub form_version: String,
    /// The export profile of the extra tables (`lengkap`, `p3ke`, `regsosek`).
    pub profile: String,
    pub enumerator: String,
    pub device_id: String,
    /// The village code of the records, `campuran` when they span villages, `musdes` when
    /// the batch holds village meetings only.
    pub kode_desa: String,
    /// This device's batch counter.
    pub sequence: u32,
    /// Milliseconds since 1970 (UTC).
    pub created_at: i64,
    pub record_count: u32,
    pub records: Vec<RecordEntry>,
    /// Every other file of the zip, in the order written.
    pub files: Vec<FileEntry>,
    /// Photos a record names that the phone no longer had when the batch was made: said
    /// here so their absence is never silent.
    #[serde(default)]
    pub missing_photos: Vec<MissingPhoto>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordEntry {
    pub id: String,
    pub revision: u32,
    pub form_version: String,
    /// SHA-256 of the record's canonical JSON (its line in `records.jsonl`).
    pub sha256: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileEntry {
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MissingPhoto {
    pub record_id: String,
    pub field: String,
}
