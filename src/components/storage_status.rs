use super::{tr, tr_message};
use leptos::prelude::*;
use verval_core::quota::StorageHealth;
use verval_core::text::Message;
use verval_core::{Lang, Text};

/// Whether the browser may evict the data, how full storage is, and a warning near the limit.
#[component]
pub fn StorageStatus(health: StorageHealth, #[prop(into)] lang: Signal<Lang>) -> impl IntoView {
    let persisted = match health.persisted {
        Some(true) => Text::new(
            "Data dilindungi: browser tidak akan menghapusnya saat ruang HP menipis.",
            "Data is protected: the browser will not delete it when the phone runs short of space.",
        ),
        Some(false) => Text::new(
            "Data belum dilindungi: browser bisa menghapusnya saat ruang HP menipis. Pasang Verval di layar utama dan ekspor data secara rutin.",
            "Data is not protected yet: the browser may delete it when the phone runs short of space. Install Verval on the home screen and export regularly.",
        ),
        None => Text::new(
            "Browser tidak memberi tahu apakah data dilindungi. Ekspor data secara rutin.",
            "The browser does not say whether data is protected. Export regularly.",
        ),
    };
    let usage = health.usage_message();
    // Whole percent as an integer: printing an f64 would put float formatting (~5 KB gzip)
    // into the start-up download.
    let warning = health
        .used_percent()
        .filter(|_| health.nearly_full())
        .map(|percent| {
            Message::new(
                format!("Penyimpanan hampir penuh ({percent}%). Ekspor data, lalu kosongkan ruang HP."),
                format!(
                    "Storage is nearly full ({percent}%). Export the data, then free space on the phone."
                ),
            )
        });
    let has_warning = warning.is_some();
    view! {
        <section class="storage-status" data-testid="storage-status"
            data-persisted=health.persisted.map_or("unknown", |p| if p { "yes" } else { "no" })
            >
            <p class="notice notice-warning" role="alert" data-testid="storage-warning" hidden=!has_warning>
                {tr_message(lang, warning.unwrap_or_default())}
            </p>
            <p class="muted">{tr(lang, persisted)}</p>
            <p class="muted">{tr_message(lang, usage.unwrap_or_default())}</p>
        </section>
    }
}
