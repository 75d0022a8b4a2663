use super::tr;
use crate::autosave::SaveState;
use leptos::prelude::*;
use verval_core::text::Message;
use verval_core::{Lang, Text};

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
        let message = match state.get() {
            SaveState::Idle => Text::new("Belum ada perubahan", "No changes yet").into(),
            SaveState::Pending => Text::new("Ada perubahan…", "Unsaved changes…").into(),
            SaveState::Saving => Text::new("Menyimpan…", "Saving…").into(),
            SaveState::Saved(at) => {
                let stamp = at.format_local(utc_offset_minutes);
                let time = stamp.rsplit(' ').next().unwrap_or_default();
                Message::new(
                    format!("Tersimpan di perangkat {time}"),
                    format!("Saved on this device {time}"),
                )
            }
            SaveState::Failed(message) => message,
        };
        message.get(lang.get()).to_owned()
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
            <button type="button" class="button button-secondary" data-testid="retry-save"
                hidden=move || !matches!(state.get(), SaveState::Failed(_))
                    on:click=move |_| on_retry.run(())>
                    {tr(lang, Text::new("Coba simpan lagi", "Try saving again"))}
                </button>
        </div>
    }
}
