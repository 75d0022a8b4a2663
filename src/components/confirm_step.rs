//! The second tap: locking a household, starting its correction and deleting its draft are
//! each asked once more, in one box with one answer button, so a hurried tap changes nothing.

use leptos::prelude::*;
use verval_core::{Lang, Text};

/// What the enumerator is asked to confirm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Lock,
    Correct,
    Delete,
}

impl Step {
    fn question(self) -> Text {
        match self {
            Step::Lock => Text::new(
                "Kunci keluarga ini? Setelah dikunci, perubahan hanya lewat revisi baru.",
                "Lock this household? Once locked, changes need a new revision.",
            ),
            Step::Correct => Text::new(
                "Buat revisi baru? Revisi yang sudah final tetap tersimpan apa adanya.",
                "Make a new revision? The finalized revision is kept as it is.",
            ),
            Step::Delete => Text::new(
                // The household form's and a district form's: a household's district
                // sections still in draft go with it (`IdbStore::delete_draft`).
                "Hapus draf ini dari HP ini? Semua isian dan fotonya, juga bagian daerah yang masih draf, hilang dan tidak bisa dikembalikan.",
                "Delete this draft from this phone? Every answer and photo in it, and its district sections still in draft, are gone for good.",
            ),
        }
    }

    fn answer(self) -> Text {
        match self {
            Step::Lock => Text::new("Ya, kunci", "Yes, lock"),
            Step::Correct => Text::new("Ya, buat revisi", "Yes, make a revision"),
            Step::Delete => Text::new("Ya, hapus", "Yes, delete"),
        }
    }

    /// The answer button's test id, one per step.
    fn testid(self) -> &'static str {
        match self {
            Step::Lock => "confirm-finalize",
            Step::Correct => "confirm-new-revision",
            Step::Delete => "confirm-delete-draft",
        }
    }
}

/// The question of `asking` with its answer and "Batal"; hidden while nothing is asked.
/// `on_confirm` gets the step answered "yes".
#[component]
pub fn ConfirmStep(
    asking: RwSignal<Option<Step>>,
    lang: Signal<Lang>,
    on_confirm: Callback<Step>,
) -> impl IntoView {
    let text = move |of: fn(Step) -> Text| move || asking.get().map(|s| of(s).get(lang.get())).unwrap_or("");
    view! {
        <div class="confirm" role="alert" hidden=move || asking.get().is_none()>
            <p>{text(Step::question)}</p>
            <button type="button" class="button" class:button-danger=move || asking.get() == Some(Step::Delete)
                data-testid=move || asking.get().map_or("confirm", Step::testid)
                on:click=move |_| {
                    if let Some(step) = asking.get_untracked() {
                        asking.set(None);
                        on_confirm.run(step);
                    }
                }>
                {text(Step::answer)}
            </button>
            <button type="button" class="button button-secondary" data-testid="cancel-confirm"
                on:click=move |_| asking.set(None)>
                {move || Text::new("Batal", "Cancel").get(lang.get())}
            </button>
        </div>
    }
}
