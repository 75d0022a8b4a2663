use leptos::prelude::*;
use verval_core::Lang;

/// Switches the interface between Bahasa Indonesia and English.
#[component]
pub fn LangToggle(lang: RwSignal<Lang>) -> impl IntoView {
    view! {
        <button type="button" class="lang-toggle" data-testid="lang-toggle"
            aria-label=move || if lang.get() == Lang::Id { "Switch to English" } else { "Ganti ke Bahasa Indonesia" }
            on:click=move |_| lang.update(|l| *l = l.other())>
            {move || if lang.get() == Lang::Id { "EN" } else { "ID" }}
        </button>
    }
}
