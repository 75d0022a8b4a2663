//! "Ekspor batch": the finalized households leave the phone as one verifiable zip
//! (docs/batch-format.md), downloaded or shared; the batches made here stay listed, with
//! their files, until the user deletes them after the district's receipt.

mod backup_panel;
mod keys_panel;
mod sync_panel;

use crate::components::{
    plain_before_keys, tr, tr_message, BatchMade, BatchRow, ChoosableFamily, ErrorNotice,
};
use crate::context::{use_lang, use_store};
use crate::deliver::can_share_files;
use crate::device::{now, utc_offset_minutes};
use crate::export_job::protocol::{Job, Reply, Request, Selection, WORKER_NAME, WORKER_SCRIPT};
use crate::job_worker::JobWorker;
use crate::load::load;
use crate::route::Route;
use crate::storage::{BatchInfo, Leaving, StoreError};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::BTreeSet;
use verval_core::export::profile::UnknownProfile;
use verval_core::export::Profile;
use verval_core::record::{HouseholdSummary, RecordStatus};
use verval_core::store::HouseholdStore;
use verval_core::text::Message;
use verval_core::{Lang, RecordId, Text};

/// Which households the next batch holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Choice {
    /// Finalized and not yet in a batch: the default.
    Pending,
    /// Every finalized household, for a re-export.
    All,
    /// The ones ticked.
    Chosen,
}

/// What the page shows, read in one go: counts, never the households themselves (a phone
/// with 10,000 of them would spend seconds drawing rows nobody asked for).
#[derive(Clone, Debug, PartialEq)]
struct Overview {
    /// Records waiting for a batch: households and district form records.
    pending: u32,
    /// Of them, district form records (issue #25): they go in batches beside the
    /// households, and are counted apart from them.
    pending_forms: u32,
    /// Households, and apart from them district form records, of each status.
    finals: u32,
    form_finals: u32,
    /// Households only: a district form's drafts are on the forms page.
    drafts: u32,
    batches: Vec<BatchInfo>,
    /// Batches leave sealed: a plain one made earlier is not handed over again.
    seals: bool,
    /// Village meetings the hub has not taken: `Some(changed)`, changed since the last batch
    /// file carried them (a batch file carries them, with households or alone).
    meetings: Option<bool>,
}

async fn overview(store: crate::storage::IdbStore) -> Result<Overview, StoreError> {
    let batches = store.batches().await?;
    let seals = store.phone_seals().await?;
    let (finals, form_finals) = store.counts_with_status(RecordStatus::Final).await?;
    let drafts = store.count_with_status(RecordStatus::Draft).await?;
    Ok(Overview {
        pending: store.pending_count().await?,
        pending_forms: store.pending_form_count().await?,
        finals,
        form_finals,
        drafts,
        meetings: store.meetings_for_batch(&batches, seals).await?,
        batches,
        seals,
    })
}

/// How many finalized households the "choose" list shows at a time.
const PAGE: u32 = 25;

/// A finalized household to choose, with the batches it went out in and the newest
/// revision the district acknowledged (and how).
type Choosable = (HouseholdSummary, Vec<String>, Option<(u32, String)>);

/// The finalized households to choose from, newest first.
async fn choosable(store: crate::storage::IdbStore, limit: u32) -> Result<Vec<Choosable>, StoreError> {
    let acks = store.acks().await?;
    let mut out = Vec::new();
    for summary in store.search(None, Some(RecordStatus::Final), limit).await? {
        let batches = store.exports_of(&summary.id).await?;
        let id = summary.id.to_string();
        let received = acks
            .iter()
            .filter(|a| a.id == id)
            .max_by_key(|a| a.revision)
            .map(|a| (a.revision, a.via.clone()));
        out.push((
            summary,
            batches.into_iter().map(|e| e.file_name).collect(),
            received,
        ));
    }
    Ok(out)
}

#[component]
pub fn ExportPage() -> impl IntoView {
    let store = use_store();
    let lang = Signal::from(use_lang());
    let reloads = RwSignal::new(0u32);
    let data = load(move || {
        reloads.track();
        overview(store.get_value())
    });
    let sync = load(move || {
        reloads.track();
        sync_panel::status(store.get_value())
    });
    // The page shows once both are read: appearing piece by piece, the enrolment form pushed
    // the export below it 350 px down under the enumerator's thumb (CLS 0.35).
    let loading = move || sync.with(Option::is_none) || data.with(Option::is_none);
    let choice = RwSignal::new(Choice::Pending);
    let chosen = RwSignal::new(BTreeSet::<RecordId>::new());
    let profile = RwSignal::new(Profile::Lengkap);
    let step = RwSignal::new(None::<Reply>);
    let made = RwSignal::new(None::<(Vec<BatchInfo>, usize, u64)>);
    let error = RwSignal::new(None::<Message>);
    let shareable = can_share_files();
    let worker = StoredValue::new_local(JobWorker::new(WORKER_SCRIPT, WORKER_NAME));

    let shown = RwSignal::new(PAGE);
    let choices = load(move || {
        reloads.track();
        let wanted = choice.get() == Choice::Chosen;
        let limit = shown.get();
        let store = store.get_value();
        async move {
            match wanted {
                true => choosable(store, limit).await.map(Some),
                false => Ok(None),
            }
        }
    });

    let make = move |_| {
        let Some(Ok(overview)) = data.get_untracked() else {
            return;
        };
        let (selection, total) = match choice.get_untracked() {
            Choice::Pending => (Selection::Pending, overview.pending as usize),
            Choice::All => (
                Selection::AllFinal,
                (overview.finals + overview.form_finals) as usize,
            ),
            Choice::Chosen => {
                let ids: Vec<String> = chosen.get_untracked().iter().map(ToString::to_string).collect();
                let total = ids.len();
                (Selection::Chosen { ids }, total)
            }
        };
        made.set(None);
        // Meetings changed since the last batch make a batch of their own.
        if total == 0 && overview.meetings != Some(true) {
            error.set(Some(Message::new(
                "Tidak ada keluarga final untuk batch ini.".to_owned(),
                "No finalized household for this batch.".to_owned(),
            )));
            return;
        }
        error.set(None);
        step.set(Some(Reply::Reading { done: 0, total }));
        let request = Request {
            job: Job::Batch {
                selection,
                profile: profile.get_untracked(),
            },
            session: crate::storage::session::session_copy(crate::storage::schema::DB_NAME),
        };
        let on_reply = move |reply: Reply| match reply {
            Reply::Done {
                parts,
                skipped,
                peak_memory,
            } => {
                step.try_set(None);
                made.try_set(Some((parts, skipped, peak_memory)));
                chosen.try_set(BTreeSet::new());
                reloads.try_update(|n| *n += 1);
            }
            Reply::Failed { id, en } => {
                step.try_set(None);
                error.try_set(Some(Message::new(id, en)));
                reloads.try_update(|n| *n += 1);
            }
            progress => {
                step.try_set(Some(progress));
            }
        };
        if let Err(message) = worker
            .try_update_value(|w| w.start(&request, on_reply))
            .unwrap_or(Ok(()))
        {
            step.set(None);
            error.set(Some(message));
        }
    };

    // Hands a stored batch over and notes it; a closed share sheet changes nothing.
    let hand_over = move |info: BatchInfo, by_share: bool| {
        spawn_local(async move {
            let store = store.get_value();
            let outcome = async {
                let blob = match store
                    .leaving_file(&info.batch_id)
                    .await
                    .map_err(|e| e.message())?
                {
                    Leaving::File(blob) => blob,
                    Leaving::Deleted => {
                        return Err(Message::new(
                            "Berkas batch ini sudah dihapus dari perangkat.".to_owned(),
                            "This batch's file was deleted from the device.".to_owned(),
                        ))
                    }
                    Leaving::PlainBeforeKeys => return Err(plain_before_keys()),
                };
                crate::deliver::hand_over(&blob, &info.file_name, by_share).await?;
                store
                    .mark_handed_over(&info.batch_id, now())
                    .await
                    .map_err(|e| e.message())
            };
            if let Err(message) = outcome.await {
                error.try_set(Some(message));
            }
            reloads.try_update(|n| *n += 1);
        });
    };

    let delete = move |info: BatchInfo| {
        let question = Message::new(
            format!("Hapus berkas {}? Lakukan hanya setelah kabupaten menerimanya. Data keluarga tetap ada di perangkat.", info.file_name),
            format!("Delete the file {}? Only after the district has received it. The households stay on the device.", info.file_name),
        );
        let confirmed = web_sys::window()
            .and_then(|w| w.confirm_with_message(question.get(lang.get_untracked())).ok())
            .unwrap_or(false);
        if !confirmed {
            return;
        }
        spawn_local(async move {
            if let Err(e) = store.get_value().delete_batch_file(&info.batch_id, now()).await {
                error.try_set(Some(e.message()));
            }
            reloads.try_update(|n| *n += 1);
        });
    };

    let offset = utc_offset_minutes();
    view! {
        <section class="page">
            <div class="page-head">
                <h1>{tr(lang, Text::new("Kirim dan ekspor", "Send and export"))}</h1>
                <a class="button button-secondary" href=Route::Households.href()>
                    {tr(lang, Text::new("Daftar keluarga", "Households"))}
                </a>
            </div>
            <p class="muted" hidden=move || !loading()>{tr(lang, Text::new("Memuat…", "Loading…"))}</p>
            <div hidden=loading>
            <sync_panel::SyncPanel reloads data=sync/>
            <keys_panel::KeysPanel reloads data=sync/>
            <h2>{tr(lang, Text::new("Ekspor batch ke berkas", "Export a batch file"))}</h2>
            {move || match data.get() {
                // Not shown: the page waits for this read (`loading`).
                None => ().into_any(),
                Some(Err(e)) => view! { <ErrorNotice message=e.message() lang/> }.into_any(),
                Some(Ok(o)) => {
                    let pending = o.pending;
                    let finals = o.finals + o.form_finals;
                    let drafts = o.drafts;
                    // Households and district form records (issue #25) are counted apart.
                    let forms = o.pending_forms;
                    let households = pending.saturating_sub(forms);
                    let pending_text = match forms {
                        0 => Message::new(
                            format!("{households} keluarga final belum diekspor"),
                            format!("{households} finalized households not yet exported"),
                        ),
                        _ => Message::new(
                            format!("{households} keluarga dan {forms} rekaman formulir daerah final belum diekspor"),
                            format!("{households} finalized households and {forms} district form records not yet exported"),
                        ),
                    };
                    let drafts_text = Message::new(
                        format!("{drafts} keluarga masih draf dan tidak ikut. Selesaikan dan finalkan dulu."),
                        format!("{drafts} households are drafts and are left out. Finish and finalize them first."),
                    );
                    let meetings = o.meetings.map(|changed| {
                        let text = match changed {
                            true => Text::new(
                                "Keputusan musyawarah desa yang belum diterima hub ikut di batch berikut, juga tanpa keluarga.",
                                "Village meeting decisions the hub has not taken go in the next batch, even with no household.",
                            ),
                            false => Text::new(
                                "Keputusan musyawarah desa sudah ikut di batch terakhir dan ikut lagi di setiap batch sampai hub menerimanya.",
                                "Village meeting decisions went in the last batch and go in every batch until the hub takes them.",
                            ),
                        };
                        view! {
                            <p class="notice" data-testid="musdes-for-batch" data-changed=changed.to_string()>
                                {tr(lang, text)}
                            </p>
                        }
                    });
                    view! {
                        <p data-testid="pending-count" data-count=households>{tr_message(lang, pending_text)}</p>
                        {meetings}
                        <p class="notice" data-testid="draft-count" data-count=drafts hidden=drafts == 0>
                            {tr_message(lang, drafts_text)}
                        </p>
                        <fieldset class="export-choice">
                            <legend>{tr(lang, Text::new("Isi batch", "What the batch holds"))}</legend>
                            <ChoiceOption choice value=Choice::Pending id="isi-baru" lang
                                label=Message::new(format!("Belum diekspor ({pending})"), format!("Not yet exported ({pending})"))/>
                            <ChoiceOption choice value=Choice::All id="isi-semua" lang
                                label=Message::new(format!("Semua final, untuk ekspor ulang ({finals})"), format!("Everything finalized, to export again ({finals})"))/>
                            <ChoiceOption choice value=Choice::Chosen id="isi-pilih" lang
                                label=Message::new("Pilih keluarga".to_owned(), "Choose households".to_owned())/>
                        </fieldset>
                    }.into_any()
                }
            }}
            {move || match choices.get() {
                Some(Ok(Some(rows))) => {
                    let more = rows.len() as u32 >= shown.get_untracked();
                    view! {
                        <ul class="export-records" data-testid="export-records">
                            {rows.into_iter().map(|(summary, batches, received)| view! {
                                <ChoosableFamily summary batches received chosen lang/>
                            }).collect_view()}
                        </ul>
                        <button type="button" class="button button-secondary" hidden=!more
                            on:click=move |_| shown.update(|n| *n += PAGE)>
                            {tr(lang, Text::new("Tampilkan lebih banyak", "Show more"))}
                        </button>
                    }.into_any()
                }
                Some(Err(e)) => view! { <ErrorNotice message=e.message() lang/> }.into_any(),
                _ => ().into_any(),
            }}
            <label for="profil">{tr(lang, Text::new("Kolom spreadsheet", "Spreadsheet columns"))}</label>
            <select id="profil" name="profil" data-testid="export-profile"
                on:change=move |ev| {
                    let id = event_target_value(&ev);
                    match Profile::parse(&id) {
                        Some(chosen) => profile.set(chosen),
                        None => error.set(Some(UnknownProfile(id).message())),
                    }
                }>
                {Profile::ALL.into_iter().map(|p| view! {
                    <option value=p.id()>{tr(lang, p.label())}</option>
                }).collect_view()}
            </select>
            <button type="button" class="button" data-testid="make-batch"
                disabled=move || step.get().is_some() on:click=make>
                {tr(lang, Text::new("Buat batch", "Make the batch"))}
            </button>
            {move || step.get().map(|s| view! { <Progress step=s lang/> })}
            {move || error.get().map(|message| view! { <ErrorNotice message lang/> })}
            {move || made.get().map(|(parts, skipped, peak_memory)| view! {
                <BatchMade parts skipped peak_memory shareable lang
                    on_hand_over=Callback::new(move |(info, by_share)| hand_over(info, by_share))/>
            })}
            <h2>{tr(lang, Text::new("Batch di perangkat ini", "Batches on this device"))}</h2>
            <ul class="batch-list" data-testid="batch-list">
                {move || data.get().and_then(Result::ok).map(|o| o.batches.into_iter().map(|info| view! {
                    <BatchRow info seals=o.seals utc_offset_minutes=offset lang
                        on_download=Callback::new(move |info| hand_over(info, false))
                        on_delete=Callback::new(delete)/>
                }).collect_view())}
            </ul>
            <backup_panel::BackupPanel reloads/>
            </div>
        </section>
    }
}

#[component]
fn ChoiceOption(
    choice: RwSignal<Choice>,
    value: Choice,
    id: &'static str,
    label: Message,
    lang: Signal<Lang>,
) -> impl IntoView {
    view! {
        // The whole row is the target, not only the radio and its words.
        <label class="choice" for=id>
            <input type="radio" name="isi" id=id prop:checked=move || choice.get() == value
                on:change=move |_| choice.set(value)/>
            <span>{tr_message(lang, label)}</span>
        </label>
    }
}

#[component]
fn Progress(step: Reply, lang: Signal<Lang>) -> impl IntoView {
    let (done, total, text) = match step {
        Reply::Reading { done, total } => (
            done,
            total.max(1),
            Message::new(
                format!("Membaca keluarga {done} dari {total}…"),
                format!("Reading household {done} of {total}…"),
            ),
        ),
        Reply::Writing => (
            1,
            1,
            Message::new("Menyusun berkas…".to_owned(), "Writing the files…".to_owned()),
        ),
        _ => (
            1,
            1,
            Message::new("Menyimpan batch…".to_owned(), "Saving the batch…".to_owned()),
        ),
    };
    view! {
        <div class="export-progress">
            <progress data-testid="export-progress" max=total value=done></progress>
            <span>{tr_message(lang, text)}</span>
        </div>
    }
}
