//! The journal of unsaved edits: a synchronous copy of the open household in localStorage,
//! written on every change, for the ways of leaving a page that cannot wait for IndexedDB
//! (the browser's back button, closing the tab, a killed tab). An IndexedDB write still under
//! way when the page goes is aborted with it; a localStorage write is done when the call
//! returns, and the browser keeps it for the next page. Cleared once IndexedDB holds the edit.
//!
//! The next start replays it ([`IdbStore::recover`]) before anything reads a household: the
//! form page replays whenever it starts, and any other page that finds entries ([`waiting`])
//! sends the tab to the form page to replay them first, then back. Replaying is idempotent and never overwrites a newer stored revision or a
//! finalized one; an entry this version cannot read is set aside (under another key) and
//! reported, and the stored household stays as it was.
//!
//! On a phone with a PIN an entry is sealed under the data key like the stores
//! (`storage::sealing`), and the prerendered screen is not shown (`sealing::PIN_MARK`).
//!
//! Two writers: the form's editor (the record as IndexedDB keeps it) and the form page's
//! prerendered first screen before the app has started (`keluarga.html`: `{"baru": {id, at,
//! answers}}`, a new household's first answers under an id the screen made).

use super::household::{self, Prepared};
use super::{decode, IdbStore, StoreError};
use verval_core::record::{HouseholdRecord, RecordStatus, FORM_VERSION, SCHEMA_VERSION};
use verval_core::seal::base64::{decode as from_base64, encode as to_base64, Alphabet::Url};
use verval_core::text::Message;
use verval_core::vault::envelope::Place;
use verval_core::RecordId;
use wasm_bindgen::{JsCast, JsValue};

/// Every entry's key starts with this, then the database's name and a dot, then the id.
/// `keluarga.html`'s inline script spells the same prefix for the prerendered screen.
pub const PREFIX: &str = "verval.journal.";
/// Where an entry that could not be read is set aside (then the database's name and the id).
pub const UNREADABLE: &str = "verval.journal-unreadable.";

/// In sessionStorage: `1` once a replay in this tab left entries it could not store (a full
/// disk), so that the other pages stop sending the tab to the form page to replay them.
const TRIED: &str = "verval.journal-tried";

/// The page's localStorage (none in a worker).
pub(super) fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

fn keys_with(storage: &web_sys::Storage, prefix: &str) -> Vec<String> {
    (0..storage.length().unwrap_or(0))
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|key| key.starts_with(prefix))
        .collect()
}

/// Whether the database called `db_name` has journal entries waiting for a replay (that
/// this tab has not already tried and failed to store). Only the form page's module replays
/// (the writer of records is there; the other pages' downloads stay small): the other pages
/// check this before they read anything, and send the tab there first.
pub fn waiting(db_name: &str) -> bool {
    let tried = session_storage().and_then(|s| s.get_item(TRIED).ok().flatten());
    tried.as_deref() != Some("1")
        && local_storage().is_some_and(|s| !keys_with(&s, &format!("{PREFIX}{db_name}.")).is_empty())
}

/// What the replay at start did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Recovery {
    /// Households whose unsaved edits are now stored.
    pub restored: Vec<RecordId>,
    /// What could not be replayed, for the user.
    pub problems: Vec<Message>,
}

/// What a journal entry holds.
enum Entry {
    /// The household as it was on screen.
    Record(Prepared),
    /// A new household's first answers, typed on the prerendered screen.
    New(Prepared),
}

impl IdbStore {
    fn journal_prefix(&self) -> String {
        format!("{PREFIX}{}.", self.name())
    }

    /// The localStorage key of a household's journal entry in this database.
    pub fn journal_key(&self, id: &RecordId) -> String {
        format!("{}{id}", self.journal_prefix())
    }

    /// Writes the household as it is on screen, synchronously. Fails only when localStorage
    /// is missing or full; the autosave still writes IndexedDB soon after.
    pub fn journal_write(&self, record: &HouseholdRecord) -> Result<(), Message> {
        let failed = |detail: String| {
            Message::new(
                format!("Cadangan seketika isian tidak dapat ditulis ({detail}). Isian tetap disimpan otomatis; tunggu sampai tertulis \u{201c}Tersimpan\u{201d} sebelum menutup halaman ini."),
                format!("The instant backup of this form cannot be written ({detail}). The form is still saved automatically; wait for \u{201c}Saved\u{201d} before closing this page."),
            )
        };
        let storage = local_storage().ok_or_else(|| failed("localStorage".to_owned()))?;
        let text = household::to_stored(record)
            .ok()
            .and_then(|value| js_sys::JSON::stringify(&value).ok())
            .and_then(|text| text.as_string())
            .ok_or_else(|| failed("JSON".to_owned()))?;
        let text = self
            .journal_sealed(&record.id, text)
            .map_err(|e| failed(e.to_string()))?;
        storage
            .set_item(&self.journal_key(&record.id), &text)
            .map_err(|e| failed(dom_error_name(&e)))
    }

    /// Drops the journal entry of a household once IndexedDB holds everything it had.
    pub fn journal_clear(&self, id: &RecordId) {
        if let Some(storage) = local_storage() {
            let _ = storage.remove_item(&self.journal_key(id));
        }
    }

    /// Replays every journal entry of this database into IndexedDB: call once at start,
    /// before anything reads a household. `skip`: the id of a new household that this very
    /// page's prerendered screen holds (the form takes it over itself). Pages without
    /// localStorage (workers) have no journal.
    pub async fn recover(&self, skip: Option<&str>) -> Recovery {
        let mut recovery = Recovery::default();
        let Some(storage) = local_storage() else {
            return recovery;
        };
        let prefix = self.journal_prefix();
        let mut left = false;
        for key in keys_with(&storage, &prefix) {
            let id = &key[prefix.len()..];
            if skip == Some(id) {
                continue;
            }
            let Ok(Some(text)) = storage.get_item(&key) else {
                continue;
            };
            let entry = match self
                .journal_opened(id, &text)
                .and_then(|text| read_entry(id, &text))
            {
                Ok(entry) => entry,
                // Sealed and the phone locked: kept for an unlocked start.
                Err(StoreError::Locked) => {
                    left = true;
                    continue;
                }
                Err(error) => {
                    // Set aside, not deleted: it may be the only copy of something a later
                    // version can read. The stored household is not touched.
                    let _ = storage.set_item(&format!("{UNREADABLE}{}.{id}", self.name()), &text);
                    let _ = storage.remove_item(&key);
                    recovery.problems.push(unreadable(id, &error));
                    continue;
                }
            };
            match self.replay(entry).await {
                Ok(Some(id)) => {
                    let _ = storage.remove_item(&key);
                    recovery.restored.push(id);
                }
                Ok(None) => {
                    let _ = storage.remove_item(&key);
                }
                // Kept: the next start tries again (a full disk may have room by then).
                Err(error) => {
                    left = true;
                    recovery.problems.push(not_replayed(id, &error));
                }
            }
        }
        if let Some(session) = session_storage() {
            let _ = match left {
                true => session.set_item(TRIED, "1"),
                false => session.remove_item(TRIED),
            };
        }
        recovery
    }

    /// Stores an entry unless the stored household is the same, newer, or finalized.
    /// Returns the household's id if the entry was written.
    async fn replay(&self, entry: Entry) -> Result<Option<RecordId>, StoreError> {
        let (journal, is_new) = match entry {
            Entry::Record(p) => (p, false),
            Entry::New(p) => (p, true),
        };
        let Some(stored) = self.stored_household(journal.id()).await? else {
            self.write_household(&journal).await?;
            return Ok(Some(journal.id().clone()));
        };
        if is_new {
            // The form took the prerendered screen over and stored the household itself.
            return Ok(None);
        }
        let (_, status, updated_at) = decode::identity(&stored)?;
        let revision = household::revision(&stored)?;
        let newer = if journal.revision() == revision {
            // The same revision: never over a finalized one, never over a later save.
            status != RecordStatus::Final
                && journal.updated_at() >= updated_at
                && json(&stored) != json(journal.value())
        } else {
            journal.revision() > revision
        };
        if !newer {
            return Ok(None);
        }
        if journal.revision() > revision && status == RecordStatus::Final {
            // A correction begun: the finalized revision is kept before the draft of the
            // next one becomes current (the editor did the same before starting it).
            self.keep_stored_revision(&stored).await?;
        }
        self.write_household(&journal).await?;
        Ok(Some(journal.id().clone()))
    }
}

/// The field of a sealed entry: the entry's text sealed under the data key, base64url.
const SEALED: &str = "vv1";

fn journal_place(id: &str) -> Place<'_> {
    Place {
        store: "journal",
        key: id,
    }
}

impl IdbStore {
    /// An entry's text as it is to be written: on a phone with a PIN, sealed (the store's
    /// key is in memory, so this stays synchronous) as `{"vv1": "<base64url>"}`.
    fn journal_sealed(&self, id: &RecordId, text: String) -> Result<String, StoreError> {
        Ok(
            match self.seal_bytes(journal_place(id.as_str()), text.as_bytes())? {
                Some(sealed) => format!("{{\"{SEALED}\":\"{}\"}}", to_base64(&sealed, Url)),
                None => text,
            },
        )
    }

    /// An entry's text as written by [`Self::journal_sealed`] or the prerendered screen:
    /// a sealed one opened ([`StoreError::Locked`] without the key).
    fn journal_opened(&self, id: &str, text: &str) -> Result<String, StoreError> {
        let Some(sealed) = js_sys::JSON::parse(text)
            .ok()
            .and_then(|value| decode::field(&value, SEALED).as_string())
        else {
            return Ok(text.to_owned());
        };
        let broken = |what: &str| StoreError::Unreadable(what.to_owned());
        let sealed = from_base64(&sealed, Url).ok_or_else(|| broken("not base64"))?;
        let plain = self.open_bytes(journal_place(id), &sealed)?;
        String::from_utf8(plain.to_vec()).map_err(|_| broken("not text"))
    }
}

fn json(value: &JsValue) -> Option<String> {
    js_sys::JSON::stringify(value).ok().and_then(|s| s.as_string())
}

fn dom_error_name(error: &JsValue) -> String {
    decode::field(error, "name")
        .as_string()
        .unwrap_or_else(|| "error".to_owned())
}

/// Reads an entry: its JSON, its shape, and that it is the household its key names.
fn read_entry(key_id: &str, text: &str) -> Result<Entry, StoreError> {
    let broken = |what: &str| StoreError::Unreadable(what.to_owned());
    let id = RecordId::parse(key_id).map_err(|_| broken("the key names no household id"))?;
    let value = js_sys::JSON::parse(text).map_err(|_| broken("not JSON"))?;
    let new = decode::field(&value, "baru");
    let entry = if new.is_object() {
        let at = decode::field(&new, "at")
            .as_f64()
            .filter(|ms| ms.is_finite() && *ms > 0.0)
            .ok_or_else(|| broken("no time"))?;
        let answers = decode::field(&new, "answers");
        if decode::text(&new, "id") != key_id || !answers.is_object() {
            return Err(broken("not a new household's answers"));
        }
        Entry::New(Prepared::of_stored(new_household(key_id, at, &answers))?)
    } else {
        Entry::Record(Prepared::of_stored(value)?)
    };
    let prepared = match &entry {
        Entry::Record(p) | Entry::New(p) => p,
    };
    if prepared.id() != &id {
        return Err(broken("it holds another household"));
    }
    Ok(entry)
}

/// A new household as IndexedDB keeps it (the shape `HouseholdRecord::new` serializes to,
/// which a browser test compares), with the screen's non-empty answers. Built as an object
/// rather than through serde: the list page replays too, and the record's serializer would
/// cost its start-up download several kilobytes.
fn new_household(id: &str, at: f64, typed: &JsValue) -> JsValue {
    let record = js_sys::Object::new();
    let answers = js_sys::Object::new();
    for pair in js_sys::Object::entries(typed.unchecked_ref()).iter() {
        let pair = js_sys::Array::from(&pair);
        if pair.get(0).is_string() && pair.get(1).as_string().is_some_and(|a| !a.trim().is_empty()) {
            let _ = js_sys::Reflect::set(&answers, &pair.get(0), &pair.get(1));
        }
    }
    let at = JsValue::from_f64(at.trunc());
    for (name, value) in [
        ("id", JsValue::from_str(id)),
        ("schema_version", JsValue::from(SCHEMA_VERSION)),
        ("form_version", JsValue::from_str(FORM_VERSION)),
        ("revision", JsValue::from(1u32)),
        ("status", JsValue::from_str(RecordStatus::Draft.tag())),
        ("created_at", at.clone()),
        ("updated_at", at),
        ("answers", answers.into()),
    ] {
        let _ = js_sys::Reflect::set(&record, &JsValue::from_str(name), &value);
    }
    record.into()
}

fn unreadable(id: &str, error: &StoreError) -> Message {
    let detail = match error {
        StoreError::Unreadable(detail) => detail.clone(),
        other => other.to_string(),
    };
    Message::new(
        format!("Isian yang belum tersimpan untuk satu keluarga ({id}) tidak dapat dibaca ({detail}), jadi disisihkan dan tidak dipakai. Data keluarga yang sudah tersimpan tidak diubah."),
        format!("Unsaved entries for one household ({id}) cannot be read ({detail}), so they were set aside and not used. The household as stored is unchanged."),
    )
}

fn not_replayed(id: &str, error: &StoreError) -> Message {
    let message = error.message();
    Message::new(
        format!("Isian yang belum tersimpan untuk keluarga {id} belum dapat dipulihkan; akan dicoba lagi saat aplikasi dibuka berikutnya. {}", message.id),
        format!("Unsaved entries for household {id} could not be recovered yet; the app tries again the next time it opens. {}", message.en),
    )
}
