//! One question: its label, the input for its kind, its hint and its issues. Hidden (never
//! removed, so nothing typed is lost) while skip logic says it is not asked.

use super::choice::{Checkboxes, ChoiceList, RowChoice};
use super::date_input::{DateInput, PartialDateInput};
use super::drawing::DrawingInput;
use super::geopoint::GeopointInput;
use super::photo::PhotoInput;
use super::region::RegionSelect;
use super::review_notes::FieldReviewNotes;
use super::text_input::TextInput;
use super::{input_id, FormCtx, RowAt};
use crate::components::tr;
use leptos::prelude::*;
use verval_core::form::validate::is_relevant;
use verval_core::form::{Kind, Question};
use verval_core::Severity;

#[component]
pub fn QuestionView(question: &'static Question, at: Option<RowAt>, ctx: FormCtx) -> impl IntoView {
    let q = question;
    let relevant = Memo::new(move |_| ctx.read(at, |scope| is_relevant(q, scope)).unwrap_or(false));
    let issues = Memo::new(move |_| ctx.issues_of(at, q.id));
    let has_error = move || issues.with(|list| list.iter().any(|i| i.severity == Severity::Error));
    let id = input_id(q.id, at);
    let lang = ctx.lang;
    let control = match &q.kind {
        Kind::Text { .. } | Kind::Integer { .. } | Kind::Decimal { .. } => {
            view! { <TextInput question=q at ctx id=id.clone()/> }.into_any()
        }
        Kind::Date {
            unknown_parts: false, ..
        } => view! { <DateInput question=q at ctx id=id.clone()/> }.into_any(),
        Kind::Date {
            unknown_parts: true, ..
        } => view! { <PartialDateInput question=q at ctx id=id.clone()/> }.into_any(),
        Kind::SelectOne(choices) => {
            view! { <ChoiceList question=q choices at ctx id=id.clone()/> }.into_any()
        }
        Kind::SelectMultiple { choices, .. } => {
            view! { <Checkboxes question=q choices at ctx id=id.clone()/> }.into_any()
        }
        Kind::RowOf(repeat) => {
            view! { <RowChoice question=q repeat=*repeat at ctx id=id.clone()/> }.into_any()
        }
        Kind::Region(level) => {
            view! { <RegionSelect question=q level=*level at ctx id=id.clone()/> }.into_any()
        }
        Kind::Geopoint => view! { <GeopointInput question=q at ctx id=id.clone()/> }.into_any(),
        Kind::Calculate { .. } => {
            // A derived code reads as its label ("Ya", not "1").
            let value = move || {
                let v = ctx.value(at, q.id);
                if v.is_empty() {
                    return "–".to_owned();
                }
                let labels: Vec<&str> = v
                    .split_whitespace()
                    .map(|code| q.choice_label(code).map_or(code, |l| l.get(lang.get())))
                    .collect();
                labels.join(", ")
            };
            view! { <output id=id.clone() name=q.id.as_str() class="calculated">{value}</output> }.into_any()
        }
        Kind::Photo => view! { <PhotoInput question=q at ctx id=id.clone()/> }.into_any(),
        Kind::Drawing => view! { <DrawingInput question=q at ctx id=id.clone()/> }.into_any(),
        Kind::Note => ().into_any(),
    };
    // Choice lists label each option; the question text is then the group's legend.
    let grouped = matches!(q.kind, Kind::SelectMultiple { .. })
        || matches!(q.kind, Kind::SelectOne(c) if c.len() <= super::choice::RADIO_MAX);
    let label = if grouped {
        view! { <span class="label" id=format!("{id}-label")>{tr(lang, q.label)}</span> }.into_any()
    } else {
        view! { <label for=id.clone() id=format!("{id}-label")>{tr(lang, q.label)}</label> }.into_any()
    };
    let testid = match at {
        None => format!("issues-{}", q.id),
        Some(at) => format!("issues-{}-{}", q.id, at.key),
    };
    view! {
        <div class="field" class:field-error=has_error hidden=move || !relevant.get() data-field=q.id.as_str()>
            {label}
            {control}
            {q.hint.map(|hint| view! { <p class="hint" id=format!("{id}-hint")>{tr(lang, hint)}</p> })}
            {q.offer.map(|offer| {
                let fills = move || ctx.read(at, |scope| (offer.fills)(scope)).unwrap_or_default();
                view! {
                    <button type="button" class="button button-secondary" data-testid=format!("offer-{}", q.id)
                        hidden=move || fills().is_empty() || !ctx.editable.get()
                        on:click=move |_| fills().into_iter().for_each(|(field, value)| ctx.set(at, field, value))>
                        {tr(lang, offer.label)}
                    </button>
                }
            })}
            <FieldReviewNotes field=q.id.as_str() at ctx/>
            <ul class="issues" id=format!("{id}-issues") data-testid=testid>
                {move || issues.get().into_iter().map(|issue| {
                    let class = match issue.severity {
                        Severity::Error => "issue issue-error",
                        Severity::Warning => "issue issue-warning",
                    };
                    view! { <li class=class>{issue.message.get(lang.get()).to_owned()}</li> }
                }).collect_view()}
            </ul>
        </div>
    }
}
