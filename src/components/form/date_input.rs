//! Dates: the phone's date picker (both forms draw it), or for the household form's birth
//! dates three parts where day and month may be "tidak tahu" (98), as Regsosek asks.

use super::shell::Wiring;
use super::{described_by, FormCtx, RowAt};
use crate::components::tr;
use leptos::prelude::*;
use verval_core::form::Question;
use verval_core::Text;

/// A whole date from the phone's date picker, stored as `YYYY-MM-DD`.
pub fn date_input(wiring: Wiring) -> AnyView {
    let set = wiring.set;
    view! {
        <input id=wiring.id name=wiring.name type="date" readonly=wiring.read_only
            aria-describedby=wiring.described_by aria-invalid=wiring.invalid
            prop:value=wiring.value on:change=move |ev| set(event_target_value(&ev))/>
    }
    .into_any()
}

const UNKNOWN: &str = "98";

/// Day, month and year; the answer is written once all three are chosen.
#[component]
pub fn PartialDateInput(
    question: &'static Question,
    at: Option<RowAt>,
    ctx: FormCtx,
    id: String,
) -> impl IntoView {
    let q = question;
    let lang = ctx.lang;
    let stored = ctx.value(at, q.id);
    let mut parts = stored.splitn(3, '-');
    let year = RwSignal::new(parts.next().unwrap_or("").to_owned());
    let month = RwSignal::new(parts.next().unwrap_or("").to_owned());
    let day = RwSignal::new(parts.next().unwrap_or("").to_owned());
    let write = move || {
        let (y, m, d) = (year.get_untracked(), month.get_untracked(), day.get_untracked());
        if y.len() == 4 && !m.is_empty() && !d.is_empty() {
            ctx.set(at, q.id, format!("{y}-{m}-{d}"));
        }
    };
    // Follow the stored answer when it changes from elsewhere (another row opened).
    Effect::new(move |_| {
        let stored = ctx.value(at, q.id);
        let mut parts = stored.splitn(3, '-');
        if let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) {
            year.set(y.to_owned());
            month.set(m.to_owned());
            day.set(d.to_owned());
        }
    });
    let disabled = move || !ctx.editable.get();
    let unknown = tr(lang, Text::new("Tidak tahu", "Do not know"));
    view! {
        <div class="date-parts" role="group" aria-labelledby=format!("{id}-label")
            aria-describedby=described_by(q, &id)>
            <label class="part">
                <span>{tr(lang, Text::new("Tgl", "Day"))}</span>
                <select id=id.clone() name=format!("{}_hari", q.id) disabled=disabled aria-invalid=ctx.invalid(at, q.id) prop:value=move || day.get()
                    on:change=move |ev| { day.set(event_target_value(&ev)); write(); }>
                    <option value="">"–"</option>
                    {(1..=31).map(|d| { let v = format!("{d:02}"); view! { <option value=v.clone()>{v.clone()}</option> } }).collect_view()}
                    <option value=UNKNOWN>{unknown}</option>
                </select>
            </label>
            <label class="part">
                <span>{tr(lang, Text::new("Bln", "Month"))}</span>
                <select name=format!("{}_bulan", q.id) disabled=disabled prop:value=move || month.get()
                    on:change=move |ev| { month.set(event_target_value(&ev)); write(); }>
                    <option value="">"–"</option>
                    {(1..=12).map(|m| { let v = format!("{m:02}"); view! { <option value=v.clone()>{v.clone()}</option> } }).collect_view()}
                    <option value=UNKNOWN>{unknown}</option>
                </select>
            </label>
            <label class="part">
                <span>{tr(lang, Text::new("Tahun", "Year"))}</span>
                <input name=q.id.as_str() type="text" inputmode="numeric" maxlength="4" autocomplete="off"
                    readonly=disabled prop:value=move || year.get()
                    on:input=move |ev| { year.set(event_target_value(&ev)); write(); }/>
            </label>
        </div>
    }
}
