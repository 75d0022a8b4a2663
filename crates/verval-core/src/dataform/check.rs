//! What stops a record of a data form from being finalized: each asked question checked for
//! its type, its requirement and its constraint, with the form's own message when it has
//! one, and repeats checked against their count.

use super::env::FormEnv;
use super::{At, DataForm, Host};
use crate::expr::text_number;
use crate::record::HouseholdRecord;
use crate::xlsform::{FieldType, Label};

/// One thing to fix before the record can be finalized.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataIssue {
    /// The question, or the repeat for an issue about its rows.
    pub field: String,
    /// The key of the row the question is in, for questions of a repeat.
    pub row: Option<u32>,
    pub what: IssueWhat,
    /// What the enumerator reads: the form's own message, or Verval's.
    pub message: Label,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IssueWhat {
    Required,
    Constraint,
    NotAnInteger,
    NotANumber,
    NotADate,
    /// A code the question does not offer here (not in its list, or left out by its filter).
    UnknownChoice(String),
    BadGeopoint,
    /// More rows with answers than the repeat's count asks for.
    TooManyRows {
        wanted: usize,
    },
    /// An expression of the form could not be evaluated: for the district to fix.
    FormulaError(String),
}

impl IssueWhat {
    fn message(&self) -> Label {
        let (id, en) = match self {
            IssueWhat::Required => ("Wajib diisi.".to_owned(), "Required.".to_owned()),
            IssueWhat::Constraint => (
                "Jawaban tidak memenuhi syarat pertanyaan ini.".to_owned(),
                "The answer does not meet this question's condition.".to_owned(),
            ),
            IssueWhat::NotAnInteger => (
                "Isi bilangan bulat, tanpa titik atau koma.".to_owned(),
                "Enter a whole number, without a point or comma.".to_owned(),
            ),
            IssueWhat::NotANumber => (
                "Isi angka; pakai titik untuk desimal.".to_owned(),
                "Enter a number; use a point for decimals.".to_owned(),
            ),
            IssueWhat::NotADate => (
                "Tanggal tidak sah (TTTT-BB-HH).".to_owned(),
                "Not a valid date (YYYY-MM-DD).".to_owned(),
            ),
            IssueWhat::UnknownChoice(code) => (
                format!("Pilihan {code:?} tidak tersedia di sini; pilih lagi."),
                format!("The choice {code:?} is not offered here; choose again."),
            ),
            IssueWhat::BadGeopoint => (
                "Lokasi tidak sah; ambil lokasi lagi.".to_owned(),
                "Not a valid location; take the location again.".to_owned(),
            ),
            IssueWhat::TooManyRows { wanted } => (
                format!("Ada lebih dari {wanted} baris berisi; hapus baris yang tidak perlu."),
                format!("More than {wanted} rows hold answers; remove the rows not needed."),
            ),
            IssueWhat::FormulaError(why) => (
                format!("Rumus formulir tidak dapat dihitung; laporkan ke kabupaten: {why}"),
                format!("A formula of the form cannot be evaluated; tell the district: {why}"),
            ),
        };
        Label { id, en }
    }
}

/// The largest whole number ODK's `int` holds.
const INT_RANGE: std::ops::RangeInclusive<i64> = -2_147_483_648..=2_147_483_647;

impl DataForm {
    /// Every issue of the record, in the form's order.
    pub fn check(&self, record: &HouseholdRecord, host: &dyn Host) -> Vec<DataIssue> {
        let mut issues = Vec::new();
        for place in self.places() {
            let kind = place.field.kind;
            if matches!(kind, FieldType::Note | FieldType::Calculate) {
                continue;
            }
            let name = place.field.name.as_str();
            let rows: Vec<(At, Option<u32>)> = match place.repeat {
                None => vec![(At::Top, None)],
                Some(r) => {
                    if !self.is_repeat_relevant(record, host, &self.repeats[r].name) {
                        continue;
                    }
                    let rows = record.repeats.rows(&self.repeats[r].name);
                    rows.iter()
                        .enumerate()
                        .map(|(i, row)| (At::Row(i), Some(row.key)))
                        .collect()
                }
            };
            for (at, key) in rows {
                if !self.is_relevant(record, host, name, at) {
                    continue;
                }
                let mut issue = |what: IssueWhat, custom: &Label| {
                    let message = match custom.is_empty() {
                        true => what.message(),
                        false => custom.clone(),
                    };
                    issues.push(DataIssue {
                        field: name.to_owned(),
                        row: key,
                        what,
                        message,
                    });
                };
                let value = self.answer_at(record, name, at);
                if value.trim().is_empty() {
                    if self.is_required(record, host, name, at) && !self.is_read_only(record, host, name, at)
                    {
                        issue(IssueWhat::Required, &place.field.required_message);
                    }
                    continue;
                }
                if let Some(what) = self.type_problem(record, host, name, at, kind, value) {
                    issue(what, &Label::default());
                    continue;
                }
                if let Some(constraint) = &place.constraint {
                    let mut env = FormEnv::new(self, record, host, place.repeat, at);
                    env.current = value;
                    match env.eval(constraint) {
                        Ok(v) if v.boolean() => {}
                        Ok(_) => issue(IssueWhat::Constraint, &place.field.constraint_message),
                        Err(e) => issue(IssueWhat::FormulaError(e.to_string()), &Label::default()),
                    }
                }
            }
        }
        for repeat in &self.repeats {
            let Some(wanted) = self.wanted_rows(record, host, &repeat.name) else {
                continue;
            };
            if record.repeats.rows(&repeat.name).len() > wanted {
                let what = IssueWhat::TooManyRows { wanted };
                issues.push(DataIssue {
                    field: repeat.name.clone(),
                    row: None,
                    message: what.message(),
                    what,
                });
            }
        }
        issues
    }

    /// The stored answer of a question, on the record or in a row.
    pub fn answer_at<'r>(&self, record: &'r HouseholdRecord, field: &str, at: At) -> &'r str {
        match (self.repeat_of(field), at) {
            (Some(repeat), At::Row(i)) => record
                .repeats
                .rows(repeat)
                .get(i)
                .map_or("", |r| r.answers.get(field)),
            _ => record.answers.get(field),
        }
    }

    fn type_problem(
        &self,
        record: &HouseholdRecord,
        host: &dyn Host,
        name: &str,
        at: At,
        kind: FieldType,
        value: &str,
    ) -> Option<IssueWhat> {
        let offered = || self.choices(record, host, name, at);
        match kind {
            FieldType::Integer => {
                let whole = value.parse::<i64>().ok().filter(|n| INT_RANGE.contains(n));
                whole.is_none().then_some(IssueWhat::NotAnInteger)
            }
            FieldType::Decimal => text_number(value).is_nan().then_some(IssueWhat::NotANumber),
            FieldType::Date => (!is_date(value)).then_some(IssueWhat::NotADate),
            FieldType::SelectOne => {
                let offered = offered();
                (!offered.iter().any(|c| c.name == value)).then(|| IssueWhat::UnknownChoice(value.to_owned()))
            }
            FieldType::SelectMultiple => {
                let offered = offered();
                value
                    .split_whitespace()
                    .find(|code| !offered.iter().any(|c| c.name == *code))
                    .map(|code| IssueWhat::UnknownChoice(code.to_owned()))
            }
            FieldType::Geopoint => (!is_geopoint(value)).then_some(IssueWhat::BadGeopoint),
            FieldType::Text | FieldType::Image | FieldType::Note | FieldType::Calculate => None,
        }
    }
}

/// `YYYY-MM-DD`, a day of the calendar.
fn is_date(value: &str) -> bool {
    let parts: Vec<&str> = value.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return false;
    };
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(y, 4) && digits(m, 2) && digits(d, 2)) {
        return false;
    }
    let (Ok(y), Ok(m), Ok(d)) = (y.parse(), m.parse(), d.parse()) else {
        return false;
    };
    crate::date::Date::new(y, m, d).is_some()
}

/// `latitude longitude [altitude [accuracy]]`, as ODK writes a geopoint.
fn is_geopoint(value: &str) -> bool {
    let parts: Vec<f64> = value.split_whitespace().map(text_number).collect();
    (2..=4).contains(&parts.len())
        && parts.iter().all(|n| n.is_finite())
        && (-90.0..=90.0).contains(&parts[0])
        && (-180.0..=180.0).contains(&parts[1])
}
