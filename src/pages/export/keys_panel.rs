//! "Kunci dinas" (issue #22): the district's keys this phone seals every batch to, with the
//! fingerprints staff compare with the district's key book; keys that changed wait here for
//! the district's confirmation, and batches stay sealed to the confirmed ones meanwhile. Keys
//! that came in a file or a link are never used before someone confirms them here, even on
//! a phone with none. (Keys from a hub's key QR are taken by the sync panel's worker.)

use super::sync_panel::Status;
use crate::components::{tr, ErrorNotice};
use crate::context::{use_lang, use_store};
use crate::storage::StoreError;
use leptos::prelude::*;
use leptos::task::spawn_local;
use verval_core::seal::published::PublishedKey;
use verval_core::text::Message;
use verval_core::Text;

fn key_list(keys: Vec<PublishedKey>, testid: &'static str) -> impl IntoView {
    view! {
        <ul class="key-list">
            {keys.into_iter().map(|k| {
                let shown = k.fingerprint.clone();
                view! {
                    <li data-testid=testid data-fingerprint=k.fingerprint>
                        {k.label}": "<code>{shown}</code>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// Keys waiting for someone to compare their fingerprints and confirm them on the phone.
fn waiting(
    lang: Signal<verval_core::Lang>,
    keys: Vec<PublishedKey>,
    confirm: impl Fn(leptos::ev::MouseEvent) + 'static,
    testid: &'static str,
    intro: Text,
    button: Text,
) -> impl IntoView {
    view! {
        <div class="notice" data-testid=testid>
            <p>{tr(lang, intro)}</p>
            {key_list(keys, "key-offered")}
            <button type="button" class="button" data-testid="confirm-keys" on:click=confirm>
                {tr(lang, button)}
            </button>
        </div>
    }
}

#[component]
pub fn KeysPanel(
    reloads: RwSignal<u32>,
    data: ReadSignal<Option<Result<Status, StoreError>>>,
) -> impl IntoView {
    let lang = Signal::from(use_lang());
    let store = use_store();
    let error = RwSignal::new(None::<Message>);
    let confirm = move |_| {
        spawn_local(async move {
            if let Err(e) = store.get_value().confirm_keys().await {
                error.try_set(Some(e.message()));
            }
            reloads.try_update(|n| *n += 1);
        });
    };
    view! {
        <section class="keys-panel" data-testid="keys-panel">
            <h2>{tr(lang, Text::new("Kunci dinas", "District keys"))}</h2>
            {move || data.get().and_then(Result::ok).map(|s| {
                let pin = s.keys;
                if pin.pinned.is_empty() && pin.offered.is_empty() {
                    return view! {
                        <p data-testid="keys-none">{tr(lang, Text::new(
                            "Batch tidak disegel: perangkat ini belum menerima kunci dinas (saat mendaftar ke server kabupaten, atau dari berkas penugasan).",
                            "Batches are not sealed: this device has no district keys yet (they come with enrolment, or in the assignment file).",
                        ))}</p>
                    }.into_any();
                }
                if pin.pinned.is_empty() {
                    // Keys from a file or a link: anyone can forge or forward those.
                    return waiting(lang, pin.offered, confirm, "keys-to-check", Text::new(
                        "Batch belum disegel. Kunci dinas diterima dari berkas atau tautan: cocokkan setiap sidik jari dengan buku kunci dinas (atau bacakan lewat telepon dengan dinas) sebelum memakainya. Sidik jari:",
                        "Batches are not sealed yet. District keys came in a file or a link: compare each fingerprint with the district's key book (or read them out on the phone with the district) before using them. Fingerprints:",
                    ), Text::new(
                        "Sidik jari sudah dicocokkan dengan dinas: pakai kunci ini",
                        "Fingerprints checked with the district: use these keys",
                    )).into_any();
                }
                let changed = (!pin.offered.is_empty()).then(|| waiting(lang, pin.offered, confirm, "keys-changed", Text::new(
                    "Kunci dinas berubah. Batch tetap disegel untuk kunci di atas sampai dinas mengonfirmasi kunci baru. Sidik jari kunci baru:",
                    "The district's keys changed. Batches stay sealed to the keys above until the district confirms the new ones. New fingerprints:",
                ), Text::new(
                    "Sidik jari sudah dicocokkan dengan dinas: pakai kunci baru",
                    "Fingerprints checked with the district: use the new keys",
                )));
                view! {
                    <p data-testid="keys-sealed">{tr(lang, Text::new(
                        "Setiap batch disegel untuk kunci dinas: hanya dinas yang dapat membukanya. Cocokkan sidik jari ini dengan buku kunci dinas:",
                        "Every batch is sealed to the district's keys: only the district opens it. Compare these fingerprints with the district's key book:",
                    ))}</p>
                    {key_list(pin.pinned, "key-fingerprint")}
                    {changed}
                }.into_any()
            })}
            {move || error.get().map(|message| view! { <ErrorNotice message lang/> })}
        </section>
    }
}
