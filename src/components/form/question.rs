//! One question of the household form: the input for its kind in the frame every form's
//! questions share ([`field_shell`]), with an offer to fill it and the district's notes.

use super::choice::{checkboxes, choice_list, remembered, row_choice};
use super::date_input::{date_input, PartialDateInput};
use super::drawing::DrawingInput;
use super::geopoint::{geopoint_input, shown_point};
use super::photo::PhotoInput;
use super::region::RegionSelect;
use super::review_notes::FieldReviewNotes;
use super::shell::{self, field_shell, Shell, Wiring};
use super::text_input::{self, calculated, text_input, TextShape};
use super::{described_by, input_id, FormCtx, RowAt};
use crate::components::tr;
use leptos::prelude::*;
use std::sync::Arc;
use verval_core::form::validate::is_relevant;
use verval_core::form::{Kind, Question};

#[component]
pub fn QuestionView(question: &'static Question, at: Option<RowAt>, ctx: FormCtx) -> impl IntoView {
    let q = question;
    let lang = ctx.lang;
    let shown = Memo::new(move |_| ctx.read(at, |scope| is_relevant(q, scope)).unwrap_or(false));
    let issues = Memo::new(move |_| {
        let lang = lang.get();
        let issues = ctx.issues_of(at, q.id).into_iter();
        issues
            .map(|i| (i.severity, i.message.get(lang).to_owned()))
            .collect()
    });
    let id = input_id(q.id, at);
    let wiring = |read_only: Signal<bool>| Wiring {
        id: id.clone(),
        name: q.id.as_str().to_owned(),
        described_by: described_by(q, &id),
        invalid: shell::invalid(issues),
        // Read again on every change of the record, not a memo: a text input's box is
        // written back even when the answer stays the same (what was typed past `maxlength`
        // and cut is not left showing).
        value: Signal::derive(move || ctx.value(at, q.id)),
        read_only,
        set: Arc::new(move |value| ctx.set(at, q.id, value)),
    };
    let not_editable = Signal::derive(move || !ctx.editable.get());
    let control = match &q.kind {
        Kind::Text { .. } | Kind::Integer { .. } | Kind::Decimal { .. } => {
            text_input(wiring(text_input::read_only(q, at, ctx)), TextShape::of(q))
        }
        Kind::Date {
            unknown_parts: false, ..
        } => date_input(wiring(not_editable)),
        Kind::Date {
            unknown_parts: true, ..
        } => view! { <PartialDateInput question=q at ctx id=id.clone()/> }.into_any(),
        Kind::SelectOne(choices) => choice_list(q, choices, remembered(wiring(not_editable)), lang),
        Kind::SelectMultiple { choices, .. } => {
            checkboxes(q, choices, remembered(wiring(not_editable)), lang)
        }
        Kind::RowOf(repeat) => row_choice(*repeat, ctx, remembered(wiring(not_editable))),
        Kind::Region(level) => {
            view! { <RegionSelect question=q level=*level at ctx id=id.clone()/> }.into_any()
        }
        Kind::Geopoint => geopoint_input(wiring(not_editable), |found| found, shown_point, lang),
        Kind::Calculate { .. } => {
            // A derived code reads as its label ("Ya", not "1").
            let labels = move |v: &str| {
                let labels: Vec<&str> = v
                    .split_whitespace()
                    .map(|code| q.choice_label(code).map_or(code, |l| l.get(lang.get())))
                    .collect();
                labels.join(", ")
            };
            calculated(wiring(not_editable), labels)
        }
        Kind::Photo => view! { <PhotoInput question=q at ctx id=id.clone()/> }.into_any(),
        Kind::Drawing => view! { <DrawingInput question=q at ctx id=id.clone()/> }.into_any(),
        Kind::Note => ().into_any(),
    };
    // Choice lists label each option; the question text is then the group's legend.
    let grouped = matches!(q.kind, Kind::SelectMultiple { .. })
        || matches!(q.kind, Kind::SelectOne(c) if c.len() <= super::choice::RADIO_MAX);
    let offer = q.offer.map(|offer| {
        let fills = move || ctx.read(at, |scope| (offer.fills)(scope)).unwrap_or_default();
        view! {
            <button type="button" class="button button-secondary" data-testid=format!("offer-{}", q.id)
                hidden=move || fills().is_empty() || !ctx.editable.get()
                on:click=move |_| fills().into_iter().for_each(|(field, value)| ctx.set(at, field, value))>
                {tr(lang, offer.label)}
            </button>
        }
    });
    let below = view! {
        {offer}
        <FieldReviewNotes field=q.id.as_str() at ctx/>
    };
    let shell = Shell {
        id,
        field: q.id.as_str().to_owned(),
        row: at.map(|at| at.key),
        label: tr(lang, q.label),
        grouped,
        hint: q.hint.map(|hint| tr(lang, hint)),
        shown,
        issues,
    };
    field_shell(shell, control, below.into_any())
}
