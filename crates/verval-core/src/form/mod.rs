//! The form as data: sections, questions, answer codes, relevance and requirement.
//!
//! The whole default form is `const` data (no allocation, nothing to parse at start-up), read
//! by one generic renderer in the app. Conditions are a small typed tree over field ids, not
//! strings: [`check::check_form`] resolves every id a condition names once, so a typo in the
//! form is a failing test, never a silent "always hidden" question in the field.

pub mod asked;
pub mod check;
pub mod cond;
pub mod default;
pub mod derive;
pub mod known;
pub mod model;
pub mod progress;
pub mod rules;
pub mod scope;
pub mod validate;

pub use cond::{Cond, Values};
pub use derive::apply_calculations;
pub use known::KnownForms;
pub use model::{
    Block, Calc, Choice, Form, Kind, Offer, Question, Repeat, Required, Rule, Section, SectionItem,
    TextFormat,
};
pub use rules::{FamilyIndex, NoOtherFamilies, OtherFamilies};
pub use scope::Scope;
pub use validate::validate_record;
