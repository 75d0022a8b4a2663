//! Sealed batches, format version 2 (issue #22, docs/batch-format.md): a zip of two files —
//! a small plaintext `manifest.json` and `batch.zip.age`, the version 1 batch encrypted with
//! age to every one of the district's keys.
//!
//! The plaintext manifest holds only what the hub needs to authorise, deduplicate and answer
//! with a receipt before the batch is opened: ids, revisions, villages, statuses, form
//! versions and checksums. Never a name, NIK or KK number, nor a hash of one (a NIK's
//! structure makes its hash easy to reverse). Once opened, the batch inside must agree with
//! the manifest in every record, or it is refused whole.

use super::batch::BuiltBatch;
use super::canonical::sha256_hex;
use super::manifest::FORMAT;
use super::read::{is_sha256, verify, Batch, BatchError, Limits};
use crate::form::default::KODE_DESA;
use crate::form::KnownForms;
use crate::ids::RecordId;
use crate::record::HouseholdRecord;
use crate::seal::{self, Identity, Recipient, SealError};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// The format version of a sealed batch.
pub const SEALED_FORMAT_VERSION: u32 = 2;
/// The sealed payload's name in the zip.
pub const PAYLOAD: &str = "batch.zip.age";

/// The plaintext manifest of a sealed batch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SealedManifest {
    /// `verval-batch`, as version 1.
    pub format: String,
    /// [`SEALED_FORMAT_VERSION`].
    pub format_version: u32,
    pub batch_id: String,
    /// The sealed file's name when it was made (no person's name in it).
    pub file_name: String,
    pub device_id: String,
    /// The hub's id of the enumerator the phone is enrolled as; empty on a phone without a hub.
    pub enumerator_id: String,
    pub sequence: u32,
    /// Milliseconds since 1970 (UTC).
    pub created_at: i64,
    /// The fingerprints of the keys it was sealed to ([`Recipient::fingerprint`]).
    pub sealed_to: Vec<String>,
    /// The size and SHA-256 of `batch.zip.age`.
    pub payload_bytes: u64,
    pub payload_sha256: String,
    pub record_count: u32,
    pub records: Vec<SealedRecord>,
    /// Whether the batch inside holds the phone's village meetings (`musdes.json`): a batch
    /// may hold them and no household.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub musdes: bool,
}

/// What the hub may know of a record before the batch is opened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SealedRecord {
    pub id: String,
    pub revision: u32,
    pub kode_desa: String,
    /// The record's status (`final`: a batch holds nothing else).
    pub status: String,
    pub form_version: String,
    /// SHA-256 of the record's canonical JSON, as in the version 1 manifest.
    pub sha256: String,
}

impl SealedRecord {
    /// The manifest's line for `record`, whose canonical JSON hashes to `sha256`.
    pub fn of(record: &HouseholdRecord, sha256: &str) -> SealedRecord {
        SealedRecord {
            id: record.id.to_string(),
            revision: record.revision,
            kode_desa: record.answers.get(KODE_DESA).to_owned(),
            status: record.status.tag().to_owned(),
            form_version: record.form_version.clone(),
            sha256: sha256.to_owned(),
        }
    }
}

/// A sealed batch, read and checked as far as it can be without a key.
#[derive(Clone, Debug)]
pub struct Sealed {
    pub manifest: SealedManifest,
    pub payload: Vec<u8>,
}

/// Who seals: the district's keys and the enumerator's id at the hub.
#[derive(Clone, Debug)]
pub struct SealTo<'a> {
    pub recipients: &'a [Recipient],
    pub enumerator_id: &'a str,
}

/// A sealed batch ready to leave the phone.
#[derive(Clone, Debug)]
pub struct SealedBatch {
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub manifest: SealedManifest,
}

/// How many random bytes [`seal_batch`] needs for `recipients` keys.
pub fn entropy_len(recipients: usize) -> usize {
    seal::entropy_len(recipients)
}

/// Seals a built batch to the district's keys. Fails closed: without a key, or on any error,
/// there is no file at all.
pub fn seal_batch(built: &BuiltBatch, to: &SealTo<'_>, entropy: &[u8]) -> Result<SealedBatch, SealError> {
    let payload = seal::seal(&built.bytes, to.recipients, entropy)?;
    let manifest = SealedManifest {
        format: FORMAT.to_owned(),
        format_version: SEALED_FORMAT_VERSION,
        batch_id: built.manifest.batch_id.clone(),
        file_name: built.sealed_file_name.clone(),
        device_id: built.manifest.device_id.clone(),
        enumerator_id: to.enumerator_id.to_owned(),
        sequence: built.manifest.sequence,
        created_at: built.manifest.created_at,
        sealed_to: to.recipients.iter().map(Recipient::fingerprint).collect(),
        payload_bytes: payload.len() as u64,
        payload_sha256: sha256_hex(&payload),
        record_count: built.manifest.record_count,
        records: built.sealed_records.clone(),
        musdes: built
            .manifest
            .files
            .iter()
            .any(|f| f.path == super::batch::MEETINGS_FILE),
    };
    let bytes = pack(&manifest, &payload).map_err(|_| SealError::Cipher)?;
    Ok(SealedBatch {
        file_name: manifest.file_name.clone(),
        bytes,
        manifest,
    })
}

/// The zip: the manifest, then the payload, both stored (the payload does not compress).
fn pack(manifest: &SealedManifest, payload: &[u8]) -> Result<Vec<u8>, zip::result::ZipError> {
    let json = serde_json::to_vec_pretty(manifest).map_err(|e| zip::result::ZipError::Io(e.into()))?;
    let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file("manifest.json", stored)?;
    zip.write_all(&json)?;
    zip.start_file(PAYLOAD, stored)?;
    zip.write_all(payload)?;
    Ok(zip.finish()?.into_inner())
}

/// A sealed batch's files (already unpacked within the limits) checked: only its two files,
/// a strict manifest, and the payload the manifest names.
pub(super) fn read_sealed(
    mut files: BTreeMap<String, Vec<u8>>,
    limits: &Limits,
) -> Result<Sealed, BatchError> {
    if let Some(other) = files
        .keys()
        .find(|name| *name != "manifest.json" && *name != PAYLOAD)
    {
        return Err(BatchError::NotInSealedBatch(other.clone()));
    }
    let manifest = files.remove("manifest.json").ok_or(BatchError::MissingManifest)?;
    let payload = files.remove(PAYLOAD).unwrap_or_default();
    let manifest = parse_sealed_manifest(&manifest, limits)?;
    if payload.len() as u64 != manifest.payload_bytes {
        return Err(BatchError::SizeMismatch {
            file: PAYLOAD.to_owned(),
            expected: manifest.payload_bytes,
            found: payload.len() as u64,
        });
    }
    if sha256_hex(&payload) != manifest.payload_sha256 {
        return Err(BatchError::ChecksumMismatch {
            file: PAYLOAD.to_owned(),
        });
    }
    Ok(Sealed { manifest, payload })
}

fn parse_sealed_manifest(bytes: &[u8], limits: &Limits) -> Result<SealedManifest, BatchError> {
    let bad = |why: String| BatchError::BadSealedManifest(why);
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| bad(e.to_string()))?;
    match value.get("format").and_then(|f| f.as_str()) {
        Some(FORMAT) => {}
        Some(other) => return Err(BatchError::WrongFormat(other.to_owned())),
        None => return Err(bad("no \"format\"".to_owned())),
    }
    match value.get("format_version").and_then(|v| v.as_u64()) {
        Some(v) if v == u64::from(SEALED_FORMAT_VERSION) => {}
        Some(v) => {
            return Err(BatchError::UnknownFormatVersion(
                u32::try_from(v).unwrap_or(u32::MAX),
            ))
        }
        None => return Err(bad("no \"format_version\"".to_owned())),
    }
    // The list's length before serde builds it: a hostile manifest of a million entries is
    // refused by its count.
    let count = value
        .get("records")
        .and_then(|r| r.as_array())
        .map_or(0, Vec::len);
    if count > limits.max_entries {
        return Err(BatchError::ManifestListTooLong {
            list: "records",
            count,
            limit: limits.max_entries,
        });
    }
    let manifest: SealedManifest = serde_json::from_value(value).map_err(|e| bad(e.to_string()))?;
    if RecordId::parse(&manifest.batch_id).map(|id| id.as_str() == manifest.batch_id) != Ok(true) {
        return Err(bad(format!("batch_id {:?} is not a UUID", manifest.batch_id)));
    }
    if manifest.device_id.trim().is_empty() {
        return Err(bad("device_id is empty".to_owned()));
    }
    if !is_sha256(&manifest.payload_sha256) {
        return Err(bad("payload_sha256 is not a SHA-256".to_owned()));
    }
    if manifest.sealed_to.is_empty() {
        return Err(bad("sealed_to names no key".to_owned()));
    }
    let mut ids = BTreeSet::new();
    for record in &manifest.records {
        if RecordId::parse(&record.id).map(|id| id.as_str() == record.id) != Ok(true) {
            return Err(bad(format!("{:?} is not a record id", record.id)));
        }
        if !ids.insert(record.id.as_str()) {
            return Err(BatchError::DuplicateRecord(record.id.clone()));
        }
        if !is_sha256(&record.sha256) {
            return Err(bad(format!(
                "{}: {:?} is not a SHA-256",
                record.id, record.sha256
            )));
        }
        if record.status != crate::record::RecordStatus::Final.tag() {
            return Err(BatchError::DraftRecord(record.id.clone()));
        }
    }
    if manifest.records.is_empty() && !manifest.musdes {
        return Err(BatchError::Empty);
    }
    if usize::try_from(manifest.record_count).ok() != Some(manifest.records.len()) {
        return Err(BatchError::CountMismatch {
            declared: manifest.record_count,
            listed: manifest.records.len(),
            found: manifest.records.len(),
        });
    }
    Ok(manifest)
}

/// Why a sealed batch could not be opened.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OpenError {
    /// No key given opens it, or the payload is damaged: nothing was read.
    #[error("{0}")]
    Seal(#[from] SealError),
    /// Opened, but what is inside is not a valid batch.
    #[error("isi batch tersegel tidak sah (the sealed batch's content is not a valid batch): {0}")]
    Content(BatchError),
    /// Opened and valid, but not what its plaintext manifest said.
    #[error("isi batch tersegel tidak sesuai manifesnya (the sealed content contradicts its manifest): {0}")]
    Contradicts(String),
}

impl OpenError {
    /// Whether the batch itself is at fault (its content, not the key): such a batch is
    /// quarantined, while one the key did not open waits for the right key.
    pub fn is_the_batch(&self) -> bool {
        match self {
            OpenError::Seal(SealError::NoMatchingKey | SealError::BadIdentity(_)) => false,
            OpenError::Seal(_) | OpenError::Content(_) | OpenError::Contradicts(_) => true,
        }
    }
}

impl Sealed {
    /// Opens the payload with one of `identities` and verifies the batch inside, in full and
    /// against this manifest: the same batch, device and records, each with the same
    /// revision, village, status, form version and checksum, in the same order. Returns the
    /// batch and the version 1 zip it was read from.
    pub fn open(
        &self,
        identities: &[Identity],
        limits: &Limits,
        known_forms: &KnownForms,
    ) -> Result<(Batch, Vec<u8>), OpenError> {
        let inner = seal::open(&self.payload, identities)?;
        let files = super::read::unpack(&inner, limits).map_err(OpenError::Content)?;
        if files.contains_key(PAYLOAD) {
            return Err(OpenError::Content(BatchError::NotInSealedBatch(
                PAYLOAD.to_owned(),
            )));
        }
        let batch = verify(files, limits, known_forms).map_err(OpenError::Content)?;
        self.check(&batch)?;
        Ok((batch, inner))
    }

    fn check(&self, batch: &Batch) -> Result<(), OpenError> {
        let sealed = &self.manifest;
        let inner = &batch.manifest;
        let differs = |what: &str, outside: &str, inside: &str| {
            Err(OpenError::Contradicts(format!(
                "{what}: {outside:?} outside, {inside:?} inside"
            )))
        };
        if sealed.batch_id != inner.batch_id {
            return differs("batch_id", &sealed.batch_id, &inner.batch_id);
        }
        if sealed.device_id != inner.device_id {
            return differs("device_id", &sealed.device_id, &inner.device_id);
        }
        if sealed.sequence != inner.sequence {
            return differs(
                "sequence",
                &sealed.sequence.to_string(),
                &inner.sequence.to_string(),
            );
        }
        if sealed.created_at != inner.created_at {
            return differs(
                "created_at",
                &sealed.created_at.to_string(),
                &inner.created_at.to_string(),
            );
        }
        if sealed.musdes != batch.meetings.is_some() {
            return differs(
                "musdes",
                &sealed.musdes.to_string(),
                &batch.meetings.is_some().to_string(),
            );
        }
        if sealed.records.len() != batch.records.len() {
            return differs(
                "records",
                &sealed.records.len().to_string(),
                &batch.records.len().to_string(),
            );
        }
        for ((outside, entry), record) in sealed.records.iter().zip(&inner.records).zip(&batch.records) {
            let inside = SealedRecord::of(record, &entry.sha256);
            if *outside != inside {
                return Err(OpenError::Contradicts(format!(
                    "record {}: manifest {:?}, content {:?}",
                    outside.id,
                    describe(outside),
                    describe(&inside)
                )));
            }
        }
        Ok(())
    }
}

/// A record's line without its id, to say what differs.
fn describe(record: &SealedRecord) -> String {
    format!(
        "{} rev {} desa {} {} {} {}",
        record.id, record.revision, record.kode_desa, record.status, record.form_version, record.sha256
    )
}

#[cfg(test)]
#[path = "sealed_tests.rs"]
mod tests;
