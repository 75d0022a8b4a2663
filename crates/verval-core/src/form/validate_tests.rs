//! Tests of the form validator, one table per kind of question.

use super::*;
use crate::form::default::DEFAULT_FORM;
use crate::form::model::Choice;
use crate::kk::KkProblem;
use crate::nik::NikProblem;

const F: FieldId = FieldId::new("f");

fn today() -> Date {
    Date::new(2026, 11, 22).unwrap()
}

/// The kinds of issue one value gives for a question of `kind`.
fn check(kind: &Kind, value: &str) -> Vec<(Severity, IssueKind)> {
    let mut out = Vec::new();
    check_value(F, kind, value, today(), &mut out);
    out.into_iter().map(|i| (i.severity, i.kind)).collect()
}

fn errors(kinds: &[IssueKind]) -> Vec<(Severity, IssueKind)> {
    kinds.iter().cloned().map(|k| (Severity::Error, k)).collect()
}

const CHOICES: &[Choice] = &[
    Choice::new("1", "A", "A"),
    Choice::new("2", "B", "B"),
    Choice::new("99", "Tidak tahu", "Do not know"),
];

#[test]
fn numbers() {
    let int = Kind::Integer { min: 1, max: 20 };
    assert_eq!(check(&int, "1"), []);
    assert_eq!(check(&int, "20"), []);
    assert_eq!(
        check(&int, "21"),
        errors(&[IssueKind::OutOfRange { min: 1, max: 20 }])
    );
    assert_eq!(
        check(&int, "0"),
        errors(&[IssueKind::OutOfRange { min: 1, max: 20 }])
    );
    for bad in ["1.5", "dua", "1e3", "0x10", "1.50"] {
        assert_eq!(check(&int, bad), errors(&[IssueKind::NotANumber]), "{bad}");
    }
    // Money as Indonesians write it: thousands in groups of three.
    let rupiah = Kind::Integer {
        min: 0,
        max: 50_000_000,
    };
    for ok in ["300.000", "1.250.000", "300 000", "300000"] {
        assert_eq!(check(&rupiah, ok), [], "{ok}");
    }
    assert_eq!(
        check(&rupiah, "60.000.000"),
        errors(&[IssueKind::OutOfRange {
            min: 0,
            max: 50_000_000
        }])
    );
    let gram = Kind::Decimal {
        min: 0,
        max: 10_000,
        places: 2,
    };
    // "1.250,5": thousands in groups and a decimal comma, as Indonesians write it.
    for ok in [
        "0",
        "12",
        "12.5",
        "12,25",
        "10000",
        "10000.00",
        "1.250,5",
        "10.000,00",
    ] {
        assert_eq!(check(&gram, ok), [], "{ok}");
    }
    assert_eq!(
        check(&gram, "12.000,5"),
        errors(&[IssueKind::OutOfRange { min: 0, max: 10_000 }])
    );
    assert_eq!(check(&gram, "1.25,5"), errors(&[IssueKind::NotANumber]));
    assert_eq!(check(&int, "1.250,5"), errors(&[IssueKind::NotANumber]));
    assert_eq!(
        check(&gram, "1.125"),
        errors(&[IssueKind::TooManyDecimals { places: 2 }])
    );
    assert_eq!(
        check(&gram, "10000.5"),
        errors(&[IssueKind::OutOfRange { min: 0, max: 10_000 }])
    );
    assert_eq!(
        check(&gram, "-1"),
        errors(&[IssueKind::OutOfRange { min: 0, max: 10_000 }])
    );
    for bad in ["1.", ".5", "1,2,3", "sepuluh", ""] {
        assert_eq!(check(&gram, bad), errors(&[IssueKind::NotANumber]), "{bad}");
    }
}

#[test]
fn dates() {
    let past = Kind::Date {
        past_only: true,
        unknown_parts: false,
    };
    assert_eq!(check(&past, "2026-11-22"), []);
    assert_eq!(check(&past, "2026-11-23"), errors(&[IssueKind::FutureDate]));
    assert_eq!(
        check(
            &Kind::Date {
                past_only: false,
                unknown_parts: false
            },
            "2027-01-01"
        ),
        []
    );
    for bad in ["2026-02-30", "22-11-2026", "2026-1-5", "2026-11", "kemarin"] {
        assert_eq!(check(&past, bad), errors(&[IssueKind::BadDate]), "{bad}");
    }
}

#[test]
fn choices() {
    assert_eq!(check(&Kind::SelectOne(CHOICES), "2"), []);
    assert_eq!(
        check(&Kind::SelectOne(CHOICES), "3"),
        errors(&[IssueKind::UnknownChoice { code: "3".into() }])
    );
    let multi = Kind::SelectMultiple {
        choices: CHOICES,
        exclusive: &["99"],
    };
    assert_eq!(check(&multi, "1 2"), []);
    assert_eq!(check(&multi, "99"), []);
    assert_eq!(
        check(&multi, "1 99"),
        errors(&[IssueKind::ExclusiveCombined { code: "99".into() }])
    );
    assert_eq!(
        check(&multi, "1 7"),
        errors(&[IssueKind::UnknownChoice { code: "7".into() }])
    );
}

#[test]
fn texts() {
    let rw = Kind::Text {
        min_len: 0,
        max_len: 3,
        format: TextFormat::Digits { min: 1, max: 3 },
    };
    assert_eq!(check(&rw, "003"), []);
    assert_eq!(check(&rw, "3a"), errors(&[IssueKind::Digits { min: 1, max: 3 }]));
    // One message for a wrong length of a shaped number, not two.
    assert_eq!(
        check(&rw, "0003"),
        errors(&[IssueKind::Digits { min: 1, max: 3 }])
    );
    let nik = Kind::Text {
        min_len: 16,
        max_len: 16,
        format: TextFormat::Nik,
    };
    assert_eq!(check(&nik, "3513145207900003"), []);
    assert_eq!(
        check(&nik, "3513145207900"),
        errors(&[IssueKind::Nik(NikProblem::NotSixteenDigits)])
    );
    assert_eq!(
        check(&nik, "3513145207900000"),
        errors(&[IssueKind::Nik(NikProblem::ZeroSerial)])
    );
    let kk = Kind::Text {
        min_len: 16,
        max_len: 16,
        format: TextFormat::Kk,
    };
    assert_eq!(
        check(&kk, "3513143202150007"),
        [(
            Severity::Warning,
            IssueKind::Kk(KkProblem::ImplausibleRecordingDate)
        )]
    );
    let name = Kind::Text {
        min_len: 1,
        max_len: 100,
        format: TextFormat::Name,
    };
    assert_eq!(check(&name, "SITI 2"), errors(&[IssueKind::NameCharacters]));
}

#[test]
fn regions_and_locations() {
    use crate::region::RegionLevel;
    assert_eq!(check(&Kind::Region(RegionLevel::Village), "35.13.14.2001"), []);
    assert_eq!(
        check(&Kind::Region(RegionLevel::Village), "35.13.14"),
        errors(&[IssueKind::BadRegion])
    );
    assert_eq!(check(&Kind::Geopoint, "-7.7543 113.2159 12"), []);
    assert_eq!(
        check(&Kind::Geopoint, "-7.7543 113.2159 80.4"),
        [(Severity::Warning, IssueKind::LowAccuracy { metres: 80 })]
    );
    assert_eq!(
        check(&Kind::Geopoint, "51.5 -0.12 5"),
        errors(&[IssueKind::OutsideIndonesia])
    );
    for bad in [
        "-7.75,113.21",
        "-7.75 113.21",
        "a b c",
        "-7.75 113.21 5 9",
        "-7.75 113.21 -3",
    ] {
        assert_eq!(
            check(&Kind::Geopoint, bad),
            errors(&[IssueKind::BadGeopoint]),
            "{bad}"
        );
    }
}

/// A record with these family-level answers.
fn record(pairs: &[(&str, &str)]) -> HouseholdRecord {
    let mut r = HouseholdRecord::new(
        crate::ids::RecordId::from_random_bytes([1; 16]),
        crate::record::Timestamp(0),
    );
    for (field, value) in pairs {
        r.answers.insert_raw(field, value);
    }
    r
}

fn validate_answers(form: &Form, pairs: &[(&str, &str)], today: Date) -> Vec<Issue> {
    validate_record(form, &record(pairs), today, &super::super::rules::NoOtherFamilies)
}

/// Whether a field belongs to sections A–C.
fn in_a_to_c(field: FieldId) -> bool {
    ["A", "B", "C"].iter().any(|s| {
        DEFAULT_FORM
            .section(s)
            .unwrap()
            .items
            .iter()
            .any(|item| match item {
                super::SectionItem::Question(q) => q.id == field,
                super::SectionItem::Repeat(r) => r.id == field,
            })
    })
}

#[test]
fn the_default_form_on_a_half_filled_family() {
    // Found, the card shown: the house location is asked; remarks are not required.
    let issues = validate_answers(
        &DEFAULT_FORM,
        &([
            ("status_verifikasi", "1"),
            ("status_kk", "1"),
            ("nama_kepala_keluarga", "SITI AMINAH"),
            ("nomor_kk", "3513141203150007"),
            ("tanggal_kunjungan", "2026-11-23"),
            ("rw", "3x"),
        ]),
        today(),
    );
    let found: Vec<(&str, IssueKind)> = issues
        .iter()
        .filter(|i| in_a_to_c(i.field))
        .map(|i| (i.field.as_str(), i.kind.clone()))
        .collect();
    let expected: Vec<(&str, IssueKind)> = vec![
        ("prelist_source", IssueKind::Required),
        ("kode_provinsi", IssueKind::Required),
        ("kode_kabkota", IssueKind::Required),
        ("kode_kecamatan", IssueKind::Required),
        ("kode_desa", IssueKind::Required),
        ("rw", IssueKind::Digits { min: 1, max: 3 }),
        ("alamat", IssueKind::Required),
        ("lokasi_rumah", IssueKind::Required),
        ("jumlah_keluarga_dalam_rumah", IssueKind::Required),
        ("tanggal_kunjungan", IssueKind::FutureDate),
        ("nama_petugas", IssueKind::Required),
        ("peran_petugas", IssueKind::Required),
        ("hasil_wawancara", IssueKind::Required),
        ("status_verifikasi", IssueKind::ListedWithoutPrelist),
    ];
    assert_eq!(found, expected);
}

#[test]
fn answers_that_become_irrelevant_are_kept_but_not_validated() {
    // Moved away: no house questions; a bad leftover GPS answer is ignored, not erased.
    let pairs = [
        ("status_verifikasi", "4"),
        ("lokasi_rumah", "nonsense"),
        ("foto_kk", "x.jpg"),
        ("status_kk", "3"),
    ];
    let issues = validate_answers(&DEFAULT_FORM, &pairs, today());
    assert!(
        issues.iter().all(|i| i.field.as_str() != "lokasi_rumah"),
        "{issues:?}"
    );
    assert!(
        issues.iter().all(|i| i.field.as_str() != "nomor_kk"),
        "no card, no number required"
    );
    // Flipping the outcome back makes the leftover answer count again.
    let back = [
        ("status_verifikasi", "1"),
        ("lokasi_rumah", "nonsense"),
        ("status_kk", "3"),
    ];
    let issues = validate_answers(&DEFAULT_FORM, &back, today());
    assert!(issues
        .iter()
        .any(|i| i.field.as_str() == "lokasi_rumah" && i.kind == IssueKind::BadGeopoint));
}

#[test]
fn dates_with_unknown_day_or_month() {
    let birth = Kind::Date {
        past_only: true,
        unknown_parts: true,
    };
    for ok in [
        "1970-98-98",
        "1970-05-98",
        "1970-05-31",
        "2026-11-98",
        "1900-01-01",
    ] {
        assert_eq!(check(&birth, ok), [], "{ok}");
    }
    for bad in [
        "1970-98-05",
        "1970-13-98",
        "1970-02-30",
        "1970-00-98",
        "70-98-98",
        "1970-5-98",
    ] {
        assert_eq!(check(&birth, bad), errors(&[IssueKind::BadDate]), "{bad}");
    }
    assert_eq!(check(&birth, "2026-12-98"), errors(&[IssueKind::FutureDate]));
    assert_eq!(check(&birth, "2027-98-98"), errors(&[IssueKind::FutureDate]));
    assert_eq!(
        check(&birth, "1899-98-98"),
        errors(&[IssueKind::YearTooEarly { min: 1900 }])
    );
    // A plain date question takes no 98.
    let visit = Kind::Date {
        past_only: true,
        unknown_parts: false,
    };
    assert_eq!(check(&visit, "2026-11-98"), errors(&[IssueKind::BadDate]));
    assert_eq!(
        parse_partial_date("1985-07-98"),
        Some(PartialDate {
            year: 1985,
            month: Some(7),
            day: None
        })
    );
    assert_eq!(parse_date("1985-07-98"), None, "not a complete date");
}
