use crate::autosave::SaveState;
use leptos::prelude::*;
use verval_core::Lang;

/// The save indicator: whether everything typed is stored, and the error when it is not.
#[component]
pub fn SaveStatus(
    #[prop(into)] state: Signal<SaveState>,
    #[prop(into)] lang: Signal<Lang>,
    /// Minutes east of UTC, for the "saved at" time.
    utc_offset_minutes: i32,
    /// Called when the user asks to retry a failed save.
    on_retry: Callback<()>,
) -> impl IntoView {
    let text = move || {
        let lang = lang.get();
        let pick = |id: &str, en: &str| {
            if lang == Lang::Id {
                id.to_owned()
            } else {
                en.to_owned()
            }
        };
        match state.get() {
            SaveState::Idle => pick("Belum ada perubahan", "No changes yet"),
            SaveState::Pending => pick("Ada perubahan…", "Unsaved changes…"),
            SaveState::Saving => pick("Menyimpan…", "Saving…"),
            SaveState::Saved(at) => {
                let time = at.format_local(utc_offset_minutes);
                let time = time.rsplit(' ').next().unwrap_or_default().to_owned();
                pick(
                    &format!("Tersimpan di perangkat {time}"),
                    &format!("Saved on this device {time}"),
                )
            }
            SaveState::Failed(message) => message.get(lang).to_owned(),
        }
    };
    let kind = move || match state.get() {
        SaveState::Failed(_) => "failed",
        SaveState::Saved(_) => "saved",
        SaveState::Saving | SaveState::Pending => "saving",
        SaveState::Idle => "idle",
    };
    view! {
        <div class="save-status" data-testid="save-status" data-state=kind role="status" aria-live="polite">
            <span>{text}</span>
            <Show when=move || matches!(state.get(), SaveState::Failed(_))>
                <button type="button" class="button button-secondary" data-testid="retry-save"
                    on:click=move |_| on_retry.run(())>
                    {move || if lang.get() == Lang::Id { "Coba simpan lagi" } else { "Try saving again" }}
                </button>
            </Show>
        </div>
    }
}
