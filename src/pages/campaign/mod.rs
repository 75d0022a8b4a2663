//! "Daftar kunjungan": the families of this phone's assignment, village by village, with
//! progress; search; a family opened here starts its visit prefilled from the list (or
//! continues it); a family not on the list is added here (status 10); and the village
//! recap, printable; and the village meeting (Musdes), recorded and printed here (`musdes`).
//! Without a hub, a prelist file is read here
//! (`prelist_import`).

mod assignment_panel;
mod musdes;
mod prelist_import;
mod recap;
mod work_area;

use crate::components::{tr, CampaignFamily, ErrorNotice, ReviewProgress, VillageProgressBar};
use crate::context::{use_lang, use_store};
use crate::device::{new_record_id, now, today};
use crate::load::load;
use crate::route::Route;
use crate::storage::{prefs, AssignedFamily, Assignments, IdbStore, StoreError};
use assignment_panel::AssignmentPanel;
use leptos::prelude::*;
use leptos::task::spawn_local;
use musdes::MusdesPanel;
use prelist_import::PrelistImport;
use recap::VillageRecapView;
use std::collections::{BTreeMap, BTreeSet};
use verval_core::campaign::duplicates::{duplicate_hints, Hint, Owner};
use verval_core::campaign::find::family_matches;
use verval_core::campaign::merge::removable;
use verval_core::campaign::prefill::{new_family_record, prefilled_record, SOURCE_P3KE};
use verval_core::campaign::progress::{latest_visits, state_of, village_recap, Visit, VisitState};
use verval_core::form::apply_calculations;
use verval_core::form::default::{with_enumerator, DEFAULT_FORM};
use verval_core::record::HouseholdRecord;
use verval_core::review::book::{Standing, Tally};
use verval_core::store::HouseholdStore;
use verval_core::text::Message;
use verval_core::{RecordId, Text};
use work_area::WorkArea;

/// Everything the page shows, read in one go.
#[derive(Clone, Debug, PartialEq)]
struct Campaign {
    infos: Assignments,
    families: Vec<AssignedFamily>,
    visits: Vec<Visit>,
    hints: BTreeMap<Owner, Vec<Hint>>,
    /// Where each household the district decided on stands, by record id.
    standings: BTreeMap<String, Standing>,
}

impl Campaign {
    /// The lists' villages (the district's first), then any village only a kept family is in.
    fn villages(&self) -> Vec<String> {
        let mut villages: Vec<String> = Vec::new();
        let mut seen: BTreeSet<String> = BTreeSet::new();
        for v in self.infos.all().flat_map(|i| i.villages.iter()) {
            if seen.insert(v.clone()) {
                villages.push(v.clone());
            }
        }
        for f in &self.families {
            if seen.insert(f.kode_desa.clone()) {
                villages.push(f.kode_desa.clone());
            }
        }
        villages
    }
}

async fn read_campaign(store: IdbStore) -> Result<Campaign, StoreError> {
    store.complete_visits().await?;
    let families = store.assigned_families().await?;
    let listed: Vec<_> = families.iter().map(|f| f.family.clone()).collect();
    let device = store.device_numbers().await?;
    Ok(Campaign {
        infos: store.assignment_info().await?,
        visits: store.visits().await?,
        hints: duplicate_hints(&listed, &device),
        standings: store
            .standings()
            .await?
            .into_iter()
            .map(|(summary, standing)| (summary.id.to_string(), standing))
            .collect(),
        families,
    })
}

fn failed(detail: impl std::fmt::Display) -> Message {
    Message::new(
        format!("Kunjungan tidak bisa dimulai: {detail}"),
        format!("The visit cannot be started: {detail}"),
    )
}

/// Saves a new draft (calculated answers filled, as the form would) and returns its id.
async fn start_draft(store: &IdbStore, mut record: HouseholdRecord) -> Result<RecordId, Message> {
    // The enumerator of the last family finalized here.
    if let Some((name, role)) = prefs::enumerator() {
        with_enumerator(&mut record, (&name, &role), now());
    }
    apply_calculations(&DEFAULT_FORM, &mut record, today(), now());
    store.put(&record).await.map_err(|e| e.message())?;
    Ok(record.id)
}

/// The record of a listed family's visit: the newest one on the phone, or a new draft
/// prefilled from the list.
async fn open_visit(store: IdbStore, prelist_id: String) -> Result<RecordId, Message> {
    let visits = store.visits().await.map_err(|e| e.message())?;
    if let Some(visit) = latest_visits(&visits).get(prelist_id.as_str()) {
        return RecordId::parse(&visit.record_id).map_err(failed);
    }
    let assigned = store
        .assigned_family(&prelist_id)
        .await
        .map_err(|e| e.message())?
        .ok_or_else(|| failed(format!("{prelist_id} tidak ada di penugasan")))?;
    let id = new_record_id().map_err(failed)?;
    start_draft(&store, prefilled_record(id, now(), &assigned, SOURCE_P3KE)).await
}

async fn add_new_family(store: IdbStore, village: String) -> Result<RecordId, Message> {
    let id = new_record_id().map_err(failed)?;
    start_draft(&store, new_family_record(id, now(), &village)).await
}

fn go_to(id: &RecordId) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().set_href(&Route::Household(id.clone()).href());
    }
}

#[component]
pub fn CampaignPage() -> impl IntoView {
    let store = use_store();
    let lang = Signal::from(use_lang());
    let reloads = RwSignal::new(0u32);
    let area_changed = RwSignal::new(0u32);
    // The villages' names, from their provinces' tables once read.
    let village_names = RwSignal::new(Vec::<crate::regions::Entry>::new());
    let data = load(move || {
        reloads.track();
        let read = read_campaign(store.get_value());
        async move {
            let campaign = read.await;
            // The lists' villages are where this phone works: their tables stay on it.
            if let Ok(c) = &campaign {
                prefs::widen_work_area(c.villages());
                area_changed.try_update(|n| *n += 1);
                let villages = c.villages();
                spawn_local(async move {
                    let names = crate::regions::village_names(&villages).await;
                    village_names.try_set(names);
                });
            }
            campaign
        }
    });
    let chosen = RwSignal::new(None::<String>);
    let search = RwSignal::new(String::new());
    let error = RwSignal::new(None::<Message>);
    let busy = RwSignal::new(false);

    let opened = move |result: Result<RecordId, Message>| match result {
        Ok(id) => go_to(&id),
        Err(message) => {
            busy.set(false);
            error.set(Some(message));
        }
    };
    let on_visit = Callback::new(move |prelist_id: String| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        spawn_local(async move { opened(open_visit(store.get_value(), prelist_id).await) });
    });
    // The enumerator's decision on a withdrawn family nobody visited.
    let on_remove = Callback::new(move |prelist_id: String| {
        spawn_local(async move {
            match store.get_value().remove_withdrawn(&prelist_id).await {
                Ok(_) => reloads.update(|n| *n += 1),
                Err(e) => error.set(Some(e.message())),
            }
        });
    });

    let body = move || {
        let campaign = match data.get() {
            None => {
                return view! { <p class="muted">{tr(lang, Text::new("Memuat…", "Loading…"))}</p> }.into_any()
            }
            Some(Err(e)) => return view! { <ErrorNotice message=e.message() lang/> }.into_any(),
            Some(Ok(c)) => c,
        };
        let villages = campaign.villages();
        if villages.is_empty() {
            return view! {
                <p class="empty" data-testid="no-assignment">{tr(lang, Text::new(
                    "Belum ada penugasan di perangkat ini. Unduh dari server kabupaten atau impor berkas penugasan di atas.",
                    "No assignment on this device yet. Download it from the district server or import an assignment file above.",
                ))}</p>
            }.into_any();
        }
        let village = chosen
            .get()
            .filter(|v| villages.contains(v))
            .unwrap_or_else(|| villages[0].clone());
        // Progress and the recap count a withdrawn family only once someone visited it: the
        // district no longer expects the others.
        let visited =
            |f: &AssignedFamily| state_of(&f.prelist_id, &campaign.visits) != VisitState::BelumDikunjungi;
        let counted: Vec<_> = campaign
            .families
            .iter()
            .filter(|f| f.listed || visited(f))
            .map(|f| f.family.clone())
            .collect();
        // The recap counts the chosen village's progress too: the bar shows the same figures.
        let recap = village_recap(&DEFAULT_FORM, &village, &counted, &campaign.visits);
        let shown = recap.progress.clone();
        // The district's decisions on this village's households: sent back, corrected, …
        let reviewed = Tally::of(
            campaign
                .visits
                .iter()
                .filter(|v| v.kode_desa == village)
                .filter_map(|v| campaign.standings.get(&v.record_id)),
        );
        let text = search.get();
        let families: Vec<&AssignedFamily> = campaign
            .families
            .iter()
            .filter(|f| f.kode_desa == village && family_matches(&f.family, &text))
            .collect();
        let new_families: Vec<Visit> = campaign
            .visits
            .iter()
            .filter(|v| v.prelist_id.is_empty() && v.kode_desa == village)
            .cloned()
            .collect();
        // The recap names every list the families came from.
        let info = campaign
            .infos
            .hub
            .clone()
            .or(campaign.infos.local.clone())
            .map(|mut i| {
                if let (Some(_), Some(local)) = (&campaign.infos.hub, &campaign.infos.local) {
                    i.hub = format!("{} + {}", i.hub, local.hub);
                }
                i
            });
        let village_for_new = village.clone();
        let add_new = move |_| {
            if busy.get_untracked() {
                return;
            }
            busy.set(true);
            let village = village_for_new.clone();
            spawn_local(async move { opened(add_new_family(store.get_value(), village).await) });
        };
        view! {
            <div class="no-print">
                <label for="desa">{tr(lang, Text::new("Desa/kelurahan", "Village"))}</label>
                <select id="desa" name="desa" data-testid="choose-village"
                    on:change=move |ev| chosen.set(Some(event_target_value(&ev)))>
                    {move || village_names.with(|names| villages.iter().map(|v| {
                        let named = names.iter().find(|(code, _)| code == v);
                        let shown = named.map_or_else(|| v.clone(), |(_, name)| format!("{v} {name}"));
                        view! { <option value=v.clone() selected=*v == village>{shown}</option> }
                    }).collect_view())}
                </select>
                <VillageProgressBar progress=shown lang/>
                {(!reviewed.is_empty()).then(|| view! { <ReviewProgress tally=reviewed lang/> })}
                <label for="cari_keluarga">{tr(lang, Text::new("Cari nama, NIK, No. KK atau ID prelist", "Search a name, NIK, KK number or prelist id"))}</label>
                <input id="cari_keluarga" name="cari_keluarga" type="search" autocomplete="off"
                    data-testid="search-campaign" prop:value=move || search.get()
                    on:input=move |ev| search.set(event_target_value(&ev))/>
                <ul class="campaign-list" data-testid="campaign-list">
                    {families.into_iter().map(|f| {
                        let hints = campaign.hints.get(&Owner::Listed(f.prelist_id.clone())).cloned().unwrap_or_default();
                        let state = state_of(&f.prelist_id, &campaign.visits);
                        let removable = removable(f, state != VisitState::BelumDikunjungi);
                        view! {
                            <CampaignFamily family=f.family.clone() state source=f.source
                                withdrawn=!f.listed removable visited_elsewhere=f.visited_elsewhere hints lang on_visit on_remove/>
                        }
                    }).collect_view()}
                </ul>
                <h2>{tr(lang, Text::new("Keluarga baru (tidak ada di daftar)", "New families (not on the list)"))}</h2>
                <ul class="household-list" data-testid="new-families">
                    {new_families.into_iter().map(|v| {
                        let href = RecordId::parse(&v.record_id).map(|id| Route::Household(id).href()).unwrap_or_default();
                        let name = if v.nama.is_empty() { "(nama belum diisi)".to_owned() } else { v.nama.clone() };
                        view! { <li><a class="household-row" href=href data-testid="new-family">{name}</a></li> }
                    }).collect_view()}
                </ul>
                <button type="button" class="button button-secondary" data-testid="add-new-family" on:click=add_new>
                    {tr(lang, Text::new("Tambah keluarga baru di desa ini", "Add a new family in this village"))}
                </button>
            </div>
            <VillageRecapView recap info lang/>
        }.into_any()
    };

    // The village meeting, drawn apart from the list: typing in the search box redraws the
    // list, and must not throw away a meeting being recorded.
    let meeting = move || {
        let Some(Ok(campaign)) = data.get() else {
            return ().into_any();
        };
        let villages = campaign.villages();
        let Some(village) = chosen
            .get()
            .filter(|v| villages.contains(v))
            .or_else(|| villages.first().cloned())
        else {
            return ().into_any();
        };
        let record_ids: Vec<String> = campaign
            .visits
            .iter()
            .filter(|v| v.kode_desa == village)
            .map(|v| v.record_id.clone())
            .collect();
        let code = village.clone();
        let village_name = Signal::derive(move || {
            village_names.with(|names| {
                names
                    .iter()
                    .find(|(c, _)| *c == code)
                    .map_or_else(|| code.clone(), |(_, name)| format!("{code} {name}"))
            })
        });
        view! { <MusdesPanel village record_ids village_name/> }.into_any()
    };

    view! {
        <section class="page">
            <div class="page-head no-print">
                <h1>{tr(lang, Text::new("Daftar kunjungan", "Visit list"))}</h1>
                <a class="button button-secondary" href=Route::Households.href()>
                    {tr(lang, Text::new("Daftar keluarga", "Households"))}
                </a>
            </div>
            <AssignmentPanel reloads/>
            <PrelistImport reloads/>
            <WorkArea changed=area_changed/>
            {move || error.get().map(|message| view! { <ErrorNotice message lang/> })}
            {body}
            {meeting}
        </section>
    }
}
