//! A district form drawn from its definition: groups as fieldsets, repeats with their rows,
//! and each field with the input of its type. A question skip logic leaves out is hidden,
//! never removed, so nothing typed is lost; its answer is kept and not exported.
//!
//! Every input carries `name` = the field's name (the export's column) and a visible label;
//! in a repeat row its id is `<name>-<row key>`.

use super::host::BrowserHost;
use crate::components::form::{drawing_pad, locate_once, photo_picker, DrawingFormat, PhotoSlot};
use crate::components::tr;
use crate::context::use_store;
use leptos::prelude::*;
use std::rc::Rc;
use verval_core::dataform::{self, At, DataForm, DataIssue, IssueWhat};
use verval_core::record::HouseholdRecord;
use verval_core::xlsform::{Field, FieldType, Item, Label};
use verval_core::{Lang, Text};

/// A change the enumerator makes.
#[derive(Clone, Debug)]
pub enum DataEdit {
    /// `row`: the key of the repeat's row answered (never its position, which a row
    /// removed meanwhile would shift), `None` on the record itself.
    Set {
        field: String,
        row: Option<u32>,
        value: String,
    },
    AddRow(String),
    RemoveRow(String, u32),
}

/// What every field of the form reads and calls.
#[derive(Clone, Copy)]
pub struct DataCtx {
    pub record: RwSignal<HouseholdRecord>,
    pub form: StoredValue<DataForm>,
    pub lang: Signal<Lang>,
    pub editable: Signal<bool>,
    /// Once finalizing was asked: "required" is shown on questions left empty.
    pub show_required: Signal<bool>,
    pub issues: Memo<Vec<DataIssue>>,
    pub on_edit: Callback<DataEdit>,
    /// Called with `true` while a photo is being stored: leaving and finalizing wait for it.
    pub writing: Callback<bool>,
}

impl DataCtx {
    fn value(&self, field: &str, at: At) -> String {
        self.record
            .with(|r| self.form.with_value(|f| f.answer_at(r, field, at).to_owned()))
    }

    fn set(&self, field: &str, row: Option<u32>, value: String) {
        self.on_edit.run(DataEdit::Set {
            field: field.to_owned(),
            row,
            value,
        });
    }

    /// The messages to show on a question (its row's `key`): what it holds wrong at once,
    /// "required" only once finalizing was asked.
    pub fn issues_of(&self, field: &str, key: Option<u32>) -> Vec<Label> {
        let show_required = self.show_required.get();
        self.issues.with(|all| {
            all.iter()
                .filter(|i| i.field == field && i.row == key)
                .filter(|i| show_required || i.what != IssueWhat::Required)
                .map(|i| i.message.clone())
                .collect()
        })
    }
}

/// A text in the language chosen, the other language when it has none there.
pub fn label_text(label: &Label, lang: Lang) -> String {
    let (first, second) = match lang {
        Lang::En => (&label.en, &label.id),
        _ => (&label.id, &label.en),
    };
    if first.is_empty() {
        second.clone()
    } else {
        first.clone()
    }
}

/// The items of the form, or of a group: `row` is the repeat row they are drawn in.
pub fn items_view(items: Vec<Item>, row: Option<(usize, u32)>, ctx: DataCtx) -> AnyView {
    items
        .into_iter()
        .map(|item| match item {
            Item::Field(field) => view! { <FieldView field=*field row ctx/> }.into_any(),
            Item::Group(group) => {
                let lang = ctx.lang;
                let label = group.label.clone();
                view! {
                    <fieldset class="group" data-group=group.name.clone()>
                        {(!label.is_empty()).then(|| view! { <legend>{move || label_text(&label, lang.get())}</legend> })}
                        {items_view(group.items, row, ctx)}
                    </fieldset>
                }
                .into_any()
            }
            Item::Repeat(group) => view! { <RepeatView name=group.name label=group.label items=group.items ctx/> }.into_any(),
        })
        .collect_view()
        .into_any()
}

/// A repeat's rows, each its questions, with adding and removing rows unless a count sets them.
#[component]
fn RepeatView(name: String, label: Label, items: Vec<Item>, ctx: DataCtx) -> impl IntoView {
    let lang = ctx.lang;
    let counted = ctx
        .form
        .with_value(|f| f.def().items.iter().any(|i| counted_repeat(i, &name)));
    let repeat = name.clone();
    let relevant = Memo::new(move |_| {
        ctx.record.with(|r| {
            ctx.form
                .with_value(|f| f.is_repeat_relevant(r, &BrowserHost, &repeat))
        })
    });
    let repeat = name.clone();
    let keys = Memo::new(move |_| {
        ctx.record.with(|r| {
            r.repeats
                .rows(&repeat)
                .iter()
                .map(|row| row.key)
                .collect::<Vec<u32>>()
        })
    });
    // A counted repeat's rows follow the count; a row above it (answers typed before the
    // count went down) can be removed by hand.
    let repeat = name.clone();
    let wanted = Memo::new(move |_| {
        ctx.record
            .with(|r| ctx.form.with_value(|f| f.wanted_rows(r, &BrowserHost, &repeat)))
    });
    let add = {
        let name = name.clone();
        move |_| ctx.on_edit.run(DataEdit::AddRow(name.clone()))
    };
    let heading = label.clone();
    view! {
        <section class="repeat" data-repeat=name.clone() hidden=move || !relevant.get()>
            <h2>{move || label_text(&heading, lang.get())}</h2>
            {
                let name = name.clone();
                move || ctx.issues_of(&name, None).into_iter().map(|m| view! {
                    <p class="issue issue-error">{label_text(&m, lang.get())}</p>
                }).collect_view()
            }
            {
                let name = name.clone();
                let items = items.clone();
                move || keys.get().into_iter().enumerate().map(|(index, key)| {
                    let remove = {
                        let name = name.clone();
                        move |_| ctx.on_edit.run(DataEdit::RemoveRow(name.clone(), key))
                    };
                    view! {
                        <fieldset class="repeat-row" data-testid="repeat-row" data-row=key>
                            <legend>{tr(lang, Text::new("Baris", "Row"))} " " {index + 1}</legend>
                            {items_view(items.clone(), Some((index, key)), ctx)}
                            <button type="button" class="button button-secondary" data-testid="remove-row"
                                hidden=move || counted && wanted.get().is_none_or(|n| index < n)
                                disabled=move || !ctx.editable.get() on:click=remove>
                                {tr(lang, Text::new("Hapus baris", "Remove row"))}
                            </button>
                        </fieldset>
                    }
                }).collect_view()
            }
            <button type="button" class="button button-secondary" data-testid="add-row" hidden=counted
                disabled=move || !ctx.editable.get() on:click=add>
                {tr(lang, Text::new("Tambah baris", "Add a row"))}
            </button>
        </section>
    }
}

/// Whether the repeat `name` has a `repeat_count`: its rows follow the count, not taps.
fn counted_repeat(item: &Item, name: &str) -> bool {
    match item {
        Item::Repeat(g) => g.name == name && !g.repeat_count.trim().is_empty(),
        Item::Group(g) => g.items.iter().any(|i| counted_repeat(i, name)),
        Item::Field(_) => false,
    }
}

#[component]
fn FieldView(field: Field, row: Option<(usize, u32)>, ctx: DataCtx) -> impl IntoView {
    let lang = ctx.lang;
    let at = row.map_or(At::Top, |(index, _)| At::Row(index));
    let key = row.map(|(_, key)| key);
    let name = field.name.clone();
    let id = match key {
        Some(key) => format!("{name}-{key}"),
        None => name.clone(),
    };
    let relevant = {
        let name = name.clone();
        Memo::new(move |_| {
            ctx.record
                .with(|r| ctx.form.with_value(|f| f.is_relevant(r, &BrowserHost, &name, at)))
        })
    };
    let read_only = {
        let name = name.clone();
        Memo::new(move |_| {
            !ctx.editable.get()
                || ctx.record.with(|r| {
                    ctx.form
                        .with_value(|f| f.is_read_only(r, &BrowserHost, &name, at))
                })
        })
    };
    let messages = {
        let name = name.clone();
        move || ctx.issues_of(&name, key)
    };
    let has_error = {
        let messages = messages.clone();
        move || !messages().is_empty()
    };
    let label = field.label.clone();
    let hint = field.hint.clone();
    let control = control(&field, id.clone(), (at, key), ctx, read_only);
    let hidden_calculation = field.kind == FieldType::Calculate && field.label.is_empty();
    let grouped = matches!(field.kind, FieldType::SelectMultiple)
        || (field.kind == FieldType::SelectOne && field.appearance != "minimal");
    let label_view = if grouped || field.kind == FieldType::Note {
        view! { <span class="label" id=format!("{id}-label")>{move || label_text(&label, lang.get())}</span> }
            .into_any()
    } else {
        view! { <label for=id.clone() id=format!("{id}-label")>{move || label_text(&label, lang.get())}</label> }.into_any()
    };
    view! {
        <div class="field" class:field-error=has_error hidden=move || !relevant.get() || hidden_calculation
            data-field=name.clone() data-type=format!("{:?}", field.kind).to_lowercase()>
            {label_view}
            {control}
            {(!hint.is_empty()).then(|| view! { <p class="hint">{move || label_text(&hint, lang.get())}</p> })}
            <ul class="issues" data-testid=format!("issues-{id}")>
                {move || messages().into_iter().map(|m| view! {
                    <li class="issue issue-error">{label_text(&m, lang.get())}</li>
                }).collect_view()}
            </ul>
        </div>
    }
}

/// The input of a field's type.
/// `at`: where the field is answered, and its row's key in a repeat.
fn control(
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
                drawing_pad(answer, id, DrawingFormat::Jpeg, use_store()).into_any()
            } else {
                photo_picker(answer, id, name, String::new(), invalid, use_store()).into_any()
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
