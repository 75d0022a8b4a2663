//! A district form drawn from its definition: groups as fieldsets, repeats with their rows,
//! and each field with the input of its type. A question skip logic leaves out is hidden,
//! never removed, so nothing typed is lost; its answer is kept and not exported.
//!
//! Every input carries `name` = the field's name (the export's column) and a visible label;
//! in a repeat row its id is `<name>-<row key>`.

use super::control::{control, drop_down};
use super::host::BrowserHost;
use crate::components::form::{field_shell, shell::described_by, shell::invalid, Shell, Wiring};
use crate::components::tr;
use leptos::prelude::*;
use std::sync::Arc;
use verval_core::dataform::{At, DataForm, DataIssue, IssueWhat};
use verval_core::record::HouseholdRecord;
use verval_core::xlsform::{Field, FieldType, Item, Label};
use verval_core::{Lang, Severity, Text};

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
    pub(super) fn value(&self, field: &str, at: At) -> String {
        self.record
            .with(|r| self.form.with_value(|f| f.answer_at(r, field, at).to_owned()))
    }

    /// Also called when a photo or drawing is stored, which may end after the form left the
    /// screen (the back button): nothing is set then, and nothing panics.
    pub(super) fn set(&self, field: &str, row: Option<u32>, value: String) {
        self.on_edit.try_run(DataEdit::Set {
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
    // A calculation without a label is the form's own arithmetic, never shown.
    let hidden_calculation = field.kind == FieldType::Calculate && field.label.is_empty();
    let shown = {
        let name = name.clone();
        Memo::new(move |_| {
            !hidden_calculation
                && ctx
                    .record
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
    let issues = {
        let name = name.clone();
        Memo::new(move |_| {
            let lang = lang.get();
            let messages = ctx.issues_of(&name, key).into_iter();
            messages
                .map(|m| (Severity::Error, label_text(&m, lang)))
                .collect()
        })
    };
    let hint = (!field.hint.is_empty()).then(|| {
        let hint = field.hint.clone();
        move || label_text(&hint, lang.get())
    });
    let wiring = Wiring {
        id: id.clone(),
        name: name.clone(),
        described_by: described_by(&id, hint.is_some()),
        invalid: invalid(issues),
        value: {
            let name = name.clone();
            Signal::derive(move || ctx.value(&name, at))
        },
        read_only: read_only.into(),
        set: {
            let name = name.clone();
            Arc::new(move |text: String| ctx.set(&name, key, text))
        },
    };
    let control = control(&field, wiring, at, ctx);
    let grouped = matches!(field.kind, FieldType::SelectMultiple | FieldType::Note)
        || (field.kind == FieldType::SelectOne && !drop_down(&field));
    let label = field.label.clone();
    let shell = Shell {
        id,
        field: name,
        row: key,
        label: move || label_text(&label, lang.get()),
        grouped,
        hint,
        shown,
        issues,
    };
    field_shell(shell, control, ().into_any())
}
