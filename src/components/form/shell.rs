//! What every question shows around its input, whichever form it is on (the household
//! form's questions, a district form's fields): its label, its hint, what the page adds
//! below (an offer, the district's notes) and the list of its issues. Hidden, never removed,
//! while skip logic leaves it out, so nothing typed is lost.
//!
//! The ids are one rule for every form, because labels, `aria-describedby` and the issue
//! summary point at them: the label is `<input id>-label`, the hint `<input id>-hint`, the
//! issues `<input id>-issues`.

use leptos::prelude::*;
use std::sync::Arc;
use verval_core::Severity;

/// One question's frame, filled in by each form's own adapter.
pub struct Shell<L, H> {
    /// The id of the question's input (the first one, for a group of them).
    pub id: String,
    /// The field's id or name (`data-field`): the export's column.
    pub field: String,
    /// The row's key, when the question is answered in a repeat's row.
    pub row: Option<u32>,
    pub label: L,
    /// The label names a group of inputs (radios, checkboxes): a heading the group is
    /// `aria-labelledby`, not a `<label for>` of one input.
    pub grouped: bool,
    pub hint: Option<H>,
    /// Whether skip logic asks the question now.
    pub shown: Memo<bool>,
    /// What is wrong with the answer, as far as it is shown now, in the language chosen.
    pub issues: Memo<Vec<(Severity, String)>>,
}

/// `aria-describedby` of the input `id`: its hint (when `hinted`) and its issues.
pub fn described_by(id: &str, hinted: bool) -> String {
    match hinted {
        true => format!("{id}-hint {id}-issues"),
        false => format!("{id}-issues"),
    }
}

/// `aria-invalid` from a question's issues: `Some("true")` while an error is shown, no
/// attribute otherwise (a field in error must not read as valid to TalkBack).
pub fn invalid(issues: Memo<Vec<(Severity, String)>>) -> Signal<Option<&'static str>> {
    Signal::derive(move || has_error(issues).then_some("true"))
}

fn has_error(issues: Memo<Vec<(Severity, String)>>) -> bool {
    issues.with(|list| list.iter().any(|(severity, _)| *severity == Severity::Error))
}

/// The question drawn: its frame around `control`, and `below` (what the page adds under
/// the hint) before its issues.
pub fn field_shell<L, H>(shell: Shell<L, H>, control: AnyView, below: AnyView) -> impl IntoView
where
    L: IntoView + 'static,
    H: IntoView + 'static,
{
    let Shell {
        id,
        field,
        row,
        label,
        grouped,
        hint,
        shown,
        issues,
    } = shell;
    let label = if grouped {
        view! { <span class="label" id=format!("{id}-label")>{label}</span> }.into_any()
    } else {
        view! { <label for=id.clone() id=format!("{id}-label")>{label}</label> }.into_any()
    };
    let testid = match row {
        None => format!("issues-{field}"),
        Some(key) => format!("issues-{field}-{key}"),
    };
    view! {
        <div class="field" class:field-error=move || has_error(issues) hidden=move || !shown.get() data-field=field>
            {label}
            {control}
            {hint.map(|hint| view! { <p class="hint" id=format!("{id}-hint")>{hint}</p> })}
            {below}
            <ul class="issues" id=format!("{id}-issues") data-testid=testid>
                {move || issues.get().into_iter().map(|(severity, message)| {
                    let class = match severity {
                        Severity::Error => "issue issue-error",
                        Severity::Warning => "issue issue-warning",
                    };
                    view! { <li class=class>{message}</li> }
                }).collect_view()}
            </ul>
        </div>
    }
}

/// What a question's input reads and calls, whichever form it is on.
#[derive(Clone)]
pub struct Wiring {
    /// The input's id: its label's `for`, what the issue summary jumps to.
    pub id: String,
    /// The input's `name`: the field's id, the export's column.
    pub name: String,
    pub described_by: String,
    pub invalid: Signal<Option<&'static str>>,
    /// The answer as stored.
    pub value: Signal<String>,
    pub read_only: Signal<bool>,
    /// Stores a new answer. A plain closure over the form's own state, not a reactive
    /// callback of the question's: see [`super::PhotoSlot::set`]. `Send`, as reactive
    /// children (a list of choices drawn again) must be.
    pub set: Arc<dyn Fn(String) + Send + Sync>,
}
