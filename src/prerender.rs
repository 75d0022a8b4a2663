//! The form page's first screen drawn by `keluarga.html` itself, before the app has started:
//! a new household's section A, written into the page from the app's own markup by
//! `scripts/prerender.mjs`. On a cheap phone the module takes most of a second to compile and
//! the database to open; the enumerator can start typing meanwhile. The app takes the screen
//! over when it mounts: whatever was typed or chosen there becomes the new household's first
//! answers (saved at once), and the focus and caret move to the same field of the app's form.
//!
//! The page removes the screen itself when it is not a new household's or not in Bahasa
//! Indonesia (the inline script after it in `keluarga.html`).

use std::cell::RefCell;
use verval_core::form::{Form, Kind};
use verval_core::record::HouseholdRecord;
use verval_core::{RecordId, Timestamp};
use wasm_bindgen::{JsCast, JsValue};

/// The element holding the prerendered screen.
const SCREEN_ID: &str = "prerender";

/// Where the enumerator was on the prerendered screen.
#[derive(Clone, Debug, PartialEq)]
pub struct Focus {
    name: String,
    /// The option's code, for a radio button or checkbox.
    value: Option<String>,
    /// Caret and selection in a text field.
    selection: Option<(u32, u32)>,
}

/// What a new household took from the prerendered screen.
#[derive(Clone, Debug, PartialEq)]
pub struct Handed {
    /// Whether any answer was typed or chosen there (the household then needs saving).
    pub answered: bool,
    /// Where the enumerator's focus was.
    pub focus: Option<Focus>,
}

/// What was on the prerendered screen when the app took it over.
#[derive(Debug, Default)]
struct Typed {
    /// The id the screen gave the new household when something was typed (its journal
    /// entry's, `keluarga.html`).
    id: Option<RecordId>,
    answers: Vec<(String, String)>,
    focus: Option<Focus>,
}

thread_local! {
    /// Handed from [`take`] (when the app mounts) to [`adopt`] (when the new household is
    /// made, in the same task): consumed once.
    static TAKEN: RefCell<Option<Typed>> = const { RefCell::new(None) };
}

fn get(target: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// Removes the prerendered screen from the page and keeps what was typed on it for
/// [`adopt`]. Does nothing when the screen is not there (already taken, or removed by the
/// page). Call it in the task that mounts the app, so that no frame is drawn with neither
/// the screen nor the app's form.
pub fn take() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(screen) = document.get_element_by_id(SCREEN_ID) else {
        return;
    };
    let mut typed = Typed {
        id: record_id(&screen),
        ..Typed::default()
    };
    if let Ok(fields) = screen.query_selector_all("[name]") {
        for index in 0..fields.length() {
            let Some(field) = fields.item(index) else {
                continue;
            };
            let field: JsValue = field.into();
            let (Some(name), kind) = (get(&field, "name").as_string(), get(&field, "type").as_string())
            else {
                continue;
            };
            let value = get(&field, "value").as_string().unwrap_or_default();
            let chosen = match kind.as_deref() {
                Some("radio" | "checkbox") => get(&field, "checked").is_truthy(),
                // A picked file cannot be carried over; the photo is taken again in the app.
                Some("file") => false,
                _ => !value.trim().is_empty(),
            };
            if chosen {
                typed.answers.push((name, value));
            }
        }
    }
    let active: Option<JsValue> = document.active_element().map(Into::into);
    if let Some(active) = active.filter(|a| screen.contains(a.dyn_ref::<web_sys::Node>())) {
        let number = |key| get(&active, key).as_f64().map(|n| n as u32);
        typed.focus = get(&active, "name").as_string().map(|name| Focus {
            name,
            value: matches!(
                get(&active, "type").as_string().as_deref(),
                Some("radio" | "checkbox")
            )
            .then(|| get(&active, "value").as_string())
            .flatten(),
            selection: number("selectionStart").zip(number("selectionEnd")),
        });
    }
    screen.remove();
    TAKEN.with(|taken| *taken.borrow_mut() = Some(typed));
}

/// The id the prerendered screen gave what was typed on it (`data-record-id`, made by the
/// page's script at the first keystroke), if it is a valid one.
fn record_id(screen: &web_sys::Element) -> Option<RecordId> {
    RecordId::parse(&screen.get_attribute("data-record-id")?).ok()
}

/// The id of the new household typed on this page's prerendered screen, while the screen
/// is still there: the journal's replay at start leaves that one to the form.
pub fn live_id() -> Option<RecordId> {
    let document = web_sys::window()?.document()?;
    record_id(&document.get_element_by_id(SCREEN_ID)?)
}

/// The id a new household must have to be the one typed on the prerendered screen (its
/// journal entry's), once [`take`] took the screen over.
pub fn taken_id() -> Option<RecordId> {
    TAKEN.with(|taken| taken.borrow().as_ref().and_then(|t| t.id.clone()))
}

/// Gives a new household the answers typed on the prerendered screen; `None` when there was
/// no such screen (or it was already adopted). Only the family's own questions are taken.
pub fn adopt(form: &Form, record: &mut HouseholdRecord, now: Timestamp) -> Option<Handed> {
    let typed = TAKEN.with(|taken| taken.borrow_mut().take())?;
    let mut answered = false;
    for (name, value) in merged(&typed.answers) {
        let question = form
            .questions()
            .find(|(repeat, q)| repeat.is_none() && q.id.as_str() == name)
            .map(|(_, q)| q);
        let Some(question) = question else {
            continue;
        };
        if matches!(
            question.kind,
            Kind::Photo | Kind::Drawing | Kind::Calculate { .. } | Kind::Note | Kind::Geopoint
        ) {
            continue;
        }
        answered |= record.set_answer(question.id, &value, now);
    }
    Some(Handed {
        answered,
        focus: typed.focus,
    })
}

/// One answer per field: the checked boxes of a multiple choice become its codes, space
/// separated, as the form stores them.
fn merged(answers: &[(String, String)]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (name, value) in answers {
        match out.iter_mut().find(|(n, _)| n == name) {
            Some((_, codes)) => {
                codes.push(' ');
                codes.push_str(value);
            }
            None => out.push((name.clone(), value.clone())),
        }
    }
    out
}

/// Puts the focus (and the caret) back where the enumerator was, in the app's form.
pub fn restore(focus: &Focus) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let selector = match &focus.value {
        Some(value) => format!("form [name=\"{}\"][value=\"{}\"]", focus.name, value),
        None => format!("form [name=\"{}\"]", focus.name),
    };
    let Ok(Some(field)) = document.query_selector(&selector) else {
        return;
    };
    let Ok(field) = field.dyn_into::<web_sys::HtmlElement>() else {
        return;
    };
    let _ = field.focus();
    if let Some((start, end)) = focus.selection {
        let field: JsValue = field.into();
        if let Ok(set) = get(&field, "setSelectionRange").dyn_into::<js_sys::Function>() {
            let _ = set.call2(&field, &start.into(), &end.into());
        }
    }
}
