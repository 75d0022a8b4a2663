//! Where the assignment comes from: downloaded from the district hub (at once when the page
//! opens on an enrolled, online phone, or with the button), or imported as a file handed
//! over. Both are the district's list: saved as the hub's source, merged with the families
//! on the phone without touching the ones read from a prelist on the phone
//! (`verval_core::campaign::merge`); the notice says what changed.

use crate::components::{tr, tr_message, ErrorNotice};
use crate::context::{use_lang, use_store};
use crate::device::{now, utc_offset_minutes};
use crate::file_input::{file_bytes, take_picked_file};
use crate::load::load;
use crate::storage::{AssignmentInfo, Assignments, HubLink, IdbStore, Source, StoreError};
use crate::sync::client;
use leptos::prelude::*;
use leptos::task::spawn_local;
use verval_core::campaign::assignment::parse_assignment;
use verval_core::seal::published::{refused, Channel, Offer};
use verval_core::sync::api::Assignment;
use verval_core::text::Message;
use verval_core::Text;

async fn source(store: IdbStore) -> Result<(Assignments, Option<HubLink>), StoreError> {
    Ok((store.assignment_info().await?, store.hub_link().await?))
}

/// One source's list as the panel names it.
fn about(i: &AssignmentInfo, local: bool, offset: i32) -> Message {
    let at = i.received_at.format_local(offset);
    let villages = i.villages.join(", ");
    let (hub, who) = (&i.hub, &i.enumerator);
    if local {
        return Message::new(
            format!("Daftar dari berkas {hub} (diimpor di perangkat {at}), desa {villages}."),
            format!("List from the file {hub} (imported on this phone {at}), villages {villages}."),
        );
    }
    let (via, via_en) = if i.via == "hub" {
        ("diunduh", "downloaded")
    } else {
        ("diimpor", "imported")
    };
    Message::new(
        format!("Penugasan {hub} untuk {who} ({via} {at}), desa {villages}."),
        format!("Assignment from {hub} for {who} ({via_en} {at}), villages {villages}."),
    )
}

fn online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

/// The assignment's message, and what its keys did.
fn with_keys(saved: Message, offer: Offer) -> Message {
    match offer.news() {
        Some(news) => Message::new(
            format!("{} {}", saved.id, news.id),
            format!("{} {}", saved.en, news.en),
        ),
        None => saved,
    }
}

#[component]
pub fn AssignmentPanel(reloads: RwSignal<u32>) -> impl IntoView {
    let store = use_store();
    let lang = Signal::from(use_lang());
    let data = load(move || {
        reloads.track();
        source(store.get_value())
    });
    let notice = RwSignal::new(None::<Message>);
    let error = RwSignal::new(None::<Message>);
    let busy = RwSignal::new(false);

    // `channel`: downloaded from the hub with the device's token, or a file someone handed
    // over (whose keys wait for the fingerprints to be checked).
    let keep = move |assignment: Assignment, via: &'static str, channel: Channel| {
        spawn_local(async move {
            let store = store.get_value();
            match store.save_assignment(&assignment, Source::Hub, now(), via).await {
                Ok(update) => {
                    let saved = update.message(Source::Hub);
                    // The district's keys come with the list for a phone without a hub.
                    match store.offer_keys(&assignment.district_keys, channel).await {
                        Ok(Ok(offer)) => notice.set(Some(with_keys(saved, offer))),
                        Ok(Err(e)) => {
                            notice.set(Some(saved));
                            error.set(Some(refused(&e)));
                        }
                        Err(e) => error.set(Some(e.message())),
                    }
                }
                Err(e) => error.set(Some(e.message())),
            }
            busy.set(false);
            reloads.update(|n| *n += 1);
        });
    };

    let download = move || {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        notice.set(None);
        spawn_local(async move {
            let link = match store.get_value().hub_link().await {
                Ok(Some(link)) => link,
                Ok(None) => return busy.set(false),
                Err(e) => {
                    busy.set(false);
                    return error.set(Some(e.message()));
                }
            };
            match client::assignment(&link.url, &link.token).await {
                Ok(assignment) => keep(assignment, "hub", Channel::Hub),
                Err(e) => {
                    busy.set(false);
                    error.set(Some(e.message()));
                }
            }
        });
    };

    // An enrolled phone that is online fetches its assignment when the page opens.
    let fetched_once = StoredValue::new(false);
    Effect::new(move |_| {
        if let Some(Ok((_, Some(_)))) = data.get() {
            if !fetched_once.get_value() && online() {
                fetched_once.set_value(true);
                download();
            }
        }
    });

    let import = move |ev: leptos::ev::Event| {
        let Some(file) = take_picked_file(&ev) else {
            return;
        };
        error.set(None);
        notice.set(None);
        busy.set(true);
        spawn_local(async move {
            let bytes = match file_bytes(&file).await {
                Ok(bytes) => bytes,
                Err(message) => {
                    busy.set(false);
                    return error.set(Some(message));
                }
            };
            match parse_assignment(&bytes) {
                Ok(assignment) => keep(assignment, "file", Channel::Handed),
                Err(e) => {
                    busy.set(false);
                    error.set(Some(Message::new(
                        format!("Berkas penugasan ditolak, penugasan di perangkat tidak berubah: {e}"),
                        format!("Assignment file refused; the assignment on this device is unchanged: {e}"),
                    )));
                }
            }
        });
    };

    let offset = utc_offset_minutes();
    view! {
        <section class="assignment-panel no-print" data-testid="assignment-panel">
            {move || match data.get() {
                Some(Ok((infos, link))) => {
                    let lines: Vec<_> = infos.hub.iter().map(|i| ("hub", about(i, false, offset)))
                        .chain(infos.local.iter().map(|i| ("local", about(i, true, offset))))
                        .collect();
                    view! {
                        {lines.into_iter().map(|(source, m)| view! {
                            <p data-testid="assignment-info" data-source=source>{tr_message(lang, m)}</p>
                        }).collect_view()}
                        {link.map(|_| view! {
                            <button type="button" class="button button-secondary" data-testid="download-assignment"
                                disabled=move || busy.get() on:click=move |_| download()>
                                {tr(lang, Text::new("Unduh penugasan dari server", "Download the assignment from the server"))}
                            </button>
                        })}
                    }.into_any()
                }
                Some(Err(e)) => view! { <ErrorNotice message=e.message() lang/> }.into_any(),
                None => ().into_any(),
            }}
            <label for="penugasan">{tr(lang, Text::new("Impor berkas penugasan (.json)", "Import an assignment file (.json)"))}</label>
            <input id="penugasan" name="penugasan" type="file" accept=".json,application/json"
                data-testid="import-assignment" on:change=import/>
            {move || busy.get().then(|| view! { <p class="muted">{tr(lang, Text::new("Memproses penugasan…", "Processing the assignment…"))}</p> })}
            {move || error.get().map(|message| view! { <ErrorNotice message lang/> })}
            {move || notice.get().map(|message| view! { <p class="notice notice-ok" data-testid="assignment-notice">{tr_message(lang, message)}</p> })}
        </section>
    }
}
