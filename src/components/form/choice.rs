//! Answer lists, for both forms: a few codes as radio buttons (one tap), several answers as
//! boxes to tick, long lists as a drop-down. The household form's adapters are here too: a
//! lone answer as a box to tick, and a member of the family chosen by name.

use super::shell::Wiring;
use super::{FormCtx, RowAt};
use crate::components::tr;
use leptos::prelude::*;
use verval_core::choices::{is_chosen, ticked};
use verval_core::form::{Choice, Kind, Question, Required};
use verval_core::{FieldId, Lang, Text};

/// Up to this many codes show as radio buttons; more as a drop-down.
pub const RADIO_MAX: usize = 6;

/// `wiring` with its answer kept in a memo: a list's every radio button or option follows
/// the answer, not every change of the record.
pub fn remembered(wiring: Wiring) -> Wiring {
    let value = wiring.value;
    Wiring {
        value: Memo::new(move |_| value.get()).into(),
        ..wiring
    }
}

/// A drop-down of `options` (`<option>` elements), after a first empty one saying `prompt`.
pub fn drop_down<O: IntoView + 'static>(
    wiring: Wiring,
    prompt: Text,
    lang: Signal<Lang>,
    options: O,
) -> AnyView {
    let set = wiring.set;
    view! {
        <select id=wiring.id name=wiring.name disabled=wiring.read_only prop:value=wiring.value
            aria-describedby=wiring.described_by aria-invalid=wiring.invalid
            on:change=move |ev| set(event_target_value(&ev))>
            <option value="">{tr(lang, prompt)}</option>
            {options}
        </select>
    }
    .into_any()
}

/// How a question's answers are offered as buttons.
pub struct ChoiceShape {
    /// Several answers (boxes to tick), one otherwise (radio buttons).
    pub multiple: bool,
    /// One answer that may stay empty can be taken back: a radio button cannot be unchosen
    /// by tapping it again.
    pub clearable: bool,
}

/// The radio buttons or boxes of a question around `options` (each a [`choice_option`]),
/// and the button taking a chosen answer back.
pub fn choice_buttons<O: IntoView + 'static>(
    wiring: Wiring,
    shape: ChoiceShape,
    lang: Signal<Lang>,
    options: O,
) -> AnyView {
    let (value, read_only, set) = (wiring.value, wiring.read_only, wiring.set);
    let role = if shape.multiple { "group" } else { "radiogroup" };
    let labelled_by = format!("{}-label", wiring.id);
    view! {
        <div class="choices" role=role id=wiring.id aria-labelledby=labelled_by
            aria-describedby=wiring.described_by aria-invalid=wiring.invalid>
            {options}
        </div>
        {shape.clearable.then(|| view! {
            <button type="button" class="link clear-choice" data-testid="clear-choice"
                hidden=move || read_only.get() || value.with(String::is_empty)
                on:click=move |_| set(String::new())>
                {tr(lang, Text::new("Kosongkan pilihan", "Clear the choice"))}
            </button>
        })}
    }
    .into_any()
}

/// One answer: a radio button (or a box to tick, `multiple`) inside its label, its inputs
/// sharing the `group` name. Locked by refusing the tap, so a locked answer still reads as
/// an answer (not greyed out) on a finalized record. `on_change` gets whether it is now
/// chosen.
pub fn choice_option<L: IntoView + 'static>(
    multiple: bool,
    group: String,
    code: String,
    label: L,
    chosen: impl Fn() -> bool + Send + Sync + 'static,
    read_only: Signal<bool>,
    on_change: impl Fn(bool) + 'static,
) -> impl IntoView {
    view! {
        <label class="choice">
            <input type=if multiple { "checkbox" } else { "radio" } name=group value=code
                aria-disabled=move || read_only.get().to_string()
                prop:checked=chosen
                on:click=move |ev| if read_only.get_untracked() { ev.prevent_default() }
                on:change=move |ev| on_change(event_target_checked(&ev))/>
            <span>{label}</span>
        </label>
    }
}

/// The household form's select-one question: radio buttons, a box to tick for a lone
/// answer, or a drop-down for a long list.
pub(super) fn choice_list(
    q: &'static Question,
    choices: &'static [Choice],
    wiring: Wiring,
    lang: Signal<Lang>,
) -> AnyView {
    if choices.len() > RADIO_MAX {
        let options = choices
            .iter()
            .map(|c| view! { <option value=c.code>{tr(lang, c.label)}</option> })
            .collect_view();
        return drop_down(wiring, Text::new("– pilih –", "– choose –"), lang, options);
    }
    // One answer only ("Belum/tidak memiliki NIK": Ya): a box to tick and untick — a lone
    // radio button cannot be taken back; a chosen radio can, by the clear button, on a
    // question that may stay empty.
    let lone = choices.len() == 1;
    let clearable = !lone && !matches!(q.required, Required::Yes);
    buttons(q, choices, wiring, lang, Answers::One { lone, clearable })
}

/// The household form's select-multiple question: boxes to tick.
pub(super) fn checkboxes(
    q: &'static Question,
    choices: &'static [Choice],
    wiring: Wiring,
    lang: Signal<Lang>,
) -> AnyView {
    let exclusive: &'static [&'static str] = match q.kind {
        Kind::SelectMultiple { exclusive, .. } => exclusive,
        _ => &[],
    };
    buttons(q, choices, wiring, lang, Answers::Several { exclusive })
}

/// What a household question's buttons answer.
#[derive(Clone, Copy)]
enum Answers {
    /// One code: radio buttons (`clearable` with the button taking it back), or a box to
    /// tick when the list has one code (`lone`).
    One { lone: bool, clearable: bool },
    /// Several codes, boxes to tick; one of `exclusive` stands alone.
    Several { exclusive: &'static [&'static str] },
}

fn buttons(
    q: &'static Question,
    choices: &'static [Choice],
    wiring: Wiring,
    lang: Signal<Lang>,
    answers: Answers,
) -> AnyView {
    let (value, read_only, set) = (wiring.value, wiring.read_only, wiring.set.clone());
    let (boxes, clearable) = match answers {
        Answers::One { lone, clearable } => (lone, clearable),
        Answers::Several { .. } => (true, false),
    };
    let options = choices
        .iter()
        .map(|c| {
            let code = c.code;
            let set = set.clone();
            let on_change = move |on: bool| {
                set(match answers {
                    Answers::One { .. } => if on { code } else { "" }.to_owned(),
                    Answers::Several { exclusive } => {
                        let order: Vec<&str> = choices.iter().map(|c| c.code).collect();
                        value.with_untracked(|v| ticked(v, code, on, exclusive, &order))
                    }
                })
            };
            let several = matches!(answers, Answers::Several { .. });
            let chosen = move || value.with(|v| is_chosen(v, code, several));
            let label = tr(lang, c.label);
            let group = q.id.as_str().to_owned();
            choice_option(boxes, group, code.to_owned(), label, chosen, read_only, on_change)
        })
        .collect_view();
    let shape = ChoiceShape {
        multiple: boxes,
        clearable,
    };
    choice_buttons(wiring, shape, lang, options)
}

/// A member of the family (the aid beneficiary), stored as the member row's key.
pub(super) fn row_choice(repeat: FieldId, ctx: FormCtx, wiring: Wiring) -> AnyView {
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
    let options = move || {
        names
            .get()
            .into_iter()
            .map(|(key, name)| view! { <option value=key>{name}</option> })
            .collect_view()
    };
    let prompt = Text::new("– pilih anggota –", "– choose a member –");
    drop_down(wiring, prompt, ctx.lang, options)
}
