//! The canonical JSON of a record, and SHA-256 as lowercase hex.
//!
//! A record's checksum in the manifest is the SHA-256 of its canonical JSON: object keys
//! sorted by their UTF-8 bytes, no whitespace, strings escaped as JSON requires and nothing
//! more (`serde_json`'s string escaping). Every key in a record is ASCII, so this is also
//! the order of RFC 8785 (JCS). The same record always gives the same bytes whatever
//! wrote it, so a district's own tool can recompute the hash from `records.jsonl`.

use crate::record::HouseholdRecord;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The canonical JSON text of a record (one line of `records.jsonl`).
pub fn canonical_json(record: &HouseholdRecord) -> String {
    // Serializing a record to a JSON value cannot fail: all its keys are strings.
    let value = serde_json::to_value(record).unwrap_or(Value::Null);
    let mut out = String::new();
    write_value(&value, &mut out);
    out
}

fn write_value(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            // Sorted here, whatever order the map keeps: another crate in the build may
            // turn on serde_json's `preserve_order`.
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                write_value(&map[key], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// SHA-256 of `bytes` as 64 lowercase hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// `bytes` as lowercase hex digits (no `format!`: the phone's modules carry no formatting
/// machinery for it).
pub fn hex(bytes: &[u8]) -> String {
    let mut hex = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        hex.push(char::from(HEX[usize::from(byte >> 4)]));
        hex.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    hex
}

const HEX: &[u8; 16] = b"0123456789abcdef";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::default::example::example_family;
    use crate::ids::RecordId;

    #[test]
    fn sha256_matches_the_published_test_vector() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn canonical_json_sorts_keys_has_no_spaces_and_reads_back_equal() {
        let record = example_family(RecordId::from_random_bytes([5; 16]));
        let text = canonical_json(&record);
        assert!(!text.contains(": ") && !text.contains('\n'));
        let answers = text.find("\"answers\"").unwrap();
        let created = text.find("\"created_at\"").unwrap();
        let updated = text.find("\"updated_at\"").unwrap();
        assert!(answers < created && created < updated, "keys in order: {text}");
        let back: HouseholdRecord = serde_json::from_str(&text).unwrap();
        assert_eq!(back, record);
        assert_eq!(canonical_json(&back), text, "stable");
    }
}
