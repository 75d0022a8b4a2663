use crate::autosave::Autosaver;
use crate::components::{tr, ErrorNotice, SaveStatus, TextField};
use crate::context::{use_lang, use_open_form, use_store};
use crate::device::{self, now, utc_offset_minutes};
use crate::draft_lock::{self, DraftLock};
use crate::load::load;
use crate::route::{replace_url, Route};
use crate::storage::quota::request_persistence;
use leptos::prelude::*;
use verval_core::fields::{IDENTITY_FIELDS, NAMA_KEPALA_KELUARGA};
use verval_core::record::HouseholdRecord;
use verval_core::store::HouseholdStore;
use verval_core::text::Message;
use verval_core::validate::{validate_identity, IssueKind};
use verval_core::{RecordId, Text};

/// What the form page opens: a new household, or a stored one by id.
#[derive(Clone, Debug, PartialEq)]
pub enum Opening {
    New,
    Existing(RecordId),
}

/// The household form: loads the record (or starts a new one) and hands it to the editor.
#[component]
pub fn HouseholdPage(opening: Opening) -> impl IntoView {
    let store = use_store();
    let lang = Signal::from(use_lang());
    let loaded = load(move || {
        let store = store.get_value();
        let opening = opening.clone();
        async move {
            match opening {
                Opening::New => device::new_record_id()
                    .map(|id| Some((HouseholdRecord::new(id, now()), true)))
                    .map_err(|e| {
                        Message::new(
                            format!("Tidak dapat membuat nomor data baru: {e}"),
                            format!("Cannot create a new record id: {e}"),
                        )
                    }),
                Opening::Existing(id) => match store.get(&id).await {
                    Ok(found) => Ok(found.map(|record| (record, false))),
                    Err(error) => Err(error.message()),
                },
            }
        }
    });
    view! {
        <section class="page">
            <a class="back" href=Route::Households.href() data-testid="back-to-list">
                {tr(lang, Text::new("\u{2190} Daftar keluarga", "\u{2190} Households"))}
            </a>
            {move || match loaded.get() {
                None => view! { <p class="muted">{tr(lang, Text::new("Memuat…", "Loading…"))}</p> }.into_any(),
                Some(Err(message)) => view! { <ErrorNotice message lang/> }.into_any(),
                Some(Ok(None)) => view! {
                    <ErrorNotice lang message=Message::new(
                        "Data keluarga ini tidak ada di perangkat ini.",
                        "This household is not stored on this device.",
                    )/>
                }.into_any(),
                Some(Ok(Some((record, is_new)))) => view! { <HouseholdEditor record is_new/> }.into_any(),
            }}
        </section>
    }
}

/// Edits one household; every change is saved by the autosaver.
#[component]
fn HouseholdEditor(record: HouseholdRecord, is_new: bool) -> impl IntoView {
    let store = use_store();
    let lang = Signal::from(use_lang());
    let record = RwSignal::new(record);
    let first_save_pending = StoredValue::new(is_new);
    let (editable, held_elsewhere) = claim_draft(record.with_untracked(|r| r.id.clone()), is_new);

    let autosave = Autosaver::new(
        move || {
            let snapshot = record.get_untracked();
            let store = store.get_value();
            let announce_url = first_save_pending.get_value();
            Box::pin(async move {
                store.put(&snapshot).await?;
                if announce_url {
                    // A household is on the device now: ask the browser to keep it.
                    leptos::task::spawn_local(async {
                        request_persistence().await;
                    });
                    // From the first save on, a reload must open this household, not a blank form.
                    replace_url(&Route::NewHousehold, &Route::Household(snapshot.id.clone()));
                    first_save_pending.try_set_value(false);
                }
                Ok(())
            })
        },
        now,
    );
    autosave.flush_on_leave();
    // The app shell saves this form before switching to a new version.
    let open_form = use_open_form();
    open_form.set(Some(autosave));
    on_cleanup(move || {
        // Only if still ours: the next page's form may have registered already.
        open_form.try_update(|open| {
            if *open == Some(autosave) {
                *open = None;
            }
        });
    });

    let today = device::today();
    let issues = Memo::new(move |_| record.with(|r| validate_identity(&r.answers, today)));
    let heading = move || {
        let name = record.with(|r| r.answers.get(NAMA_KEPALA_KELUARGA).to_owned());
        if name.trim().is_empty() {
            Text::new("Keluarga baru", "New household")
                .get(lang.get())
                .to_owned()
        } else {
            name
        }
    };

    view! {
        <h1 data-testid="household-heading">{heading}</h1>
        <SaveStatus state=autosave.state() lang utc_offset_minutes=utc_offset_minutes()
            on_retry=Callback::new(move |()| autosave.flush())/>
        <p class="notice notice-warning" role="alert" data-testid="read-only-notice" hidden=move || !held_elsewhere.get()>
            {tr(lang, Text::new(
                "Keluarga ini sedang dibuka untuk diubah di tab lain, jadi di sini hanya bisa dilihat. Tutup tab lain itu, lalu muat ulang halaman ini untuk mengubah.",
                "This household is open for editing in another tab, so here it can only be viewed. Close that tab, then reload this page to edit.",
            ))}
        </p>
        <form class="household-form" data-testid="household-form" data-id=record.with_untracked(|r| r.id.to_string())
            on:submit=move |ev| ev.prevent_default()>
            {IDENTITY_FIELDS.iter().map(|spec| {
                let field = spec.id;
                let value = Signal::derive(move || record.with(|r| r.answers.get(field).to_owned()));
                // Format problems show as soon as something is typed; "required" waits for
                // finalizing, so an empty new form is not a wall of red.
                let field_issues = Signal::derive(move || {
                    let has_value = record.with(|r| !r.answers.get(field).is_empty());
                    issues.with(|all| all.iter()
                        .filter(|i| i.field == field && has_value && i.kind != IssueKind::Required)
                        .cloned().collect::<Vec<_>>())
                });
                let on_input = Callback::new(move |text: String| {
                    if !editable.get_untracked() {
                        return;
                    }
                    let text: String = text.chars().take(spec.max_len).collect();
                    let changed = record.try_update(|r| r.set_answer(field, &text, now())).unwrap_or(false);
                    if changed {
                        autosave.changed();
                    }
                });
                let readonly = Signal::derive(move || !editable.get());
                view! { <TextField spec value issues=field_issues lang on_input readonly/> }
            }).collect_view()}
        </form>
    }
}

/// Claims the record for editing in this tab. Returns whether it may be edited here and
/// whether another tab holds it. A new record is editable at once: no other tab can know
/// its id yet. The lock lives as long as the editor and is released when it goes away.
fn claim_draft(id: RecordId, is_new: bool) -> (RwSignal<bool>, RwSignal<bool>) {
    let editable = RwSignal::new(is_new);
    let held_elsewhere = RwSignal::new(false);
    let lock = StoredValue::new_local(None::<DraftLock>);
    leptos::task::spawn_local(async move {
        match draft_lock::claim(&id).await {
            Some(claimed) => {
                // If the editor is already gone, the lock comes back here and is dropped.
                if lock.try_set_value(Some(claimed)).is_none() {
                    editable.try_set(true);
                }
            }
            None => {
                editable.try_set(false);
                held_elsewhere.try_set(true);
            }
        }
    });
    (editable, held_elsewhere)
}
