//! Identifiers: record ids (UUID v4) and field ids.
//!
//! A record id is made on the device when the record is created and never changes or gets
//! reused: it is what makes every later step (export, re-import, sync) idempotent. The core
//! does not draw random numbers itself; the app hands in 16 bytes from the platform's CSPRNG.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A record's identity: a random (version 4) UUID in its canonical lowercase text form.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RecordId(String);

/// Why a text is not a record id.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not a record id (expected a UUID like 3f2b8c1e-9a4d-4f6b-8c2e-1d5a7b9c0e3f): {0:?}")]
pub struct BadRecordId(pub String);

impl RecordId {
    /// Builds a version 4 UUID from 16 random bytes, setting the version and variant bits.
    pub fn from_random_bytes(mut bytes: [u8; 16]) -> RecordId {
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        let mut text = String::with_capacity(36);
        for (i, byte) in bytes.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                text.push('-');
            }
            text.push_str(&format!("{byte:02x}"));
        }
        RecordId(text)
    }

    /// Parses the canonical form; upper-case hex is accepted and lowered so one record never
    /// has two spellings.
    pub fn parse(text: &str) -> Result<RecordId, BadRecordId> {
        let bad = || BadRecordId(text.to_owned());
        if text.len() != 36 {
            return Err(bad());
        }
        for (i, c) in text.chars().enumerate() {
            let ok = if matches!(i, 8 | 13 | 18 | 23) {
                c == '-'
            } else {
                c.is_ascii_hexdigit()
            };
            if !ok {
                return Err(bad());
            }
        }
        Ok(RecordId(text.to_ascii_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for RecordId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for RecordId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        RecordId::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// The id of a field of the form spec. It is also the field's export column name and the
/// `name` of its input, so it must stay stable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FieldId(&'static str);

impl FieldId {
    pub const fn new(id: &'static str) -> Self {
        FieldId(id)
    }

    pub fn as_str(self) -> &'static str {
        self.0
    }
}

impl AsRef<str> for FieldId {
    fn as_ref(&self) -> &str {
        self.0
    }
}

impl fmt::Display for FieldId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_bytes_become_a_version_4_uuid() {
        let id = RecordId::from_random_bytes([0xff; 16]);
        assert_eq!(id.as_str(), "ffffffff-ffff-4fff-bfff-ffffffffffff");
        let id = RecordId::from_random_bytes([0; 16]);
        assert_eq!(id.as_str(), "00000000-0000-4000-8000-000000000000");
        assert_eq!(RecordId::parse(id.as_str()), Ok(id));
    }

    #[test]
    fn different_bytes_give_different_ids() {
        let mut a = [7u8; 16];
        let b = a;
        a[15] = 8;
        assert_ne!(RecordId::from_random_bytes(a), RecordId::from_random_bytes(b));
    }

    #[test]
    fn parse_lowers_case_and_refuses_malformed_text() {
        let id = RecordId::parse("3F2B8C1E-9A4D-4F6B-8C2E-1D5A7B9C0E3F").unwrap();
        assert_eq!(id.as_str(), "3f2b8c1e-9a4d-4f6b-8c2e-1d5a7b9c0e3f");
        for bad in [
            "",
            "3f2b8c1e9a4d4f6b8c2e1d5a7b9c0e3f",
            "3f2b8c1e-9a4d-4f6b-8c2e-1d5a7b9c0e3",
            "3f2b8c1e-9a4d-4f6b-8c2e_1d5a7b9c0e3f",
            "3f2b8c1e-9a4d-4f6b-8c2e-1d5a7b9c0e3g",
            "3f2b8c1e-9a4d-4f6b-8c2e-1d5a7b9c0é3",
        ] {
            assert_eq!(RecordId::parse(bad), Err(BadRecordId(bad.into())), "{bad:?}");
        }
    }

    #[test]
    fn serde_refuses_an_id_that_does_not_parse() {
        let ok: RecordId = serde_json::from_str("\"00000000-0000-4000-8000-000000000000\"").unwrap();
        assert_eq!(
            serde_json::to_string(&ok).unwrap(),
            "\"00000000-0000-4000-8000-000000000000\""
        );
        assert!(serde_json::from_str::<RecordId>("\"x\"").is_err());
    }
}
