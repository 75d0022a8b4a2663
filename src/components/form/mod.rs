//! The generic form renderer: one component per kind of question, a repeat view, the
//! section navigator and the list of what blocks finalizing. Everything reads the record
//! through [`FormCtx`] and changes it only by sending an [`Edit`] to the page, which owns the
//! record and its saving.

mod choice;
mod date_input;
mod drawing;
mod geopoint;
pub use drawing::{drawing_pad, DrawingFormat};
pub use geopoint::geopoint_input;
mod issue_summary;
mod photo;
mod question;
mod region;
mod repeat;
mod review_notes;
mod section_nav;
pub mod shell;
mod text_input;

pub use choice::{choice_buttons, choice_option, drop_down, remembered, ChoiceShape};
pub use date_input::date_input;
pub use issue_summary::{focus_later, IssueSummary, SUMMARY_ID};
pub use photo::{photo_picker, Images, PhotoSlot};
pub use question::QuestionView;
pub use region::RegionTables;
pub use repeat::RepeatView;
pub use review_notes::ReviewBanner;
pub use section_nav::SectionNav;
pub use shell::{field_shell, Shell, Wiring};
pub use text_input::{as_typed, calculated, text_input, TextShape};

use leptos::prelude::*;
use verval_core::date::Date;
use verval_core::form::{Form, Question, Repeat, Scope, Values};
use verval_core::record::HouseholdRecord;
use verval_core::validate::IssueKind;
use verval_core::{FieldId, Issue, Lang};

/// A row of a repeat, by its stable key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RowAt {
    pub repeat: FieldId,
    pub key: u32,
}

/// A change the enumerator makes.
#[derive(Clone, Debug)]
pub enum Edit {
    Set {
        at: Option<RowAt>,
        field: FieldId,
        value: String,
    },
    AddRow(FieldId),
    RemoveRow(RowAt),
}

/// What every part of the form reads, and where it sends changes.
#[derive(Clone, Copy)]
pub struct FormCtx {
    /// The form drawn: everything the renderer knows of it comes from here, so it draws any
    /// form and names no question of its own.
    pub form: &'static Form,
    pub record: Signal<HouseholdRecord>,
    pub issues: Memo<Vec<Issue>>,
    /// "Required" issues show only once finalizing was tried, so a new form is not a wall
    /// of red; format problems show as soon as something is typed.
    pub show_required: Signal<bool>,
    pub editable: Signal<bool>,
    pub lang: Signal<Lang>,
    pub today: Date,
    pub regions: RegionTables,
    pub on_edit: Callback<Edit>,
    /// `true` when a drawing or photo starts being stored apart from the record, `false`
    /// when it is stored (or given up): until then the form counts as unsaved.
    pub writing: Callback<bool>,
    /// Where photos and drawings are kept, handed in by the page (the records themselves
    /// only change by edits).
    pub images: StoredValue<Images, LocalStorage>,
    /// The district's notes on single fields and rows, shown beside them while the household
    /// waits for its correction (issue #20); none otherwise.
    pub review_notes: Signal<Vec<verval_core::review::FieldNote>>,
}

impl FormCtx {
    /// Reads the answers visible at `at` (the family, or one row); `None` when the row is
    /// gone. Tracked: a reactive closure calling it reruns when the record changes.
    pub fn read<T>(&self, at: Option<RowAt>, f: impl FnOnce(&Scope<'_>) -> T) -> Option<T> {
        let today = self.today;
        self.record.with(|record| {
            let family = Scope::family(record, today);
            match at {
                None => Some(f(&family)),
                Some(at) => {
                    let rows = record.repeats.rows(at.repeat);
                    let index = rows.iter().position(|r| r.key == at.key)?;
                    Some(f(&family.in_row(&rows[index], index + 1)))
                }
            }
        })
    }

    /// What names row `at` of `repeat`: its title question's answer, a chosen code as its
    /// label; empty when it is not answered or the repeat has no title question.
    pub fn row_title(&self, repeat: &'static Repeat, at: RowAt) -> String {
        let Some(field) = repeat.title else {
            return String::new();
        };
        let question = repeat.questions.iter().find(|q| q.id == field);
        let lang = self.lang.get();
        self.read(Some(at), |scope| {
            let value = scope.value(field);
            question
                .and_then(|q| q.choice_label(value))
                .map_or_else(|| value.to_owned(), |label| label.get(lang).to_owned())
        })
        .unwrap_or_default()
    }

    pub fn value(&self, at: Option<RowAt>, field: FieldId) -> String {
        self.read(at, |scope| scope.value(field).to_owned())
            .unwrap_or_default()
    }

    /// Also called when a photo or drawing is stored, which may end after the form left the
    /// screen (the back button): nothing is set then, and nothing panics.
    pub fn set(&self, at: Option<RowAt>, field: FieldId, value: String) {
        if self.editable.try_get_untracked().unwrap_or(false) {
            self.on_edit.try_run(Edit::Set { at, field, value });
        }
    }

    /// The issues of one field (in one row), as far as they are shown now.
    pub fn issues_of(&self, at: Option<RowAt>, field: FieldId) -> Vec<Issue> {
        let shown = self.shown(at, field);
        self.issues
            .with(|all| all.iter().filter(|i| shown(i)).cloned().collect())
    }

    /// Whether an error of one field (in one row) is shown now; nothing is copied.
    pub fn has_error(&self, at: Option<RowAt>, field: FieldId) -> bool {
        let shown = self.shown(at, field);
        self.issues.with(|all| {
            all.iter()
                .any(|i| i.severity == verval_core::Severity::Error && shown(i))
        })
    }

    /// Which issues belong to `field` at `at` and are shown now.
    fn shown(&self, at: Option<RowAt>, field: FieldId) -> impl Fn(&Issue) -> bool {
        let show_required = self.show_required.get();
        move |i| {
            i.field == field
                && i.row.map(|r| r.key) == at.map(|a| a.key)
                && (show_required || !matches!(i.kind, IssueKind::Required | IssueKind::TooFewRows { .. }))
        }
    }
}

/// What a question's input names for screen readers (`aria-describedby`): its hint, when
/// it has one, and its list of issues — so an error is read out with the field.
pub fn described_by(question: &Question, id: &str) -> String {
    shell::described_by(id, question.hint.is_some())
}

impl FormCtx {
    /// `aria-invalid`: `Some("true")` while an error of the field is shown, no attribute
    /// otherwise (a field in error must not read as valid to TalkBack).
    pub fn invalid(self, at: Option<RowAt>, field: FieldId) -> impl Fn() -> Option<&'static str> + Copy {
        move || self.has_error(at, field).then_some("true")
    }
}

/// The id of the input of `field` (in a row): what labels point at and what the issue
/// summary jumps to.
pub fn input_id(field: FieldId, at: Option<RowAt>) -> String {
    match at {
        None => format!("f-{field}"),
        Some(at) => format!("f-{field}-{}", at.key),
    }
}
