//! The district form's adapter to the form renderer: which of the renderer's inputs each
//! XLSForm field type is (text, numbers, dates, choices as radios, boxes to tick or a
//! drop-down, a location, a photo from the camera, a signature or drawing on the pad), and
//! what its choices, tidying and stored location are.

use super::field::{label_text, DataCtx};
use super::host::BrowserHost;
use crate::components::form::{
    self as form, as_typed, calculated, choice_buttons, choice_option, date_input, drawing_pad,
    geopoint_input, photo_picker, remembered, text_input, ChoiceShape, DrawingFormat, PhotoSlot, TextShape,
    Wiring,
};
use crate::context::use_images;
use leptos::prelude::*;
use std::rc::Rc;
use verval_core::choices::{is_chosen, ticked};
use verval_core::dataform::{self, At};
use verval_core::decimal::ungrouped_whole;
use verval_core::xlsform::{Field, FieldType, Label};
use verval_core::Text;

/// The input of a field's type, wired by [`super::field`].
/// `at`: where the field is answered.
pub(super) fn control(field: &Field, wiring: Wiring, at: At, ctx: DataCtx) -> AnyView {
    let lang = ctx.lang;
    match field.kind {
        FieldType::Text | FieldType::Integer | FieldType::Decimal => {
            let shape = TextShape {
                inputmode: match field.kind {
                    FieldType::Integer => "numeric",
                    FieldType::Decimal => "decimal",
                    _ => "text",
                },
                max_len: None,
                // Free text starts its sentences with a capital, as the keyboard offers.
                autocapitalize: match field.kind {
                    FieldType::Text => "sentences",
                    _ => "off",
                },
                multiline: field.kind == FieldType::Text && field.appearance.contains("multiline"),
                // "1.500" typed as Indonesians group thousands is the whole number 1500; a
                // decimal keeps what is typed (the engine reads "1.5", not "1,5").
                tidy: match field.kind {
                    FieldType::Integer => ungrouped_whole,
                    _ => as_typed,
                },
            };
            text_input(wiring, shape)
        }
        FieldType::Date => date_input(wiring),
        FieldType::SelectOne | FieldType::SelectMultiple => choices(field, remembered(wiring), at, ctx),
        FieldType::Note => ().into_any(),
        FieldType::Calculate => calculated(wiring, str::to_owned),
        FieldType::Geopoint => geopoint_input(wiring, odk_point, odk_shown, lang),
        FieldType::Image => {
            let (set, read_only) = (wiring.set, wiring.read_only);
            let answer = PhotoSlot {
                key: wiring.value,
                set: Rc::new(move |key| set(key)),
                editable: Signal::derive(move || !read_only.get()),
                writing: ctx.writing,
                revision: Signal::derive(move || ctx.record.with(|r| r.revision)),
                lang,
            };
            if dataform::drawn_on_pad(field) {
                // Stored as JPEG, as the form's photos: one path rule in its batches.
                drawing_pad(answer, wiring.id, DrawingFormat::Jpeg, use_images()).into_any()
            } else {
                let (id, name, described_by) = (wiring.id, wiring.name, wiring.described_by);
                photo_picker(answer, id, name, described_by, wiring.invalid, use_images()).into_any()
            }
        }
    }
}

/// ODK's `latitude longitude altitude accuracy` from the phone's `latitude longitude
/// accuracy`: the altitude is unknown.
fn odk_point(found: String) -> String {
    match found.split_whitespace().collect::<Vec<_>>()[..] {
        [lat, lon, accuracy] => format!("{lat} {lon} 0 {accuracy}"),
        _ => found,
    }
}

/// An ODK geopoint as read: `latitude, longitude (± accuracy m)` from `latitude longitude
/// altitude accuracy`; without an accuracy (`latitude longitude [altitude]`, a default or an
/// older answer), the place alone.
fn odk_shown(value: &str) -> String {
    match value.split_whitespace().collect::<Vec<_>>()[..] {
        [lat, lon, _, accuracy] => format!("{lat}, {lon} (± {accuracy} m)"),
        [lat, lon] | [lat, lon, _] => format!("{lat}, {lon}"),
        _ => "–".to_owned(),
    }
}

/// Whether a select is a drop-down (`minimal`, one answer) rather than radios or checkboxes:
/// its label then names the one input.
pub(super) fn drop_down(field: &Field) -> bool {
    field.kind == FieldType::SelectOne && field.appearance.contains("minimal")
}

/// A select's choices: radios or checkboxes, or a drop-down for `minimal`; only what its
/// choice filter leaves, as the answers so far decide.
fn choices(field: &Field, wiring: Wiring, at: At, ctx: DataCtx) -> AnyView {
    let name = field.name.clone();
    let lang = ctx.lang;
    let offered = Memo::new(move |_| {
        ctx.record.with(|r| {
            ctx.form.with_value(|f| {
                f.choices(r, &BrowserHost, &name, at)
                    .into_iter()
                    .map(|c| (c.name.clone(), c.label.clone()))
                    .collect::<Vec<(String, Label)>>()
            })
        })
    });
    if drop_down(field) {
        let options = move || {
            offered
                .get()
                .into_iter()
                .map(|(code, label)| view! { <option value=code>{label_text(&label, lang.get())}</option> })
                .collect_view()
        };
        return form::drop_down(wiring, Text::new("– pilih –", "– choose –"), lang, options);
    }
    let multiple = field.kind == FieldType::SelectMultiple;
    // Radios of one question in several rows would be one group by name: a row's radios
    // are named by their row (`<name>-<key>`, the input's id), the record's by the field.
    let group = if multiple {
        wiring.name.clone()
    } else {
        wiring.id.clone()
    };
    let (value, read_only, set) = (wiring.value, wiring.read_only, wiring.set.clone());
    let options = move || {
        offered.with(|list| {
            list.iter()
                .map(|(code, label)| {
                    let set = set.clone();
                    let chosen = {
                        let code = code.clone();
                        move || value.with(|v| is_chosen(v, &code, multiple))
                    };
                    let on_change = {
                        let code = code.clone();
                        move |on: bool| {
                            let next = match multiple {
                                false => code.clone(),
                                true => offered.with_untracked(|list| {
                                    let order: Vec<&str> = list.iter().map(|(c, _)| c.as_str()).collect();
                                    value.with_untracked(|v| ticked(v, &code, on, &[], &order))
                                }),
                            };
                            set(next);
                        }
                    };
                    let label = label.clone();
                    let label = move || label_text(&label, lang.get());
                    choice_option(
                        multiple,
                        group.clone(),
                        code.clone(),
                        label,
                        chosen,
                        read_only,
                        on_change,
                    )
                })
                .collect_view()
        })
    };
    // An answer that may stay empty can be taken back (`required` is `true()` when always).
    let clearable = !multiple && field.required.trim() != "true()";
    choice_buttons(wiring, ChoiceShape { multiple, clearable }, lang, options)
}
