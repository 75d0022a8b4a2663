use crate::route::Route;
use leptos::prelude::*;
use verval_core::record::{HouseholdSummary, RecordStatus};
use verval_core::Lang;

/// One household in the list: who, which card, where, when last changed.
#[component]
pub fn HouseholdRow(
    summary: HouseholdSummary,
    #[prop(into)] lang: Signal<Lang>,
    utc_offset_minutes: i32,
) -> impl IntoView {
    let href = Route::Household(summary.id.clone()).href();
    let name = summary.nama_kepala_keluarga.clone();
    let kk = summary.nomor_kk.clone();
    let alamat = summary.alamat.clone();
    let updated = summary.updated_at.format_local(utc_offset_minutes);
    let status = summary.status;
    view! {
        <li>
            <a class="household-row" href=href data-testid="household-row" data-id=summary.id.to_string()>
                <span class="household-name">
                    {move || if name.trim().is_empty() {
                        if lang.get() == Lang::Id { "(nama belum diisi)".to_owned() } else { "(no name yet)".to_owned() }
                    } else { name.clone() }}
                </span>
                <span class="household-meta">
                    {move || if kk.is_empty() { String::new() } else { format!("KK {kk}") }}
                </span>
                <span class="household-meta">{alamat}</span>
                <span class="household-meta">
                    <span class=move || format!("badge badge-{}", if status == RecordStatus::Draft { "draft" } else { "final" })>
                        {move || match (status, lang.get()) {
                            (RecordStatus::Draft, Lang::Id) => "Draf",
                            (RecordStatus::Draft, Lang::En) => "Draft",
                            (RecordStatus::Final, Lang::Id) => "Final",
                            (RecordStatus::Final, Lang::En) => "Final",
                        }}
                    </span>
                    " "
                    {move || if lang.get() == Lang::Id { format!("diubah {updated}") } else { format!("changed {updated}") }}
                </span>
            </a>
        </li>
    }
}
