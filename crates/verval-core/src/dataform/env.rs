//! What a data form's expressions read: the record's answers, seen from the record or from
//! one row of a repeat, and the device's clock and regular expressions.

use super::{At, DataForm, Host};
use crate::expr::{eval, Env, Expr, ExprError, Value};
use crate::record::HouseholdRecord;
use crate::xlsform::Choice;

/// The record seen from one place: `${name}` of the same repeat reads the row `at`.
pub(super) struct FormEnv<'a> {
    pub form: &'a DataForm,
    pub record: &'a HouseholdRecord,
    pub host: &'a dyn Host,
    /// The repeat and row the expression is evaluated in, if any.
    pub row: Option<(usize, usize)>,
    /// `.`: the answer a constraint is about.
    pub current: &'a str,
}

impl<'a> FormEnv<'a> {
    pub fn new(
        form: &'a DataForm,
        record: &'a HouseholdRecord,
        host: &'a dyn Host,
        repeat: Option<usize>,
        at: At,
    ) -> FormEnv<'a> {
        let row = match (repeat, at) {
            (Some(r), At::Row(i)) => Some((r, i)),
            _ => None,
        };
        FormEnv {
            form,
            record,
            host,
            row,
            current: "",
        }
    }

    pub fn eval(&self, expr: &Expr) -> Result<Value, ExprError> {
        eval(expr, self)
    }

    /// An expression as a condition; one that cannot be evaluated holds, so that a question
    /// is shown rather than silently skipped.
    pub fn holds(&self, expr: &Expr) -> bool {
        self.eval(expr).map(|v| v.boolean()).unwrap_or(true)
    }

    /// A value as the answer it gives: XPath's `string()`, with `NaN` (no number) empty.
    pub fn answer(&self, value: &Value) -> String {
        match value {
            Value::Num(n) if n.is_nan() => String::new(),
            other => other.string(self.host.utc_offset_minutes()),
        }
    }

    fn rows(&self, repeat: usize) -> &'a [crate::record::Row] {
        self.record.repeats.rows(&self.form.repeats[repeat].name)
    }
}

impl Env for FormEnv<'_> {
    fn field(&self, name: &str) -> Option<Value> {
        if let Some(r) = self.form.repeat_index(name) {
            // A repeat itself: one (empty) node per row, for `count(${members})`.
            return Some(Value::Nodes(vec![String::new(); self.rows(r).len()]));
        }
        let place = self.form.place(name)?;
        Some(match place.repeat {
            None => Value::Str(self.record.answers.get(name).to_owned()),
            Some(r) => match self.row {
                Some((here, i)) if here == r => Value::Str(
                    self.rows(r)
                        .get(i)
                        .map_or("", |row| row.answers.get(name))
                        .to_owned(),
                ),
                _ => Value::Nodes(
                    self.rows(r)
                        .iter()
                        .map(|row| row.answers.get(name).to_owned())
                        .collect(),
                ),
            },
        })
    }

    fn current(&self) -> Value {
        Value::Str(self.current.to_owned())
    }

    fn position(&self) -> Option<f64> {
        self.row.map(|(_, i)| (i + 1) as f64)
    }

    fn indexed(&self, field: &str, index: usize) -> Option<Value> {
        let r = self.form.place(field)?.repeat?;
        let row = self.rows(r).get(index.checked_sub(1)?)?;
        Some(Value::Str(row.answers.get(field).to_owned()))
    }

    fn choice_label(&self, field: &str, value: &str) -> Option<String> {
        let list = &self.form.place(field)?.field.list;
        let choice = self
            .form
            .def()
            .choices
            .get(list)?
            .iter()
            .find(|c| c.name == value)?;
        Some(match choice.label.id.is_empty() {
            true => choice.label.en.clone(),
            false => choice.label.id.clone(),
        })
    }

    fn now_ms(&self) -> i64 {
        self.host.now_ms()
    }

    fn utc_offset_minutes(&self) -> i32 {
        self.host.utc_offset_minutes()
    }

    fn regex(&self, text: &str, pattern: &str) -> Result<bool, String> {
        self.host.regex(text, pattern)
    }
}

/// A choice filter's view: `${name}` reads the form, a bare name the choice's own columns
/// (`kecamatan=${kec}` keeps the choices whose `kecamatan` is the answer to `kec`).
pub(super) struct ChoiceEnv<'a> {
    pub form: &'a FormEnv<'a>,
    pub choice: &'a Choice,
}

impl Env for ChoiceEnv<'_> {
    fn field(&self, name: &str) -> Option<Value> {
        self.form.field(name)
    }

    fn path(&self, name: &str) -> Option<Value> {
        let text = match name {
            "name" => self.choice.name.clone(),
            "label" => self.choice.label.id.clone(),
            column => self.choice.data.get(column).cloned().unwrap_or_default(),
        };
        Some(Value::Str(text))
    }

    fn now_ms(&self) -> i64 {
        self.form.now_ms()
    }

    fn utc_offset_minutes(&self) -> i32 {
        self.form.utc_offset_minutes()
    }

    fn regex(&self, text: &str, pattern: &str) -> Result<bool, String> {
        self.form.regex(text, pattern)
    }
}
