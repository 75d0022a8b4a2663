//! A form as data, filled (issue #25): a [`FormDef`] imported from an XLSForm, run over a
//! record — which questions are asked, what the calculations give, which choices a filter
//! leaves, how many rows a repeat has, and what stops the record from being finalized.
//!
//! Records of data forms are [`HouseholdRecord`]s like the household form's: answers by
//! field name, repeat rows by repeat name with keys that are never reused, the form's id and
//! version on the record. So everything downstream of a record (storage, revisions, batches,
//! sync) carries them unchanged.
//!
//! Semantics are ODK's where Verval's records allow it:
//! - `${name}` inside a repeat reads the same row first, as pyxform does; from outside the
//!   repeat it reads every row (`count()`, `sum()`).
//! - Calculations run in [`FormDef::calculation_order`], never in sheet order. A calculation
//!   of a question that is not asked is empty.
//! - What is not asked is neither checked nor required; its answer is kept (an answer is
//!   never dropped because a skip rule changed) and not exported.
//! - A `repeat_count` adds rows up to the count and removes only empty rows above it; a row
//!   with answers above the count is an issue for the enumerator, never deleted.
//! - Expressions read answers as stored, including answers of questions no longer asked
//!   (ODK reads those as empty): a form's skip logic should not rely on the difference.

mod check;
mod env;
pub mod export;
mod fill;
mod place;
mod shelf;

#[cfg(test)]
mod tests;

pub use check::{DataIssue, IssueWhat};
pub use fill::MAX_ROWS;
pub use place::{DataForm, DataFormError, Place, RepeatPlace};
pub use shelf::{ready, FormShelf};

use crate::record::HouseholdRecord;
use crate::xlsform::FormDef;

/// What a form's expressions read from the device: the time, and regular expressions (the
/// browser's `RegExp` in the app, the regex crate at the hub).
pub trait Host {
    /// Milliseconds since 1970-01-01T00:00Z.
    fn now_ms(&self) -> i64;
    /// The time zone's offset from UTC, in minutes (WIB is +420).
    fn utc_offset_minutes(&self) -> i32;
    /// Whether `pattern` (a JavaScript regular expression) matches `text`.
    fn regex(&self, text: &str, pattern: &str) -> Result<bool, String>;
}

/// Where a question is answered: the record itself, or a row of a repeat (its index among
/// the repeat's rows, from 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum At {
    Top,
    Row(usize),
}

/// Whether `record` was filled with `def` (this id and this version).
pub fn is_record_of(def: &FormDef, record: &HouseholdRecord) -> bool {
    record.form_id == def.id && record.form_version == def.version
}
