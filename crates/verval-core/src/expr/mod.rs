//! The expressions of XLSForm forms (issue #25): ODK's subset of XPath 1.0 — `${field}`
//! references, `.` and `..`, the operators, and the functions real forms use — with ODK's
//! semantics (getodk/xforms-spec): strings, numbers and booleans convert as XPath 1.0 says.
//!
//! Pure: what an expression reads (a field's values, the time, a regular expression) comes
//! from an [`Env`], so the app can answer `regex()` with the browser's `RegExp` and the hub
//! with its own engine. Checked against the expression tests of getodk/web-forms
//! (`tests/web_forms_xpath.rs`).

mod dates;
mod eval;
mod functions;
mod lexer;
mod parser;
mod value;

pub use functions::{KNOWN as KNOWN_FUNCTIONS, OUT_OF_SCOPE as OUT_OF_SCOPE_FUNCTIONS};
pub use parser::{parse, Expr, Path, Step};
pub use value::{number_text, text_number, Value};

/// Why an expression does not read, or cannot be evaluated.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ExprError {
    #[error("ekspresi tidak terbaca: {id} (the expression does not read: {en}), di {expr:?}")]
    Syntax { expr: String, id: String, en: String },
    #[error("fungsi tidak dikenal (unknown function): {0}()")]
    UnknownFunction(String),
    #[error("{name}() menerima {wanted} argumen, diberi {given} ({name}() takes {wanted} arguments, given {given})")]
    Arity {
        name: String,
        wanted: String,
        given: usize,
    },
    #[error("isian tidak dikenal (unknown field): {0}")]
    UnknownField(String),
    #[error("{0}")]
    Invalid(String),
}

impl ExprError {
    /// What does not read, in Indonesian first and English second, as every message a
    /// district officer reads about their form.
    pub(crate) fn syntax(expr: &str, id: &str, en: &str) -> ExprError {
        ExprError::Syntax {
            expr: expr.to_owned(),
            id: id.to_owned(),
            en: en.to_owned(),
        }
    }
}

/// What an expression reads from the form it belongs to.
pub trait Env {
    /// The value of `${name}` (or a path ending in `name`): one value, or a field's
    /// instances inside a repeat seen from outside it ([`Value::Nodes`]). `None`: no such
    /// field.
    fn field(&self, name: &str) -> Option<Value>;
    /// A bare path (`name`, `/data/name`) naming `name`: the field, except where the
    /// expression is about something else (a choice filter reads the choice's columns).
    fn path(&self, name: &str) -> Option<Value> {
        self.field(name)
    }
    /// `.`: the value the expression is about (a constraint's answer).
    fn current(&self) -> Value {
        Value::Str(String::new())
    }
    /// `position(..)`: the 1-based position of the repeat instance being evaluated.
    fn position(&self) -> Option<f64> {
        None
    }
    /// `indexed-repeat(${field}, ${repeat}, n)`: the field's value in the n-th instance.
    fn indexed(&self, _field: &str, _index: usize) -> Option<Value> {
        None
    }
    /// `jr:choice-name(value, '${field}')`: the label of a choice of the field.
    fn choice_label(&self, _field: &str, _value: &str) -> Option<String> {
        None
    }
    /// Milliseconds since 1970-01-01T00:00Z.
    fn now_ms(&self) -> i64;
    /// The time zone's offset from UTC, in minutes (WIB is +420).
    fn utc_offset_minutes(&self) -> i32;
    /// `regex(text, pattern)`: whether `pattern` (a JavaScript regular expression) matches.
    fn regex(&self, text: &str, pattern: &str) -> Result<bool, String>;
}

/// Parses and evaluates `src`.
pub fn evaluate(src: &str, env: &dyn Env) -> Result<Value, ExprError> {
    eval::eval(&parse(src)?, env)
}

pub use eval::eval;

#[cfg(test)]
mod tests;
