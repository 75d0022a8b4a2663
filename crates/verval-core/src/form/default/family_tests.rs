//! Tests of the whole default form on a family: calculations, every cross-field rule, and
//! the relevance of the conditional questions of sections D–I.

use super::example::{example_family, EXAMPLE_TODAY};
use super::*;
use crate::form::derive::apply_calculations;
use crate::form::rules::{FamilyIndex, NoOtherFamilies};
use crate::form::validate::validate_record;
use crate::ids::{FieldId, RecordId};
use crate::record::{HouseholdRecord, Timestamp};
use crate::validate::{Issue, IssueKind, Severity};

fn family() -> HouseholdRecord {
    example_family(RecordId::from_random_bytes([7; 16]))
}

fn issues(record: &HouseholdRecord) -> Vec<Issue> {
    validate_record(&DEFAULT_FORM, record, EXAMPLE_TODAY, &NoOtherFamilies)
}

/// (field, row position, severity, kind) of each issue: what a rule decides.
type Found = (&'static str, Option<usize>, Severity, IssueKind);

fn found(record: &HouseholdRecord) -> Vec<Found> {
    issues(record)
        .into_iter()
        .map(|i| (i.field.as_str(), i.row.map(|r| r.position), i.severity, i.kind))
        .collect()
}

fn set(record: &mut HouseholdRecord, field: FieldId, value: &str) {
    record.set_answer(field, value, Timestamp(2));
    apply_calculations(&DEFAULT_FORM, record, EXAMPLE_TODAY, Timestamp(2));
}

/// Sets an answer in the `position`th (1-based) row of a repeat.
fn set_row(record: &mut HouseholdRecord, repeat: FieldId, position: usize, field: FieldId, value: &str) {
    let key = record.repeats.rows(repeat)[position - 1].key;
    assert!(record.set_row_answer(repeat, key, field, value, Timestamp(2)) || value.is_empty());
    apply_calculations(&DEFAULT_FORM, record, EXAMPLE_TODAY, Timestamp(2));
}

fn row_value(record: &HouseholdRecord, repeat: FieldId, position: usize, field: FieldId) -> &str {
    record.repeats.rows(repeat)[position - 1].answers.get(field)
}

#[test]
fn the_example_family_is_complete_and_valid() {
    let record = family();
    let errors: Vec<Found> = found(&record)
        .into_iter()
        .filter(|f| f.2 == Severity::Error)
        .collect();
    assert_eq!(errors, []);
    // The one warning: the proposed aid is new to the family, so nothing is flagged there;
    // what remains is none at all.
    assert_eq!(found(&record), []);
}

#[test]
fn calculations_of_the_example_family() {
    let r = family();
    assert_eq!(r.answers.get(JUMLAH_ART), "4");
    let members: Vec<(&str, &str, &str)> = (1..=4)
        .map(|p| {
            (
                row_value(&r, ART, p, NO_URUT),
                row_value(&r, ART, p, UMUR),
                row_value(&r, ART, p, DISABILITAS),
            )
        })
        .collect();
    assert_eq!(
        members,
        [
            ("1", "68", "0"),
            ("2", "30", "0"),
            ("3", "3", "0"),
            ("4", "14", "0")
        ]
    );
    let housing: Vec<&str> = [
        LUAS_LANTAI_PER_KAPITA,
        BANGUNAN_LAYAK,
        AIR_MINUM_LAYAK,
        SANITASI_LAYAK,
        LISTRIK_450,
    ]
    .iter()
    .map(|f| r.answers.get(*f))
    .collect();
    assert_eq!(housing, ["9.0", "0", "1", "1", "1"]);
    assert_eq!(r.answers.get(KRITERIA_BPS14_OTOMATIS), "2 3 13");
    assert_eq!(r.answers.get(JUMLAH_KRITERIA), "6");
    assert_eq!(
        row_value(&r, BANTUAN, 1, SUMBER_DANA),
        "1",
        "prefilled from the AID list"
    );
}

/// Whether member `position`'s age is calculated now (the input is read-only).
fn age_calculated(record: &HouseholdRecord, position: usize) -> bool {
    let umur = DEFAULT_FORM.question(UMUR).expect("umur");
    let row = &record.repeats.rows(ART)[position - 1];
    crate::form::derive::calculated_now(
        umur,
        &crate::form::Scope::family(record, EXAMPLE_TODAY).in_row(row, position),
    )
}

#[test]
fn the_visit_date_is_today_until_the_enumerator_chooses_another() {
    let mut fresh = HouseholdRecord::new(RecordId::from_random_bytes([8; 16]), Timestamp(1));
    set(&mut fresh, crate::fields::NAMA_KEPALA_KELUARGA, "SITI");
    assert_eq!(fresh.answers.get(TANGGAL_KUNJUNGAN), EXAMPLE_TODAY.to_string());
    set(&mut fresh, TANGGAL_KUNJUNGAN, "2026-11-02");
    set(&mut fresh, crate::fields::NAMA_KEPALA_KELUARGA, "SITI AMINAH");
    assert_eq!(
        fresh.answers.get(TANGGAL_KUNJUNGAN),
        "2026-11-02",
        "never over a chosen date"
    );
}

#[test]
fn an_age_is_typed_while_the_birth_date_is_incomplete() {
    let mut r = family();
    assert!(age_calculated(&r, 2), "a complete birth date gives the age");
    // Day and month unknown, as for many elderly villagers: the age is the enumerator's,
    // whole, not cut to its first digit by a read-only input.
    set_row(&mut r, ART, 2, TANGGAL_LAHIR, "1950-98-98");
    assert!(!age_calculated(&r, 2));
    set_row(&mut r, ART, 2, UMUR, "7");
    assert!(!age_calculated(&r, 2), "one digit typed: still typing");
    set_row(&mut r, ART, 2, UMUR, "76");
    assert_eq!(row_value(&r, ART, 2, UMUR), "76");
    // A stale age from a wrong complete date can be corrected once the date is not complete.
    set_row(&mut r, ART, 2, TANGGAL_LAHIR, "1850-01-01");
    assert!(age_calculated(&r, 2));
    set_row(&mut r, ART, 2, TANGGAL_LAHIR, "1950-98-98");
    assert!(!age_calculated(&r, 2), "editable again");
    set_row(&mut r, ART, 2, UMUR, "76");
    assert_eq!(row_value(&r, ART, 2, UMUR), "76");
}

#[test]
fn calculations_follow_their_inputs() {
    let mut r = family();
    // A member who moved out no longer counts, and the floor per person grows.
    set_row(&mut r, ART, 4, STATUS_KEBERADAAN_ART, "3");
    assert_eq!(r.answers.get(JUMLAH_ART), "3");
    assert_eq!(r.answers.get(LUAS_LANTAI_PER_KAPITA), "12.0");
    set(&mut r, LUAS_LANTAI, "20");
    assert_eq!(
        r.answers.get(LUAS_LANTAI_PER_KAPITA),
        "6.7",
        "20 / 3 rounded to one decimal"
    );
    assert!(
        r.answers.get(KRITERIA_BPS14_OTOMATIS).starts_with("1 "),
        "criterion 1: under 8 m² each"
    );
    // A severe difficulty makes a disability; answering none clears it.
    set_row(&mut r, ART, 2, SULIT_BERJALAN, "2");
    assert_eq!(row_value(&r, ART, 2, DISABILITAS), "1");
    // The age follows a complete birth date; with the day unknown the typed age stays.
    set_row(&mut r, ART, 2, TANGGAL_LAHIR, "1990-07-98");
    assert_eq!(row_value(&r, ART, 2, UMUR), "30", "kept, not derived");
    set_row(&mut r, ART, 2, UMUR, "36");
    set_row(&mut r, ART, 2, TANGGAL_LAHIR, "1990-12-01");
    assert_eq!(
        row_value(&r, ART, 2, UMUR),
        "35",
        "derived again, before the birthday"
    );
    // Removing the floor area clears what depended on it.
    set(&mut r, LUAS_LANTAI, "");
    assert_eq!(r.answers.get(LUAS_LANTAI_PER_KAPITA), "");
    // A prefilled funding source the enumerator changed is never overwritten.
    set_row(&mut r, BANTUAN, 1, SUMBER_DANA, "3");
    set_row(&mut r, BANTUAN, 1, PROGRAM, "BLT_DD");
    assert_eq!(row_value(&r, BANTUAN, 1, SUMBER_DANA), "3");
    // Urban villages do not count a hole in the ground as safe sanitation.
    set(&mut r, KODE_DESA, "35.13.14.1001");
    assert_eq!(r.answers.get(SANITASI_LAYAK), "0");
    // No electricity at all: no 450 W meter.
    set(&mut r, SUMBER_PENERANGAN, "4");
    assert_eq!(r.answers.get(LISTRIK_450), "0");
}

#[test]
fn an_empty_record_lists_what_is_missing_and_never_fails() {
    let r = HouseholdRecord::new(RecordId::from_random_bytes([1; 16]), Timestamp(0));
    let issues = found(&r);
    assert!(issues.contains(&("art", None, Severity::Error, IssueKind::TooFewRows { min: 1 })));
    assert!(issues.contains(&("status_verifikasi", None, Severity::Error, IssueKind::Required)));
    assert!(issues
        .iter()
        .all(|i| i.3 == IssueKind::Required || matches!(i.3, IssueKind::TooFewRows { .. })));
}

/// One case of a rule: a change to the valid family, and the issue it must raise.
struct RuleCase {
    name: &'static str,
    change: fn(&mut HouseholdRecord),
    expected: Found,
}

fn rule_cases() -> Vec<RuleCase> {
    use IssueKind as K;
    use Severity::{Error as E, Warning as W};
    vec![
        RuleCase {
            name: "a village outside the chosen district",
            change: |r| set(r, KODE_DESA, "35.13.15.2001"),
            expected: ("kode_desa", None, E, K::OutsideParentRegion),
        },
        RuleCase {
            name: "rule 1: no head",
            change: |r| set_row(r, ART, 1, HUBUNGAN_KK, "8"),
            expected: ("hubungan_kk", None, E, K::HeadCount { found: 0 }),
        },
        RuleCase {
            name: "rule 1: two heads",
            change: |r| set_row(r, ART, 4, HUBUNGAN_KK, "1"),
            expected: ("hubungan_kk", Some(4), E, K::HeadCount { found: 2 }),
        },
        RuleCase {
            name: "rule 1: two spouses",
            change: |r| set_row(r, ART, 4, HUBUNGAN_KK, "2"),
            expected: ("hubungan_kk", Some(2), E, K::SpouseCount { found: 2 }),
        },
        RuleCase {
            name: "rule 10: a NIK twice in the family",
            change: |r| set_row(r, ART, 4, NIK, "3513144507960002"),
            expected: ("nik", Some(4), E, K::DuplicateNikInFamily { member: 2 }),
        },
        RuleCase {
            name: "rule 9: sex unlike the NIK's",
            change: |r| set_row(r, ART, 1, JENIS_KELAMIN, "2"),
            expected: ("jenis_kelamin", Some(1), W, K::NikSexMismatch),
        },
        RuleCase {
            name: "rule 9: birth date unlike the NIK's",
            change: |r| set_row(r, ART, 3, TANGGAL_LAHIR, "2023-02-15"),
            expected: ("tanggal_lahir", Some(3), W, K::NikBirthDateMismatch),
        },
        RuleCase {
            name: "rule 6: cylinder without 5.5/12 kg LPG",
            change: |r| set(r, ASET_TABUNG_GAS, "1"),
            expected: ("aset_tabung_gas", None, E, K::CylinderWithoutLpg),
        },
        RuleCase {
            name: "rule 6: 12 kg LPG without a cylinder",
            change: |r| set(r, BAHAN_BAKAR_MASAK, "3"),
            expected: ("aset_tabung_gas", None, E, K::LpgWithoutCylinder),
        },
        RuleCase {
            name: "rule 7: a fridge without electricity",
            change: |r| {
                set(r, ASET_KULKAS, "1");
                set(r, SUMBER_PENERANGAN, "4");
            },
            expected: ("aset_kulkas", None, E, K::ApplianceWithoutElectricity),
        },
        RuleCase {
            name: "rule 11: head under 15",
            change: |r| {
                set_row(r, ART, 1, TANGGAL_LAHIR, "2013-98-98");
                set_row(r, ART, 1, UMUR, "13");
            },
            expected: ("umur", Some(1), W, K::HeadTooYoung),
        },
        RuleCase {
            name: "rule 11: spouse under 15",
            change: |r| set_row(r, ART, 2, TANGGAL_LAHIR, "2012-07-05"),
            expected: ("umur", Some(2), W, K::SpouseTooYoung),
        },
        RuleCase {
            name: "rule 11: child older than a parent",
            change: |r| set_row(r, ART, 4, TANGGAL_LAHIR, "1990-09-01"),
            expected: ("umur", Some(4), W, K::ChildOlderThanParent),
        },
        RuleCase {
            name: "rule 11: age unlike the birth year",
            change: |r| {
                set_row(r, ART, 2, TANGGAL_LAHIR, "1996-98-98");
                set_row(r, ART, 2, UMUR, "40");
            },
            expected: ("umur", Some(2), W, K::AgeDoesNotFitBirthYear),
        },
        RuleCase {
            name: "rule 12: floor per person under 2 m²",
            change: |r| set(r, LUAS_LANTAI, "6"),
            expected: ("luas_lantai", None, W, K::UnusualFloorPerPerson),
        },
        RuleCase {
            name: "rule 12: decile 1 with a car",
            change: |r| set(r, ASET_MOBIL, "1"),
            expected: ("aset_mobil", None, W, K::AffluentForDecile),
        },
        RuleCase {
            name: "rule 12: decile 1 with 2,200 W",
            change: |r| set_row(r, DAYA_LISTRIK, 1, DAYA_TERPASANG, "4"),
            expected: ("daya_terpasang", Some(1), W, K::AffluentForDecile),
        },
        RuleCase {
            name: "married under 10",
            change: |r| set_row(r, ART, 3, STATUS_KAWIN, "2"),
            expected: ("status_kawin", Some(3), W, K::MarriedUnderTen),
        },
        RuleCase {
            name: "a KTP at 14, never married",
            change: |r| set_row(r, ART, 4, KARTU_IDENTITAS, "1 4"),
            expected: ("kartu_identitas", Some(4), W, K::KtpTooYoung),
        },
        RuleCase {
            name: "status 10 with a prelist id",
            change: |r| set(r, STATUS_VERIFIKASI, "10"),
            expected: ("status_verifikasi", None, E, K::NewFamilyFromPrelist),
        },
        RuleCase {
            name: "status 1–9 without a prelist id",
            change: |r| set(r, PRELIST_ID, ""),
            expected: ("status_verifikasi", None, E, K::ListedWithoutPrelist),
        },
        RuleCase {
            name: "recommend a new entry for a P3KE family",
            change: |r| set(r, REKOMENDASI, "4"),
            expected: ("rekomendasi", None, E, K::ProposeNewForListed),
        },
        RuleCase {
            name: "supervisor check before the visit",
            change: |r| set(r, TANGGAL_PEMERIKSAAN, "2026-11-19"),
            expected: ("tanggal_pemeriksaan", None, E, K::CheckBeforeVisit),
        },
        RuleCase {
            name: "a programme twice",
            change: |r| set_row(r, BANTUAN, 2, PROGRAM, "PKH"),
            expected: ("program", Some(2), E, K::DuplicateProgramme),
        },
        RuleCase {
            name: "aid after the visit",
            change: |r| set_row(r, BANTUAN, 1, BULAN_TERAKHIR, "12"),
            expected: ("bulan_terakhir", Some(1), E, K::AidAfterVisit),
        },
        RuleCase {
            name: "aid more than a year before the visit",
            change: |r| set_row(r, BANTUAN, 1, TAHUN_TERAKHIR, "2025"),
            expected: ("bulan_terakhir", Some(1), W, K::AidOlderThanYear),
        },
        RuleCase {
            name: "proposing what is already received",
            change: |r| set(r, BANTUAN_DIUSULKAN, "PKH"),
            expected: (
                "bantuan_diusulkan",
                None,
                W,
                K::ProposedAlreadyReceived {
                    programme: "PKH".into(),
                },
            ),
        },
        RuleCase {
            name: "a beneficiary who was removed",
            change: |r| {
                let key = r.repeats.rows(ART)[0].key;
                r.remove_row(ART, key, Timestamp(3));
            },
            expected: ("penerima_art", Some(2), E, K::UnknownRow),
        },
        RuleCase {
            name: "pregnancy needs an answer for a married woman of 10–54",
            change: |r| set_row(r, ART, 2, HAMIL, ""),
            expected: ("hamil", Some(2), E, K::Required),
        },
        RuleCase {
            name: "rule 5: a caregiver for the over-60s",
            change: |r| set_row(r, ART, 1, PENGASUH, ""),
            expected: ("pengasuh", Some(1), E, K::Required),
        },
        RuleCase {
            name: "a birth year before 1900",
            change: |r| set_row(r, ART, 1, TANGGAL_LAHIR, "1899-98-98"),
            expected: ("tanggal_lahir", Some(1), E, K::YearTooEarly { min: 1900 }),
        },
        RuleCase {
            name: "a known day with an unknown month",
            change: |r| set_row(r, ART, 1, TANGGAL_LAHIR, "1958-98-12"),
            expected: ("tanggal_lahir", Some(1), E, K::BadDate),
        },
        RuleCase {
            name: "a 31st row of members",
            change: |r| {
                for _ in 0..27 {
                    r.add_row(ART, Timestamp(3));
                }
            },
            expected: ("art", None, E, K::TooManyRows { max: 30 }),
        },
    ]
}

#[test]
fn every_rule_fires_on_its_case() {
    for case in rule_cases() {
        let mut r = family();
        (case.change)(&mut r);
        let got = found(&r);
        assert!(
            got.contains(&case.expected),
            "{}: expected {:?} in {got:#?}",
            case.name,
            case.expected
        );
    }
}

#[test]
fn rules_do_not_fire_in_sections_that_are_skipped() {
    let mut r = family();
    set(&mut r, ASET_TABUNG_GAS, "1");
    set_row(&mut r, ART, 1, HUBUNGAN_KK, "8");
    set_row(&mut r, ART, 2, NAMA, "");
    assert!(found(&r).iter().any(|f| f.0 == "aset_tabung_gas"));
    // Moved out of the village: sections D–G are skipped, their answers kept, not checked.
    set(&mut r, STATUS_VERIFIKASI, "4");
    set(&mut r, KETERANGAN_VERIFIKASI, "Pindah ke Surabaya");
    let got = found(&r);
    let skipped = ["aset_tabung_gas", "hubungan_kk", "nama", "art"];
    assert!(got.iter().all(|f| !skipped.contains(&f.0)), "{got:#?}");
    assert_eq!(row_value(&r, ART, 1, HUBUNGAN_KK), "8", "kept in the draft");
    // Back to found: the same answers are checked again.
    set(&mut r, STATUS_VERIFIKASI, "2");
    let got = found(&r);
    assert!(got.iter().any(|f| f.0 == "nama" && f.1 == Some(2)), "{got:#?}");
    assert!(got.iter().any(|f| f.0 == "aset_tabung_gas"));
}

#[test]
fn duplicates_across_families_name_the_other_family() {
    let mine = family();
    let mut other = example_family(RecordId::from_random_bytes([9; 16]));
    other.answers.insert_raw("nama_kepala_keluarga", "BUDI SANTOSO");
    let index = FamilyIndex::new(
        [&mine, &other],
        crate::fields::NOMOR_KK,
        ART,
        NIK,
        crate::fields::NAMA_KEPALA_KELUARGA,
    );
    let got = validate_record(&DEFAULT_FORM, &mine, EXAMPLE_TODAY, &index);
    let other_name = "BUDI SANTOSO (KK 3513141203150007)".to_owned();
    assert!(got.iter().any(|i| i.field == crate::fields::NOMOR_KK
        && i.severity == Severity::Warning
        && i.kind
            == IssueKind::KkInOtherFamily {
                family: other_name.clone()
            }));
    let nik_warnings = got.iter().filter(|i| {
        i.kind
            == IssueKind::NikInOtherFamily {
                family: other_name.clone(),
            }
    });
    assert_eq!(nik_warnings.count(), 4, "each member's NIK, as a warning");
    assert!(
        got.iter().all(|i| i.severity == Severity::Warning),
        "across families only warns"
    );
    // The record itself is not "another family".
    let alone = FamilyIndex::new(
        [&mine],
        crate::fields::NOMOR_KK,
        ART,
        NIK,
        crate::fields::NAMA_KEPALA_KELUARGA,
    );
    assert_eq!(validate_record(&DEFAULT_FORM, &mine, EXAMPLE_TODAY, &alone), []);
}

#[test]
fn duplicates_from_store_lookups_name_the_other_family() {
    let mine = family();
    let mut other = example_family(RecordId::from_random_bytes([9; 16]));
    other.answers.insert_raw("nama_kepala_keluarga", "BUDI SANTOSO");
    // What a store answers for the wife's NIK: both families; for the rest, only this one.
    let lookups = [
        (
            "3513144507960002".to_owned(),
            vec![mine.summary(), other.summary()],
        ),
        ("3513141203580001".to_owned(), vec![mine.summary()]),
    ];
    let index = FamilyIndex::from_lookups(lookups);
    let got = validate_record(&DEFAULT_FORM, &mine, EXAMPLE_TODAY, &index);
    let warned: Vec<(Option<usize>, &IssueKind)> =
        got.iter().map(|i| (i.row.map(|r| r.position), &i.kind)).collect();
    assert_eq!(
        warned,
        [(
            Some(2),
            &IssueKind::NikInOtherFamily {
                family: "BUDI SANTOSO (KK 3513141203150007)".into()
            }
        )]
    );
}

#[test]
fn default_funding_by_programme_group() {
    let cases = [
        ("PKH", Some("1")),
        ("SUBSIDI_LPG", Some("1")),
        ("PBI_DAERAH", Some("3")),
        ("BLT_DD", Some("4")),
        ("CSR_BAZNAS", Some("5")),
        ("99", None),
        ("NOPE", None),
    ];
    for (programme, expected) in cases {
        assert_eq!(default_funding(programme), expected, "{programme}");
    }
}
