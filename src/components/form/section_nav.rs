//! The section navigator: every section with whether it is done, still open (answers
//! missing), has errors (something entered breaks a rule), or is skipped.

use super::FormCtx;
use crate::components::tr;
use leptos::prelude::*;
use verval_core::form::validate::is_section_relevant;
use verval_core::form::{Form, SectionItem};
use verval_core::validate::IssueKind;
use verval_core::{FieldId, Severity};

/// The section a field or repeat is in.
pub fn section_of(form: &Form, field: FieldId) -> Option<usize> {
    form.sections.iter().position(|s| {
        s.items.iter().any(|item| match item {
            SectionItem::Question(q) => q.id == field,
            SectionItem::Repeat(r) => r.id == field || r.questions.iter().any(|q| q.id == field),
        })
    })
}

#[derive(Clone, Copy, PartialEq)]
enum State {
    /// Nothing missing, nothing wrong.
    Done,
    /// Answers still missing, nothing wrong in what is there.
    Open,
    /// Something entered breaks a rule.
    Errors,
    Skipped,
}

#[component]
pub fn SectionNav(form: &'static Form, current: RwSignal<usize>, ctx: FormCtx) -> impl IntoView {
    let lang = ctx.lang;
    let states = Memo::new(move |_| {
        let mut states: Vec<State> = form
            .sections
            .iter()
            .map(|s| {
                let relevant = ctx
                    .read(None, |family| is_section_relevant(s, family))
                    .unwrap_or(true);
                if relevant {
                    State::Done
                } else {
                    State::Skipped
                }
            })
            .collect();
        ctx.issues.with(|issues| {
            for issue in issues.iter().filter(|i| i.severity == Severity::Error) {
                let Some(index) = section_of(form, issue.field) else {
                    continue;
                };
                let missing = matches!(issue.kind, IssueKind::Required | IssueKind::TooFewRows { .. });
                states[index] = match (states[index], missing) {
                    (State::Skipped, _) | (State::Errors, _) => states[index],
                    (_, false) => State::Errors,
                    (_, true) => State::Open,
                };
            }
        });
        states
    });
    view! {
        <nav class="section-nav" aria-label="Bagian / Sections">
            {form.sections.iter().enumerate().map(|(index, section)| {
                let state = move || states.with(|s| s[index]);
                let class = move || match state() {
                    State::Done => "section-tab done",
                    State::Open => "section-tab open",
                    State::Errors => "section-tab errors",
                    State::Skipped => "section-tab skipped",
                };
                view! {
                    <button type="button" class=class aria-current=move || (current.get() == index).then_some("step")
                        data-testid=format!("section-{}", section.id) title=tr(lang, section.title)
                        on:click=move |_| current.set(index)>
                        {section.id}
                    </button>
                }
            }).collect_view()}
        </nav>
    }
}
