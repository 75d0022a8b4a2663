//! Text and number questions: one input, the phone keyboard chosen by what the answer holds.

use super::{described_by, FormCtx, RowAt};
use leptos::prelude::*;
use verval_core::decimal::{ungrouped_decimal, ungrouped_whole};
use verval_core::form::derive::calculated_now;
use verval_core::form::{Kind, Question, TextFormat};

#[component]
pub fn TextInput(question: &'static Question, at: Option<RowAt>, ctx: FormCtx, id: String) -> impl IntoView {
    let q = question;
    // Digits-only answers (KK, NIK, RT, counts) get the numeric keyboard and keep leading
    // zeros; decimals get one with a separator; names are typed in capitals as on the card.
    let (inputmode, max_len, capitals, long) = match q.kind {
        Kind::Text { max_len, format, .. } => match format {
            TextFormat::Free => ("text", max_len, false, max_len > 120),
            TextFormat::Name => ("text", max_len, true, false),
            TextFormat::Digits { .. } | TextFormat::Kk | TextFormat::Nik => {
                ("numeric", max_len, false, false)
            }
        },
        Kind::Decimal { .. } => ("decimal", 12, false, false),
        _ => ("numeric", 12, false, false),
    };
    let value = move || ctx.value(at, q.id);
    // A visit opened from the campaign keeps what the list gave it (the list's id).
    let listed = move || q.locked_when_listed && ctx.record.with(|r| r.prelist.is_some());
    // Read-only only while the calculation gives the answer: an age is typed while the
    // birth date is incomplete (not frozen after its first digit).
    let calculated = move || ctx.read(at, |scope| calculated_now(q, scope)).unwrap_or(false);
    let readonly = move || !ctx.editable.get() || calculated() || listed();
    let ungroup: fn(&str) -> Option<String> = match q.kind {
        Kind::Integer { .. } => ungrouped_whole,
        Kind::Decimal { .. } => ungrouped_decimal,
        _ => |_| None,
    };
    let on_input = move |ev: leptos::ev::Event| {
        let text: String = event_target_value(&ev)
            .chars()
            .take(usize::from(max_len))
            .collect();
        ctx.set(at, q.id, text);
    };
    // "300.000" and "1.250,5", as Indonesians write numbers, are kept as 300000 and 1250,5
    // once typed (not while typing: "1.250" on the way to "1.250.000" is not yet the number).
    let on_change = move |ev: leptos::ev::Event| {
        if let Some(number) = ungroup(&event_target_value(&ev)) {
            ctx.set(at, q.id, number);
        }
    };
    let described = described_by(q, &id);
    let invalid = ctx.invalid(at, q.id);
    if long {
        view! {
            <textarea id=id name=q.id.as_str() rows="3" maxlength=max_len readonly=readonly
                aria-describedby=described aria-invalid=invalid
                prop:value=value on:input=on_input on:change=on_change></textarea>
        }
        .into_any()
    } else {
        view! {
            <input id=id name=q.id.as_str() type="text" inputmode=inputmode maxlength=max_len
                autocomplete="off" autocapitalize=if capitals { "characters" } else { "off" }
                aria-describedby=described aria-invalid=invalid readonly=readonly prop:value=value on:input=on_input on:change=on_change/>
        }
        .into_any()
    }
}
