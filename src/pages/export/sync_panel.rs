//! "Kirim ke server kabupaten": enrolment with the hub (a one-time code, or the QR that
//! opened this page with `?daftar=CODE`), what waits to be sent, what was sent, what the
//! hub refused and why, "Kirim sekarang", and importing a receipt file from a file
//! handover or a review file from the district, or the district's keys from a key QR (the
//! page opened with `#kunci=…`). The sending itself is the sync worker's (`crate::sync`).

use crate::components::{tr, tr_message, ErrorNotice};
use crate::context::use_lang;
use crate::device::utc_offset_minutes;
use crate::file_input::{file_text, take_picked_file};
use crate::route::Page;
use crate::storage::{prefs, HubLink, IdbStore, Quarantined, StoreError, SyncState};
use crate::sync::start::SyncWorker;
use crate::sync::{FromSync, ToSync};
use leptos::prelude::*;
use leptos::task::spawn_local;
use verval_core::seal::published::{KeyPin, LINK_FRAGMENT};
use verval_core::sync::outbox::unsent_count;
use verval_core::text::Message;
use verval_core::Text;

#[derive(Clone, Debug, PartialEq)]
pub struct Status {
    link: Option<HubLink>,
    /// The district's keys batches are sealed to (`keys_panel`).
    pub keys: KeyPin,
    state: SyncState,
    unsent: usize,
    sent: usize,
    quarantined: Vec<Quarantined>,
}

pub async fn status(store: IdbStore) -> Result<Status, StoreError> {
    let link = store.hub_link().await?;
    // The villages enrolled for are where this phone works: their tables stay on it.
    if let Some(link) = &link {
        prefs::widen_work_area(&link.villages);
    }
    // The counts read the whole export ledger (every revision of every batch ever made) on
    // the page's thread; a phone that does not sync shows no counts, so it reads none
    // (bench/export: a 0.5 s frame after a few exports of 10,000 households).
    let (unsent, sent) = match link {
        Some(_) => {
            let outbox = store.outbox_state().await?;
            (unsent_count(&outbox), outbox.acknowledged.len())
        }
        None => (0, 0),
    };
    Ok(Status {
        keys: store.key_pin().await?,
        link,
        state: store.sync_state().await?,
        unsent,
        sent,
        quarantined: store.quarantined().await?,
    })
}

/// The `daftar` parameter of the address: the code a QR carried.
fn code_in_address() -> String {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .and_then(|search| web_sys::UrlSearchParams::new_with_str(&search).ok())
        .and_then(|params| params.get("daftar"))
        .unwrap_or_default()
}

/// The fragment of a key link this page was opened with (`#kunci=…`, a hub's key QR), taken
/// out of the address so a reload does not offer it again. Read whole by the worker, which
/// carries the JSON reader and the checksum the keys need.
fn key_link_in_address() -> Option<String> {
    let window = web_sys::window()?;
    let location = window.location();
    let fragment = location.hash().ok()?;
    if !fragment.trim_start_matches('#').starts_with(LINK_FRAGMENT) {
        return None;
    }
    if let (Ok(history), Ok(path), Ok(search)) = (window.history(), location.pathname(), location.search()) {
        // Failing leaves the link in the address; offering the same keys again changes nothing.
        let _ = history.replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("{path}{search}")),
        );
    }
    Some(fragment)
}

fn this_origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

/// The panel of the sync `data` the page loads (`status`), loaded again when `reloads`
/// changes.
#[component]
pub fn SyncPanel(
    reloads: RwSignal<u32>,
    data: ReadSignal<Option<Result<Status, StoreError>>>,
) -> impl IntoView {
    let lang = Signal::from(use_lang());
    let error = RwSignal::new(None::<Message>);
    let notice = RwSignal::new(None::<Message>);
    let busy = RwSignal::new(false);
    let hub_url = RwSignal::new(this_origin());
    let code = RwSignal::new(code_in_address());
    let on_reply = move |reply: FromSync| {
        match reply {
            FromSync::Synced | FromSync::Ready => {}
            FromSync::Enrolled => {
                prefs::set_sync_enabled(true);
                busy.try_set(false);
                code.try_set(String::new());
            }
            FromSync::Imported { count } => {
                notice.try_set(Some(Message::new(
                    format!("{count} keluarga ditandai Diterima kabupaten."),
                    format!("{count} households marked received by the district."),
                )));
            }
            FromSync::ReviewsImported { new, known } => {
                notice.try_set(Some(Message::new(
                    format!(
                        "Tinjauan kabupaten diambil: {new} keputusan baru, {known} sudah ada sebelumnya."
                    ),
                    format!("The district's review was taken: {new} new decisions, {known} already here."),
                )));
            }
            FromSync::KeysTaken { id, en } => {
                notice.try_set(Some(Message::new(id, en)));
            }
            FromSync::Failed { id, en } => {
                busy.try_set(false);
                error.try_set(Some(Message::new(id, en)));
            }
        }
        reloads.try_update(|n| *n += 1);
    };
    // One worker for this page: it syncs (when enrolled), and enrols and imports receipts
    // for the page.
    let worker = StoredValue::new_local(SyncWorker::start(on_reply));
    let send = move |request: ToSync| {
        let sent = worker.with_value(|w| match w {
            Ok(w) => w.send(&request),
            Err(e) => Err(e.clone()),
        });
        if let Err(message) = sent {
            busy.set(false);
            error.set(Some(message));
        }
    };

    let enrol_now = move |_| {
        busy.set(true);
        error.set(None);
        send(ToSync::Enrol {
            url: hub_url.get_untracked(),
            code: code.get_untracked(),
        });
    };

    if let Some(fragment) = key_link_in_address() {
        send(ToSync::TakeKeys { fragment });
    }

    let sync_now = move |_| send(ToSync::Now);

    // A picked file's text goes to the worker as `request` says.
    let import = move |request: fn(String) -> ToSync| {
        move |ev: leptos::ev::Event| {
            let Some(file) = take_picked_file(&ev) else {
                return;
            };
            error.set(None);
            notice.set(None);
            spawn_local(async move {
                match file_text(&file).await {
                    Ok(text) => send(request(text)),
                    Err(message) => error.set(Some(message)),
                }
            });
        }
    };

    let offset = utc_offset_minutes();
    let enrol_form = move || {
        view! {
            <div class="sync-enrol" data-testid="enrol-form">
                <label for="hub_url">{tr(lang, Text::new("Alamat server kabupaten", "District server address"))}</label>
                <input id="hub_url" name="hub_url" type="url" prop:value=move || hub_url.get()
                    on:input=move |ev| hub_url.set(event_target_value(&ev))/>
                <label for="kode_pendaftaran">{tr(lang, Text::new("Kode pendaftaran dari dinas", "Enrolment code from the district"))}</label>
                <input id="kode_pendaftaran" name="kode_pendaftaran" autocomplete="off" prop:value=move || code.get()
                    on:input=move |ev| code.set(event_target_value(&ev))/>
                <button type="button" class="button" data-testid="enrol" disabled=move || busy.get() on:click=enrol_now>
                    {tr(lang, Text::new("Daftarkan perangkat", "Enrol this device"))}
                </button>
            </div>
        }
    };

    view! {
        <section class="sync-panel" data-testid="sync-panel">
            <h2>{tr(lang, Text::new("Kirim ke server kabupaten", "Send to the district server"))}</h2>
            {move || match data.get() {
                None => ().into_any(),
                Some(Err(e)) => view! { <ErrorNotice message=e.message() lang/> }.into_any(),
                Some(Ok(s)) => {
                    let Some(link) = s.link.clone() else {
                        return view! {
                            <p>{tr(lang, Text::new(
                                "Perangkat ini belum terdaftar. Data tetap bisa diekspor ke berkas di bawah.",
                                "This device is not enrolled. Data can still be exported to a file below.",
                            ))}</p>
                            {enrol_form()}
                        }.into_any();
                    };
                    let who = Message::new(
                        format!("Terdaftar sebagai {} di {} (desa {}).", link.enumerator, link.hub, link.villages.join(", ")),
                        format!("Enrolled as {} with {} (villages {}).", link.enumerator, link.hub, link.villages.join(", ")),
                    );
                    let unsent = s.unsent;
                    let sent = s.sent;
                    let counts = Message::new(
                        format!("{unsent} rekaman belum terkirim · {sent} revisi diterima kabupaten"),
                        format!("{unsent} records not yet sent · {sent} revisions received by the district"),
                    );
                    let last = s.state.last_ok_at.map(|at| (Message::new(
                        format!("Terakhir berhasil {}", at.format_local(offset)),
                        format!("Last success {}", at.format_local(offset)),
                    ), at.0));
                    let next = s.state.next_try_at.filter(|_| !s.state.blocked).map(|at| Message::new(
                        format!("Dicoba lagi sekitar {} (atau saat tersambung)", at.format_local(offset)),
                        format!("Trying again around {} (or when back online)", at.format_local(offset)),
                    ));
                    let failure = s.state.last_error.clone().map(|(id, en)| Message::new(id, en));
                    let blocked = s.state.blocked;
                    let quarantined = s.quarantined.clone();
                    let none_held = quarantined.is_empty();
                    view! {
                        <p data-testid="sync-enrolled">{tr_message(lang, who)}</p>
                        <p data-testid="sync-counts" data-unsent=unsent data-sent=sent>{tr_message(lang, counts)}</p>
                        {last.map(|(m, at)| view! { <p class="muted" data-testid="sync-last-ok" data-at=at>{tr_message(lang, m)}</p> })}
                        {failure.map(|m| view! { <p class="notice" data-testid="sync-error">{tr_message(lang, m)}</p> })}
                        {next.map(|m| view! { <p class="muted" data-testid="sync-next">{tr_message(lang, m)}</p> })}
                        <button type="button" class="button" data-testid="sync-now" on:click=sync_now hidden=blocked>
                            {tr(lang, Text::new("Kirim sekarang", "Send now"))}
                        </button>
                        {blocked.then(enrol_form)}
                        <ul class="quarantine" data-testid="quarantine" hidden=none_held>
                            {quarantined.into_iter().map(|q| {
                                let text = Message::new(
                                    format!("Ditahan (revisi {}): {}. Perbaiki lalu finalkan lagi.", q.revision, q.reason),
                                    format!("Held back (revision {}): {}. Correct it and finalize again.", q.revision, q.reason),
                                );
                                view! {
                                    <li data-testid="quarantined" data-id=q.id.clone()>
                                        <a href=Page::Household.at(&q.id)>{q.id.clone()}</a>" "
                                        {tr_message(lang, text)}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
            {move || error.get().map(|message| view! { <ErrorNotice message lang/> })}
            {move || notice.get().map(|message| view! { <p class="notice notice-ok" data-testid="sync-notice">{tr_message(lang, message)}</p> })}
            <label for="tanda_terima">{tr(lang, Text::new("Impor tanda terima dari kabupaten (.json)", "Import a receipt from the district (.json)"))}</label>
            <input id="tanda_terima" name="tanda_terima" type="file" accept=".json,application/json"
                data-testid="import-receipt" on:change=import(|text| ToSync::ImportReceipt { text })/>
            <label for="berkas_tinjauan">{tr(lang, Text::new("Impor berkas tinjauan dari kabupaten (.json)", "Import a review file from the district (.json)"))}</label>
            <input id="berkas_tinjauan" name="berkas_tinjauan" type="file" accept=".json,application/json"
                data-testid="import-reviews" on:change=import(|text| ToSync::ImportReviews { text })/>
        </section>
    }
}
