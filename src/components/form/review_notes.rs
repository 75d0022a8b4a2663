//! The district's decision on a household, on its form (issue #20): at the top, what was
//! decided, by whom, when and why, with each field note jumping to its field; beside a
//! field or member row, the note about it, while the household waits for its correction.

use super::issue_summary::focus_later;
use super::{input_id, FormCtx, RowAt};
use crate::components::{tr, tr_message};
use crate::route::Route;
use leptos::prelude::*;
use verval_core::form::Form;
use verval_core::review::book::Standing;
use verval_core::review::feed::ReviewMessage;
use verval_core::review::FieldNote;
use verval_core::text::Message;
use verval_core::{Lang, RecordId, Text, Timestamp};

/// Where a note points: the field's label and, for a member row, which member.
fn place(form: &Form, note: &FieldNote, lang: Lang) -> String {
    let label = form
        .question_named(&note.field)
        .map(|(_, q)| q.label.get(lang).to_owned())
        .unwrap_or_else(|| note.field.clone());
    match &note.row {
        Some(row) => {
            let member = Text::new("baris", "row").get(lang);
            format!("{label} ({member} {})", row.position)
        }
        None => label,
    }
}

/// The top of a household's form once the district decided on it.
#[component]
pub fn ReviewBanner(
    form: &'static Form,
    review: ReviewMessage,
    standing: Signal<Standing>,
    lang: Signal<Lang>,
    utc_offset_minutes: i32,
    current: RwSignal<usize>,
    open_row: RwSignal<Option<RowAt>>,
) -> impl IntoView {
    let when = Timestamp(review.at).format_local(utc_offset_minutes);
    let who = Message::new(
        format!(
            "oleh {} · {when} · untuk revisi {}",
            review.reviewer, review.revision
        ),
        format!(
            "by {} · {when} · on revision {}",
            review.reviewer, review.revision
        ),
    );
    let class = move || match standing.get() {
        Standing::SentBack => "review-banner notice notice-warning",
        Standing::Rejected { .. } => "review-banner notice notice-error",
        Standing::Corrected | Standing::Approved => "review-banner notice notice-ok",
    };
    let duplicate = review.duplicate_of.clone().map(|other| {
        let text = Message::new(
            format!(
                "Data ganda dari keluarga {}: keluarga itu yang dipakai, jadi data ini tidak bisa diubah lagi.",
                other.name
            ),
            format!(
                "A duplicate of the family of {}: that family's record counts, so this one can no longer be changed.",
                other.name
            ),
        );
        let link = RecordId::parse(&other.record_id)
            .ok()
            .map(|id| view! { " " <a href=Route::Household(id).href()>{tr(lang, Text::new("Buka keluarga itu", "Open that family"))}</a> });
        view! { <p data-testid="review-duplicate" data-record=other.record_id.clone()>{tr_message(lang, text)}{link}</p> }
    });
    let note = review.note.clone();
    let no_field_notes = review.fields.is_empty();
    view! {
        <div class=class role="status" data-testid="review-banner" data-decision=review.decision.code()
            data-standing=move || standing.get().code()>
            <p>
                <strong>{tr(lang, Text::new("Tinjauan kabupaten", "District review"))}": "</strong>
                <span data-testid="review-standing">{move || standing.get().label().get(lang.get())}</span>
            </p>
            <p class="muted">{tr_message(lang, who)}</p>
            {(!note.is_empty()).then(|| view! { <p class="review-note" data-testid="review-note">{note}</p> })}
            {duplicate}
            <ul hidden=no_field_notes>
                {review.fields.into_iter().map(|note| {
                    let field = form.question_named(&note.field).map(|(_, q)| q.id);
                    let section = field.and_then(|f| form.section_of(f));
                    let at = note.row.as_ref().zip(field).and_then(|(row, _)| {
                        form.repeat_named(&row.repeat).map(|r| RowAt { repeat: r.id, key: row.key })
                    });
                    let jump = move |_| {
                        if let Some(section) = section {
                            current.set(section);
                        }
                        if let Some(at) = at {
                            open_row.set(Some(at));
                        }
                        if let Some(field) = field {
                            focus_later(input_id(field, at));
                        }
                    };
                    let text = {
                        let note = note.clone();
                        move || format!("{}: {}", place(form, &note, lang.get()), note.note)
                    };
                    view! {
                        <li><button type="button" class="link" data-testid="review-field-link" data-field=note.field.clone()
                            on:click=jump>{text}</button></li>
                    }
                }).collect_view()}
            </ul>
        </div>
    }
}

/// The district's notes on one field (in one row), beside it.
#[component]
pub fn FieldReviewNotes(field: &'static str, at: Option<RowAt>, ctx: FormCtx) -> impl IntoView {
    let notes = move || {
        ctx.review_notes.with(|all| {
            all.iter()
                .filter(|n| {
                    n.field == field
                        && n.row.as_ref().map(|r| (r.repeat.as_str(), r.key))
                            == at.map(|a| (a.repeat.as_str(), a.key))
                })
                .map(|n| n.note.clone())
                .collect::<Vec<_>>()
        })
    };
    let lang = ctx.lang;
    move || {
        notes().into_iter().map(|note| view! {
            <p class="review-note notice notice-warning" data-testid="field-review-note" data-field=field>
                <strong>{tr(lang, Text::new("Catatan kabupaten", "District's note"))}": "</strong>{note}
            </p>
        }).collect_view()
    }
}
