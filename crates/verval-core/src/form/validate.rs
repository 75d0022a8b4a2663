//! Validation of a family's answers against a form, question by question.
//!
//! A question that is not relevant is skipped (its answer stays in the draft, unvalidated); an
//! empty one is an issue only when required; an answer is checked by its question's kind. The
//! rules themselves (names, KK, NIK, regions) are the ones in `validate`, `kk`, `nik` and
//! `region`, so each lives in one place. Rows of repeats are validated once records hold them.

use super::cond::{Cond, Values};
use super::model::{Form, Kind, Question, Required, TextFormat};
use crate::date::Date;
use crate::ids::FieldId;
use crate::kk::check_kk;
use crate::nik::check_nik;
use crate::region::RegionCode;
use crate::validate::{is_name_char, Issue, IssueKind, Severity};

/// Indonesia's bounding box (spec §1.2, `lokasi_rumah`).
const LATITUDE: (f64, f64) = (-11.0, 6.0);
const LONGITUDE: (f64, f64) = (95.0, 141.0);
/// Worse accuracy than this is a warning.
const GOOD_ACCURACY_METRES: f64 = 50.0;

/// Every issue of the family-level answers; never fails, whatever the answers.
pub fn validate_answers(form: &Form, values: &dyn Values, today: Date) -> Vec<Issue> {
    let mut issues = Vec::new();
    for (repeat, question) in form.questions() {
        if repeat.is_none() {
            check_question(question, values, today, &mut issues);
        }
    }
    issues
}

/// Whether `question` is asked, given the other answers.
pub fn is_relevant(question: &Question, values: &dyn Values) -> bool {
    question.relevant.as_ref().is_none_or(|c| c.holds(values))
}

/// Whether `question` must be answered, given the other answers (relevance aside).
pub fn is_required(question: &Question, values: &dyn Values) -> bool {
    match &question.required {
        Required::Yes => true,
        Required::No => false,
        Required::When(cond) => Cond::holds(cond, values),
    }
}

fn check_question(question: &Question, values: &dyn Values, today: Date, out: &mut Vec<Issue>) {
    if !is_relevant(question, values) {
        return;
    }
    let value = values.value(question.id).trim();
    if value.is_empty() {
        if is_required(question, values) && !matches!(question.kind, Kind::Note) {
            out.push(Issue::error(question.id, IssueKind::Required));
        }
        return;
    }
    check_value(question.id, &question.kind, value, today, out);
}

/// The issues of one non-empty answer of a question of `kind`.
pub fn check_value(field: FieldId, kind: &Kind, value: &str, today: Date, out: &mut Vec<Issue>) {
    let mut error = |kind: IssueKind| out.push(Issue::error(field, kind));
    match kind {
        Kind::Text {
            min_len,
            max_len,
            format,
        } => {
            let chars = value.chars().count();
            if chars < usize::from(*min_len) {
                error(IssueKind::TooShort {
                    min: usize::from(*min_len),
                });
            } else if chars > usize::from(*max_len) {
                error(IssueKind::TooLong {
                    max: usize::from(*max_len),
                });
            }
            check_format(field, *format, value, today, out);
        }
        Kind::Integer { min, max } => match value.parse::<i64>() {
            Err(_) => error(IssueKind::NotANumber),
            Ok(n) if n < *min || n > *max => error(IssueKind::OutOfRange { min: *min, max: *max }),
            Ok(_) => {}
        },
        Kind::Decimal { min, max, places } => match parse_decimal(value) {
            None => error(IssueKind::NotANumber),
            Some((_, decimals)) if decimals > *places => {
                error(IssueKind::TooManyDecimals { places: *places })
            }
            Some((number, _)) if number < *min as f64 || number > *max as f64 => {
                error(IssueKind::OutOfRange { min: *min, max: *max })
            }
            Some(_) => {}
        },
        Kind::Date { past_only } => match parse_date(value) {
            None => error(IssueKind::BadDate),
            Some(date) if *past_only && date > today => error(IssueKind::FutureDate),
            Some(_) => {}
        },
        Kind::SelectOne(choices) => {
            if !choices.iter().any(|c| c.code == value) {
                error(IssueKind::UnknownChoice {
                    code: value.to_owned(),
                });
            }
        }
        Kind::SelectMultiple { choices, exclusive } => {
            let codes: Vec<&str> = value.split_whitespace().collect();
            for code in &codes {
                if !choices.iter().any(|c| c.code == *code) {
                    error(IssueKind::UnknownChoice {
                        code: (*code).to_owned(),
                    });
                }
            }
            if let Some(code) = codes
                .iter()
                .find(|c| exclusive.contains(c))
                .filter(|_| codes.len() > 1)
            {
                error(IssueKind::ExclusiveCombined {
                    code: (*code).to_owned(),
                });
            }
        }
        Kind::Region(level) => {
            if !RegionCode::parse(value).is_ok_and(|code| code.level() == *level) {
                error(IssueKind::BadRegion);
            }
        }
        Kind::Geopoint => check_geopoint(field, value, out),
        Kind::Photo | Kind::Note => {}
    }
}

fn check_format(field: FieldId, format: TextFormat, value: &str, today: Date, out: &mut Vec<Issue>) {
    match format {
        TextFormat::Free => {}
        TextFormat::Name => {
            if !value.chars().all(is_name_char) {
                out.push(Issue::error(field, IssueKind::NameCharacters));
            }
        }
        TextFormat::Digits { min, max } => {
            let n = value.len();
            if !value.bytes().all(|b| b.is_ascii_digit()) || n < usize::from(min) || n > usize::from(max) {
                out.push(Issue::error(field, IssueKind::Digits { min, max }));
            }
        }
        TextFormat::Kk => {
            for problem in check_kk(value, today) {
                out.push(Issue::with_severity(
                    field,
                    problem.severity(),
                    IssueKind::Kk(problem),
                ));
            }
        }
        TextFormat::Nik => {
            for problem in check_nik(value, today).1 {
                out.push(Issue::with_severity(
                    field,
                    problem.severity(),
                    IssueKind::Nik(problem),
                ));
            }
        }
    }
}

/// `12`, `12.5`, `12,5` (Indonesian decimal comma): the number and how many decimals it has.
fn parse_decimal(value: &str) -> Option<(f64, u8)> {
    let value = value.replace(',', ".");
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    // A point must have digits on both sides: "1." and ".5" are typing slips, not numbers.
    let (whole, fraction) = match value.split_once('.') {
        Some((whole, fraction)) if digits(fraction) => (whole, fraction),
        Some(_) => return None,
        None => (value.as_str(), ""),
    };
    if !digits(whole.strip_prefix('-').unwrap_or(whole)) {
        return None;
    }
    Some((value.parse().ok()?, u8::try_from(fraction.len()).ok()?))
}

/// `YYYY-MM-DD`, as `<input type=date>` writes it.
pub fn parse_date(value: &str) -> Option<Date> {
    let mut parts = value.splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// `latitude longitude accuracy`, as the app stores a geopoint.
fn check_geopoint(field: FieldId, value: &str, out: &mut Vec<Issue>) {
    let numbers: Vec<f64> = value.split_whitespace().filter_map(|n| n.parse().ok()).collect();
    let [lat, lon, accuracy] = numbers[..] else {
        out.push(Issue::error(field, IssueKind::BadGeopoint));
        return;
    };
    if value.split_whitespace().count() != 3 || !(lat.is_finite() && lon.is_finite() && accuracy >= 0.0) {
        out.push(Issue::error(field, IssueKind::BadGeopoint));
    } else if !(LATITUDE.0..=LATITUDE.1).contains(&lat) || !(LONGITUDE.0..=LONGITUDE.1).contains(&lon) {
        out.push(Issue::error(field, IssueKind::OutsideIndonesia));
    } else if accuracy > GOOD_ACCURACY_METRES {
        let metres = accuracy.round().min(f64::from(u32::MAX)) as u32;
        out.push(Issue::with_severity(
            field,
            Severity::Warning,
            IssueKind::LowAccuracy { metres },
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::cond::tests::answers;
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
        for bad in ["1.5", "dua", "1e3", "0x10"] {
            assert_eq!(check(&int, bad), errors(&[IssueKind::NotANumber]), "{bad}");
        }
        let gram = Kind::Decimal {
            min: 0,
            max: 10_000,
            places: 2,
        };
        for ok in ["0", "12", "12.5", "12,25", "10000", "10000.00"] {
            assert_eq!(check(&gram, ok), [], "{ok}");
        }
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
        let past = Kind::Date { past_only: true };
        assert_eq!(check(&past, "2026-11-22"), []);
        assert_eq!(check(&past, "2026-11-23"), errors(&[IssueKind::FutureDate]));
        assert_eq!(check(&Kind::Date { past_only: false }, "2027-01-01"), []);
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
        assert_eq!(
            check(&rw, "0003"),
            errors(&[
                IssueKind::TooLong { max: 3 },
                IssueKind::Digits { min: 1, max: 3 }
            ])
        );
        let nik = Kind::Text {
            min_len: 16,
            max_len: 16,
            format: TextFormat::Nik,
        };
        assert_eq!(check(&nik, "3513145207900003"), []);
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

    #[test]
    fn the_default_form_on_a_half_filled_family() {
        // Found, the card shown: the house location is asked; remarks are not required.
        let issues = validate_answers(
            &DEFAULT_FORM,
            &answers(&[
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
        let issues = validate_answers(&DEFAULT_FORM, &answers(&pairs), today());
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
        let issues = validate_answers(&DEFAULT_FORM, &answers(&back), today());
        assert!(issues
            .iter()
            .any(|i| i.field.as_str() == "lokasi_rumah" && i.kind == IssueKind::BadGeopoint));
    }
}
