//! A visit begins as a draft record: a prelist family with what the list knows filled in
//! (identity, location, members), or a family not on the list (status 10) with only its
//! village. The enumerator then confirms or corrects each value; [`super::compare`] says
//! afterwards which were which.
//!
//! Values the list writes in its own words (`Laki-laki`, `Kepala Keluarga`, `12/07/1990`)
//! are turned into the form's answer codes where the meaning is certain, and left for the
//! enumerator otherwise: a wrong guess would look like a confirmed answer.

use super::link::PrelistLink;
use crate::fields::{ALAMAT, NAMA_KEPALA_KELUARGA, NOMOR_KK};
use crate::form::default::{
    ART, HUBUNGAN_KK, JENIS_KELAMIN, KODE_DESA, KODE_KABKOTA, KODE_KECAMATAN, KODE_PROVINSI, NAMA, NIK,
    PRELIST_DESIL, PRELIST_ID, PRELIST_PADAN_DUKCAPIL, PRELIST_SOURCE, RT, RW, STATUS_VERIFIKASI,
    TANGGAL_LAHIR,
};
use crate::form::default::{BANTUAN, DEFAULT_FORM, MENERIMA_BANTUAN, PROGRAM};
use crate::form::Kind;
use crate::ids::{FieldId, RecordId};
use crate::prelist::{PrelistFamily, PrelistMember};
use crate::record::{HouseholdRecord, Timestamp};
use crate::region::RegionCode;

/// `prelist_source` 1: P3KE. The hub's prelists are P3KE templates.
pub const SOURCE_P3KE: &str = "1";
/// `prelist_source` 4: proposed by the village (musdes/RT/RW), for a family not on the list.
pub const SOURCE_NEW_FAMILY: &str = "4";
/// `status_verifikasi` 10: Keluarga baru (not on the prelist).
pub const STATUS_NEW_FAMILY: &str = "10";

/// A new draft for a listed family, prefilled from the list and linked to it.
pub fn prefilled_record(
    id: RecordId,
    now: Timestamp,
    family: &PrelistFamily,
    source: &str,
) -> HouseholdRecord {
    let mut record = HouseholdRecord::new(id, now);
    let answers = &mut record.answers;
    answers.set(PRELIST_ID, &family.prelist_id);
    answers.set(PRELIST_SOURCE, source);
    if family.desil.parse::<u8>().is_ok_and(|d| (1..=10).contains(&d)) {
        answers.set(PRELIST_DESIL, &family.desil);
    }
    set_region(&mut record, &family.kode_desa);
    let answers = &mut record.answers;
    answers.set(ALAMAT, &family.alamat);
    answers.set(RT, &family.rt);
    answers.set(RW, &family.rw);
    if let Some(kk) = &family.nomor_kk {
        answers.set(NOMOR_KK, kk);
    }
    // The form keeps one matching status, the family's: its head's.
    if let Some(code) = head_of(family).and_then(|h| certain_code(PRELIST_PADAN_DUKCAPIL, &h.padan_dukcapil))
    {
        answers.set(PRELIST_PADAN_DUKCAPIL, code);
    }
    if let Some(head) = head_of(family) {
        answers.set(NAMA_KEPALA_KELUARGA, &head.nama.to_uppercase());
    }
    let mut member_rows = Vec::with_capacity(family.members.len());
    for member in &family.members {
        let key = record.add_row(ART, now);
        let mut set = |field, value: &str| {
            record.set_row_answer(ART, key, field, value, now);
        };
        set(NAMA, &member.nama.to_uppercase());
        set(NIK, member.nik.as_deref().unwrap_or(""));
        set(HUBUNGAN_KK, relation_code(&member.hubungan).unwrap_or(""));
        set(JENIS_KELAMIN, sex_code(&member.jenis_kelamin).unwrap_or(""));
        set(
            TANGGAL_LAHIR,
            &iso_date(&member.tanggal_lahir).unwrap_or_default(),
        );
        member_rows.push(key);
    }
    for (field, text) in &family.housing {
        if let Some(field) = housing_field(field) {
            if let Some(code) = certain_code(field, text) {
                record.answers.set(field, code);
            }
        }
    }
    // Known aid: each programme listed as received is a row to confirm (or remove).
    if !family.programmes.is_empty() {
        record.answers.set(MENERIMA_BANTUAN, "1");
        for code in &family.programmes {
            let key = record.add_row(BANTUAN, now);
            record.set_row_answer(BANTUAN, key, PROGRAM, code, now);
        }
    }
    record.prelist = Some(PrelistLink {
        family: family.clone(),
        member_rows,
    });
    record
}

/// The form's field for a housing value of the list: only the template's housing columns
/// (`template::p3ke`) are the form's; anything else a list or an assignment file carries is
/// not (it could name `prelist_source` or `status_verifikasi`).
pub fn housing_field(name: &str) -> Option<FieldId> {
    crate::template::p3ke::COLUMNS.iter().find_map(|c| match c.read {
        crate::template::p3ke::Read::Housing(field) if field.as_str() == name => Some(field),
        _ => None,
    })
}

/// The answer code of a select question that the list's words name without doubt: the
/// whole label, or one of its `/`-separated alternatives (`Kayu` is `Kayu/sirap`), and
/// only one choice does. `Listrik PLN` names two lighting choices: `None`.
pub fn certain_code(field: FieldId, text: &str) -> Option<&'static str> {
    let Some(Kind::SelectOne(choices)) = DEFAULT_FORM.question(field).map(|q| &q.kind) else {
        return None;
    };
    let wanted = words(text);
    if wanted.is_empty() {
        return None;
    }
    let mut found = choices.iter().filter(|c| {
        words(c.label.id) == wanted
            || c.label
                .id
                .split('/')
                .any(|alternative| words(alternative) == wanted)
    });
    match (found.next(), found.next()) {
        (Some(choice), None) => Some(choice.code),
        _ => None,
    }
}

/// A new draft for a family the list does not have, found in `kode_desa` (dotted village
/// code): status 10, proposed by the village.
pub fn new_family_record(id: RecordId, now: Timestamp, kode_desa: &str) -> HouseholdRecord {
    let mut record = HouseholdRecord::new(id, now);
    record.answers.set(PRELIST_SOURCE, SOURCE_NEW_FAMILY);
    record.answers.set(STATUS_VERIFIKASI, STATUS_NEW_FAMILY);
    set_region(&mut record, kode_desa);
    record
}

/// The province, regency and district answers follow from the village code.
fn set_region(record: &mut HouseholdRecord, kode_desa: &str) {
    let Ok(village) = RegionCode::parse(kode_desa) else {
        return;
    };
    let mut code = Some(village);
    for field in [KODE_DESA, KODE_KECAMATAN, KODE_KABKOTA, KODE_PROVINSI] {
        let Some(c) = code else { break };
        record.answers.set(field, c.as_str());
        code = c.parent();
    }
}

/// The member listed as head, or the first member when none is.
pub fn head_of(family: &PrelistFamily) -> Option<&PrelistMember> {
    family
        .members
        .iter()
        .find(|m| relation_code(&m.hubungan) == Some("1"))
        .or(family.members.first())
}

/// Lower case letters only, words separated by one space: `Istri / Suami` → `istri suami`.
fn words(text: &str) -> String {
    text.to_lowercase()
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `hubungan_kk` from the list's words (P3KE writes them out). Numbers are not taken:
/// lists number relations differently, and a wrong code would look confirmed.
pub fn relation_code(text: &str) -> Option<&'static str> {
    let w = words(text);
    let has = |word: &str| w.split(' ').any(|x| x == word);
    if w.starts_with("kepala") {
        Some("1")
    } else if has("istri") || has("suami") {
        Some("2")
    } else if has("menantu") {
        Some("4")
    } else if has("cucu") {
        Some("5")
    } else if has("anak") {
        Some("3")
    } else if has("orang") && has("tua") || has("orangtua") || has("mertua") {
        Some("6")
    } else if has("pembantu") || has("sopir") {
        Some("7")
    } else if has("famili") || has("lainnya") || has("lain") {
        Some("8")
    } else {
        None
    }
}

/// `jenis_kelamin` from the list's words or its usual 1/2 codes.
pub fn sex_code(text: &str) -> Option<&'static str> {
    match words(text).as_str() {
        "laki laki" | "lakilaki" | "laki" | "l" | "lk" | "pria" => Some("1"),
        "perempuan" | "p" | "pr" | "wanita" => Some("2"),
        _ => match text.trim() {
            "1" => Some("1"),
            "2" => Some("2"),
            _ => None,
        },
    }
}

/// A birth date as the form keeps it (`YYYY-MM-DD`) from `YYYY-MM-DD` (with or without a
/// time after it), `DD-MM-YYYY` or `DD/MM/YYYY`; `None` for anything else or a day that
/// does not exist.
pub fn iso_date(text: &str) -> Option<String> {
    let text = text.trim();
    let date_part = text.split([' ', 'T']).next()?;
    let parts: Vec<&str> = date_part.split(['-', '/', '.']).collect();
    let [a, b, c] = parts[..] else { return None };
    let number = |s: &str| -> Option<u32> { s.bytes().all(|b| b.is_ascii_digit()).then(|| s.parse().ok())? };
    let (year, month, day) = if a.len() == 4 {
        (number(a)?, number(b)?, number(c)?)
    } else if c.len() == 4 {
        (number(c)?, number(b)?, number(a)?)
    } else {
        return None;
    };
    let year = i32::try_from(year).ok()?;
    crate::date::Date::new(year, u8::try_from(month).ok()?, u8::try_from(day).ok()?)?;
    Some(format!("{year:04}-{month:02}-{day:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::campaign::fixtures::{listed, member};
    use crate::form::default::DEFAULT_FORM;
    use crate::form::validate::validate_record;

    pub(crate) fn family() -> PrelistFamily {
        let born = |m: PrelistMember, date: &str| PrelistMember {
            tanggal_lahir: date.to_owned(),
            id_individu: String::new(),
            padan_dukcapil: String::new(),
            ..m
        };
        let members = vec![
            born(
                member("3513142306900002", "Siti Aminah", "Istri", "Perempuan"),
                "23/06/1990",
            ),
            born(
                member(
                    "3513141207850001",
                    "Slamet Riyadi",
                    "Kepala Keluarga",
                    "Laki-laki",
                ),
                "1985-07-12",
            ),
            born(member("3513145005150003", "Dewi", "Anak", "P"), "31-02-2015"),
        ];
        PrelistFamily {
            alamat: "Dusun Krajan".to_owned(),
            rt: "001".to_owned(),
            rw: "003".to_owned(),
            desil: "1".to_owned(),
            ..listed("P3KE-0001", "3513141203150007", members)
        }
    }

    #[test]
    fn a_listed_family_becomes_a_prefilled_draft_linked_to_its_list_entry() {
        let listed = family();
        let record = prefilled_record(
            RecordId::from_random_bytes([7; 16]),
            Timestamp(5),
            &listed,
            SOURCE_P3KE,
        );
        let a = &record.answers;
        assert_eq!(a.get(PRELIST_ID), "P3KE-0001");
        assert_eq!(a.get(PRELIST_SOURCE), "1");
        assert_eq!(a.get(PRELIST_DESIL), "1");
        assert_eq!(
            [KODE_PROVINSI, KODE_KABKOTA, KODE_KECAMATAN, KODE_DESA].map(|f| a.get(f)),
            ["35", "35.13", "35.13.14", "35.13.14.2001"]
        );
        assert_eq!(a.get(NOMOR_KK), "3513141203150007");
        assert_eq!(
            a.get(NAMA_KEPALA_KELUARGA),
            "SLAMET RIYADI",
            "the head, not the first row"
        );
        let rows = record.repeats.rows(ART);
        assert_eq!(rows.len(), 3);
        let row = |i: usize, f| rows[i].answers.get(f).to_owned();
        assert_eq!(
            [NAMA, NIK, HUBUNGAN_KK, JENIS_KELAMIN, TANGGAL_LAHIR].map(|f| row(0, f)),
            ["SITI AMINAH", "3513142306900002", "2", "2", "1990-06-23"]
        );
        assert_eq!(row(1, TANGGAL_LAHIR), "1985-07-12");
        assert_eq!(
            row(2, TANGGAL_LAHIR),
            "",
            "31 February is left for the enumerator"
        );
        let link = record.prelist.as_ref().expect("linked");
        assert_eq!(link.family, listed);
        assert_eq!(link.member_rows, rows.iter().map(|r| r.key).collect::<Vec<_>>());
        // Still a draft the enumerator must complete: the visit's own questions are open.
        let issues = validate_record(
            &DEFAULT_FORM,
            &record,
            crate::form::default::example::EXAMPLE_TODAY,
            &crate::form::rules::NoOtherFamilies,
        );
        assert!(issues.iter().any(|i| i.field == STATUS_VERIFIKASI));
    }

    #[test]
    fn the_house_and_known_aid_are_prefilled_where_the_words_are_certain() {
        let mut listed = family();
        listed
            .housing
            .insert("jenis_atap".to_owned(), "GENTENG".to_owned());
        listed
            .housing
            .insert("jenis_dinding".to_owned(), "Kayu".to_owned());
        listed
            .housing
            .insert("sumber_penerangan".to_owned(), "Listrik PLN".to_owned());
        listed.programmes = vec!["PKH".to_owned(), "PIP".to_owned()];
        let record = prefilled_record(
            RecordId::from_random_bytes([9; 16]),
            Timestamp(5),
            &listed,
            SOURCE_P3KE,
        );
        let a = &record.answers;
        assert_eq!(a.get(crate::form::default::JENIS_ATAP), "2");
        assert_eq!(
            a.get(crate::form::default::JENIS_DINDING),
            "3",
            "Kayu/papan/…, not Batang kayu"
        );
        assert_eq!(
            a.get(crate::form::default::SUMBER_PENERANGAN),
            "",
            "with or without a meter: the enumerator says"
        );
        assert_eq!(a.get(MENERIMA_BANTUAN), "1");
        let programmes: Vec<&str> = record
            .repeats
            .rows(BANTUAN)
            .iter()
            .map(|r| r.answers.get(PROGRAM))
            .collect();
        assert_eq!(programmes, ["PKH", "PIP"]);
        assert_eq!(
            certain_code(crate::form::default::JENIS_LANTAI, "tanah"),
            Some("8")
        );
        assert_eq!(certain_code(crate::form::default::JENIS_LANTAI, "batu"), None);
        assert_eq!(certain_code(NAMA, "Genteng"), None, "not a select question");
    }

    #[test]
    fn a_new_family_has_status_10_and_its_village_only() {
        let record = new_family_record(
            RecordId::from_random_bytes([8; 16]),
            Timestamp(5),
            "35.13.14.2001",
        );
        assert_eq!(record.answers.get(STATUS_VERIFIKASI), "10");
        assert_eq!(record.answers.get(PRELIST_SOURCE), "4");
        assert_eq!(record.answers.get(PRELIST_ID), "");
        assert_eq!(record.answers.get(KODE_KABKOTA), "35.13");
        assert!(record.prelist.is_none());
    }

    #[test]
    fn list_words_become_codes_only_when_certain() {
        for (text, code) in [
            ("Kepala Keluarga", Some("1")),
            ("ISTRI", Some("2")),
            ("Suami", Some("2")),
            ("Anak", Some("3")),
            ("Anak Menantu", Some("4")),
            ("Cucu", Some("5")),
            ("Orang Tua", Some("6")),
            ("Mertua", Some("6")),
            ("Famili Lain", Some("8")),
            ("3", None),
            ("", None),
        ] {
            assert_eq!(relation_code(text), code, "{text}");
        }
        for (text, code) in [
            ("Laki-laki", Some("1")),
            ("LAKI - LAKI", Some("1")),
            ("L", Some("1")),
            ("Perempuan", Some("2")),
            ("2", Some("2")),
            ("X", None),
        ] {
            assert_eq!(sex_code(text), code, "{text}");
        }
        for (text, date) in [
            ("1990-07-12", Some("1990-07-12")),
            ("1990-07-12 00:00:00", Some("1990-07-12")),
            ("12/07/1990", Some("1990-07-12")),
            ("1-2-1990", Some("1990-02-01")),
            ("12/07/90", None),
            ("1990-13-01", None),
            ("kemarin", None),
        ] {
            assert_eq!(iso_date(text).as_deref(), date, "{text}");
        }
    }
}
