//! Text and number questions: one input (or a box of lines for long text), the phone
//! keyboard chosen by what the answer holds; and calculated answers, shown. Both forms draw
//! them here: the household form through [`TextShape::of`], a district form through its own
//! adapter.

use super::shell::Wiring;
use super::{FormCtx, RowAt};
use leptos::prelude::*;
use verval_core::decimal::{ungrouped_decimal, ungrouped_whole};
use verval_core::form::{Kind, Question, TextFormat};

/// What kind of text a question takes.
pub struct TextShape {
    /// The phone keyboard: `text`, `numeric` (digits only, leading zeros kept) or `decimal`.
    pub inputmode: &'static str,
    pub max_len: Option<u16>,
    /// The keyboard's capitals (`autocapitalize`): `characters` for names, typed as on the
    /// identity card; `sentences`; `off`.
    pub autocapitalize: &'static str,
    /// Several lines: a `<textarea>`.
    pub multiline: bool,
    /// What the answer becomes once typed (the change event), `None` to keep it as typed:
    /// "300.000", as Indonesians write money, is kept as 300000. Not while typing: "1.250"
    /// on the way to "1.250.000" is not yet the number.
    pub tidy: fn(&str) -> Option<String>,
}

/// Keeps an answer as typed.
pub fn as_typed(_: &str) -> Option<String> {
    None
}

impl TextShape {
    /// The household form's question `q`: digits-only answers (KK, NIK, RT, counts) get the
    /// numeric keyboard; decimals one with a separator; names are typed in capitals.
    pub(super) fn of(q: &Question) -> TextShape {
        let (inputmode, max_len, capitals, multiline) = match q.kind {
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
        let tidy: fn(&str) -> Option<String> = match q.kind {
            Kind::Integer { .. } => ungrouped_whole,
            Kind::Decimal { .. } => ungrouped_decimal,
            _ => as_typed,
        };
        TextShape {
            inputmode,
            max_len: Some(max_len),
            autocapitalize: if capitals { "characters" } else { "off" },
            multiline,
            tidy,
        }
    }
}

/// The household form's text or number question `q` (in row `at`): read-only while its
/// calculation gives the answer (an age is typed while the birth date is incomplete, not
/// frozen after its first digit), and where a visit opened from the campaign keeps what the
/// list gave it (the list's id).
pub(super) fn read_only(q: &'static Question, at: Option<RowAt>, ctx: FormCtx) -> Signal<bool> {
    use verval_core::form::derive::calculated_now;
    Signal::derive(move || {
        !ctx.editable.get()
            || ctx.read(at, |scope| calculated_now(q, scope)).unwrap_or(false)
            || (q.locked_when_listed && ctx.record.with(|r| r.prelist.is_some()))
    })
}

/// The input drawn.
pub fn text_input(wiring: Wiring, shape: TextShape) -> AnyView {
    let Wiring {
        id,
        name,
        described_by,
        invalid,
        value,
        read_only,
        set,
    } = wiring;
    let TextShape {
        inputmode,
        max_len,
        autocapitalize,
        multiline,
        tidy,
    } = shape;
    let set_tidy = set.clone();
    let on_input = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        set(match max_len {
            Some(max) => text.chars().take(usize::from(max)).collect(),
            None => text,
        });
    };
    let on_change = move |ev: leptos::ev::Event| {
        if let Some(tidied) = tidy(&event_target_value(&ev)) {
            set_tidy(tidied);
        }
    };
    if multiline {
        view! {
            <textarea id=id name=name rows="3" maxlength=max_len readonly=read_only
                aria-describedby=described_by aria-invalid=invalid
                prop:value=value on:input=on_input on:change=on_change></textarea>
        }
        .into_any()
    } else {
        view! {
            <input id=id name=name type="text" inputmode=inputmode maxlength=max_len
                autocomplete="off" autocapitalize=autocapitalize
                aria-describedby=described_by aria-invalid=invalid readonly=read_only prop:value=value on:input=on_input on:change=on_change/>
        }
        .into_any()
    }
}

/// A calculated answer: shown, never typed. `shown` reads a stored answer as the enumerator
/// should see it; an empty one is a dash.
pub fn calculated(wiring: Wiring, shown: impl Fn(&str) -> String + Send + Sync + 'static) -> AnyView {
    let Wiring { id, name, value, .. } = wiring;
    let text = move || value.with(|v| if v.is_empty() { "–".to_owned() } else { shown(v) });
    view! { <output id=id name=name class="calculated">{text}</output> }.into_any()
}
