use super::{tr, tr_message};
use crate::route::Route;
use leptos::prelude::*;
use verval_core::record::{HouseholdSummary, RecordStatus};
use verval_core::text::Message;
use verval_core::{Lang, Text};

const NO_NAME: Text = Text::new("(nama belum diisi)", "(no name yet)");

fn status_label(status: RecordStatus) -> (&'static str, Text) {
    match status {
        RecordStatus::Draft => ("badge badge-draft", Text::new("Draf", "Draft")),
        RecordStatus::Final => ("badge badge-final", Text::new("Final", "Final")),
    }
}

/// One household in the list: who, which card, where, when last changed.
#[component]
pub fn HouseholdRow(
    summary: HouseholdSummary,
    #[prop(into)] lang: Signal<Lang>,
    /// Minutes east of UTC, for the "changed" time.
    utc_offset_minutes: i32,
) -> impl IntoView {
    let href = Route::Household(summary.id.clone()).href();
    let name = summary.nama_kepala_keluarga;
    let kk = if summary.nomor_kk.is_empty() {
        String::new()
    } else {
        format!("KK {}", summary.nomor_kk)
    };
    let updated = summary.updated_at.format_local(utc_offset_minutes);
    let changed = Message::new(format!("diubah {updated}"), format!("changed {updated}"));
    let (badge_class, badge) = status_label(summary.status);
    view! {
        <li>
            <a class="household-row" href=href data-testid="household-row" data-id=summary.id.to_string()>
                <span class="household-name">
                    {move || if name.trim().is_empty() { NO_NAME.get(lang.get()).to_owned() } else { name.clone() }}
                </span>
                <span class="household-meta">{kk}</span>
                <span class="household-meta">{summary.alamat}</span>
                <span class="household-meta">
                    <span class=badge_class>{tr(lang, badge)}</span>
                    " "
                    {tr_message(lang, changed)}
                </span>
            </a>
        </li>
    }
}
