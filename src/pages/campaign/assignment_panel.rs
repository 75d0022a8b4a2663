//! Where the assignment comes from: downloaded from the district hub (at once when the page
//! opens on an enrolled, online phone, or with the button), or imported as a file handed
//! over. A new assignment merges with the one on the phone by prelist id; visits stay.

use crate::components::{tr, tr_message, ErrorNotice};
use crate::context::{use_lang, use_store};
use crate::device::{now, utc_offset_minutes};
use crate::file_input::{file_bytes, take_picked_file};
use crate::load::load;
use crate::storage::{AssignmentInfo, AssignmentUpdate, HubLink, IdbStore, StoreError};
use crate::sync::client;
use leptos::prelude::*;
use leptos::task::spawn_local;
use verval_core::campaign::assignment::parse_assignment;
use verval_core::sync::api::Assignment;
use verval_core::text::Message;
use verval_core::Text;

async fn source(store: IdbStore) -> Result<(Option<AssignmentInfo>, Option<HubLink>), StoreError> {
    Ok((store.assignment_info().await?, store.hub_link().await?))
}

fn saved(update: &AssignmentUpdate) -> Message {
    let AssignmentUpdate {
        added,
        updated,
        unchanged,
        removed,
        kept_visited,
    } = update;
    Message::new(
        format!(
            "Penugasan disimpan: {added} keluarga baru, {updated} diperbarui, {unchanged} tetap, {removed} dihapus, {kept_visited} tidak ada lagi di daftar tetapi sudah dikunjungi (disimpan)."
        ),
        format!(
            "Assignment saved: {added} new families, {updated} updated, {unchanged} unchanged, {removed} removed, {kept_visited} no longer listed but visited (kept)."
        ),
    )
}

fn online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
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

    let keep = move |assignment: Assignment, via: &'static str| {
        spawn_local(async move {
            match store.get_value().save_assignment(&assignment, now(), via).await {
                Ok(update) => notice.set(Some(saved(&update))),
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
                Ok(assignment) => keep(assignment, "hub"),
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
                Ok(assignment) => keep(assignment, "file"),
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
                Some(Ok((info, link))) => {
                    let about = info.map(|i| {
                        let via = if i.via == "hub" { "diunduh" } else { "diimpor" };
                        let via_en = if i.via == "hub" { "downloaded" } else { "imported" };
                        let at = i.received_at.format_local(offset);
                        Message::new(
                            format!("Penugasan {} untuk {} ({via} {at}), desa {}.", i.hub, i.enumerator, i.villages.join(", ")),
                            format!("Assignment from {} for {} ({via_en} {at}), villages {}.", i.hub, i.enumerator, i.villages.join(", ")),
                        )
                    });
                    view! {
                        {about.map(|m| view! { <p data-testid="assignment-info">{tr_message(lang, m)}</p> })}
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
