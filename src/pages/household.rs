use crate::autosave::{Autosaver, Saving};
use crate::components::form::{
    focus_later, Edit, FormCtx, IssueSummary, QuestionView, RegionTables, RepeatView, ReviewBanner, RowAt,
    SectionNav, SUMMARY_ID,
};
use crate::components::{tr, ConfirmStep, ErrorNotice, SaveStatus, Step};
use crate::context::{use_images, use_lang, use_open_form, use_store};
use crate::device::{self, now, utc_offset_minutes};
use crate::draft_lock::{self, DraftLock};
use crate::load::load;
use crate::prerender;
use crate::route::{replace_url, Route};
use crate::storage::prefs;
use crate::storage::quota::request_persistence;
use leptos::prelude::*;
use verval_core::fields::NAMA_KEPALA_KELUARGA;
use verval_core::form::default::{enumerator_of, with_enumerator, DEFAULT_FORM};
use verval_core::form::validate::is_section_relevant;
use verval_core::form::{apply_calculations, validate_record, FamilyIndex, Form, SectionItem};
use verval_core::record::{HouseholdRecord, RecordStatus};
use verval_core::review::book::Standing;
use verval_core::review::feed::ReviewMessage;
use verval_core::search::SearchKeys;
use verval_core::store::HouseholdStore;
use verval_core::text::Message;
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
                // The prerendered screen's id when something was typed there: its journal
                // entry and this household are one.
                Opening::New => prerender::taken_id()
                    .map(Ok)
                    .unwrap_or_else(device::new_record_id)
                    .map(|id| {
                        let mut record = HouseholdRecord::new(id, now());
                        // The enumerator of the last family finalized here.
                        if let Some((name, role)) = prefs::enumerator() {
                            with_enumerator(&mut record, (&name, &role), now());
                        }
                        // What was typed on the page's prerendered first screen, if anything.
                        let handed = prerender::adopt(&DEFAULT_FORM, &mut record, now());
                        if handed.as_ref().is_some_and(|h| h.answered) {
                            apply_calculations(&DEFAULT_FORM, &mut record, device::today(), now());
                        }
                        Some((record, true, handed, None))
                    })
                    .map_err(|e| {
                        Message::new(
                            format!("Tidak dapat membuat nomor data baru: {e}"),
                            format!("Cannot create a new record id: {e}"),
                        )
                    }),
                Opening::Existing(id) => {
                    let found = async {
                        let record = store.get(&id).await?;
                        // The district's decision on it, if any (issue #20).
                        let review = store.review_of(&id).await?;
                        Ok::<_, crate::storage::StoreError>(
                            record.map(|record| (record, false, None, review)),
                        )
                    };
                    found.await.map_err(|error| error.message())
                }
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
                // A district form's record (issue #25) opens on its own page, never in the
                // household form, whose calculations would write household answers into it.
                Some(Ok(Some((record, _, _, _)))) if !record.is_household_form() => {
                    let page = crate::route::Page::DataForms.at(record.id.as_str());
                    if let Some(window) = web_sys::window() {
                        let _ = window.location().replace(&page);
                    }
                    view! { <a href=page>{tr(lang, Text::new("Buka di Formulir daerah", "Open in District forms"))}</a> }.into_any()
                }
                Some(Ok(Some((record, is_new, handed, review)))) => view! { <HouseholdEditor record is_new handed review/> }.into_any(),
            }}
        </section>
    }
}

/// Edits one household; every change is saved by the autosaver. `handed`: what a new
/// household took from the page's prerendered first screen; `review`: the district's latest
/// decision on it.
#[component]
fn HouseholdEditor(
    record: HouseholdRecord,
    is_new: bool,
    handed: Option<prerender::Handed>,
    review: Option<ReviewMessage>,
) -> impl IntoView {
    let form: &'static Form = &DEFAULT_FORM;
    let store = use_store();
    let lang = Signal::from(use_lang());
    let record = RwSignal::new(record);
    let (editable, held_elsewhere) = claim_draft(record.with_untracked(|r| r.id.clone()), is_new);
    let journal_warning = RwSignal::new(None::<Message>);
    // From the first change on, a reload opens this household (the journal's replay stores
    // it first if the write had not finished), not a blank form.
    let autosave = record_autosaver(record, is_new, journal_warning, move |id| {
        replace_url(&Route::NewHousehold, &Route::Household(id))
    });
    if let Some(handed) = handed {
        // Answers typed before the app started are saved like any other edit.
        if handed.answered {
            autosave.changed();
        }
        if let Some(focus) = handed.focus {
            // Once the form is on the page with its answers filled in (setting a field's
            // value moves its caret to the end).
            leptos::task::spawn_local(async move {
                device::sleep_ms(0).await;
                prerender::restore(&focus);
            });
        }
    }
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
    let others = device_matches(record);
    let issues =
        Memo::new(move |_| others.with(|others| record.with(|r| validate_record(form, r, today, others))));
    let is_final = Memo::new(move |_| record.with(|r| r.status == RecordStatus::Final));
    // Where it stands with the district: it follows the correction (sent back → corrected).
    let standing = {
        let review = review.clone();
        Memo::new(move |_| {
            let review = review.as_ref()?;
            Some(record.with(|r| Standing::of(review, r.revision, r.status == RecordStatus::Final)))
        })
    };
    // Rejected as a duplicate: the other family's record counts; this one stays as it is.
    let review_allows = Signal::derive(move || standing.with(|s| s.as_ref().is_none_or(Standing::editable)));
    let can_edit = Signal::derive(move || editable.get() && !is_final.get() && review_allows.get());
    let review_notes = {
        let fields = review.as_ref().map(|r| r.fields.clone()).unwrap_or_default();
        Signal::derive(move || {
            if standing.get() == Some(Standing::SentBack) {
                fields.clone()
            } else {
                Vec::new()
            }
        })
    };
    let show_required = RwSignal::new(false);
    let current = RwSignal::new(0usize);
    let open_row = RwSignal::new(None::<RowAt>);

    let on_edit = Callback::new(move |edit: Edit| {
        if !can_edit.get_untracked() {
            return;
        }
        let now = now();
        let changed = record
            .try_update(|r| {
                let changed = match edit {
                    Edit::Set {
                        at: None,
                        field,
                        value,
                    } => r.set_answer(field, &value, now),
                    Edit::Set {
                        at: Some(at),
                        field,
                        value,
                    } => r.set_row_answer(at.repeat, at.key, field, &value, now),
                    Edit::AddRow(repeat) => {
                        r.add_row(repeat, now);
                        true
                    }
                    Edit::RemoveRow(at) => r.remove_row(at.repeat, at.key, now),
                };
                // Calculated answers follow every change (ages, member count, indicators).
                apply_calculations(form, r, today, now) || changed
            })
            .unwrap_or(false);
        if changed {
            autosave.changed();
        }
    });
    let ctx = FormCtx {
        form,
        record: record.into(),
        issues,
        show_required: show_required.into(),
        editable: can_edit,
        lang,
        today,
        regions: RegionTables::new(),
        on_edit,
        writing: Callback::new(move |started: bool| {
            if started {
                autosave.hold()
            } else {
                autosave.release()
            }
        }),
        images: use_images(),
        review_notes,
    };

    let finalize = move |()| {
        show_required.set(true);
        leptos::task::spawn_local(async move {
            if !autosave.settle_for_lock().await {
                return;
            }
            if !can_edit.get_untracked() || issues.with_untracked(|all| all.iter().any(|i| i.is_error())) {
                return;
            }
            record.update(|r| r.finalize(now()));
            autosave.changed();
            // The next family starts with this one's enumerator.
            if let Some((name, role)) = record.with_untracked(enumerator_of) {
                prefs::set_enumerator(&name, &role);
            }
        });
    };
    // "Selesai & kunci" shows what blocks locking, or asks to confirm when nothing does.
    let asking = RwSignal::new(None::<Step>);
    let ask_to_lock = move |_| {
        show_required.set(true);
        if issues.with_untracked(|all| all.iter().any(|i| i.is_error())) {
            // What blocks is listed below the buttons, often below the fold: show it.
            focus_later(SUMMARY_ID.to_owned());
        } else {
            asking.set(Some(Step::Lock));
        }
    };
    // A draft never locked can be deleted (a family started by mistake); once locked, never.
    let deletable = Memo::new(move |_| record.with(|r| r.status == RecordStatus::Draft && r.revision == 1));
    let discard_error = RwSignal::new(None::<Message>);
    let discard = move || {
        let store = store.get_value();
        let id = record.with_untracked(|r| r.id.clone());
        editable.set(false);
        leptos::task::spawn_local(async move {
            autosave.stop().await;
            match store.delete_draft(&id).await {
                Ok(_) => {
                    store.journal_clear(&id);
                    // `replace`: "back" must not lead to the family just deleted.
                    if let Some(window) = web_sys::window() {
                        let _ = window.location().replace(&Route::Households.href());
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
    let correct = move |()| {
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
    let status = move || {
        let (revision, is_final) = record.with(|r| (r.revision, r.status == RecordStatus::Final));
        let text = if is_final {
            Text::new("Final, terkunci", "Final, locked")
        } else {
            Text::new("Draf", "Draft")
        };
        format!(
            "{} · {} {revision}",
            text.get(lang.get()),
            Text::new("revisi", "revision").get(lang.get())
        )
    };

    view! {
        <h1 data-testid="household-heading">{heading}</h1>
        <p class="record-status" data-testid="record-status" data-final=move || is_final.get().to_string()>{status}</p>
        <SaveStatus state=autosave.state() lang utc_offset_minutes=utc_offset_minutes()
            on_retry=Callback::new(move |()| autosave.flush())/>
        <p class="notice notice-warning" role="alert" data-testid="journal-warning" hidden=move || journal_warning.with(Option::is_none)>
            {move || journal_warning.get().map(|m| m.get(lang.get()).to_owned())}
        </p>
        <p class="notice notice-warning" role="alert" data-testid="read-only-notice" hidden=move || !held_elsewhere.get()>
            {tr(lang, Text::new(
                "Keluarga ini sedang dibuka untuk diubah di tab lain, jadi di sini hanya bisa dilihat. Tutup tab lain itu, lalu muat ulang halaman ini untuk mengubah.",
                "This household is open for editing in another tab, so here it can only be viewed. Close that tab, then reload this page to edit.",
            ))}
        </p>
        {review.map(|review| view! {
            // Shown only with a decision, so the standing is always there.
            <ReviewBanner form review standing=Signal::derive(move || standing.get().unwrap_or(Standing::Approved))
                lang utc_offset_minutes=utc_offset_minutes() current open_row/>
        })}
        <SectionNav form current ctx/>
        <form class="household-form" data-testid="household-form" data-id=record.with_untracked(|r| r.id.to_string())
            on:submit=move |ev| ev.prevent_default()>
            // One slot per section, filled only while it is the current one: a section's
            // inputs are always new elements. (Re-rendering one slot would patch the last
            // section's inputs into this one's, and a reused radio keeps the checked state
            // the browser gave it under its old name.)
            {form.sections.iter().enumerate().map(|(index, section)| {
                move || (current.get() == index).then(|| {
                    let skipped = Memo::new(move |_| !ctx.read(None, |f| is_section_relevant(section, f)).unwrap_or(true));
                    view! {
                        <h2 data-testid="section-title">{format!("{}. ", section.id)}{tr(lang, section.title)}</h2>
                        <p class="notice" hidden=move || !skipped.get()>
                            {tr(lang, Text::new(
                                "Bagian ini dilewati karena status keberadaan keluarga (bagian C).",
                                "This section is skipped because of the verification outcome (section C).",
                            ))}
                        </p>
                        <div hidden=move || skipped.get()>
                            {section.items.iter().map(|item| match item {
                                SectionItem::Question(q) => view! { <QuestionView question=q at=None ctx/> }.into_any(),
                                SectionItem::Repeat(r) => view! { <RepeatView repeat=r ctx open_row/> }.into_any(),
                            }).collect_view()}
                        </div>
                    }
                })
            }).collect_view()}
        </form>
        <div class="section-steps">
            <button type="button" class="button button-secondary" data-testid="previous-section"
                disabled=move || current.get() == 0 on:click=move |_| current.update(|c| *c = c.saturating_sub(1))>
                {tr(lang, Text::new("\u{2190} Sebelumnya", "\u{2190} Previous"))}
            </button>
            <button type="button" class="button button-secondary" data-testid="next-section"
                disabled=move || { current.get() + 1 == form.sections.len() }
                on:click=move |_| current.update(|c| *c = (*c + 1).min(form.sections.len() - 1))>
                {tr(lang, Text::new("Berikutnya \u{2192}", "Next \u{2192}"))}
            </button>
        </div>
        // After the last section: the district's own questions for this household, a form of
        // their own on the district forms page (`pages/dataform/section.rs`). Drawn only there,
        // so the first screen stays the one `keluarga.html` prerenders.
        {move || (current.get() + 1 == form.sections.len()).then(|| view! {
            <a class="button button-secondary" data-testid="open-household-sections"
                href=crate::pages::dataform::sections_href(&record.with_untracked(|r| r.id.clone()))>
                {tr(lang, Text::new("J. Pertanyaan daerah \u{2192}", "J. District questions \u{2192}"))}
            </a>
        })}
        <div class="finalize">
            <button type="button" class="button" data-testid="finalize" hidden=move || is_final.get() || asking.get().is_some()
                disabled=move || !editable.get() on:click=ask_to_lock>
                {tr(lang, Text::new("Selesai & kunci", "Finish & lock"))}
            </button>
            <button type="button" class="button button-secondary" data-testid="new-revision"
                hidden=move || !is_final.get() || asking.get().is_some()
                disabled=move || !editable.get() || !review_allows.get() on:click=move |_| asking.set(Some(Step::Correct))>
                {tr(lang, Text::new("Perbaiki (buat revisi baru)", "Correct (make a new revision)"))}
            </button>
            <button type="button" class="button button-secondary button-danger" data-testid="delete-draft"
                hidden=move || !deletable.get() || asking.get().is_some() disabled=move || !can_edit.get()
                on:click=move |_| asking.set(Some(Step::Delete))>
                {tr(lang, Text::new("Hapus draf", "Delete draft"))}
            </button>
            <ConfirmStep asking lang on_confirm=Callback::new(move |step| match step {
                Step::Lock => finalize(()),
                Step::Correct => correct(()),
                Step::Delete => discard(),
            })/>
        </div>
        <p class="notice notice-warning" role="alert" hidden=move || discard_error.with(Option::is_none)>
            {move || discard_error.get().map(|m| m.get(lang.get()).to_owned())}
        </p>
        {move || show_required.get().then(|| view! { <IssueSummary form ctx current open_row/> })}
    }
}

/// The other families on this device holding this family's NIKs and KK, looked up in the
/// store's index whenever a complete (16-digit) number changes. Until they arrive, nothing
/// is flagged; validation never waits for them.
fn device_matches(record: RwSignal<HouseholdRecord>) -> RwSignal<FamilyIndex, LocalStorage> {
    let store = use_store();
    let matches = RwSignal::new_local(FamilyIndex::default());
    let numbers = Memo::new(move |_| {
        record.with(|r| {
            let mut numbers = SearchKeys::of(r).numbers;
            numbers.retain(|n| n.len() == 16);
            numbers
        })
    });
    Effect::new(move |_| {
        let numbers = numbers.get();
        let store = store.get_value();
        leptos::task::spawn_local(async move {
            let mut lookups = Vec::with_capacity(numbers.len());
            for number in numbers {
                // A failed look-up only means no duplicate warning for that number.
                if let Ok(families) = store.with_number(&number).await {
                    lookups.push((number, families));
                }
            }
            matches.try_set(FamilyIndex::from_lookups(lookups));
        });
    });
    matches
}

/// The autosaver of a record's editor (a household's, a district form's): the record written
/// whole to the store, journaled synchronously on every change (`journal_warning` says when
/// the journal could not be written), the browser asked to keep the site's storage after the
/// first write, and `first_change` told the record's id once, on the first change of a new
/// record (its page's address then names it). Saves before the page goes.
pub(crate) fn record_autosaver(
    record: RwSignal<HouseholdRecord>,
    is_new: bool,
    journal_warning: RwSignal<Option<Message>>,
    first_change: impl Fn(RecordId) + 'static,
) -> Autosaver {
    let store = use_store();
    let first_save_pending = StoredValue::new(is_new);
    let first_change_pending = StoredValue::new(is_new);
    let record_id = record.with_untracked(|r| r.id.clone());
    let autosave = Autosaver::new(
        Saving {
            save: Box::new(move || {
                let snapshot = record.get_untracked();
                let store = store.get_value();
                let announce = first_save_pending.get_value();
                Box::pin(async move {
                    store.put(&snapshot).await?;
                    if announce {
                        first_save_pending.try_set_value(false);
                        // A record is on the device now: ask the browser to keep it.
                        leptos::task::spawn_local(async {
                            request_persistence().await;
                        });
                    }
                    Ok(())
                })
            }),
            journal: Box::new(move || {
                let written = record.with_untracked(|r| store.with_value(|s| s.journal_write(r)));
                journal_warning.set(written.err());
                if first_change_pending.get_value() {
                    first_change_pending.set_value(false);
                    first_change(record.with_untracked(|r| r.id.clone()));
                }
            }),
            stored: Box::new(move || store.with_value(|s| s.journal_clear(&record_id))),
        },
        now,
    );
    autosave.flush_on_leave();
    autosave
}

/// Claims the record for editing in this tab. Returns whether it may be edited here and
/// whether another tab holds it. `fresh`: a new record whose id no other tab can know yet,
/// editable at once (a household's section is not: its id comes from the household's). The
/// lock lives as long as the editor and is released when it goes away.
pub(crate) fn claim_draft(id: RecordId, fresh: bool) -> (RwSignal<bool>, RwSignal<bool>) {
    let editable = RwSignal::new(fresh);
    let held_elsewhere = RwSignal::new(false);
    let lock = StoredValue::new_local(None::<DraftLock>);
    // A page going into the browser's back/forward cache lets the draft go: another page
    // may open it for editing meanwhile, and this one reloads if it is shown again.
    let on_hide = window_event_listener(leptos::ev::pagehide, move |ev| {
        if ev.persisted() {
            lock.try_set_value(None);
            editable.try_set(false);
        }
    });
    on_cleanup(move || on_hide.remove());
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
