//! The receipt: the hub's written word that it holds a batch's records.

use crate::export::manifest::Manifest;
use serde::{Deserialize, Serialize};

/// The value of `format` in a receipt.
pub const RECEIPT_FORMAT: &str = "verval-receipt";
/// The receipt format version this code writes and reads.
pub const RECEIPT_FORMAT_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Receipt {
    pub format: String,
    pub format_version: u32,
    /// The manifest's `batch_id`.
    pub batch_id: String,
    /// SHA-256 of the batch file as the hub received it.
    pub batch_sha256: String,
    /// The batch's file name, so a receipt file can be matched by eye.
    pub file_name: String,
    /// Who received it (the hub's configured name, e.g. "Dinas Sosial Kab. Probolinggo").
    pub hub: String,
    /// When the hub first stored this batch, milliseconds since 1970 (UTC). The same on every
    /// repeat of the upload.
    pub received_at: i64,
    pub records: Vec<ReceivedRecord>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceivedRecord {
    pub id: String,
    pub revision: u32,
    /// The record's checksum as in the manifest.
    pub sha256: String,
    pub outcome: Outcome,
}

/// What the hub did with one record. Every outcome means the hub holds this revision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// New to the hub; it is the record's current version.
    Stored,
    /// The hub already had exactly this revision (an earlier upload or another batch).
    AlreadyStored,
    /// Kept in the record's history; a newer revision was already current.
    Older,
    /// Kept, and the record flagged for review: another device sent a different version.
    Conflict,
    /// Kept sealed (issue #22): the hub stores it as it came and opens it with the
    /// district's key; until then the household is known by its id, village and status.
    Sealed,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReceiptError {
    #[error("bukan tanda terima Verval (not a Verval receipt): {0}")]
    NotAReceipt(String),
    #[error("tanda terima versi {0} tidak dikenal aplikasi ini (unknown receipt version)")]
    UnknownVersion(u32),
    #[error("tanda terima untuk batch lain (receipt is for batch {found}, not {expected})")]
    OtherBatch { expected: String, found: String },
    #[error(
        "tanda terima tidak menyebut rekaman {id} revisi {revision} (receipt does not name this record)"
    )]
    MissingRecord { id: String, revision: u32 },
    #[error("tanda terima menyebut checksum lain untuk rekaman {id} (receipt has another checksum for this record)")]
    OtherChecksum { id: String },
}

/// Parses a receipt from an answer body or a receipt file.
pub fn parse_receipt(bytes: &[u8]) -> Result<Receipt, ReceiptError> {
    let receipt: Receipt =
        serde_json::from_slice(bytes).map_err(|e| ReceiptError::NotAReceipt(e.to_string()))?;
    if receipt.format != RECEIPT_FORMAT {
        return Err(ReceiptError::NotAReceipt(format!(
            "format is {:?}",
            receipt.format
        )));
    }
    if receipt.format_version != RECEIPT_FORMAT_VERSION {
        return Err(ReceiptError::UnknownVersion(receipt.format_version));
    }
    Ok(receipt)
}

impl Receipt {
    /// Checks that this receipt acknowledges every record of the batch `manifest` describes,
    /// checksums included: only then may the sender mark them received.
    pub fn acknowledges(&self, manifest: &Manifest) -> Result<(), ReceiptError> {
        let sent: Vec<(&str, u32)> = manifest
            .records
            .iter()
            .map(|r| (r.id.as_str(), r.revision))
            .collect();
        self.acknowledges_records(&manifest.batch_id, &sent)?;
        for sent in &manifest.records {
            let got = self
                .records
                .iter()
                .find(|r| r.id == sent.id && r.revision == sent.revision);
            if got.is_some_and(|got| got.sha256 != sent.sha256) {
                return Err(ReceiptError::OtherChecksum { id: sent.id.clone() });
            }
        }
        Ok(())
    }

    /// Checks that this receipt is for batch `batch_id` and names every record revision in
    /// `sent`. (The phone keeps a batch's ledger, not its manifest; it checks the receipt's
    /// `batch_sha256` against the file it sent, which covers every record's checksum.)
    pub fn acknowledges_records(&self, batch_id: &str, sent: &[(&str, u32)]) -> Result<(), ReceiptError> {
        if self.batch_id != batch_id {
            return Err(ReceiptError::OtherBatch {
                expected: batch_id.to_owned(),
                found: self.batch_id.clone(),
            });
        }
        for (id, revision) in sent {
            if !self
                .records
                .iter()
                .any(|r| r.id == *id && r.revision == *revision)
            {
                return Err(ReceiptError::MissingRecord {
                    id: (*id).to_owned(),
                    revision: *revision,
                });
            }
        }
        Ok(())
    }

    /// The receipt as a file (pretty JSON), as the hub hands it out.
    pub fn to_file(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).unwrap_or_default();
        bytes.push(b'\n');
        bytes
    }

    /// The name a receipt file is given: the batch's own, prefixed.
    pub fn file_name(&self) -> String {
        let stem = self.file_name.strip_suffix(".zip").unwrap_or(&self.file_name);
        format!("tanda-terima-{stem}.json")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::manifest::RecordEntry;

    fn manifest(records: &[(&str, u32, &str)]) -> Manifest {
        Manifest {
            format: "verval-batch".into(),
            format_version: 1,
            batch_id: "b1".into(),
            file_name: "verval-x.zip".into(),
            app_version: "0.1.0".into(),
            form_version: "1".into(),
            profile: "lengkap".into(),
            enumerator: "SITI".into(),
            device_id: "d1".into(),
            kode_desa: "35.13.14.2001".into(),
            sequence: 1,
            created_at: 0,
            record_count: records.len() as u32,
            records: records
                .iter()
                .map(|(id, revision, sha)| RecordEntry {
                    id: (*id).into(),
                    revision: *revision,
                    form_version: "1".into(),
                    sha256: (*sha).into(),
                })
                .collect(),
            files: vec![],
            missing_photos: vec![],
        }
    }

    fn receipt(records: &[(&str, u32, &str)]) -> Receipt {
        Receipt {
            format: RECEIPT_FORMAT.into(),
            format_version: RECEIPT_FORMAT_VERSION,
            batch_id: "b1".into(),
            batch_sha256: "f".into(),
            file_name: "verval-x.zip".into(),
            hub: "Dinsos".into(),
            received_at: 1,
            records: records
                .iter()
                .map(|(id, revision, sha)| ReceivedRecord {
                    id: (*id).into(),
                    revision: *revision,
                    sha256: (*sha).into(),
                    outcome: Outcome::Stored,
                })
                .collect(),
        }
    }

    #[test]
    fn a_receipt_round_trips_through_its_file() {
        let r = receipt(&[("a", 1, "x"), ("b", 2, "y")]);
        assert_eq!(parse_receipt(&r.to_file()), Ok(r.clone()));
        assert_eq!(r.file_name(), "tanda-terima-verval-x.json");
    }

    #[test]
    fn a_captive_portal_page_is_not_a_receipt() {
        let page = b"<html><body>Login to WiFi.id</body></html>";
        assert!(matches!(parse_receipt(page), Err(ReceiptError::NotAReceipt(_))));
        assert!(matches!(parse_receipt(b"{}"), Err(ReceiptError::NotAReceipt(_))));
    }

    #[test]
    fn another_format_or_version_is_refused() {
        let mut r = receipt(&[("a", 1, "x")]);
        r.format = "verval-batch".into();
        assert!(matches!(
            parse_receipt(&r.to_file()),
            Err(ReceiptError::NotAReceipt(_))
        ));
        r.format = RECEIPT_FORMAT.into();
        r.format_version = 2;
        assert_eq!(parse_receipt(&r.to_file()), Err(ReceiptError::UnknownVersion(2)));
    }

    #[test]
    fn a_receipt_acknowledges_only_what_it_names() {
        let sent = manifest(&[("a", 1, "x"), ("b", 2, "y")]);
        assert_eq!(
            receipt(&[("b", 2, "y"), ("a", 1, "x")]).acknowledges(&sent),
            Ok(())
        );
        assert_eq!(
            receipt(&[("a", 1, "x")]).acknowledges(&sent),
            Err(ReceiptError::MissingRecord {
                id: "b".into(),
                revision: 2
            })
        );
        assert_eq!(
            receipt(&[("a", 1, "x"), ("b", 1, "y")]).acknowledges(&sent),
            Err(ReceiptError::MissingRecord {
                id: "b".into(),
                revision: 2
            })
        );
        assert_eq!(
            receipt(&[("a", 1, "x"), ("b", 2, "z")]).acknowledges(&sent),
            Err(ReceiptError::OtherChecksum { id: "b".into() })
        );
        let mut other = receipt(&[("a", 1, "x"), ("b", 2, "y")]);
        other.batch_id = "b2".into();
        assert!(matches!(
            other.acknowledges(&sent),
            Err(ReceiptError::OtherBatch { .. })
        ));
    }
}
