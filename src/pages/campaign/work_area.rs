//! The phone's work area: the provinces whose region tables it keeps for work with no signal
//! (`verval_core::offline`). Assignments and enrolment widen it by themselves; here the
//! enumerator sees it and can add a province, for a phone that has neither yet.

use crate::components::{tr, tr_message};
use crate::context::use_lang;
use crate::load::load;
use crate::regions;
use crate::storage::prefs;
use leptos::prelude::*;
use leptos::task::spawn_local;
use verval_core::offline::area_provinces;
use verval_core::text::Message;
use verval_core::Text;

#[component]
pub fn WorkArea(
    /// Bumped whenever the work area may have grown, to show it again.
    changed: RwSignal<u32>,
) -> impl IntoView {
    let lang = Signal::from(use_lang());
    let provinces = load(regions::provinces);
    let status = RwSignal::new(None::<(bool, Message)>);
    let name_of = move |code: &str| {
        provinces.with(|list| {
            list.as_ref()
                .and_then(|l| l.as_ref())
                .and_then(|l| {
                    l.iter()
                        .find(|(c, _)| c == code)
                        .map(|(_, n)| format!("{code} {n}"))
                })
                .unwrap_or_else(|| code.to_owned())
        })
    };
    let area = move || {
        changed.track();
        let stored = prefs::work_area();
        area_provinces(&stored)
            .into_iter()
            .map(name_of)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let on_pick = move |code: String| {
        if code.is_empty() {
            return;
        }
        prefs::widen_work_area([code.as_str()]);
        changed.update(|n| *n += 1);
        let name = name_of(&code);
        status.set(None);
        spawn_local(async move {
            // Fetched through the service worker, which keeps it.
            let kept = regions::province(&code).await.is_some();
            let message = match kept {
                true => Message::new(
                    format!("Tabel wilayah {name} tersimpan di HP."),
                    format!("The region table of {name} is stored on the phone."),
                ),
                false => Message::new(
                    format!("Tabel wilayah {name} belum bisa diunduh. Buka halaman ini lagi saat ada sinyal."),
                    format!("The region table of {name} could not be downloaded. Open this page again when there is signal."),
                ),
            };
            status.try_set(Some((kept, message)));
        });
    };
    view! {
        <section class="work-area no-print" data-testid="work-area">
            <h2>{tr(lang, Text::new("Wilayah kerja", "Work area"))}</h2>
            <p data-testid="work-area-provinces">{move || {
                let area = area();
                let message = match area.is_empty() {
                    true => Message::new(
                        "Belum ada provinsi. Pilih provinsi tempat Anda bertugas agar tabel wilayahnya tersimpan untuk dipakai tanpa sinyal.",
                        "No province yet. Choose the province you work in so its region table is stored for use without signal.",
                    ),
                    false => Message::new(
                        format!("Tabel wilayah disimpan untuk dipakai tanpa sinyal: {area}."),
                        format!("Region tables kept for use without signal: {area}."),
                    ),
                };
                tr_message(lang, message)
            }}</p>
            <label for="provinsi_kerja">{tr(lang, Text::new("Tambah provinsi", "Add a province"))}</label>
            <select id="provinsi_kerja" name="provinsi_kerja" data-testid="add-work-province"
                on:change=move |ev| on_pick(event_target_value(&ev))>
                <option value="">{tr(lang, Text::new("— pilih provinsi —", "— choose a province —"))}</option>
                {move || provinces.get().flatten().unwrap_or_default().into_iter().map(|(code, name)| {
                    view! { <option value=code>{name}</option> }
                }).collect_view()}
            </select>
            <p class="muted" hidden=move || provinces.get().is_none_or(|list| list.is_some())>
                {tr(lang, Text::new(
                    "Daftar provinsi belum bisa diunduh. Buka halaman ini lagi saat ada sinyal.",
                    "The province list could not be downloaded. Open this page again when there is signal.",
                ))}
            </p>
            {move || status.get().map(|(kept, message)| view! {
                <p class=if kept { "notice notice-ok" } else { "notice notice-warning" } role="status"
                    data-testid="work-area-status">{tr_message(lang, message)}</p>
            })}
        </section>
    }
}
