//! The form as data: sections, questions, answer codes, relevance and requirement.
//!
//! The whole default form is `const` data (no allocation, nothing to parse at start-up), read
//! by one generic renderer in the app. Conditions are a small typed tree over field ids, not
//! strings: [`check::check_form`] resolves every id a condition names once, so a typo in the
//! form is a failing test, never a silent "always hidden" question in the field.

pub mod check;
pub mod cond;
pub mod default;
pub mod model;
pub mod validate;

pub use cond::{Cond, Values};
pub use model::{Choice, Form, Kind, Question, Repeat, Required, Section, SectionItem, TextFormat};
