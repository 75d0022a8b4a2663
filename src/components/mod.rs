//! Presentational components: data and callbacks in, markup out. None of them touches
//! storage; the pages do.

mod campaign;
mod confirm_step;
mod export;
mod fatal_error;
pub mod form;
mod household_row;
mod lang_toggle;
mod lock;
mod notice;
mod save_status;
mod storage_status;
mod update_banner;

pub use campaign::{CampaignFamily, ReviewProgress, VillageProgressBar};
pub use confirm_step::{ConfirmStep, Step};
pub use export::{plain_before_keys, BatchMade, BatchRow, ChoosableFamily};
pub use fatal_error::FatalError;
pub use household_row::HouseholdRow;
pub use lang_toggle::LangToggle;
pub use lock::LockButton;
pub use notice::ErrorNotice;
pub use save_status::SaveStatus;
pub use storage_status::StorageStatus;
pub use update_banner::UpdateBanner;

use leptos::prelude::*;
use verval_core::text::Message;
use verval_core::{Lang, Text};

// Every piece of text that follows the language switch goes through these two functions:
// in Leptos each distinct reactive closure is compiled into its own rendering code, so one
// shared closure type per kind of text keeps the download small.

/// Fixed text that follows the language switch.
pub fn tr(lang: Signal<Lang>, text: Text) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    move || text.get(lang.get())
}

/// Built text (it names values) that follows the language switch.
pub fn tr_message(lang: Signal<Lang>, message: Message) -> impl Fn() -> String + Send + Sync + 'static {
    move || message.get(lang.get()).to_owned()
}
