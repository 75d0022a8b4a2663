//! Small preferences kept in localStorage through gloo-storage, under typed keys.
//!
//! Preferences are conveniences: when localStorage is unavailable they fall back to their
//! defaults instead of stopping the app, and household data never goes here.

use gloo_storage::{LocalStorage, Storage};
use verval_core::Lang;

/// Every key this app writes to localStorage, so none is spelled twice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pref {
    Lang,
}

impl Pref {
    fn key(self) -> &'static str {
        match self {
            Pref::Lang => "verval.lang",
        }
    }
}

/// The interface language chosen on this device, Bahasa Indonesia by default.
pub fn load_lang() -> Lang {
    LocalStorage::get(Pref::Lang.key()).unwrap_or_default()
}

/// Remembers the interface language. Returns whether it was stored.
pub fn save_lang(lang: Lang) -> bool {
    LocalStorage::set(Pref::Lang.key(), lang).is_ok()
}
