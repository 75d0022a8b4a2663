//! Region questions: province → regency → district → village, from the tables the build
//! writes under `data/regions/<version>/` (one file per province, fetched when first needed
//! and kept by the service worker for offline use).

use super::{described_by, FormCtx, RowAt};
use crate::components::tr;
use crate::regions::{self, Entry, ProvinceFile};
use leptos::prelude::*;
use std::collections::BTreeMap;
use std::sync::Arc;
use verval_core::form::Question;
use verval_core::offline::PROVINCE_LIST;
use verval_core::region::RegionLevel;
use verval_core::Text;

#[derive(Clone)]
enum Table {
    Loading,
    Provinces(Arc<Vec<Entry>>),
    Province(Arc<ProvinceFile>),
    Failed,
}

/// The region tables loaded so far, shared by every region question of the page.
#[derive(Clone, Copy)]
pub struct RegionTables(RwSignal<BTreeMap<String, Table>>);

impl RegionTables {
    pub fn new() -> RegionTables {
        RegionTables(RwSignal::new(BTreeMap::new()))
    }

    /// The regions of `level` inside `parent` (nothing for the province list), loading the
    /// file they are in on first use. `None` while loading or when the file cannot be had.
    fn entries(self, level: RegionLevel, parent: &str) -> Option<Vec<Entry>> {
        let file = match level {
            RegionLevel::Province => PROVINCE_LIST.to_owned(),
            _ if parent.len() < 2 => return Some(Vec::new()),
            _ => parent[..2].to_owned(),
        };
        let table = self.0.with(|tables| tables.get(&file).cloned());
        let prefix = format!("{parent}.");
        let inside = |list: &[Entry]| {
            list.iter()
                .filter(|(code, _)| code.starts_with(&prefix))
                .cloned()
                .collect()
        };
        match table {
            None => {
                self.load(file);
                None
            }
            Some(Table::Loading | Table::Failed) => None,
            Some(Table::Provinces(list)) => Some(list.to_vec()),
            Some(Table::Province(p)) => Some(match level {
                RegionLevel::Province => Vec::new(),
                RegionLevel::Regency => inside(&p.regencies),
                RegionLevel::District => inside(&p.districts),
                RegionLevel::Village => inside(&p.villages),
            }),
        }
    }

    fn failed(self) -> bool {
        self.0.with(|t| t.values().any(|v| matches!(v, Table::Failed)))
    }

    fn load(self, file: String) {
        self.0.update(|t| {
            t.insert(file.clone(), Table::Loading);
        });
        leptos::task::spawn_local(async move {
            let table = fetch_table(&file).await.unwrap_or(Table::Failed);
            // A province the enumerator works in: the phone keeps its table from now on.
            if matches!(table, Table::Province(_)) {
                crate::storage::prefs::widen_work_area([file.as_str()]);
            }
            self.0.try_update(|t| t.insert(file, table));
        });
    }
}

impl Default for RegionTables {
    fn default() -> Self {
        RegionTables::new()
    }
}

async fn fetch_table(file: &str) -> Option<Table> {
    if file == PROVINCE_LIST {
        Some(Table::Provinces(Arc::new(regions::provinces().await?)))
    } else {
        Some(Table::Province(Arc::new(regions::province(file).await?)))
    }
}

/// One level of a region answer. In the family's cascade the level above is the answer
/// before it; a region question outside the cascade (the village a family moved to) brings
/// its own steps above the stored village.
#[component]
pub fn RegionSelect(
    question: &'static Question,
    level: RegionLevel,
    at: Option<RowAt>,
    ctx: FormCtx,
    id: String,
) -> impl IntoView {
    let q = question;
    let cascade = ctx.form.region_cascade;
    let position = cascade.iter().position(|f| *f == q.id);
    let described = described_by(q, &id);
    let invalid = Signal::derive(ctx.invalid(at, q.id));
    match position {
        Some(index) => {
            let parent = move || match index {
                0 => String::new(),
                _ => ctx.value(at, cascade[index - 1]),
            };
            let on_pick = Callback::new(move |code: String| {
                // A new choice above empties the answers below that no longer fit.
                for below in &cascade[index + 1..] {
                    if !ctx.value(at, *below).starts_with(&format!("{code}.")) {
                        ctx.set(at, *below, String::new());
                    }
                }
                ctx.set(at, q.id, code);
            });
            let value = Signal::derive(move || ctx.value(at, q.id));
            view! { <LevelSelect id name=q.id.as_str() level parent=Signal::derive(parent) value on_pick ctx described invalid/> }.into_any()
        }
        None => {
            // Steps of their own; only the last level is the stored answer.
            let stored = ctx.value(at, q.id);
            let levels = [
                RegionLevel::Province,
                RegionLevel::Regency,
                RegionLevel::District,
                RegionLevel::Village,
            ];
            let depth = levels.iter().position(|l| *l == level).unwrap_or(0);
            let steps: Vec<RwSignal<String>> = (0..depth)
                .map(|i| RwSignal::new(stored.split('.').take(i + 1).collect::<Vec<_>>().join(".")))
                .filter(|_| !stored.is_empty())
                .collect();
            let steps: Vec<RwSignal<String>> = if steps.len() == depth {
                steps
            } else {
                (0..depth).map(|_| RwSignal::new(String::new())).collect()
            };
            let step_views = (0..depth).map(|i| {
                let parent = Signal::derive({ let steps = steps.clone(); move || if i == 0 { String::new() } else { steps[i - 1].get() } });
                let this = steps[i];
                let below = steps[i + 1..].to_vec();
                let on_pick = Callback::new(move |code: String| {
                    below.iter().for_each(|s| s.set(String::new()));
                    this.set(code);
                    ctx.set(at, q.id, String::new());
                });
                view! { <LevelSelect id=format!("{id}-{i}") name="" level=levels[i] parent value=Signal::from(this) on_pick ctx described=described.clone() invalid/> }
            }).collect_view();
            let parent = Signal::derive({
                let steps = steps.clone();
                move || steps.last().map(|s| s.get()).unwrap_or_default()
            });
            let value = Signal::derive(move || ctx.value(at, q.id));
            let on_pick = Callback::new(move |code: String| ctx.set(at, q.id, code));
            view! {
                <div class="region-steps">
                    {step_views}
                    <LevelSelect id name=q.id.as_str() level parent value on_pick ctx described invalid/>
                </div>
            }
            .into_any()
        }
    }
}

#[component]
fn LevelSelect(
    id: String,
    name: &'static str,
    level: RegionLevel,
    parent: Signal<String>,
    value: Signal<String>,
    on_pick: Callback<String>,
    ctx: FormCtx,
    /// The question's hint and issues, for screen readers.
    described: String,
    invalid: Signal<Option<&'static str>>,
) -> impl IntoView {
    let lang = ctx.lang;
    let entries = Memo::new(move |_| ctx.regions.entries(level, &parent.get()));
    let placeholder = match level {
        RegionLevel::Province => Text::new("– pilih provinsi –", "– choose a province –"),
        RegionLevel::Regency => Text::new("– pilih kabupaten/kota –", "– choose a regency/city –"),
        RegionLevel::District => Text::new("– pilih kecamatan –", "– choose a district –"),
        RegionLevel::Village => Text::new("– pilih desa/kelurahan –", "– choose a village –"),
    };
    let failed = move || ctx.regions.failed() && entries.get().is_none();
    view! {
        <select id=id name=name disabled=move || !ctx.editable.get() || (level != RegionLevel::Province && parent.get().is_empty())
            aria-describedby=described aria-invalid=move || invalid.get()
            on:change=move |ev| on_pick.run(event_target_value(&ev))>
            <option value="">{tr(lang, placeholder)}</option>
            {move || entries.get().unwrap_or_default().into_iter().map(|(code, name)| {
                let selected = value.get_untracked() == code;
                view! { <option value=code.clone() selected=selected>{format!("{code} {name}")}</option> }
            }).collect_view()}
        </select>
        <p class="hint issue-warning" hidden=move || !failed()>
            {tr(lang, Text::new(
                "Daftar wilayah belum bisa dimuat. Sambungkan internet sekali untuk mengunduhnya; setelah itu tersedia tanpa sinyal.",
                "The region list cannot be loaded yet. Connect to the internet once to download it; it then works without signal.",
            ))}
        </p>
    }
}
