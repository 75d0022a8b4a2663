//! The input of each field type of a district form: text, numbers, dates, choices (radios,
//! checkboxes or a drop-down), a location, a photo from the camera, a signature or drawing
//! on the pad. Each carries `name` = the field's name.

use super::field::{label_text, DataCtx};
use super::host::BrowserHost;
use crate::components::form::{drawing_pad, locate_once, photo_picker, DrawingFormat, PhotoSlot};
use crate::components::tr;
use crate::context::use_images;
use leptos::prelude::*;
use std::rc::Rc;
use verval_core::dataform::{self, At};
use verval_core::xlsform::{Field, FieldType, Label};
use verval_core::Text;

/// The input of a field's type.
/// `at`: where the field is answered, and its row's key in a repeat.
pub(super) fn control(
    field: &Field,
    id: String,
    (at, key): (At, Option<u32>),
    ctx: DataCtx,
    read_only: Memo<bool>,
) -> AnyView {
    let name = field.name.clone();
    let value = {
        let name = name.clone();
        move || ctx.value(&name, at)
    };
    let set = {
        let name = name.clone();
        move |text: String| ctx.set(&name, key, text)
    };
    let lang = ctx.lang;
    match field.kind {
        FieldType::Text | FieldType::Integer | FieldType::Decimal => {
            let inputmode = match field.kind {
                FieldType::Integer => "numeric",
                FieldType::Decimal => "decimal",
                _ => "text",
            };
            if field.kind == FieldType::Text && field.appearance.contains("multiline") {
                view! {
                    <textarea id=id name=name rows="3" readonly=move || read_only.get() prop:value=value
                        on:input=move |ev| set(event_target_value(&ev))></textarea>
                }
                .into_any()
            } else {
                view! {
                    <input id=id name=name type="text" inputmode=inputmode autocomplete="off"
                        readonly=move || read_only.get() prop:value=value on:input=move |ev| set(event_target_value(&ev))/>
                }
                .into_any()
            }
        }
        FieldType::Date => view! {
            <input id=id name=name type="date" readonly=move || read_only.get() prop:value=value
                on:change=move |ev| set(event_target_value(&ev))/>
        }
        .into_any(),
        FieldType::SelectOne | FieldType::SelectMultiple => choices(field, id, (at, key), ctx, read_only),
        FieldType::Note => ().into_any(),
        FieldType::Calculate => {
            view! { <output id=id name=name class="calculated">{value}</output> }.into_any()
        }
        FieldType::Geopoint => {
            let failed = RwSignal::new(None::<bool>);
            let locate = move |_| {
                failed.set(None);
                let set = set.clone();
                let asked = locate_once(move |found| match found {
                    // ODK writes `latitude longitude altitude accuracy`; the altitude is unknown.
                    Ok(position) => {
                        let parts: Vec<&str> = position.split_whitespace().collect();
                        if let [lat, lon, accuracy] = parts[..] {
                            set(format!("{lat} {lon} 0 {accuracy}"));
                        }
                    }
                    Err(denied) => failed.set(Some(denied)),
                });
                if !asked {
                    failed.set(Some(false));
                }
            };
            view! {
                <div class="geopoint">
                    <output id=id name=name>{move || { let v = value(); if v.is_empty() { "–".to_owned() } else { v } }}</output>
                    <button type="button" class="button button-secondary" data-testid="take-location"
                        disabled=move || read_only.get() on:click=locate>
                        {tr(lang, Text::new("Ambil lokasi", "Take location"))}
                    </button>
                    <p class="hint" role="status">{move || match failed.get() {
                        None => "",
                        Some(true) => Text::new("Izin lokasi ditolak.", "Location permission denied.").get(lang.get()),
                        Some(false) => Text::new("Lokasi belum didapat; coba lagi.", "No location yet; try again.").get(lang.get()),
                    }}</p>
                </div>
            }
            .into_any()
        }
        FieldType::Image => {
            let invalid = {
                let name = name.clone();
                Signal::derive(move || (!ctx.issues_of(&name, key).is_empty()).then_some("true"))
            };
            let answer = PhotoSlot {
                key: Signal::derive(value),
                set: Rc::new(set),
                editable: Signal::derive(move || !read_only.get()),
                writing: ctx.writing,
                revision: Signal::derive(move || ctx.record.with(|r| r.revision)),
                lang,
            };
            if dataform::drawn_on_pad(field) {
                // Stored as JPEG, as the form's photos: one path rule in its batches.
                drawing_pad(answer, id, DrawingFormat::Jpeg, use_images()).into_any()
            } else {
                photo_picker(answer, id, name, String::new(), invalid, use_images()).into_any()
            }
        }
    }
}

/// A select's choices: radios or checkboxes, or a drop-down for `minimal`; only what its
/// choice filter leaves, as the answers so far decide.
fn choices(
    field: &Field,
    id: String,
    (at, key): (At, Option<u32>),
    ctx: DataCtx,
    read_only: Memo<bool>,
) -> AnyView {
    let name = field.name.clone();
    let multiple = field.kind == FieldType::SelectMultiple;
    let lang = ctx.lang;
    let offered = {
        let name = name.clone();
        Memo::new(move |_| {
            ctx.record.with(|r| {
                ctx.form.with_value(|f| {
                    f.choices(r, &BrowserHost, &name, at)
                        .into_iter()
                        .map(|c| (c.name.clone(), c.label.clone()))
                        .collect::<Vec<(String, Label)>>()
                })
            })
        })
    };
    let value = {
        let name = name.clone();
        move || ctx.value(&name, at)
    };
    if field.appearance.contains("minimal") && !multiple {
        let set_name = name.clone();
        return view! {
            <select id=id name=name.clone() disabled=move || read_only.get() prop:value=value.clone()
                on:change=move |ev| ctx.set(&set_name, key, event_target_value(&ev))>
                <option value="">"—"</option>
                {move || offered.get().into_iter().map(|(code, label)| view! {
                    <option value=code.clone()>{label_text(&label, lang.get())}</option>
                }).collect_view()}
            </select>
        }
        .into_any();
    }
    let group_label = format!("{id}-label");
    let group_id = id.clone();
    view! {
        <div class="choices" role=if multiple { "group" } else { "radiogroup" } aria-labelledby=group_label id=group_id>
            {move || offered.get().into_iter().map(|(code, label)| {
                let option_id = format!("{id}-{code}");
                // Radios of one question in several rows would be one group by name: a row's
                // radios are named by their row (`<name>-<key>`), the record's by the field.
                let group = if multiple { name.clone() } else { id.clone() };
                let name = name.clone();
                let value = value.clone();
                let checked = {
                    let code = code.clone();
                    let value = value.clone();
                    move || {
                        let v = value();
                        match multiple {
                            true => v.split_whitespace().any(|c| c == code),
                            false => v == code,
                        }
                    }
                };
                let toggle = {
                    let code = code.clone();
                    let name = name.clone();
                    move |_| {
                        let current = value();
                        let next = match multiple {
                            false => code.clone(),
                            true => {
                                let mut codes: Vec<&str> = current.split_whitespace().collect();
                                match codes.iter().position(|c| *c == code) {
                                    Some(at) => {
                                        codes.remove(at);
                                    }
                                    None => codes.push(&code),
                                }
                                codes.join(" ")
                            }
                        };
                        ctx.set(&name, key, next);
                    }
                };
                view! {
                    <div class="choice">
                        <input type=if multiple { "checkbox" } else { "radio" } id=option_id.clone() name=group
                            value=code.clone() disabled=move || read_only.get() prop:checked=checked on:change=toggle/>
                        <label for=option_id>{move || label_text(&label, lang.get())}</label>
                    </div>
                }
            }).collect_view()}
        </div>
    }
    .into_any()
}
