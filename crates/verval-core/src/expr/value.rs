//! Values and XPath 1.0's conversions between them (`string()`, `number()`, `boolean()`),
//! with ODK's dates beside them.

use super::dates;

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Str(String),
    Num(f64),
    Bool(bool),
    /// The values of a field's instances (a field in a repeat, seen from outside it), or of
    /// a path: what `count()`, `sum()` and `join()` read.
    Nodes(Vec<String>),
    /// A day, or a moment (`time`): days since 1970-01-01, in the process's time zone.
    Date {
        days: f64,
        time: bool,
    },
}

impl Value {
    /// XPath's `string()`: a number without exponent or trailing `.0`, a node-set's first
    /// node, a date as ODK writes it.
    pub fn string(&self, offset_minutes: i32) -> String {
        match self {
            Value::Str(s) => s.clone(),
            Value::Num(n) => number_text(*n),
            Value::Bool(b) => b.to_string(),
            Value::Nodes(nodes) => nodes.first().cloned().unwrap_or_default(),
            Value::Date { days, time } => dates::write(*days, *time, offset_minutes),
        }
    }

    /// XPath's `number()`: a string as a decimal (`NaN` when it is not one), a date as days.
    pub fn number(&self) -> f64 {
        match self {
            Value::Str(s) => text_number(s),
            Value::Num(n) => *n,
            Value::Bool(b) => f64::from(u8::from(*b)),
            Value::Nodes(nodes) => nodes.first().map_or(f64::NAN, |s| text_number(s)),
            Value::Date { days, .. } => *days,
        }
    }

    /// XPath's `boolean()`.
    pub fn boolean(&self) -> bool {
        match self {
            Value::Str(s) => !s.is_empty(),
            Value::Num(n) => *n != 0.0 && !n.is_nan(),
            Value::Bool(b) => *b,
            Value::Nodes(nodes) => !nodes.is_empty(),
            Value::Date { days, .. } => !days.is_nan(),
        }
    }

    /// Each value a node-set holds; a single value's own.
    pub fn items(&self, offset_minutes: i32) -> Vec<String> {
        match self {
            Value::Nodes(nodes) => nodes.clone(),
            other => vec![other.string(offset_minutes)],
        }
    }
}

/// A number as XPath writes it: `NaN`, `Infinity`, `-Infinity`, integers without a decimal
/// point, others in the shortest decimal that reads back the same, never an exponent.
pub fn number_text(n: f64) -> String {
    if n.is_nan() {
        "NaN".to_owned()
    } else if n.is_infinite() {
        if n > 0.0 { "Infinity" } else { "-Infinity" }.to_owned()
    } else if n == 0.0 {
        "0".to_owned()
    } else {
        // Rust's `Display` for f64 is the shortest round-trip decimal, without exponent.
        format!("{n}")
    }
}

/// A string as XPath reads a number: optional whitespace, an optional `-`, digits with an
/// optional fraction (or a fraction alone); anything else is `NaN`.
pub fn text_number(text: &str) -> f64 {
    let t = text.trim_matches(|c: char| matches!(c, ' ' | '\t' | '\n' | '\r'));
    let digits = t.strip_prefix('-').unwrap_or(t);
    let mut parts = digits.splitn(2, '.');
    let whole = parts.next().unwrap_or_default();
    let fraction = parts.next();
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let valid = all_digits(whole)
        && fraction.is_none_or(all_digits)
        && (!whole.is_empty() || fraction.is_some_and(|f| !f.is_empty()));
    if !valid {
        return f64::NAN;
    }
    t.parse().unwrap_or(f64::NAN)
}
