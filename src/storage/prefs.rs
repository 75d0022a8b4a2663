//! Small preferences kept in localStorage through gloo-storage, under typed keys.
//!
//! Preferences are conveniences: when localStorage is unavailable they fall back to their
//! defaults instead of stopping the app, and household data never goes here (the journal of
//! unsaved edits, `journal.rs`, has keys of its own). Values are
//! plain strings through gloo-storage's raw `Storage`: its JSON encoding would bring
//! serde_json into the start-up download for one short word.

use gloo_storage::{LocalStorage, Storage};
use verval_core::Lang;

/// Every key this app writes to localStorage, so none is spelled twice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pref {
    Lang,
    /// `1` once this device is enrolled with a hub: the list page then starts the sync
    /// worker at start-up, without opening anything to find out.
    Sync,
    /// The enumerator of the last family finalized here, `ROLE<TAB>NAME`: a new family starts
    /// with them (the enumerator's own name, not household data).
    Enumerator,
    /// The provinces this phone works in (`35,33`), whose region tables it keeps for work
    /// with no signal (`verval_core::offline`). Region codes, not household data.
    WorkArea,
}

impl Pref {
    fn key(self) -> &'static str {
        match self {
            Pref::Lang => "verval.lang",
            Pref::Sync => "verval.sync",
            Pref::Enumerator => "verval.petugas",
            Pref::WorkArea => "verval.wilayah",
        }
    }
}

fn read(pref: Pref) -> Option<String> {
    LocalStorage::raw().get_item(pref.key()).ok().flatten()
}

fn write(pref: Pref, value: &str) -> bool {
    LocalStorage::raw().set_item(pref.key(), value).is_ok()
}

/// The interface language chosen on this device, Bahasa Indonesia by default (also when the
/// stored value is unreadable).
pub fn load_lang() -> Lang {
    match read(Pref::Lang).as_deref() {
        Some("en") => Lang::En,
        _ => Lang::Id,
    }
}

/// Remembers the interface language. Returns whether it was stored.
pub fn save_lang(lang: Lang) -> bool {
    write(Pref::Lang, lang.tag())
}

/// Whether this device syncs with a hub (see [`Pref::Sync`]).
pub fn sync_enabled() -> bool {
    read(Pref::Sync).as_deref() == Some("1")
}

/// Remembers that this device syncs. Returns whether it was stored.
pub fn set_sync_enabled(on: bool) -> bool {
    match on {
        true => write(Pref::Sync, "1"),
        false => LocalStorage::raw().remove_item(Pref::Sync.key()).is_ok(),
    }
}

/// The enumerator (name, role code) of the last family finalized on this device.
pub fn enumerator() -> Option<(String, String)> {
    let stored = read(Pref::Enumerator)?;
    let (role, name) = stored.split_once('\t')?;
    (!name.is_empty() && !role.is_empty()).then(|| (name.to_owned(), role.to_owned()))
}

/// Remembers the enumerator for the next family. Returns whether it was stored.
pub fn set_enumerator(name: &str, role: &str) -> bool {
    write(Pref::Enumerator, &format!("{role}\t{name}"))
}

/// The provinces of this phone's work area (see [`Pref::WorkArea`]).
pub fn work_area() -> String {
    read(Pref::WorkArea).unwrap_or_default()
}

/// Adds the provinces of `codes` (region codes of any level) to the work area. Returns
/// whether it was stored.
pub fn widen_work_area<S: AsRef<str>>(codes: impl IntoIterator<Item = S>) -> bool {
    let stored = work_area();
    let widened = verval_core::offline::widen_area(&stored, codes);
    widened == stored || write(Pref::WorkArea, &widened)
}
