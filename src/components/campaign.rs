//! The campaign page's pieces: a village's progress (visits and the district's review), and
//! one listed family to visit.

use super::{tr, tr_message};
use leptos::prelude::*;
use verval_core::campaign::duplicates::Hint;
use verval_core::campaign::merge::Source;
use verval_core::campaign::prefill::head_of;
use verval_core::campaign::progress::{VillageProgress, VisitState};
use verval_core::prelist::PrelistFamily;
use verval_core::review::book::Tally;
use verval_core::text::Message;
use verval_core::{Lang, Text};

/// A village's families: finished of listed as a bar, and each state counted.
#[component]
pub fn VillageProgressBar(progress: VillageProgress, #[prop(into)] lang: Signal<Lang>) -> impl IntoView {
    let p = progress;
    let counts = Message::new(
        format!(
            "Selesai {} dari {} ({}%) · sedang diisi {} · belum dikunjungi {} · keluarga baru {}",
            p.selesai,
            p.listed,
            p.percent(),
            p.sedang,
            p.belum,
            p.new_families
        ),
        format!(
            "Finished {} of {} ({}%) · in progress {} · not visited {} · new families {}",
            p.selesai,
            p.listed,
            p.percent(),
            p.sedang,
            p.belum,
            p.new_families
        ),
    );
    view! {
        <div class="village-progress" data-testid="village-progress" data-desa=p.kode_desa.clone()
            data-listed=p.listed data-selesai=p.selesai data-sedang=p.sedang data-belum=p.belum
            data-baru=p.new_families>
            <progress max=p.listed.max(1) value=p.selesai></progress>
            <span>{tr_message(lang, counts)}</span>
        </div>
    }
}

/// The district's decisions on a village's households, counted: how many wait for a
/// correction, how many were corrected and wait for the district (issue #20).
#[component]
pub fn ReviewProgress(tally: Tally, #[prop(into)] lang: Signal<Lang>) -> impl IntoView {
    let t = tally;
    let counts = Message::new(
        format!(
            "Tinjauan kabupaten: perlu perbaikan {} · sudah diperbaiki {} · disetujui {} · ditolak {}",
            t.sent_back, t.corrected, t.approved, t.rejected
        ),
        format!(
            "District review: needs correction {} · corrected {} · approved {} · rejected {}",
            t.sent_back, t.corrected, t.approved, t.rejected
        ),
    );
    view! {
        <p class="review-progress" data-testid="review-progress" data-sent-back=t.sent_back
            data-corrected=t.corrected data-approved=t.approved data-rejected=t.rejected>
            {tr_message(lang, counts)}
        </p>
    }
}

pub fn state_text(state: VisitState) -> (&'static str, &'static str, Text) {
    match state {
        VisitState::BelumDikunjungi => (
            "badge badge-todo",
            "belum",
            Text::new("Belum dikunjungi", "Not visited"),
        ),
        VisitState::SedangDiisi => (
            "badge badge-draft",
            "sedang",
            Text::new("Sedang diisi", "In progress"),
        ),
        VisitState::Selesai => ("badge badge-final", "selesai", Text::new("Selesai", "Finished")),
    }
}

/// One listed family: who (head, KK, address), its state, where it is listed, numbers it
/// shares with another family, and the button that opens its visit (and, for a withdrawn
/// family nobody visited, the one that takes it off the list).
#[component]
pub fn CampaignFamily(
    family: PrelistFamily,
    state: VisitState,
    source: Source,
    /// A newer list of its source left it out: kept until the enumerator decides.
    withdrawn: bool,
    /// Withdrawn and never visited: the enumerator may take it off the list.
    removable: bool,
    /// The hub's list says a household already visited it (perhaps another enumerator's).
    visited_elsewhere: bool,
    hints: Vec<Hint>,
    #[prop(into)] lang: Signal<Lang>,
    on_visit: Callback<String>,
    on_remove: Callback<String>,
) -> impl IntoView {
    let (badge_class, state_code, badge) = state_text(state);
    let head = head_of(&family)
        .map(|m| m.nama.to_uppercase())
        .unwrap_or_default();
    let kk = family
        .nomor_kk
        .clone()
        .map(|kk| format!("KK {kk}"))
        .unwrap_or_default();
    let labelled = |label: &str, value: &str| {
        if value.is_empty() {
            String::new()
        } else {
            format!("{label} {value}")
        }
    };
    let place = [
        family.alamat.clone(),
        labelled("RT", &family.rt),
        labelled("RW", &family.rw),
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join(" ");
    let members = family.members.len();
    let members = Message::new(format!("{members} anggota"), format!("{members} members"));
    let action = match state {
        VisitState::BelumDikunjungi => Text::new("Kunjungi", "Visit"),
        VisitState::SedangDiisi => Text::new("Lanjutkan", "Continue"),
        VisitState::Selesai => Text::new("Buka", "Open"),
    };
    let id = family.prelist_id.clone();
    let remove_id = id.clone();
    let local = source == Source::Local;
    let has_hints = !hints.is_empty();
    view! {
        <li class="campaign-family" data-testid="campaign-family" data-prelist-id=family.prelist_id.clone()
            data-state=state_code data-duplicate=has_hints.to_string()
            data-source=if local { "local" } else { "hub" } data-withdrawn=withdrawn.to_string()
            data-visited-elsewhere=visited_elsewhere.to_string()>
            <div class="household-name">{head}</div>
            <div class="household-meta">{family.prelist_id.clone()}" · "{kk}" · "{tr_message(lang, members)}</div>
            <div class="household-meta">{place}</div>
            <div class="household-meta">
                <span class=badge_class>{tr(lang, badge)}</span>
                {local.then(|| view! {
                    " "<span class="badge" data-testid="local-list">
                        {tr(lang, Text::new("Daftar di perangkat", "This phone's list"))}
                    </span>
                })}
                {visited_elsewhere.then(|| view! {
                    " "<span class="badge badge-todo" data-testid="visited-elsewhere">
                        {tr(lang, Text::new("Sudah dikunjungi (tercatat di hub)", "Already visited (on record at the hub)"))}
                    </span>
                })}
                {withdrawn.then(|| view! {
                    " "<span class="badge badge-todo" data-testid="withdrawn">
                        {tr(lang, Text::new("Ditarik dari daftar (tetap disimpan)", "Withdrawn from the list (kept)"))}
                    </span>
                })}
            </div>
            {hints.into_iter().map(|hint| {
                let others = hint.names.join(", ");
                let text = Message::new(
                    format!("Kemungkinan data ganda: nomor {} juga ada di {others}", hint.number),
                    format!("Possible duplicate: number {} is also in {others}", hint.number),
                );
                view! { <p class="notice notice-warning" data-testid="duplicate-hint">{tr_message(lang, text)}</p> }
            }).collect_view()}
            <button type="button" class="button" data-testid="visit-family"
                on:click=move |_| on_visit.run(id.clone())>
                {tr(lang, action)}
            </button>
            {removable.then(|| view! {
                " "<button type="button" class="button button-secondary" data-testid="remove-withdrawn"
                    on:click=move |_| on_remove.run(remove_id.clone())>
                    {tr(lang, Text::new("Hapus dari daftar", "Remove from the list"))}
                </button>
            })}
        </li>
    }
}
