//! What the list said beside what the enumerator found, field by field: the part of a
//! verval a district reads first ("which NIKs changed?"). Worked out from the record's
//! [`PrelistLink`](super::PrelistLink) and its answers when exporting, so it always
//! describes the revision exported.

use super::prefill::{certain_code, head_of, housing_field, iso_date, relation_code, sex_code};
use crate::export::tables::Table;
use crate::fields::{ALAMAT, NAMA_KEPALA_KELUARGA, NOMOR_KK};
use crate::form::default::{
    ART, BANTUAN, HUBUNGAN_KK, JENIS_KELAMIN, KODE_DESA, MENERIMA_BANTUAN, NAMA, NIK, NO_URUT, PRELIST_ID,
    PROGRAM, RT, RW, STATUS_VERIFIKASI, TANGGAL_LAHIR,
};
use crate::ids::FieldId;
use crate::record::HouseholdRecord;

/// How an observed value relates to the listed one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The same value: confirmed.
    Sesuai,
    /// Another value: corrected.
    Diperbaiki,
    /// The list had none; the enumerator filled it in.
    Dilengkapi,
    /// The list had a value; the enumerator left the field empty.
    Dikosongkan,
    /// The list's value has no certain answer code (`Famili`, `3`), so only the enumerator's
    /// answer counts.
    DiisiPetugas,
    /// The member's row was removed from the form.
    Dihapus,
    /// The family was not verified in person (moved, not found, duplicate, refused...): the
    /// listed values were neither confirmed nor corrected.
    TidakDiverifikasi,
}

impl Outcome {
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Sesuai => "sesuai",
            Outcome::Diperbaiki => "diperbaiki",
            Outcome::Dilengkapi => "dilengkapi",
            Outcome::Dikosongkan => "dikosongkan",
            Outcome::DiisiPetugas => "diisi_petugas",
            Outcome::Dihapus => "dihapus",
            Outcome::TidakDiverifikasi => "tidak_diverifikasi",
        }
    }
}

/// One listed value checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldCheck {
    pub field: FieldId,
    /// The member's line number (`no_urut`) for a member's field; `None` for the family's.
    pub member: Option<String>,
    pub prelist: String,
    pub observed: String,
    pub outcome: Outcome,
}

/// Outcomes 1–3 are families met at (or near) the listed address; the others were not
/// verified in person.
fn verified_in_person(record: &HouseholdRecord) -> bool {
    matches!(record.answers.get(STATUS_VERIFIKASI), "1" | "2" | "3")
}

/// `expected` is the listed value as the answer the form would hold (`None`: no certain
/// answer for it).
fn check(
    field: FieldId,
    member: Option<String>,
    prelist: &str,
    expected: Option<String>,
    observed: &str,
) -> Option<FieldCheck> {
    let prelist = prelist.trim();
    let observed = observed.trim();
    if prelist.is_empty() && observed.is_empty() {
        return None;
    }
    let outcome = match expected {
        _ if prelist.is_empty() => Outcome::Dilengkapi,
        _ if observed.is_empty() => Outcome::Dikosongkan,
        None => Outcome::DiisiPetugas,
        Some(e) if e.eq_ignore_ascii_case(observed) => Outcome::Sesuai,
        Some(_) => Outcome::Diperbaiki,
    };
    Some(FieldCheck {
        field,
        member,
        prelist: prelist.to_owned(),
        observed: observed.to_owned(),
        outcome,
    })
}

/// Every listed value of a record checked; empty for a record not from a prelist.
pub fn compare(record: &HouseholdRecord) -> Vec<FieldCheck> {
    let Some(link) = &record.prelist else {
        return Vec::new();
    };
    let family = &link.family;
    let in_person = verified_in_person(record);
    let mut out = Vec::new();
    let mut push = |c: Option<FieldCheck>| {
        if let Some(mut c) = c {
            if !in_person {
                c.observed.clear();
                c.outcome = Outcome::TidakDiverifikasi;
            }
            out.push(c);
        }
    };
    let same = |s: &str| Some(s.trim().to_owned());
    let answer = |f: FieldId| record.answers.get(f);
    let head = head_of(family).map(|m| m.nama.as_str()).unwrap_or("");
    push(check(
        NOMOR_KK,
        None,
        family.nomor_kk.as_deref().unwrap_or(""),
        same(family.nomor_kk.as_deref().unwrap_or("")),
        answer(NOMOR_KK),
    ));
    push(check(
        NAMA_KEPALA_KELUARGA,
        None,
        head,
        same(head),
        answer(NAMA_KEPALA_KELUARGA),
    ));
    push(check(
        KODE_DESA,
        None,
        &family.kode_desa,
        same(&family.kode_desa),
        answer(KODE_DESA),
    ));
    push(check(
        ALAMAT,
        None,
        &family.alamat,
        same(&family.alamat),
        answer(ALAMAT),
    ));
    push(check(RT, None, &family.rt, same(&family.rt), answer(RT)));
    push(check(RW, None, &family.rw, same(&family.rw), answer(RW)));

    for (field, text) in &family.housing {
        if let Some(field) = housing_field(field) {
            push(check(
                field,
                None,
                text,
                certain_code(field, text).map(str::to_owned),
                answer(field),
            ));
        }
    }
    // A programme listed as received: confirmed by an aid row for it, or no longer received.
    let receives = record.answers.get(MENERIMA_BANTUAN) == "1";
    for code in &family.programmes {
        let found = receives
            && record
                .repeats
                .rows(BANTUAN)
                .iter()
                .any(|r| r.answers.get(PROGRAM) == code);
        push(check(
            PROGRAM,
            None,
            code,
            Some(code.clone()),
            if found { code } else { "" },
        ));
    }

    let rows = record.repeats.rows(ART);
    for (i, member) in family.members.iter().enumerate() {
        let row = link
            .member_rows
            .get(i)
            .and_then(|key| rows.iter().position(|r| r.key == *key));
        let Some(position) = row else {
            push(Some(FieldCheck {
                field: NAMA,
                member: None,
                prelist: member.nama.clone(),
                observed: String::new(),
                outcome: Outcome::Dihapus,
            }));
            continue;
        };
        let answers = &rows[position].answers;
        let line = match answers.get(NO_URUT) {
            "" => (position + 1).to_string(),
            n => n.to_owned(),
        };
        let nik = member.nik.as_deref().unwrap_or("");
        let m = || Some(line.clone());
        push(check(
            NAMA,
            m(),
            &member.nama,
            same(&member.nama),
            answers.get(NAMA),
        ));
        push(check(NIK, m(), nik, same(nik), answers.get(NIK)));
        push(check(
            HUBUNGAN_KK,
            m(),
            &member.hubungan,
            relation_code(&member.hubungan).map(str::to_owned),
            answers.get(HUBUNGAN_KK),
        ));
        push(check(
            JENIS_KELAMIN,
            m(),
            &member.jenis_kelamin,
            sex_code(&member.jenis_kelamin).map(str::to_owned),
            answers.get(JENIS_KELAMIN),
        ));
        push(check(
            TANGGAL_LAHIR,
            m(),
            &member.tanggal_lahir,
            iso_date(&member.tanggal_lahir),
            answers.get(TANGGAL_LAHIR),
        ));
    }
    out
}

/// The `prelist` table of an export: one row per listed value checked, for every record
/// from a prelist. Present (with its header) even when no record is, so a district's
/// import always finds it.
pub fn prelist_table(records: &[HouseholdRecord]) -> Table {
    use crate::export::column::ColumnKind::{Region, Text, Whole};
    let mut table = Table::new(
        "prelist",
        &[
            ("record_id", "ID rekaman", Text),
            ("revision", "Revisi", Whole),
            ("prelist_id", "ID prelist", Text),
            ("kode_desa", "Kode desa", Region),
            ("no_urut", "No. urut anggota (kosong: data keluarga)", Whole),
            ("field", "Isian (ID kolom)", Text),
            ("nilai_prelist", "Nilai di prelist", Text),
            ("nilai_observasi", "Nilai hasil kunjungan", Text),
            ("hasil", "Hasil (sesuai/diperbaiki/...)", Text),
        ],
    );
    for record in records {
        for c in compare(record) {
            table.rows.push(vec![
                record.id.to_string(),
                record.revision.to_string(),
                record.answers.get(PRELIST_ID).to_owned(),
                record.answers.get(KODE_DESA).to_owned(),
                c.member.unwrap_or_default(),
                c.field.to_string(),
                c.prelist,
                c.observed,
                c.outcome.code().to_owned(),
            ]);
        }
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::campaign::fixtures::{listed, member};
    use crate::campaign::prefill::{prefilled_record, SOURCE_P3KE};
    use crate::ids::RecordId;
    use crate::prelist::PrelistFamily;
    use crate::record::Timestamp;

    fn family() -> PrelistFamily {
        let members = vec![
            member("3513141207850001", "Slamet", "Kepala Keluarga", "L"),
            member("3513142306900002", "Siti", "3", "P"),
        ];
        PrelistFamily {
            alamat: "Krajan".to_owned(),
            rw: "003".to_owned(),
            ..listed("P3KE-9", "3513141203150007", members)
        }
    }

    fn find<'a>(checks: &'a [FieldCheck], field: FieldId, member: Option<&str>) -> &'a FieldCheck {
        checks
            .iter()
            .find(|c| c.field == field && c.member.as_deref() == member)
            .unwrap_or_else(|| panic!("no check of {field} {member:?}"))
    }

    fn visited(status: &str) -> HouseholdRecord {
        let mut r = prefilled_record(
            RecordId::from_random_bytes([3; 16]),
            Timestamp(1),
            &family(),
            SOURCE_P3KE,
        );
        r.answers.set(STATUS_VERIFIKASI, status);
        r
    }

    #[test]
    fn confirmed_corrected_added_and_removed_values() {
        let mut r = visited("2");
        r.answers.set(ALAMAT, "Dusun Krajan RT 001");
        r.answers.set(RT, "001");
        let second = r.repeats.rows(ART)[1].key;
        r.set_row_answer(ART, second, HUBUNGAN_KK, "2", Timestamp(2));
        let first = r.repeats.rows(ART)[0].key;
        r.set_row_answer(ART, first, NIK, "3513141207850009", Timestamp(2));
        let checks = compare(&r);
        assert_eq!(find(&checks, NOMOR_KK, None).outcome, Outcome::Sesuai);
        assert_eq!(
            find(&checks, NAMA_KEPALA_KELUARGA, None).outcome,
            Outcome::Sesuai,
            "SLAMET is Slamet"
        );
        let alamat = find(&checks, ALAMAT, None);
        assert_eq!(
            (alamat.prelist.as_str(), alamat.observed.as_str(), alamat.outcome),
            ("Krajan", "Dusun Krajan RT 001", Outcome::Diperbaiki)
        );
        assert_eq!(find(&checks, RT, None).outcome, Outcome::Dilengkapi);
        let nik = find(&checks, NIK, Some("1"));
        assert_eq!(
            (nik.prelist.as_str(), nik.observed.as_str(), nik.outcome),
            ("3513141207850001", "3513141207850009", Outcome::Diperbaiki)
        );
        assert_eq!(find(&checks, NIK, Some("2")).outcome, Outcome::Sesuai);
        assert_eq!(
            find(&checks, JENIS_KELAMIN, Some("2")).outcome,
            Outcome::Sesuai,
            "P is code 2"
        );
        assert_eq!(
            find(&checks, HUBUNGAN_KK, Some("2")).outcome,
            Outcome::DiisiPetugas,
            "a number has no certain code"
        );

        r.remove_row(ART, second, Timestamp(3));
        let checks = compare(&r);
        let removed = checks
            .iter()
            .find(|c| c.outcome == Outcome::Dihapus)
            .expect("removed member");
        assert_eq!(removed.prelist, "Siti");
        assert!(checks.iter().all(|c| c.member.as_deref() != Some("2")));
    }

    #[test]
    fn the_house_and_the_aid_received_are_checked_too() {
        let mut listed = family();
        listed
            .housing
            .insert("jenis_atap".to_owned(), "Genteng".to_owned());
        listed
            .housing
            .insert("sumber_penerangan".to_owned(), "Listrik PLN".to_owned());
        listed.programmes = vec!["PKH".to_owned(), "SEMBAKO".to_owned()];
        let mut r = prefilled_record(
            RecordId::from_random_bytes([5; 16]),
            Timestamp(1),
            &listed,
            SOURCE_P3KE,
        );
        r.answers.set(STATUS_VERIFIKASI, "1");
        r.answers.set(crate::form::default::SUMBER_PENERANGAN, "1");
        // SEMBAKO no longer received: its row removed.
        let sembako = r.repeats.rows(BANTUAN)[1].key;
        r.remove_row(BANTUAN, sembako, Timestamp(2));
        let checks = compare(&r);
        assert_eq!(
            find(&checks, crate::form::default::JENIS_ATAP, None).outcome,
            Outcome::Sesuai
        );
        assert_eq!(
            find(&checks, crate::form::default::SUMBER_PENERANGAN, None).outcome,
            Outcome::DiisiPetugas
        );
        let aid: Vec<(&str, Outcome)> = checks
            .iter()
            .filter(|c| c.field == PROGRAM)
            .map(|c| (c.prelist.as_str(), c.outcome))
            .collect();
        assert_eq!(aid, [("PKH", Outcome::Sesuai), ("SEMBAKO", Outcome::Dikosongkan)]);
    }

    #[test]
    fn a_family_not_met_confirms_nothing() {
        let checks = compare(&visited("4"));
        assert!(!checks.is_empty());
        assert!(checks
            .iter()
            .all(|c| c.outcome == Outcome::TidakDiverifikasi && c.observed.is_empty()));
    }

    #[test]
    fn the_export_table_names_record_field_and_both_values() {
        let mut r = visited("1");
        r.answers.set(NOMOR_KK, "3513141203150099");
        let plain = HouseholdRecord::new(RecordId::from_random_bytes([4; 16]), Timestamp(1));
        let t = prelist_table(&[r.clone(), plain]);
        assert_eq!(t.header.len(), t.labels.len());
        assert!(t
            .rows
            .iter()
            .all(|row| row[0] == r.id.to_string() && row.len() == t.header.len()));
        let kk = t.rows.iter().find(|row| row[5] == "nomor_kk").expect("kk row");
        assert_eq!(
            kk[2..],
            [
                "P3KE-9",
                "35.13.14.2001",
                "",
                "nomor_kk",
                "3513141203150007",
                "3513141203150099",
                "diperbaiki"
            ]
        );
        assert!(prelist_table(&[]).rows.is_empty());
    }
}
