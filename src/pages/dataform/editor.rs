//! One record of a district form: every change saved by the autosaver and journaled, the
//! form's calculations and repeat counts followed on each change, what blocks finalizing
//! listed, finalizing and corrections asked once more, as the household form does.

use super::field::{items_view, DataCtx, DataEdit};
use super::host::BrowserHost;
use super::Opening;
use crate::components::form::shell::{described_by, invalid};
use crate::components::form::{drop_down, field_shell, Shell, Wiring};
use crate::components::{tr, ConfirmStep, SaveStatus, Step};
use crate::context::{use_lang, use_open_form, use_store};
use crate::device::{now, utc_offset_minutes};
use crate::pages::household::{claim_draft, record_autosaver};
use leptos::prelude::*;
use std::sync::Arc;
use verval_core::dataform::{DataForm, DataIssue, IssueWhat};
use verval_core::record::{HouseholdRecord, RecordStatus};
use verval_core::store::HouseholdStore;
use verval_core::text::Message;
use verval_core::xlsform::Label;
use verval_core::{Severity, Text};

/// The answer naming the record's village: the hub takes a record only for a village of
/// the phone's enumerator. A form may ask it itself; otherwise the page does.
pub const VILLAGE: &str = "kode_desa";

#[component]
pub fn DataFormEditor(
    record: HouseholdRecord,
    form: DataForm,
    is_new: bool,
    villages: Vec<String>,
) -> impl IntoView {
    let store = use_store();
    let lang = Signal::from(use_lang());
    // Asked here unless the form asks it itself, on the record (not in a repeat's rows).
    // A household's section takes the household's village (`section.rs`).
    let asks_village = form.place(VILLAGE).is_none_or(|p| p.repeat.is_some())
        && record
            .answers
            .get(verval_core::dataform::HOUSEHOLD_LINK)
            .is_empty();
    let assigned = villages.clone();
    let form = StoredValue::new(form);
    let mut record = record;
    // One village assigned: it is the record's (nothing to choose).
    if asks_village && is_new && villages.len() == 1 && record.answers.get(VILLAGE).is_empty() {
        record.set_answer(VILLAGE, &villages[0], now());
    }
    let record = RwSignal::new(record);
    // A household's section is new with an id another tab can know (it comes from the
    // household's): it is claimed like a stored record, so only one tab edits it.
    let section = !record.with_untracked(|r| r.answers.get(verval_core::dataform::HOUSEHOLD_LINK).is_empty());
    let (editable, held_elsewhere) = claim_draft(record.with_untracked(|r| r.id.clone()), is_new && !section);
    let journal_warning = RwSignal::new(None::<Message>);
    // From the first change on, a reload opens this record, not a new one.
    let autosave = record_autosaver(record, is_new, journal_warning, |id| {
        let to = Opening::Record(id).href();
        if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&to));
        }
    });
    let open_form = use_open_form();
    open_form.set(Some(autosave));
    on_cleanup(move || {
        open_form.try_update(|open| {
            if *open == Some(autosave) {
                *open = None;
            }
        });
    });

    let issues = Memo::new(move |_| {
        let mut found = record.with(|r| form.with_value(|f| f.check(r, &BrowserHost)));
        // The hub takes a record only for a village of this phone's enumerator, and refuses
        // the whole batch otherwise: checked here, whoever asks the village.
        let village = record.with(|r| r.answers.get(VILLAGE).trim().to_owned());
        let outside = !assigned.is_empty() && !assigned.contains(&village);
        if village.is_empty() || outside {
            let message = match village.is_empty() {
                true => Label {
                    id: "Pilih desa data ini.".to_owned(),
                    en: "Choose this record's village.".to_owned(),
                },
                false => Label {
                    id: format!("Desa {village} bukan desa penugasan HP ini."),
                    en: format!("Village {village} is not one this phone is assigned."),
                },
            };
            found.retain(|i| i.field != VILLAGE || i.row.is_some());
            found.insert(
                0,
                DataIssue {
                    field: VILLAGE.to_owned(),
                    row: None,
                    what: IssueWhat::Constraint,
                    message,
                },
            );
        }
        found
    });
    let is_final = Memo::new(move |_| record.with(|r| r.status == RecordStatus::Final));
    let can_edit = Signal::derive(move || editable.get() && !is_final.get());
    let show_required = RwSignal::new(false);
    let on_edit = Callback::new(move |edit: DataEdit| {
        if !can_edit.get_untracked() {
            return;
        }
        let now = now();
        let changed = record
            .try_update(|r| {
                let changed = match edit {
                    DataEdit::Set { field, row, value } => {
                        match (form.with_value(|f| f.repeat_of(&field).map(str::to_owned)), row) {
                            // A row removed meanwhile takes nothing: its key is gone.
                            (Some(repeat), Some(key)) => r.set_row_answer(&repeat, key, &field, &value, now),
                            (None, None) => r.set_answer(&field, &value, now),
                            _ => false,
                        }
                    }
                    DataEdit::AddRow(repeat) => {
                        form.with_value(|f| f.add_row(r, &BrowserHost, &repeat, now).is_some())
                    }
                    DataEdit::RemoveRow(repeat, key) => r.remove_row(&repeat, key, now),
                };
                form.with_value(|f| f.recalculate(r, &BrowserHost, now)) || changed
            })
            .unwrap_or(false);
        if changed {
            autosave.changed();
        }
    });
    let ctx = DataCtx {
        record,
        form,
        lang,
        editable: can_edit,
        show_required: show_required.into(),
        issues,
        on_edit,
        writing: Callback::new(move |started: bool| {
            if started {
                autosave.hold()
            } else {
                autosave.release()
            }
        }),
    };

    let asking = RwSignal::new(None::<Step>);
    let ask_to_lock = move |_| {
        show_required.set(true);
        if issues.with_untracked(|all| all.is_empty()) {
            asking.set(Some(Step::Lock));
        }
    };
    let finalize = move || {
        leptos::task::spawn_local(async move {
            // (A required photo or signature not taken blocks below.)
            if !autosave.settle_for_lock().await {
                return;
            }
            // The page may have been left while waiting: nothing to lock then.
            let blocked = issues.try_with_untracked(|all| !all.is_empty()).unwrap_or(true);
            if !can_edit.try_get_untracked().unwrap_or(false) || blocked {
                return;
            }
            if record.try_update(|r| r.finalize(now())).is_some() {
                autosave.changed();
            }
        });
    };
    let correct = move || {
        let store = store.get_value();
        let finished = record.get_untracked();
        leptos::task::spawn_local(async move {
            // The finalized revision is kept as it was; the correction is a new revision.
            match store.keep_revision(&finished).await {
                Ok(()) => {
                    record.try_update(|r| r.start_correction(now()));
                    autosave.changed();
                }
                Err(error) => autosave.fail(error.message()),
            }
        });
    };
    let deletable = Memo::new(move |_| record.with(|r| r.status == RecordStatus::Draft && r.revision == 1));
    let discard_error = RwSignal::new(None::<Message>);
    let discard = move || {
        let store = store.get_value();
        let id = record.with_untracked(|r| r.id.clone());
        editable.set(false);
        leptos::task::spawn_local(async move {
            autosave.stop().await;
            match store.delete_form_draft(&id).await {
                Ok(_) => {
                    store.journal_clear(&id);
                    if let Some(window) = web_sys::window() {
                        let _ = window.location().replace(&Opening::List.href());
                    }
                }
                Err(error) => {
                    discard_error.set(Some(error.message()));
                    editable.set(true);
                    autosave.resume();
                }
            }
        });
    };

    let (title, version) = form.with_value(|f| {
        let t = &f.def().title;
        (t.clone(), f.def().version.clone())
    });
    let status = move || {
        let (revision, is_final) = record.with(|r| (r.revision, r.status == RecordStatus::Final));
        let text = if is_final {
            Text::new("Final, terkunci", "Final, locked")
        } else {
            Text::new("Draf", "Draft")
        };
        format!(
            "{} · {} {revision} · {} {version}",
            text.get(lang.get()),
            Text::new("revisi", "revision").get(lang.get()),
            Text::new("versi formulir", "form version").get(lang.get()),
        )
    };
    let items = form.with_value(|f| f.def().items.clone());
    view! {
        <h1 data-testid="data-form-heading">{move || super::field::label_text(&title, lang.get())}</h1>
        <p class="record-status" data-testid="record-status" data-final=move || is_final.get().to_string()>{status}</p>
        <SaveStatus state=autosave.state() lang utc_offset_minutes=utc_offset_minutes()
            on_retry=Callback::new(move |()| autosave.flush())/>
        <p class="notice notice-warning" role="alert" data-testid="journal-warning" hidden=move || journal_warning.with(Option::is_none)>
            {move || journal_warning.get().map(|m| m.get(lang.get()).to_owned())}
        </p>
        <p class="notice notice-warning" role="alert" data-testid="read-only-notice" hidden=move || !held_elsewhere.get()>
            {tr(lang, Text::new(
                "Data ini sedang dibuka untuk diubah di tab lain, jadi di sini hanya bisa dilihat.",
                "This record is open for editing in another tab, so here it can only be viewed.",
            ))}
        </p>
        <form class="household-form" data-testid="data-form" data-form=form.with_value(|f| f.def().id.clone())
            data-id=record.with_untracked(|r| r.id.to_string()) on:submit=move |ev| ev.prevent_default()>
            {asks_village.then(|| view! { <VillageSelect villages ctx/> })}
            {items_view(items, None, ctx)}
        </form>
        <div class="finalize">
            <button type="button" class="button" data-testid="finalize" hidden=move || is_final.get() || asking.get().is_some()
                disabled=move || !editable.get() on:click=ask_to_lock>
                {tr(lang, Text::new("Selesai & kunci", "Finish & lock"))}
            </button>
            <button type="button" class="button button-secondary" data-testid="new-revision"
                hidden=move || !is_final.get() || asking.get().is_some()
                disabled=move || !editable.get() on:click=move |_| asking.set(Some(Step::Correct))>
                {tr(lang, Text::new("Perbaiki (buat revisi baru)", "Correct (make a new revision)"))}
            </button>
            <button type="button" class="button button-secondary button-danger" data-testid="delete-draft"
                hidden=move || !deletable.get() || asking.get().is_some() disabled=move || !can_edit.get()
                on:click=move |_| asking.set(Some(Step::Delete))>
                {tr(lang, Text::new("Hapus draf", "Delete draft"))}
            </button>
            <ConfirmStep asking lang on_confirm=Callback::new(move |step| match step {
                Step::Lock => finalize(),
                Step::Correct => correct(),
                Step::Delete => discard(),
            })/>
        </div>
        <p class="notice notice-warning" role="alert" hidden=move || discard_error.with(Option::is_none)>
            {move || discard_error.get().map(|m| m.get(lang.get()).to_owned())}
        </p>
        {move || (show_required.get() && !issues.with(Vec::is_empty)).then(|| view! {
            <div class="notice notice-error" role="alert" data-testid="data-form-issues">
                <p>{tr(lang, Text::new("Belum bisa dikunci. Perbaiki dulu:", "Cannot be locked yet. Fix first:"))}</p>
                <ul>
                    {issues.get().into_iter().map(|issue| {
                        let label = form.with_value(|f| f.place(&issue.field).map(|p| p.field.label.clone())).unwrap_or_default();
                        let target = match issue.row {
                            Some(key) => format!("#{}-{key}", issue.field),
                            None => format!("#{}", issue.field),
                        };
                        view! {
                            <li><a href=target>{move || {
                                let name = super::field::label_text(&label, lang.get());
                                let name = if name.is_empty() { issue.field.clone() } else { name };
                                format!("{name}: {}", super::field::label_text(&issue.message, lang.get()))
                            }}</a></li>
                        }
                    }).collect_view()}
                </ul>
            </div>
        })}
    }
}

/// The record's village, chosen among the phone's assigned villages: a question of the
/// record's own, drawn as the form's are.
#[component]
fn VillageSelect(villages: Vec<String>, ctx: DataCtx) -> impl IntoView {
    let lang = ctx.lang;
    let issues = Memo::new(move |_| {
        let lang = lang.get();
        let messages = ctx.issues_of(VILLAGE, None).into_iter();
        messages
            .map(|m| (Severity::Error, super::field::label_text(&m, lang)))
            .collect()
    });
    let wiring = Wiring {
        id: VILLAGE.to_owned(),
        name: VILLAGE.to_owned(),
        described_by: described_by(VILLAGE, false),
        invalid: invalid(issues),
        value: Memo::new(move |_| ctx.record.with(|r| r.answers.get(VILLAGE).to_owned())).into(),
        read_only: Signal::derive(move || !ctx.editable.get()),
        set: Arc::new(move |value| {
            ctx.on_edit.run(DataEdit::Set {
                field: VILLAGE.to_owned(),
                row: None,
                value,
            })
        }),
    };
    let options = villages
        .into_iter()
        .map(|v| view! { <option value=v.clone()>{v.clone()}</option> })
        .collect_view();
    let prompt = Text::new("— pilih desa —", "— choose a village —");
    let shell = Shell {
        id: VILLAGE.to_owned(),
        field: VILLAGE.to_owned(),
        row: None,
        label: tr(lang, Text::new("Desa", "Village")),
        grouped: false,
        hint: None::<&str>,
        shown: Memo::new(|_| true),
        issues,
    };
    field_shell(shell, drop_down(wiring, prompt, lang, options), ().into_any())
}
