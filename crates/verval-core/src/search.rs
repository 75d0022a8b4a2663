//! Finding a household on the device: by a name (head's or a member's), by a NIK or by a
//! family card number. The storage keeps [`SearchKeys`] beside each record, in indexes, so a
//! search never reads every record.

use crate::fields::{NAMA_KEPALA_KELUARGA, NOMOR_KK};
use crate::form::default::{ART, NAMA, NIK};
use crate::record::HouseholdRecord;
use serde::{Deserialize, Serialize};

/// What a household can be found by.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchKeys {
    /// Every word of the head's and the members' names, upper case, once each. Only ASCII
    /// letters change case (names are written in capitals as on the card): Unicode case
    /// tables would add 15 KB to the start-up download.
    pub words: Vec<String>,
    /// The family card number and every member's NIK, once each.
    pub numbers: Vec<String>,
}

impl SearchKeys {
    pub fn of(record: &HouseholdRecord) -> SearchKeys {
        let members = record.repeats.rows(ART).iter();
        SearchKeys::from_parts(
            record.answers.get(NAMA_KEPALA_KELUARGA),
            record.answers.get(NOMOR_KK),
            members.map(|row| (row.answers.get(NAMA), row.answers.get(NIK))),
        )
    }

    /// From the head's name, the card number and each member's name and NIK: for stores
    /// that read only these parts of a stored record.
    pub fn from_parts<'a>(
        head: &'a str,
        kk: &'a str,
        members: impl Iterator<Item = (&'a str, &'a str)> + Clone,
    ) -> SearchKeys {
        let mut words: Vec<String> = std::iter::once(head)
            .chain(members.clone().map(|(name, _)| name))
            .flat_map(str::split_whitespace)
            .map(str::to_ascii_uppercase)
            .collect();
        words.sort_unstable();
        words.dedup();
        let mut numbers: Vec<String> = std::iter::once(kk)
            .chain(members.map(|(_, nik)| nik))
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned)
            .collect();
        numbers.sort_unstable();
        numbers.dedup();
        SearchKeys { words, numbers }
    }
}

/// What the enumerator typed into the search box.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Query {
    /// Digits: the start of a NIK or family card number.
    Number(String),
    /// Words: each must start a word of a name (`siti am` finds SITI AMINAH).
    Words(Vec<String>),
}

impl Query {
    /// `None` for an empty box.
    pub fn parse(text: &str) -> Option<Query> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        if text.bytes().all(|b| b.is_ascii_digit()) {
            return Some(Query::Number(text.to_owned()));
        }
        Some(Query::Words(
            text.split_whitespace().map(str::to_ascii_uppercase).collect(),
        ))
    }

    /// The index prefix a store looks up: the number, or the longest word (the fewest hits).
    pub fn index_prefix(&self) -> &str {
        match self {
            Query::Number(n) => n,
            Query::Words(words) => words
                .iter()
                .max_by_key(|w| w.len())
                .map(String::as_str)
                .unwrap_or(""),
        }
    }

    pub fn matches(&self, keys: &SearchKeys) -> bool {
        match self {
            Query::Number(n) => keys.numbers.iter().any(|k| k.starts_with(n.as_str())),
            Query::Words(words) => words
                .iter()
                .all(|w| keys.words.iter().any(|k| k.starts_with(w.as_str()))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::default::example::example_family;
    use crate::ids::RecordId;

    #[test]
    fn keys_of_the_example_family() {
        let keys = SearchKeys::of(&example_family(RecordId::from_random_bytes([1; 16])));
        assert_eq!(
            keys.words,
            ["ANDI", "DEWI", "LESTARI", "PRASETYO", "RIYADI", "SLAMET", "SUMIATI"]
        );
        assert_eq!(
            keys.numbers,
            [
                "3513141203150007",
                "3513141203580001",
                "3513141501230003",
                "3513144109120004",
                "3513144507960002"
            ]
        );
    }

    #[test]
    fn queries() {
        let keys = SearchKeys::of(&example_family(RecordId::from_random_bytes([1; 16])));
        let hit = |q: &str| Query::parse(q).is_some_and(|q| q.matches(&keys));
        for yes in [
            "slamet",
            "SLA",
            "riy sla",
            "dewi",
            "  sumiati ",
            "35131412031",
            "3513144507960002",
        ] {
            assert!(hit(yes), "{yes:?}");
        }
        for no in ["budi", "slamet budi", "3513149", "lamet"] {
            assert!(!hit(no), "{no:?}");
        }
        assert_eq!(Query::parse("   "), None);
        assert_eq!(Query::parse("siti aminah").unwrap().index_prefix(), "AMINAH");
    }
}
