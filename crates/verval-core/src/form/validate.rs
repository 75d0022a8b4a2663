//! Validation of a household record against a form: question by question, row by row, then
//! the form's cross-field rules.
//!
//! A question that is not relevant (or sits in a skipped section) is not checked: its answer
//! stays in the draft, unvalidated, and counts again if the answer it depends on flips back.
//! An empty answer is an issue only when required; an answer is checked by its question's
//! kind. The rules themselves (names, KK, NIK, regions) live in `validate`, `kk`, `nik` and
//! `region`, so each lives in one place. Validation never fails, whatever the input.

use super::cond::{Cond, Values};
use super::model::{Form, Kind, Question, Repeat, Required, Section, SectionItem, TextFormat};
use super::rules::{OtherFamilies, RuleInput};
use super::scope::Scope;
use crate::date::Date;
use crate::decimal::Decimal;
use crate::ids::FieldId;
use crate::kk::check_kk;
use crate::nik::check_nik;
use crate::record::HouseholdRecord;
use crate::region::RegionCode;
use crate::validate::{is_name_char, Issue, IssueKind, RowRef, Severity};

/// Indonesia's bounding box (spec §1.2, `lokasi_rumah`).
const LATITUDE: (i64, i64) = (-11, 6);
const LONGITUDE: (i64, i64) = (95, 141);
/// Worse accuracy than this is a warning.
const GOOD_ACCURACY_METRES: i64 = 50;
/// No date in the form lies before this year (births included, spec §1.5).
const EARLIEST_YEAR: i32 = 1900;
/// Day or month not known (Regsosek r406).
const UNKNOWN_PART: u8 = 98;

/// Every issue of a record: errors block finalizing, warnings inform. `others` answers
/// "which other family on this device has this NIK / KK".
pub fn validate_record(
    form: &Form,
    record: &HouseholdRecord,
    today: Date,
    others: &dyn OtherFamilies,
) -> Vec<Issue> {
    let family = Scope::family(record, today);
    let mut issues = Vec::new();
    for section in form.sections {
        if !is_section_relevant(section, &family) {
            continue;
        }
        for item in section.items {
            match item {
                SectionItem::Question(q) => check_question(q, &family, &mut issues),
                SectionItem::Repeat(r) => check_repeat(r, &family, &mut issues),
            }
        }
    }
    let input = RuleInput {
        form,
        record,
        today,
        others,
    };
    for rule in form.rules {
        rule(&input, &mut issues);
    }
    issues
}

pub fn is_section_relevant(section: &Section, family: &dyn Values) -> bool {
    section.relevant.as_ref().is_none_or(|c| c.holds(family))
}

/// Whether `question` is asked, given the other answers.
pub fn is_relevant(question: &Question, values: &dyn Values) -> bool {
    question.relevant.as_ref().is_none_or(|c| c.holds(values))
}

/// Whether a repeat is asked, given the family's answers.
pub fn is_repeat_relevant(repeat: &Repeat, family: &dyn Values) -> bool {
    repeat.relevant.as_ref().is_none_or(|c| c.holds(family))
}

/// Whether `question` must be answered, given the other answers (relevance aside).
pub fn is_required(question: &Question, values: &dyn Values) -> bool {
    match &question.required {
        Required::Yes => true,
        Required::No => false,
        Required::When(cond) => Cond::holds(cond, values),
    }
}

fn check_repeat(repeat: &Repeat, family: &Scope<'_>, out: &mut Vec<Issue>) {
    if !is_repeat_relevant(repeat, family) {
        return;
    }
    let rows = family.rows(repeat.id);
    if rows.len() < usize::from(repeat.min_rows) {
        out.push(Issue::error(
            repeat.id,
            IssueKind::TooFewRows { min: repeat.min_rows },
        ));
    } else if rows.len() > usize::from(repeat.max_rows) {
        out.push(Issue::error(
            repeat.id,
            IssueKind::TooManyRows { max: repeat.max_rows },
        ));
    }
    for (index, row) in rows.iter().enumerate() {
        let scope = family.in_row(row, index + 1);
        let at = Some(RowRef {
            repeat: repeat.id,
            key: row.key,
            position: index + 1,
        });
        let first = out.len();
        for question in repeat.questions {
            check_question(question, &scope, out);
        }
        for issue in &mut out[first..] {
            issue.row = at;
        }
    }
}

fn check_question(question: &Question, scope: &Scope<'_>, out: &mut Vec<Issue>) {
    if !is_relevant(question, scope) {
        return;
    }
    let value = scope.value(question.id).trim();
    if value.is_empty() {
        if is_required(question, scope) && !matches!(question.kind, Kind::Note | Kind::Calculate { .. }) {
            out.push(Issue::error(question.id, IssueKind::Required));
        }
        return;
    }
    match question.kind {
        Kind::RowOf(repeat) => {
            if !scope.rows(repeat).iter().any(|r| r.key.to_string() == value) {
                out.push(Issue::error(question.id, IssueKind::UnknownRow));
            }
        }
        Kind::Calculate { .. } => {}
        ref kind => check_value(question.id, kind, value, scope.today, out),
    }
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
            // Numbers of a fixed shape (NIK, KK, RT) say what is wrong with their length
            // themselves, in their own words; a second message would only repeat it.
            let shaped = matches!(
                format,
                TextFormat::Digits { .. } | TextFormat::Kk | TextFormat::Nik
            );
            if shaped {
            } else if chars < usize::from(*min_len) {
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
        // Thousands groups ("300.000", "1.250,5") are the number: the app stores it without
        // them once typed.
        Kind::Integer { min, max } => match value
            .parse::<i64>()
            .or_else(|e| crate::decimal::ungrouped_whole(value).ok_or(e)?.parse::<i64>())
        {
            Err(_) => error(IssueKind::NotANumber),
            Ok(n) if n < *min || n > *max => error(IssueKind::OutOfRange { min: *min, max: *max }),
            Ok(_) => {}
        },
        Kind::Decimal { min, max, places } => match Decimal::read(value) {
            None => error(IssueKind::NotANumber),
            Some(number) if number.places() > *places => {
                error(IssueKind::TooManyDecimals { places: *places })
            }
            Some(number) if number.cmp_whole(*min).is_lt() || number.cmp_whole(*max).is_gt() => {
                error(IssueKind::OutOfRange { min: *min, max: *max })
            }
            Some(_) => {}
        },
        Kind::Date {
            past_only,
            unknown_parts,
        } => match parse_partial_date(value).filter(|d| *unknown_parts || d.is_complete()) {
            None => error(IssueKind::BadDate),
            Some(date) if date.year < EARLIEST_YEAR => error(IssueKind::YearTooEarly { min: EARLIEST_YEAR }),
            Some(date) if *past_only && date.is_after(today) => error(IssueKind::FutureDate),
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
        // Photos and drawings are blobs the app stores; a row reference is checked against the
        // record's rows by the caller; calculated values are derived, never typed.
        Kind::Photo | Kind::Drawing | Kind::RowOf(_) | Kind::Calculate { .. } | Kind::Note => {}
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

/// `YYYY-MM-DD`, as `<input type=date>` writes it; a complete calendar date only.
pub fn parse_date(value: &str) -> Option<Date> {
    parse_partial_date(value)?.complete()
}

/// A date whose day, or day and month, may be unknown (`98`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl PartialDate {
    pub fn is_complete(&self) -> bool {
        self.complete().is_some()
    }

    pub fn complete(&self) -> Option<Date> {
        Date::new(self.year, self.month?, self.day?)
    }

    /// Whether every date it could be is after `today`.
    pub fn is_after(&self, today: Date) -> bool {
        match (self.month, self.complete()) {
            (_, Some(date)) => date > today,
            (Some(month), None) => (self.year, month) > (today.year, today.month),
            (None, _) => self.year > today.year,
        }
    }
}

/// `YYYY-MM-DD` where `MM` and `DD` may be `98` (not known). An unknown month with a known
/// day means nothing, and a known day must exist in its month.
pub fn parse_partial_date(value: &str) -> Option<PartialDate> {
    let mut parts = value.splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(y, 4) && digits(m, 2) && digits(d, 2)) {
        return None;
    }
    let known = |part: &str| -> Option<u8> { part.parse().ok().filter(|n| *n != UNKNOWN_PART) };
    let (year, month, day) = (y.parse().ok()?, known(m), known(d));
    match (month, day) {
        (None, Some(_)) => None,
        (Some(m), None) if !(1..=12).contains(&m) => None,
        (Some(m), Some(d)) => Date::new(year, m, d).map(|_| PartialDate { year, month, day }),
        _ => Some(PartialDate { year, month, day }),
    }
}

/// `latitude longitude accuracy`, as the app stores a geopoint.
fn check_geopoint(field: FieldId, value: &str, out: &mut Vec<Issue>) {
    let numbers: Vec<Option<Decimal>> = value.split_whitespace().map(Decimal::parse).collect();
    let [Some(lat), Some(lon), Some(accuracy)] = numbers[..] else {
        out.push(Issue::error(field, IssueKind::BadGeopoint));
        return;
    };
    let within = |d: Decimal, (low, high): (i64, i64)| d.cmp_whole(low).is_ge() && d.cmp_whole(high).is_le();
    if accuracy.cmp_whole(0).is_lt() {
        out.push(Issue::error(field, IssueKind::BadGeopoint));
    } else if !within(lat, LATITUDE) || !within(lon, LONGITUDE) {
        out.push(Issue::error(field, IssueKind::OutsideIndonesia));
    } else if accuracy.cmp_whole(GOOD_ACCURACY_METRES).is_gt() {
        let metres = u32::try_from(accuracy.round()).unwrap_or(u32::MAX);
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
