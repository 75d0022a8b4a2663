//! Answer lists: a few codes as radio buttons (one tap), a lone answer as a box to tick,
//! long lists as a drop-down, several answers as checkboxes, and a member of the family
//! chosen by name.

use super::{described_by, FormCtx, RowAt};
use crate::components::tr;
use leptos::prelude::*;
use verval_core::form::{Choice, Kind, Question, Required};
use verval_core::{FieldId, Text};

/// Up to this many codes show as radio buttons; more as a drop-down.
pub const RADIO_MAX: usize = 6;

#[component]
pub fn ChoiceList(
    question: &'static Question,
    choices: &'static [Choice],
    at: Option<RowAt>,
    ctx: FormCtx,
    id: String,
) -> impl IntoView {
    let q = question;
    let lang = ctx.lang;
    let value = Memo::new(move |_| ctx.value(at, q.id));
    let disabled = move || !ctx.editable.get();
    if choices.len() > RADIO_MAX {
        return view! {
            <select id=id.clone() name=q.id.as_str() disabled=disabled prop:value=move || value.get()
                aria-describedby=described_by(q, &id) aria-invalid=ctx.invalid(at, q.id)
                on:change=move |ev| ctx.set(at, q.id, event_target_value(&ev))>
                <option value="">{tr(lang, Text::new("– pilih –", "– choose –"))}</option>
                {choices.iter().map(|c| view! {
                    <option value=c.code>{tr(lang, c.label)}</option>
                }).collect_view()}
            </select>
        }
        .into_any();
    }
    // One answer only ("Belum/tidak memiliki NIK": Ya): a box to tick and untick — a lone
    // radio button cannot be taken back.
    if let [only] = choices {
        let code = only.code;
        return view! {
            <div class="choices" role="group" id=id.clone() aria-labelledby=format!("{id}-label")
                aria-describedby=described_by(q, &id)>
                <label class="choice">
                    <input type="checkbox" name=q.id.as_str() value=code aria-disabled=move || disabled().to_string()
                        prop:checked=move || value.get() == code
                        on:click=move |ev| if disabled() { ev.prevent_default() }
                        on:change=move |ev| {
                            let answer = if event_target_checked(&ev) { code } else { "" };
                            ctx.set(at, q.id, answer.to_owned());
                        }/>
                    <span>{tr(lang, only.label)}</span>
                </label>
            </div>
        }
        .into_any();
    }
    // An answer chosen by mistake on a question that may stay empty is taken back here: a
    // radio button cannot be unchosen by tapping it again.
    let clearable = !matches!(q.required, Required::Yes);
    view! {
        <div class="choices" role="radiogroup" id=id.clone() aria-labelledby=format!("{id}-label")
            aria-describedby=described_by(q, &id) aria-invalid=ctx.invalid(at, q.id)>
            {choices.iter().map(|c| {
                let code = c.code;
                view! {
                    <label class="choice">
                        // Locked by refusing the tap, so a locked answer still reads as an
                        // answer (not greyed out) on a finalized family.
                        <input type="radio" name=q.id.as_str() value=code aria-disabled=move || disabled().to_string()
                            prop:checked=move || value.get() == code
                            on:click=move |ev| if disabled() { ev.prevent_default() }
                            on:change=move |_| ctx.set(at, q.id, code.to_owned())/>
                        <span>{tr(lang, c.label)}</span>
                    </label>
                }
            }).collect_view()}
        </div>
        {clearable.then(|| view! {
            <button type="button" class="link clear-choice" data-testid="clear-choice"
                hidden=move || disabled() || value.with(String::is_empty)
                on:click=move |_| ctx.set(at, q.id, String::new())>
                {tr(lang, Text::new("Kosongkan pilihan", "Clear the choice"))}
            </button>
        })}
    }
    .into_any()
}

#[component]
pub fn Checkboxes(
    question: &'static Question,
    choices: &'static [Choice],
    at: Option<RowAt>,
    ctx: FormCtx,
    id: String,
) -> impl IntoView {
    let q = question;
    let lang = ctx.lang;
    let value = Memo::new(move |_| ctx.value(at, q.id));
    let exclusive: &'static [&'static str] = match q.kind {
        Kind::SelectMultiple { exclusive, .. } => exclusive,
        _ => &[],
    };
    let toggle = move |code: &'static str, on: bool| {
        let current = value.get_untracked();
        let mut chosen: Vec<&str> = current.split_whitespace().filter(|c| *c != code).collect();
        if on {
            // Choosing "none"/"do not know" clears the rest, and choosing anything else clears it.
            if exclusive.contains(&code) {
                chosen.clear();
            } else {
                chosen.retain(|c| !exclusive.contains(c));
            }
            chosen.push(code);
        }
        // Stored in the form's order, so one set of answers has one spelling.
        let ordered: Vec<&str> = choices
            .iter()
            .map(|c| c.code)
            .filter(|c| chosen.contains(c))
            .collect();
        ctx.set(at, q.id, ordered.join(" "));
    };
    view! {
        <div class="choices" role="group" id=id.clone() aria-labelledby=format!("{id}-label")
            aria-describedby=described_by(q, &id)>
            {choices.iter().map(|c| {
                let code = c.code;
                view! {
                    <label class="choice">
                        <input type="checkbox" name=q.id.as_str() value=code
                            aria-disabled=move || (!ctx.editable.get()).to_string()
                            on:click=move |ev| if !ctx.editable.get_untracked() { ev.prevent_default() }
                            prop:checked=move || value.with(|v| v.split_whitespace().any(|x| x == code))
                            on:change=move |ev| toggle(code, event_target_checked(&ev))/>
                        <span>{tr(lang, c.label)}</span>
                    </label>
                }
            }).collect_view()}
        </div>
    }
}

/// A member of the family (the aid beneficiary), stored as the member row's key.
#[component]
pub fn RowChoice(
    question: &'static Question,
    repeat: FieldId,
    at: Option<RowAt>,
    ctx: FormCtx,
    id: String,
) -> impl IntoView {
    let q = question;
    let lang = ctx.lang;
    let rows = ctx.form.repeat(repeat);
    let names = Memo::new(move |_| {
        let keys = ctx
            .read(None, |scope| {
                scope.rows(repeat).iter().map(|row| row.key).collect::<Vec<_>>()
            })
            .unwrap_or_default();
        keys.into_iter()
            .enumerate()
            .map(|(i, key)| {
                let title = rows
                    .map(|r| ctx.row_title(r, RowAt { repeat, key }))
                    .unwrap_or_default();
                (key.to_string(), format!("{}. {title}", i + 1))
            })
            .collect::<Vec<_>>()
    });
    view! {
        <select id=id.clone() name=q.id.as_str() disabled=move || !ctx.editable.get()
            aria-describedby=described_by(q, &id) aria-invalid=ctx.invalid(at, q.id)
            prop:value=move || ctx.value(at, q.id)
            on:change=move |ev| ctx.set(at, q.id, event_target_value(&ev))>
            <option value="">{tr(lang, Text::new("– pilih anggota –", "– choose a member –"))}</option>
            {move || names.get().into_iter().map(|(key, name)| view! { <option value=key>{name}</option> }).collect_view()}
        </select>
    }
}
