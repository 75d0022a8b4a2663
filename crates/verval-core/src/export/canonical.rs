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
    // The hub checks every line of every batch: written in one pass there. The phone keeps
    // the value-based writer, whose code its pages already carry (the tests hold the two to
    // the same text).
    #[cfg(not(target_arch = "wasm32"))]
    if let Some(text) = super::sorted_json::sorted_json(record) {
        return text;
    }
    by_value(&serde_json::to_value(record).unwrap_or(Value::Null))
}

/// The canonical JSON of a JSON value: its objects' keys sorted, no whitespace.
fn by_value(value: &Value) -> String {
    let mut out = String::new();
    write_value(value, &mut out);
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
    use crate::export::sorted_json::sorted_json;
    use crate::form::default::example::example_family;
    use crate::ids::RecordId;
    use serde_json::json;

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

    /// What the value-based writer gives: the oracle the one-pass writer is held to.
    fn oracle(record: &HouseholdRecord) -> String {
        by_value(&serde_json::to_value(record).unwrap())
    }

    #[test]
    fn the_one_pass_writer_gives_the_value_based_writers_text() {
        let mut record = example_family(RecordId::from_random_bytes([7; 16]));
        assert_eq!(canonical_json(&record), oracle(&record));
        // Keys a hostile or odd batch may carry: escapes that sort differently escaped
        // (`a"` before `a#` by their bytes, after it by `\"`), controls, non-ASCII, digits.
        let now = crate::Timestamp(1_795_600_000_000);
        for key in [
            "a\"",
            "a#",
            "a\\b",
            "a/",
            "tab\there",
            "line\nfeed",
            "\u{1}ctl",
            "é",
            "Ω",
            "10",
            "9",
            "",
            " ",
        ] {
            record.set_answer(key, &format!("{key} \" \\ \u{7f} \u{2028} ✓"), now);
        }
        assert_eq!(canonical_json(&record), oracle(&record));
        let back: HouseholdRecord = serde_json::from_str(&canonical_json(&record)).unwrap();
        assert_eq!(back, record);
    }

    #[test]
    fn the_one_pass_writer_sorts_every_object_and_gives_up_on_a_key_written_twice() {
        let value = json!({"b": [{"z": 1, "a": {"y": null, "x": [true, 1.5, -3]}}, "s"], "a": {}, "c": []});
        assert_eq!(sorted_json(&value).unwrap(), by_value(&value));
        assert_eq!(
            sorted_json(&value).unwrap(),
            r#"{"a":{},"b":[{"a":{"x":[true,1.5,-3],"y":null},"z":1},"s"],"c":[]}"#
        );
        #[derive(serde::Serialize)]
        struct Unsorted {
            zeta: f32,
            keyed: F32Keyed,
            alpha: std::collections::BTreeMap<u32, &'static str>,
            mid: Option<u64>,
            nan: f64,
        }
        let unsorted = Unsorted {
            zeta: 0.1,
            keyed: F32Keyed,
            alpha: [(10, "x"), (9, "y")].into_iter().collect(),
            mid: Some(u64::MAX),
            nan: f64::NAN,
        };
        assert_eq!(
            sorted_json(&unsorted).unwrap(),
            by_value(&serde_json::to_value(&unsorted).unwrap())
        );
        // A map keyed by an f32 (written as the f32 it is, where a value is widened).
        struct F32Keyed;
        impl serde::Serialize for F32Keyed {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let mut map = s.serialize_map(Some(2))?;
                map.serialize_entry(&0.1f32, &0.1f32)?;
                map.serialize_entry(&-2.5f32, &7u8)?;
                map.end()
            }
        }
        assert!(sorted_json(&F32Keyed)
            .unwrap()
            .contains(r#""0.1":0.10000000149011612"#));
        // One key twice (a flattened map repeating a field): the caller falls back.
        #[derive(serde::Serialize)]
        struct Twice {
            a: u8,
            #[serde(flatten)]
            more: std::collections::BTreeMap<&'static str, u8>,
        }
        let twice = Twice {
            a: 1,
            more: [("a", 2)].into_iter().collect(),
        };
        assert_eq!(sorted_json(&twice), None);
    }
}
