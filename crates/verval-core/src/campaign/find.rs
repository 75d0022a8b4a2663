//! The campaign page's search box: a listed family found by its head's or a member's
//! name, its KK, a member's NIK or its prelist id — what the enumerator has in hand at the
//! door (a card, a name called out).

use crate::prelist::PrelistFamily;
use crate::search::Query;

/// Whether `family` answers the search box's `text` (an empty box finds every family).
/// Digits find the start of the KK, a NIK or the prelist id; words must each start a word
/// of one name.
pub fn family_matches(family: &PrelistFamily, text: &str) -> bool {
    match Query::parse(text) {
        None => true,
        Some(Query::Number(digits)) => family
            .nomor_kk
            .iter()
            .chain(family.members.iter().filter_map(|m| m.nik.as_ref()))
            .chain(std::iter::once(&family.prelist_id))
            .any(|n| n.starts_with(&digits)),
        Some(Query::Words(words)) => {
            let id = family.prelist_id.to_ascii_uppercase();
            family.members.iter().any(|m| {
                let name: Vec<String> = m.nama.split_whitespace().map(str::to_ascii_uppercase).collect();
                words
                    .iter()
                    .all(|w| name.iter().any(|n| n.starts_with(w.as_str())))
            }) || words.iter().all(|w| id.contains(w.as_str()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::campaign::fixtures::{listed, member};

    fn family() -> PrelistFamily {
        let members = vec![
            member("3513141207850000", "Slamet Riyadi", "", ""),
            member("3513141207850001", "Siti Aminah", "", ""),
        ];
        listed("P3KE-3513-77", "3513141203150007", members)
    }

    #[test]
    fn found_by_name_number_or_id() {
        let f = family();
        for text in [
            "",
            "slamet",
            "siti am",
            "SITI AMINAH",
            "351314120315",
            "3513141207850001",
            "p3ke-3513",
        ] {
            assert!(family_matches(&f, text), "{text}");
        }
        for text in ["aminah slamet", "budi", "3513149", "P3KE-9"] {
            assert!(!family_matches(&f, text), "{text}");
        }
    }
}
