use super::tr;
use crate::update::UpdateState;
use leptos::prelude::*;
use verval_core::{Lang, Text};

/// Tells the user a new version is ready and lets them switch when it suits them.
#[component]
pub fn UpdateBanner(
    #[prop(into)] state: Signal<UpdateState>,
    #[prop(into)] lang: Signal<Lang>,
    /// Called when the user asks to switch to the new version.
    on_apply: Callback<()>,
    /// Called when the user asks to reload into a version another tab activated.
    on_reload: Callback<()>,
) -> impl IntoView {
    let message = move || {
        let text = match state.get() {
            UpdateState::Current => return None,
            UpdateState::Available => Text::new(
                "Versi baru tersedia. Data yang sedang diisi disimpan dulu sebelum diperbarui.",
                "A new version is available. The form you are filling is saved before updating.",
            ),
            UpdateState::Applying => Text::new("Menyimpan lalu memperbarui…", "Saving, then updating…"),
            UpdateState::Blocked => Text::new(
                "Pembaruan ditunda: perubahan terakhir belum tersimpan. Periksa pesan penyimpanan, lalu coba lagi.",
                "Update postponed: the latest change is not saved. Check the saving message, then try again.",
            ),
            UpdateState::ActivatedElsewhere => Text::new(
                "Versi baru sudah aktif di tab lain. Muat ulang halaman ini bila siap.",
                "A new version is active in another tab. Reload this page when ready.",
            ),
        };
        Some(text.get(lang.get()))
    };
    // `hidden` toggles instead of <Show>: the same effect for a fraction of the code size.
    view! {
        <div class="update-banner" role="status" data-testid="update-banner"
            hidden=move || state.get() == UpdateState::Current>
            <span>{message}</span>
            <button type="button" class="button" data-testid="apply-update"
                hidden=move || !matches!(state.get(), UpdateState::Available | UpdateState::Blocked)
                on:click=move |_| on_apply.run(())>
                {tr(lang, Text::new("Perbarui sekarang", "Update now"))}
            </button>
            <button type="button" class="button" data-testid="reload-page"
                hidden=move || state.get() != UpdateState::ActivatedElsewhere
                on:click=move |_| on_reload.run(())>
                {tr(lang, Text::new("Muat ulang", "Reload"))}
            </button>
        </div>
    }
}
