use crate::components::{tr, tr_message, ErrorNotice, HouseholdRow, StorageStatus};
use crate::context::{use_lang, use_store};
use crate::device::{now, utc_offset_minutes};
use crate::load::load;
use crate::route::{backup_panel, Page, Route};
use crate::storage::quota::storage_health;
use crate::storage::StoreError;
use leptos::prelude::*;
use verval_core::export::nudge::ExportState;
use verval_core::offline::Readiness;
use verval_core::record::{HouseholdSummary, RecordStatus};
use verval_core::review::book::Standing;
use verval_core::search::Query;
use verval_core::store::HouseholdStore;
use verval_core::text::Message;
use verval_core::vault::reminder::BackupState;
use verval_core::Lang;
use verval_core::Text;

/// How many households the list shows before "Tampilkan lebih banyak": three screens of a
/// phone. More rows cost rendering time on a cheap phone (bench/list: 100 rows made the list
/// with 10,000 households open 1.34× slower than with 10).
const PAGE: u32 = 25;

/// "Daftar keluarga": the households stored on this device, most recently changed first.
#[component]
pub fn HouseholdsPage() -> impl IntoView {
    let store = use_store();
    let lang = use_lang();
    let limit = RwSignal::new(PAGE);
    let typed = RwSignal::new(String::new());
    let filter = RwSignal::new(Filter::Status(None));
    let listing = load(move || {
        let store = store.get_value();
        let limit = limit.get();
        let typed = typed.get();
        let filter = filter.get();
        async move {
            // One load for the page: the storage figures come with the list they describe.
            let health = storage_health().await;
            let rows = async {
                // Every household the district decided on: few, and each row shows where
                // it stands.
                let standings = store.standings().await?;
                let found = match filter {
                    Filter::Status(status) => {
                        store.search(Query::parse(&typed).as_ref(), status, limit).await?
                    }
                    // The few the district sent back: no search; typing
                    // searches the whole list again (`on_search`).
                    Filter::SentBack => standings
                        .iter()
                        .filter(|(_, standing)| *standing == Standing::SentBack)
                        .map(|(summary, _)| summary.clone())
                        .collect(),
                };
                Ok::<_, StoreError>(Listed {
                    count: store.count().await?,
                    found,
                    standings,
                })
            };
            let rows = rows.await;
            // Not knowing the export or backup state must not hide the list. Only a phone
            // with the district's keys can make a backup, so only it is reminded (a page
            // open on such a phone has a PIN: `lock::gate`).
            let export = store.export_state(now()).await.ok();
            let backup = match crate::lock::state().pin_set {
                true => store.backup_state(now()).await.ok(),
                false => None,
            };
            (rows, health, export, backup)
        }
    });
    let filtering = move || !typed.with(|t| t.trim().is_empty()) || filter.get() != Filter::Status(None);
    let on_search = move |ev: leptos::ev::Event| {
        typed.set(event_target_value(&ev));
        if filter.get_untracked() == Filter::SentBack {
            filter.set(Filter::Status(None));
        }
        limit.set(PAGE);
    };
    let choose = move |chosen: Filter| {
        if chosen == Filter::SentBack {
            typed.set(String::new());
        }
        filter.set(chosen);
        limit.set(PAGE);
    };
    let health = move || listing.get().map(|(_, health, _, _)| health);
    let export = move || listing.get().and_then(|(_, _, export, _)| export);
    let backup = move || listing.get().and_then(|(_, _, _, backup)| backup);
    // Apart from the list's load: on a first visit it waits until the app is stored.
    let readiness = RwSignal::new(Readiness::Preparing as u32);
    leptos::task::spawn_local(async move {
        readiness.try_set(crate::offline::readiness().await);
    });
    let offset = utc_offset_minutes();
    let lang_signal = Signal::from(lang);

    view! {
        <section class="page">
            <div class="page-head">
                <h1>{tr(lang_signal, Text::new("Daftar keluarga", "Households"))}</h1>
                <a class="button" href=Route::NewHousehold.href() data-testid="add-household">
                    {tr(lang_signal, Text::new("Tambah keluarga", "Add household"))}
                </a>
            </div>
            <a class="back" href=Page::Campaign.href() data-testid="open-campaign">
                {tr(lang_signal, Text::new("Daftar kunjungan (prelist)", "Visit list (prelist)"))}
            </a>
            " "
            <a class="back" href=Page::DataForms.href() data-testid="open-data-forms">
                {tr(lang_signal, Text::new("Formulir daerah", "District forms"))}
            </a>
            <div class="list-filters">
                <label for="cari">{tr(lang_signal, Text::new("Cari nama, NIK atau No. KK", "Search a name, NIK or KK number"))}</label>
                <input id="cari" name="cari" type="search" autocomplete="off" data-testid="search-households"
                    prop:value=move || typed.get() on:input=on_search/>
                <label for="status">{tr(lang_signal, Text::new("Status", "Status"))}</label>
                <select id="status" name="status" data-testid="filter-status"
                    prop:value=move || filter.get().code()
                    on:change=move |ev| choose(Filter::parse(&event_target_value(&ev)))>
                    {Filter::ALL.into_iter().map(|f| view! {
                        <option value=f.code()>{tr(lang_signal, f.label())}</option>
                    }).collect_view()}
                </select>
            </div>
            {move || export().map(|state| view! { <ExportReminder state offline=readiness lang=lang_signal/> })}
            {move || backup().map(|state| view! { <BackupReminder state lang=lang_signal/> })}
            {move || match listing.get().map(|(rows, _, _, _)| rows) {
                None => view! { <p class="muted">{tr(lang_signal, Text::new("Memuat…", "Loading…"))}</p> }.into_any(),
                Some(Err(error)) => view! { <ErrorNotice message=error.message() lang=lang_signal/> }.into_any(),
                Some(Ok(Listed { count, found: rows, standings })) => {
                    // Families the district sent back come first: they wait for the enumerator.
                    let sent_back = standings.iter().filter(|(_, s)| *s == Standing::SentBack).count();
                    let sent_back_text = Message::new(
                        format!("Perlu perbaikan ({sent_back}): dikembalikan kabupaten dengan catatan"),
                        format!("Needs correction ({sent_back}): sent back by the district with notes"),
                    );
                    let shown = rows.len() as u32;
                    let found = Message::new(format!("{shown} ditemukan"), format!("{shown} found"));
                    let more = shown >= limit.get_untracked();
                    let stored_count = Message::new(
                        format!("{count} keluarga tersimpan di perangkat ini"),
                        format!("{count} households stored on this device"),
                    );
                    view! {
                        <p class="notice notice-warning" hidden=sent_back == 0>
                            <button type="button" class="link" data-testid="sent-back-filter" data-count=sent_back
                                on:click=move |_| choose(Filter::SentBack)>
                                {tr_message(lang_signal, sent_back_text)}
                            </button>
                        </p>
                        <p class="muted" data-testid="household-count" data-count=count>
                            {tr_message(lang_signal, stored_count)}
                        </p>
                        <p class="muted" data-testid="found-count" data-count=shown hidden=!filtering()>
                            {tr_message(lang_signal, found)}
                        </p>
                        <p class="empty" hidden=count != 0>{tr(lang_signal, Text::new(
                                "Belum ada keluarga. Tekan \u{201c}Tambah keluarga\u{201d} untuk mulai mendata.",
                                "No households yet. Press \u{201c}Add household\u{201d} to start.",
                            ))}</p>
                        <ul class="household-list" data-testid="household-list">
                            {rows.into_iter().map(|summary| view! {
                                <HouseholdRow summary lang=lang_signal utc_offset_minutes=offset/>
                            }).collect_view()}
                        </ul>
                        <button type="button" class="button button-secondary" data-testid="show-more" hidden=!more
                                on:click=move |_| limit.update(|l| *l += PAGE)>
                                {tr(lang_signal, Text::new("Tampilkan lebih banyak", "Show more"))}
                            </button>
                    }.into_any()
                }
            }}
            {move || health().map(|health| view! { <StorageStatus health lang=lang_signal/> })}
        </section>
    }
}

/// What the list holds besides the rows: how many households in all, and where each one
/// the district decided on stands (what "Perlu perbaikan (n)" counts).
#[derive(Clone)]
struct Listed {
    count: u32,
    found: Vec<HouseholdSummary>,
    standings: Vec<(HouseholdSummary, Standing)>,
}

/// What the list is narrowed to: a record status, or the families the district sent back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Filter {
    /// `None`: everything.
    Status(Option<RecordStatus>),
    SentBack,
}

impl Filter {
    const ALL: [Filter; 4] = [
        Filter::Status(None),
        Filter::Status(Some(RecordStatus::Draft)),
        Filter::Status(Some(RecordStatus::Final)),
        Filter::SentBack,
    ];

    fn code(self) -> &'static str {
        match self {
            Filter::Status(None) => "",
            Filter::Status(Some(RecordStatus::Draft)) => "draft",
            Filter::Status(Some(RecordStatus::Final)) => "final",
            Filter::SentBack => "perlu_perbaikan",
        }
    }

    fn parse(code: &str) -> Filter {
        Filter::ALL
            .into_iter()
            .find(|f| f.code() == code)
            .unwrap_or(Filter::Status(None))
    }

    fn label(self) -> Text {
        match self {
            Filter::Status(None) => Text::new("Semua", "All"),
            Filter::Status(Some(RecordStatus::Draft)) => Text::new("Draf", "Draft"),
            Filter::Status(Some(RecordStatus::Final)) => Text::new("Final", "Final"),
            Filter::SentBack => Standing::SentBack.label(),
        }
    }
}

/// How long since the last export, and a reminder once finalized households have waited
/// three days: they exist only on this phone until a batch takes them. Then whether the
/// phone is ready to work with no signal.
#[component]
fn ExportReminder(
    state: ExportState,
    /// Whether the phone can work with no signal: a [`Readiness`] by its place in
    /// [`Readiness::ALL`] (a number, so the page reuses its number signals' code).
    offline: RwSignal<u32>,
    lang: Signal<Lang>,
) -> impl IntoView {
    let pending = state.pending;
    let last = match state.days_since_export {
        None => Message::new(
            "Belum pernah ekspor dari perangkat ini.".to_owned(),
            "Nothing exported from this device yet.".to_owned(),
        ),
        Some(0) => Message::new(
            "Ekspor terakhir: hari ini.".to_owned(),
            "Last export: today.".to_owned(),
        ),
        Some(days) => Message::new(
            format!("Ekspor terakhir: {days} hari lalu."),
            format!("Last export: {days} days ago."),
        ),
    };
    let waiting = Message::new(
        format!("{pending} keluarga final hanya ada di HP ini. Ekspor sekarang agar data aman."),
        format!("{pending} finalized households exist only on this phone. Export now to keep them safe."),
    );
    view! {
        <div class=if state.nudge { "notice notice-warning" } else { "export-status" }
            data-testid="export-status" data-pending=pending data-nudge=state.nudge.to_string()>
            <span data-testid="last-export">{tr_message(lang, last)}</span>
            <span hidden=!state.nudge data-testid="export-nudge">" "{tr_message(lang, waiting)}</span>
            " "
            <a class="back" href=Page::Export.href() data-testid="open-export">{tr(lang, Text::new("Ekspor batch", "Export a batch"))}</a>
            <p data-testid="offline-ready">
                {move || Readiness::at(offline.get()).text().get(lang.get())}
            </p>
        </div>
    }
}

/// A reminder to back the phone up once its households changed after a backup a week old, or
/// a week after the first change never backed up (`vault::reminder`): drafts and photos leave
/// the phone only in a backup. Nothing is shown otherwise.
#[component]
fn BackupReminder(state: BackupState, lang: Signal<Lang>) -> impl IntoView {
    let text = match state.days_since_backup {
        None => Message::new(
            "HP ini belum pernah dicadangkan. Draf dan foto hanya ada di HP ini: buat cadangan perangkat.".to_owned(),
            "This phone has never been backed up. Drafts and photos exist only on this phone: make a device backup."
                .to_owned(),
        ),
        Some(days) => Message::new(
            format!("Cadangan terakhir {days} hari lalu, dan data sudah berubah sejak itu. Buat cadangan baru."),
            format!("The last backup was {days} days ago and the data has changed since. Make a new one."),
        ),
    };
    state.remind.then(|| {
        view! {
            <p class="notice notice-warning" data-testid="backup-reminder" data-days=state.days_since_backup>
                {tr_message(lang, text)}" "
                <a class="back" href=backup_panel() data-testid="open-backup">
                    {tr(lang, Text::new("Cadangkan perangkat", "Back up this device"))}
                </a>
            </p>
        }
    })
}
