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
#[path = "validate_tests.rs"]
mod tests;
