//! Duplicate families across households (issue #21): what two households must share for
//! the hub to ask whether they are one family, and what a reviewer may answer.
//!
//! Each household gives [`match_keys`]: the prelist family it visited, its family card
//! number, every member's NIK, and its head's name and birth date within its village. Two
//! households (never two revisions of one: a household is one record id) sharing any key
//! form a pair; the hub keeps the pair with every kind it matched on and the reviewer's
//! [`Resolution`].

use crate::fields::{NAMA_KEPALA_KELUARGA, NOMOR_KK};
use crate::form::default::{ART, HUBUNGAN_KK, KODE_DESA, NAMA, NIK, TANGGAL_LAHIR};
use crate::record::HouseholdRecord;
use crate::text::Text;

/// What two households share.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MatchKind {
    /// They visited the same prelist family.
    Prelist,
    /// The same prelist family, visited from two phones (a [`MatchKind::Prelist`] pair whose
    /// households came from different phones: two enumerators walked to one door).
    TwoPhones,
    /// A member's NIK appears in both.
    Nik,
    /// The same family card number.
    Kk,
    /// The same head's name and birth date, in one village.
    Head,
}

impl MatchKind {
    pub const ALL: [MatchKind; 5] = [
        MatchKind::Prelist,
        MatchKind::TwoPhones,
        MatchKind::Nik,
        MatchKind::Kk,
        MatchKind::Head,
    ];

    /// The code stored (`record_keys.kind`, `duplicate_pairs.kinds`): keep them stable.
    pub fn code(self) -> &'static str {
        match self {
            MatchKind::Prelist => "prelist",
            MatchKind::TwoPhones => "dua_hp",
            MatchKind::Nik => "nik",
            MatchKind::Kk => "kk",
            MatchKind::Head => "kepala",
        }
    }

    pub fn parse(code: &str) -> Option<MatchKind> {
        MatchKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> Text {
        match self {
            MatchKind::Prelist => Text::new("Satu keluarga prelist", "one prelist family"),
            MatchKind::TwoPhones => Text::new("Dikunjungi dari dua HP", "visited from two phones"),
            MatchKind::Nik => Text::new("NIK yang sama", "the same NIK"),
            MatchKind::Kk => Text::new("Nomor KK yang sama", "the same family card number"),
            MatchKind::Head => Text::new(
                "Nama dan tanggal lahir kepala keluarga sama",
                "the same head's name and birth date",
            ),
        }
    }

    /// Kinds as stored in one column: codes in [`MatchKind::ALL`] order, comma-separated.
    pub fn join(kinds: &[MatchKind]) -> String {
        let mut kinds = kinds.to_vec();
        kinds.sort();
        kinds.dedup();
        kinds.iter().map(|k| k.code()).collect::<Vec<_>>().join(",")
    }

    /// The kinds of [`MatchKind::join`]; unknown codes are left out.
    pub fn split(text: &str) -> Vec<MatchKind> {
        text.split(',').filter_map(MatchKind::parse).collect()
    }
}

/// One key a household can be matched by.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct MatchKey {
    pub kind: MatchKind,
    pub key: String,
}

/// Every key of a household: empty and malformed numbers give none (a blank KK is no
/// evidence that two families are one).
pub fn match_keys(record: &HouseholdRecord) -> Vec<MatchKey> {
    let mut keys = Vec::new();
    let mut add = |kind, key: String| keys.push(MatchKey { kind, key });
    if let Some(link) = &record.prelist {
        let id = link.family.prelist_id.trim();
        if !id.is_empty() {
            add(MatchKind::Prelist, id.to_owned());
        }
    }
    if let Some(kk) = identity_number(record.answers.get(NOMOR_KK)) {
        add(MatchKind::Kk, kk);
    }
    let members = record.repeats.rows(ART);
    for row in members {
        if let Some(nik) = identity_number(row.answers.get(NIK)) {
            add(MatchKind::Nik, nik);
        }
    }
    let head = members.iter().find(|row| row.answers.get(HUBUNGAN_KK) == "1");
    if let Some(head) = head {
        let name = match record.answers.get(NAMA_KEPALA_KELUARGA).trim() {
            "" => head.answers.get(NAMA),
            name => name,
        };
        if let Some(key) = head_key(
            record.answers.get(KODE_DESA),
            name,
            head.answers.get(TANGGAL_LAHIR),
        ) {
            add(MatchKind::Head, key);
        }
    }
    keys.sort();
    keys.dedup();
    keys
}

/// A NIK or KK number as a key: its 16 digits, else none.
fn identity_number(text: &str) -> Option<String> {
    let text = text.trim();
    (text.len() == 16 && text.bytes().all(|b| b.is_ascii_digit())).then(|| text.to_owned())
}

/// The head-of-family key: village, name as [`name_key`] writes it, and birth date; none
/// when any of them is missing.
pub fn head_key(village: &str, name: &str, birth_date: &str) -> Option<String> {
    let (village, name, birth_date) = (village.trim(), name_key(name), birth_date.trim());
    if village.is_empty() || name.is_empty() || birth_date.is_empty() {
        return None;
    }
    Some(format!("{village}|{name}|{birth_date}"))
}

/// A name as compared: its words of letters and digits, upper case, one space apart
/// ("Siti  Aminah," and "SITI AMINAH" are one name; "Moh." and "Moh" too).
pub fn name_key(name: &str) -> String {
    name.split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .map(str::to_uppercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// What happened to a member found in two families.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MemberStatus {
    /// Moved from one family to the other.
    Moved,
    Died,
    /// One person written in both families by mistake.
    ListedTwice,
}

impl MemberStatus {
    pub const ALL: [MemberStatus; 3] = [MemberStatus::Moved, MemberStatus::Died, MemberStatus::ListedTwice];

    pub fn code(self) -> &'static str {
        match self {
            MemberStatus::Moved => "pindah",
            MemberStatus::Died => "meninggal",
            MemberStatus::ListedTwice => "tercatat_ganda",
        }
    }

    pub fn parse(code: &str) -> Option<MemberStatus> {
        MemberStatus::ALL.into_iter().find(|s| s.code() == code.trim())
    }

    pub fn label(self) -> Text {
        match self {
            MemberStatus::Moved => Text::new("Anggota pindah", "a member moved"),
            MemberStatus::Died => Text::new("Anggota meninggal", "a member died"),
            MemberStatus::ListedTwice => Text::new("Anggota tercatat ganda", "a member listed twice"),
        }
    }
}

/// A reviewer's answer to "are these one family?".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// One family entered twice: one household is kept, the other rejected as its duplicate.
    SameFamily,
    /// Two families: the pair is never raised again.
    DifferentFamilies,
    /// Two families sharing a member, whose standing the reviewer records.
    Member(MemberStatus),
}

impl Resolution {
    /// The code stored in `duplicate_pairs.decision` (a member's status is its own column).
    pub fn code(self) -> &'static str {
        match self {
            Resolution::SameFamily => "sama",
            Resolution::DifferentFamilies => "berbeda",
            Resolution::Member(_) => "anggota",
        }
    }

    /// From the stored decision and member status; `None` for an open pair or a code this
    /// hub never writes.
    pub fn parse(decision: &str, member: &str) -> Option<Resolution> {
        match decision {
            "sama" => Some(Resolution::SameFamily),
            "berbeda" => Some(Resolution::DifferentFamilies),
            "anggota" => MemberStatus::parse(member).map(Resolution::Member),
            _ => None,
        }
    }

    pub fn label(self) -> Text {
        match self {
            Resolution::SameFamily => Text::new("Keluarga yang sama", "the same family"),
            Resolution::DifferentFamilies => Text::new("Keluarga berbeda", "different families"),
            Resolution::Member(status) => status.label(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::RecordId;
    use crate::record::Timestamp;

    fn household(
        village: &str,
        kk: &str,
        head: &str,
        members: &[(&str, &str, &str, &str)],
    ) -> HouseholdRecord {
        let now = Timestamp(1);
        let mut r = HouseholdRecord::new(RecordId::from_random_bytes([7; 16]), now);
        r.set_answer(KODE_DESA, village, now);
        r.set_answer(NOMOR_KK, kk, now);
        r.set_answer(NAMA_KEPALA_KELUARGA, head, now);
        for (name, nik, relation, born) in members {
            let key = r.add_row(ART, now);
            for (field, value) in [
                (NAMA, name),
                (NIK, nik),
                (HUBUNGAN_KK, relation),
                (TANGGAL_LAHIR, born),
            ] {
                r.set_row_answer(ART, key, field, value, now);
            }
        }
        r
    }

    fn kinds(keys: &[MatchKey]) -> Vec<(&'static str, &str)> {
        keys.iter().map(|k| (k.kind.code(), k.key.as_str())).collect()
    }

    #[test]
    fn a_household_is_matched_by_its_card_its_members_and_its_head() {
        let r = household(
            "35.13.14.2001",
            " 3513140101090001 ",
            "Siti  Aminah,",
            &[
                ("SITI AMINAH", "3513144107800001", "1", "1980-07-01"),
                ("BUDI", "3513140101050002", "3", "2005-01-01"),
                ("BAYI", "", "3", "2024-01-01"),
            ],
        );
        assert_eq!(
            kinds(&match_keys(&r)),
            [
                ("nik", "3513140101050002"),
                ("nik", "3513144107800001"),
                ("kk", "3513140101090001"),
                ("kepala", "35.13.14.2001|SITI AMINAH|1980-07-01"),
            ]
        );
    }

    #[test]
    fn blank_and_malformed_numbers_and_a_headless_family_give_no_keys() {
        let r = household(
            "35.13.14.2001",
            "",
            "",
            &[
                ("A", "12345", "3", "1980-01-01"),
                ("B", "35131441078000x1", "2", ""),
            ],
        );
        assert!(match_keys(&r).is_empty());
        let no_birth = household("35.13.14.2001", "", "X", &[("X", "", "1", "")]);
        assert!(match_keys(&no_birth).is_empty(), "a name alone is no match");
    }

    #[test]
    fn names_compare_by_their_words() {
        assert_eq!(name_key("  moh. Sholeh "), "MOH SHOLEH");
        assert_eq!(name_key("Ma'ruf"), "MA'RUF");
        assert_eq!(name_key(""), "");
        assert_ne!(
            head_key("35.13.14.2001", "Sholeh", "1970-01-01"),
            head_key("35.13.14.2002", "Sholeh", "1970-01-01"),
            "one name and birth date in two villages is not a match"
        );
    }

    #[test]
    fn kinds_and_resolutions_read_back_what_they_write() {
        let joined = MatchKind::join(&[MatchKind::Head, MatchKind::Prelist, MatchKind::Head]);
        assert_eq!(joined, "prelist,kepala");
        assert_eq!(MatchKind::split(&joined), [MatchKind::Prelist, MatchKind::Head]);
        assert_eq!(MatchKind::split("nik,zzz"), [MatchKind::Nik]);
        for status in MemberStatus::ALL {
            let r = Resolution::Member(status);
            assert_eq!(Resolution::parse(r.code(), status.code()), Some(r));
        }
        assert_eq!(Resolution::parse("sama", ""), Some(Resolution::SameFamily));
        assert_eq!(
            Resolution::parse("berbeda", ""),
            Some(Resolution::DifferentFamilies)
        );
        assert_eq!(Resolution::parse("", ""), None);
        assert_eq!(Resolution::parse("anggota", "hilang"), None);
    }
}
