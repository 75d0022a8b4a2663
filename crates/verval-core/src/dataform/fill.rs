//! Filling a data form: which questions are asked, which are read-only or required, which
//! choices a filter leaves, and the answers the form gives itself (defaults, calculations,
//! a repeat's count of rows).

use super::env::{ChoiceEnv, FormEnv};
use super::place::{Cond, Place};
use super::{At, DataForm, Host};
use crate::expr::eval;
use crate::record::{HouseholdRecord, Timestamp, SCHEMA_VERSION};
use crate::xlsform::Choice;

impl DataForm {
    fn env<'a>(
        &'a self,
        record: &'a HouseholdRecord,
        host: &'a dyn Host,
        repeat: Option<usize>,
        at: At,
    ) -> FormEnv<'a> {
        FormEnv::new(self, record, host, repeat, at)
    }

    fn conds_hold(
        &self,
        conds: &[Cond],
        record: &HouseholdRecord,
        host: &dyn Host,
        repeat: Option<usize>,
        at: At,
    ) -> bool {
        let in_row = self.env(record, host, repeat, at);
        let on_record = self.env(record, host, None, At::Top);
        conds.iter().all(|c| match c.in_row {
            true => in_row.holds(&c.expr),
            false => on_record.holds(&c.expr),
        })
    }

    /// Whether the question is asked: every group around it and its own relevance hold.
    pub fn is_relevant(&self, record: &HouseholdRecord, host: &dyn Host, field: &str, at: At) -> bool {
        self.place(field)
            .is_some_and(|p| self.conds_hold(&p.relevant, record, host, p.repeat, at))
    }

    /// Whether a repeat is asked at all (the groups around it and its own relevance).
    pub fn is_repeat_relevant(&self, record: &HouseholdRecord, host: &dyn Host, repeat: &str) -> bool {
        self.repeat_index(repeat)
            .is_some_and(|r| self.conds_hold(&self.repeats[r].relevant, record, host, None, At::Top))
    }

    /// Whether the enumerator may not change the answer: a calculation, a note, or `read_only`.
    pub fn is_read_only(&self, record: &HouseholdRecord, host: &dyn Host, field: &str, at: At) -> bool {
        let Some(place) = self.place(field) else {
            return true;
        };
        if place.calculation.is_some() {
            return true;
        }
        place.read_only.as_ref().is_some_and(|expr| {
            self.env(record, host, place.repeat, at)
                .eval(expr)
                .is_ok_and(|v| v.boolean())
        })
    }

    /// Whether the question must be answered (when it is asked and can be answered).
    pub fn is_required(&self, record: &HouseholdRecord, host: &dyn Host, field: &str, at: At) -> bool {
        let Some(place) = self.place(field) else {
            return false;
        };
        place.required.as_ref().is_some_and(|expr| {
            self.env(record, host, place.repeat, at)
                .eval(expr)
                .is_ok_and(|v| v.boolean())
        })
    }

    /// The choices a select offers here: its list, less what the choice filter leaves out.
    pub fn choices<'a>(
        &'a self,
        record: &HouseholdRecord,
        host: &dyn Host,
        field: &str,
        at: At,
    ) -> Vec<&'a Choice> {
        let Some(place) = self.place(field) else {
            return Vec::new();
        };
        let list = self
            .def()
            .choices
            .get(&place.field.list)
            .map_or(&[][..], Vec::as_slice);
        let Some(filter) = &place.choice_filter else {
            return list.iter().collect();
        };
        let form = self.env(record, host, place.repeat, at);
        list.iter()
            .filter(|choice| {
                let env = ChoiceEnv { form: &form, choice };
                eval(filter, &env).is_ok_and(|v| v.boolean())
            })
            .collect()
    }

    /// How many rows the repeat's `repeat_count` asks for, if it has one that gives a number.
    pub fn wanted_rows(&self, record: &HouseholdRecord, host: &dyn Host, repeat: &str) -> Option<usize> {
        let r = self.repeat_index(repeat)?;
        let count = self.repeats[r].count.as_ref()?;
        let n = self.env(record, host, None, At::Top).eval(count).ok()?.number();
        (n.is_finite() && n >= 0.0).then(|| n.min(MAX_ROWS as f64) as usize)
    }

    /// Turns a new, empty record into a record of this form: its id and version, the
    /// defaults of its questions, the rows a count asks for, and the calculations.
    pub fn start(&self, record: &mut HouseholdRecord, host: &dyn Host, now: Timestamp) {
        record.form_id = self.def().id.clone();
        record.form_version = self.def().version.clone();
        record.schema_version = SCHEMA_VERSION;
        for at in 0..self.fields.len() {
            if self.fields[at].repeat.is_none() {
                self.set_default(record, host, at, At::Top, now);
            }
        }
        self.recalculate(record, host, now);
    }

    /// Adds a row to a repeat with its questions' defaults; `None` when there is no such
    /// repeat or it is full.
    pub fn add_row(
        &self,
        record: &mut HouseholdRecord,
        host: &dyn Host,
        repeat: &str,
        now: Timestamp,
    ) -> Option<u32> {
        let r = self.repeat_index(repeat)?;
        if record.repeats.rows(repeat).len() >= MAX_ROWS {
            return None;
        }
        let key = self.new_row(record, host, r, now);
        self.recalculate(record, host, now);
        Some(key)
    }

    /// A row at the end of repeat `r`, with its questions' defaults.
    fn new_row(&self, record: &mut HouseholdRecord, host: &dyn Host, r: usize, now: Timestamp) -> u32 {
        let repeat = self.repeats[r].name.clone();
        let key = record.add_row(&repeat, now);
        let index = record.repeats.rows(&repeat).len() - 1;
        for at in 0..self.fields.len() {
            if self.fields[at].repeat == Some(r) {
                self.set_default(record, host, at, At::Row(index), now);
            }
        }
        key
    }

    fn set_default(&self, record: &mut HouseholdRecord, host: &dyn Host, at: usize, row: At, now: Timestamp) {
        let place = &self.fields[at];
        let value = match &place.dynamic_default {
            Some(expr) => {
                let env = self.env(record, host, place.repeat, row);
                match env.eval(expr) {
                    Ok(v) => env.answer(&v),
                    Err(_) => return,
                }
            }
            None => place.field.default.clone(),
        };
        if !value.is_empty() {
            set(self, record, place, row, &value, now);
        }
    }

    /// Brings the answers the form gives itself up to date: each calculation in dependency
    /// order (empty where its question is not asked) and each repeat's count of rows.
    /// Returns whether anything changed.
    pub fn recalculate(&self, record: &mut HouseholdRecord, host: &dyn Host, now: Timestamp) -> bool {
        let mut changed = self.calculate(record, host, now);
        // A count may read a calculation, and a row's calculations need their rows.
        if self.sync_row_counts(record, host, now) {
            self.calculate(record, host, now);
            changed = true;
        }
        changed
    }

    fn calculate(&self, record: &mut HouseholdRecord, host: &dyn Host, now: Timestamp) -> bool {
        let mut changed = false;
        for &at in &self.calculations {
            let place = &self.fields[at];
            let Some(calculation) = &place.calculation else {
                continue;
            };
            let rows = match place.repeat {
                None => vec![At::Top],
                Some(r) => (0..record.repeats.rows(&self.repeats[r].name).len())
                    .map(At::Row)
                    .collect(),
            };
            for row in rows {
                let value = match self.conds_hold(&place.relevant, record, host, place.repeat, row) {
                    false => String::new(),
                    true => {
                        let env = self.env(record, host, place.repeat, row);
                        env.eval(calculation).map(|v| env.answer(&v)).unwrap_or_default()
                    }
                };
                changed |= set(self, record, place, row, &value, now);
            }
        }
        changed
    }

    /// Rows up to each `repeat_count`; empty rows above it removed, rows with answers kept.
    fn sync_row_counts(&self, record: &mut HouseholdRecord, host: &dyn Host, now: Timestamp) -> bool {
        let mut changed = false;
        for (r, repeat) in self.repeats.iter().enumerate() {
            let Some(wanted) = self.wanted_rows(record, host, &repeat.name) else {
                continue;
            };
            let wanted = match self.is_repeat_relevant(record, host, &repeat.name) {
                true => wanted,
                false => 0,
            };
            while record.repeats.rows(&repeat.name).len() < wanted {
                self.new_row(record, host, r, now);
                changed = true;
            }
            while let Some(last) = record.repeats.rows(&repeat.name).get(wanted..).and_then(|extra| {
                extra
                    .iter()
                    .rev()
                    .find(|row| self.is_empty_row(row))
                    .map(|row| row.key)
            }) {
                record.remove_row(&repeat.name, last, now);
                changed = true;
            }
        }
        changed
    }

    /// A row holding nothing the enumerator typed: only calculations and defaults (a plain
    /// default as it was given; a default that reads something, as the form set it).
    fn is_empty_row(&self, row: &crate::record::Row) -> bool {
        row.answers.iter().all(|(name, value)| {
            self.place(name).is_some_and(|p| {
                p.calculation.is_some()
                    || p.dynamic_default.is_some()
                    || (!p.field.default.is_empty() && p.field.default == value)
            })
        })
    }
}

/// The most rows one repeat may have: a count that reads a mistyped answer (a NIK typed
/// into "how many members") must not make a hundred trillion rows.
pub const MAX_ROWS: usize = 200;

fn set(
    form: &DataForm,
    record: &mut HouseholdRecord,
    place: &Place,
    row: At,
    value: &str,
    now: Timestamp,
) -> bool {
    let name = place.field.name.as_str();
    match (place.repeat, row) {
        (Some(r), At::Row(i)) => {
            let repeat = &form.repeats[r].name;
            let Some(key) = record.repeats.rows(repeat).get(i).map(|row| row.key) else {
                return false;
            };
            record.set_row_answer(repeat, key, name, value, now)
        }
        _ => record.set_answer(name, value, now),
    }
}
