//! A repeat (members, meters, aid): one card per row, one row open at a time so a family of
//! thirty stays as quick as a family of one; add at the end, remove with a confirmation.

use super::review_notes::FieldReviewNotes;
use super::{Edit, FormCtx, QuestionView, RowAt};
use crate::components::tr;
use leptos::prelude::*;
use verval_core::form::progress::{block_state, SectionState};
use verval_core::form::validate::is_repeat_relevant;
use verval_core::form::{Block, Question, Repeat};
use verval_core::{Severity, Text};

#[component]
pub fn RepeatView(repeat: &'static Repeat, ctx: FormCtx, open_row: RwSignal<Option<RowAt>>) -> impl IntoView {
    let r = repeat;
    let lang = ctx.lang;
    let relevant = Memo::new(move |_| {
        ctx.read(None, |family| is_repeat_relevant(r, family))
            .unwrap_or(false)
    });
    let keys = Memo::new(move |_| {
        ctx.record.with(|rec| {
            rec.repeats
                .rows(r.id)
                .iter()
                .map(|row| row.key)
                .collect::<Vec<u32>>()
        })
    });
    let full = move || keys.with(|k| k.len() >= usize::from(r.max_rows));
    let count_issues = Memo::new(move |_| {
        ctx.issues_of(None, r.id)
            .into_iter()
            .map(|i| i.message.get(lang.get()).to_owned())
            .collect::<Vec<_>>()
    });
    let add = move |_| {
        ctx.on_edit.run(Edit::AddRow(r.id));
        open_row.set(
            keys.get_untracked()
                .last()
                .map(|&key| RowAt { repeat: r.id, key }),
        );
    };
    view! {
        <section class="repeat" hidden=move || !relevant.get() data-repeat=r.id.as_str()>
            <h2>{tr(lang, r.label)}</h2>
            <FieldReviewNotes field=r.id.as_str() at=None ctx/>
            <ul class="issues" data-testid=format!("issues-{}", r.id)>
                {move || count_issues.get().into_iter().map(|m| view! { <li class="issue issue-error">{m}</li> }).collect_view()}
            </ul>
            <ol class="rows">
                {move || keys.get().into_iter().enumerate().map(|(index, key)| {
                    let at = RowAt { repeat: r.id, key };
                    let title = move || {
                        let name = ctx.row_title(r, at);
                        format!("{}. {}", index + 1, if name.is_empty() { "…".to_owned() } else { name })
                    };
                    let row_has_error = move || ctx.issues.with(|all| all.iter().any(|i| i.row.is_some_and(|w| w.key == key && w.repeat == r.id) && i.severity == Severity::Error));
                    let is_open = move || open_row.get() == Some(at);
                    let noted = move || ctx.review_notes.with(|notes| {
                        notes.iter().any(|n| n.row.as_ref().is_some_and(|w| w.key == key && w.repeat == r.id.as_str()))
                    });
                    view! {
                        <li class="row-card" class:row-error=row_has_error class:row-review=noted
                            data-testid=format!("row-{}", r.id) data-key=key data-review-note=move || noted().to_string()>
                            <button type="button" class="row-title" aria-expanded=move || is_open().to_string()
                                on:click=move |_| open_row.set(if is_open() { None } else { Some(at) })>
                                {title}
                                {move || noted().then(|| view! {
                                    " "<span class="badge badge-sent-back">{tr(lang, Text::new("catatan kabupaten", "district's note"))}</span>
                                })}
                            </button>
                            {move || is_open().then(|| view! { <RowEditor repeat=r at ctx open_row/> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
            <button type="button" class="button button-secondary" data-testid=format!("add-{}", r.id)
                disabled=move || !ctx.editable.get() || full() on:click=add>
                {tr(lang, Text::new("+ Tambah baris", "+ Add a row"))}
            </button>
        </section>
    }
}

#[component]
fn RowEditor(
    repeat: &'static Repeat,
    at: RowAt,
    ctx: FormCtx,
    open_row: RwSignal<Option<RowAt>>,
) -> impl IntoView {
    let lang = ctx.lang;
    let confirming = RwSignal::new(false);
    let remove = move |_| {
        ctx.on_edit.run(Edit::RemoveRow(at));
        open_row.set(None);
    };
    view! {
        <div class="row-editor">
            {repeat.blocks().into_iter().map(|(block, questions)| {
                let fields = questions.iter().map(|q| view! { <QuestionView question=q at=Some(at) ctx/> }).collect_view();
                match block {
                    Some(block) => row_block(block, questions, at, ctx, fields.into_any()).into_any(),
                    None => fields.into_any(),
                }
            }).collect_view()}
            <div class="row-actions">
                <button type="button" class="button button-secondary" data-testid="remove-row"
                    hidden=move || confirming.get() disabled=move || !ctx.editable.get()
                    on:click=move |_| confirming.set(true)>
                    {tr(lang, Text::new("Hapus baris ini", "Remove this row"))}
                </button>
                <span hidden=move || !confirming.get() class="confirm">
                    {tr(lang, Text::new("Yakin hapus? Isiannya ikut terhapus.", "Remove it? Its answers go too."))}
                    <button type="button" class="button button-danger" data-testid="confirm-remove-row" on:click=remove>
                        {tr(lang, Text::new("Ya, hapus", "Yes, remove"))}
                    </button>
                    <button type="button" class="button button-secondary" on:click=move |_| confirming.set(false)>
                        {tr(lang, Text::new("Batal", "Cancel"))}
                    </button>
                </span>
            </div>
        </div>
    }
}

/// One block of a row under its heading, with where it stands in words. It opens folded once
/// complete, so reopening a member shows five lines, not sixteen screens; it never folds
/// under the enumerator's fingers while they type, and a block not asked yet (a new member's
/// schooling, until they are known to live here) is hidden, then shown open.
fn row_block(
    block: &'static Block,
    questions: &'static [Question],
    at: RowAt,
    ctx: FormCtx,
    fields: AnyView,
) -> impl IntoView {
    let lang = ctx.lang;
    let state = Memo::new(move |_| {
        ctx.issues.with(|issues| {
            let of_row = issues
                .iter()
                .filter(|i| i.row.is_some_and(|r| r.key == at.key && r.repeat == at.repeat));
            ctx.read(Some(at), |row| block_state(questions, row, of_row))
                .unwrap_or(SectionState::Skipped)
        })
    });
    let folded = state.get_untracked() == SectionState::Done;
    view! {
        <details class="row-block" open=!folded hidden=move || state.get() == SectionState::Skipped
            data-testid="row-block" data-state=move || state.get().code()>
            <summary>
                {tr(lang, block.label)}
                <span class=move || format!("block-state {}", state.get().code())>
                    {move || state.get().label().get(lang.get()).to_owned()}
                </span>
            </summary>
            <div class="row-block-fields">{fields}</div>
        </details>
    }
}
