//! Where a condition, a calculation or a check reads answers: the family's answers, and when
//! it belongs to a repeat, one row's answers in front of them.

use super::cond::Values;
use crate::date::Date;
use crate::ids::FieldId;
use crate::record::{Answers, HouseholdRecord, Repeats, Row};

/// The answers visible from one place in the form.
#[derive(Clone, Copy)]
pub struct Scope<'a> {
    pub family: &'a Answers,
    pub repeats: &'a Repeats,
    /// The row being looked at, with its 1-based position, inside a repeat.
    pub row: Option<(&'a Row, usize)>,
    /// The device's local date: ages are counted to it.
    pub today: Date,
}

impl<'a> Scope<'a> {
    /// The family level of a record.
    pub fn family(record: &'a HouseholdRecord, today: Date) -> Scope<'a> {
        Scope {
            family: &record.answers,
            repeats: &record.repeats,
            row: None,
            today,
        }
    }

    /// One row (1-based `position`) of a repeat of the same record.
    pub fn in_row(self, row: &'a Row, position: usize) -> Scope<'a> {
        Scope {
            row: Some((row, position)),
            ..self
        }
    }

    pub fn rows(&self, repeat: FieldId) -> &'a [Row] {
        self.repeats.rows(repeat)
    }

    /// The answer as a whole number, if it is one.
    pub fn number(&self, field: FieldId) -> Option<i64> {
        self.value(field).trim().parse().ok()
    }

    /// Whether the single answer is one of `codes`.
    pub fn is(&self, field: FieldId, codes: &[&str]) -> bool {
        let value = self.value(field).trim();
        !value.is_empty() && codes.contains(&value)
    }
}

impl Values for Scope<'_> {
    fn value(&self, field: FieldId) -> &str {
        // Field ids are unique across the form (checked by `check_form`), so a row answer
        // and a family answer never share a name: the row's comes first only to be exact.
        match self.row {
            Some((row, _)) => match row.answers.get(field) {
                "" => self.family.get(field),
                value => value,
            },
            None => self.family.get(field),
        }
    }
}

/// Answers of one row alone, for code that has a row but not a whole record.
impl Values for Answers {
    fn value(&self, field: FieldId) -> &str {
        self.get(field)
    }
}
