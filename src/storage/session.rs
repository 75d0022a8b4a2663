//! The unlocked session (issue #23): how the data key outlives a page load without being
//! stored. At unlock a random session key goes into the meta store (`vault_session`, with
//! its id) and the data key, sealed under it (`verval_core::vault::session`), into this tab's
//! sessionStorage with the time of the enumerator's last touch. Each page opens it again at
//! start. Neither half opens anything alone; locking deletes the session key, which kills
//! every tab's sealed copy at once. A tab closed takes its sessionStorage with it; one left
//! untouched longer than `IDLE_LOCK_MS` locks when it next looks.
//!
//! Read field by field (no serde): every page checks the session before anything else, the
//! list page too, whose start-up download cannot carry serde's reader.

use super::keys::DISTRICT_KEYS;
use super::vault::{random, LockError};
use super::{decode, IdbStore, StoreError};
use verval_core::record::Timestamp;
use verval_core::seal::base64::{decode as from_base64, encode as to_base64, Alphabet::Url};
use verval_core::vault::envelope::NONCE_LEN;
use verval_core::vault::session::{idle, open_from_session, seal_for_session};
use verval_core::vault::{DataKey, KEY_LEN};
use wasm_bindgen::JsValue;

/// The meta store's key of the session key.
const SESSION: &str = "vault_session";

/// What a page finds when it opens.
#[derive(Debug)]
pub enum Gate {
    /// No PIN is set. `has_keys`: the phone has the district's keys, so it should set one.
    NoPin { has_keys: bool },
    /// A PIN is set and this tab holds no live session: the lock page first.
    Locked,
    /// Unlocked: the data key.
    Open(DataKey),
}

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// This tab's sealed data key: `<last touch ms>.<session id>.<sealed, base64url>`.
fn item(db: &str) -> String {
    format!("verval.kunci.{db}")
}

struct Held {
    active_at: i64,
    id: String,
    sealed: Vec<u8>,
}

fn held(db: &str) -> Option<Held> {
    parse_held(&session_copy(db)?)
}

/// This tab's sealed copy of the data key as kept, for a worker the page starts: it opens
/// nothing without the session key in IndexedDB, and nothing at all once the phone locks.
pub fn session_copy(db: &str) -> Option<String> {
    session_storage()?.get_item(&item(db)).ok().flatten()
}

fn parse_held(text: &str) -> Option<Held> {
    let mut parts = text.splitn(3, '.');
    let active_at = parts.next()?.parse().ok()?;
    let id = parts.next()?.to_owned();
    let sealed = from_base64(parts.next()?, Url)?;
    Some(Held {
        active_at,
        id,
        sealed,
    })
}

fn hold(db: &str, held: &Held) -> bool {
    let text = format!("{}.{}.{}", held.active_at, held.id, to_base64(&held.sealed, Url));
    session_storage().is_some_and(|s| s.set_item(&item(db), &text).is_ok())
}

fn forget(db: &str) {
    if let Some(s) = session_storage() {
        let _ = s.remove_item(&item(db));
    }
}

/// The session key as the meta store keeps it: its id and its bytes (none when either is
/// missing or broken).
fn session_key(kept: &JsValue) -> Option<(String, [u8; KEY_LEN])> {
    let id = decode::text(kept, "id");
    let key = from_base64(decode::text(kept, "key"), Url)?;
    (!id.is_empty()).then_some((id, <[u8; KEY_LEN]>::try_from(key.as_slice()).ok()?))
}

/// Notes a touch at `now`: the idle time starts again. Cheap enough for every tap.
pub fn touch_session(db: &str, now: Timestamp) {
    if let Some(mut h) = held(db) {
        if h.active_at < now.0 {
            h.active_at = now.0;
            hold(db, &h);
        }
    }
}

/// Whether this tab's session went idle at `now` (also: there is none).
pub fn session_idle(db: &str, now: Timestamp) -> bool {
    held(db).is_none_or(|h| idle(h.active_at, now.0))
}

impl IdbStore {
    /// Starts (or joins) the unlocked session with the data key just opened: the session key
    /// another tab made is taken when there is one, so unlocking here does not lock there.
    pub async fn begin_session(&self, key: &DataKey, now: Timestamp) -> Result<(), LockError> {
        let mine_id = to_base64(&random::<16>()?, Url);
        let mine_key = random::<KEY_LEN>()?;
        let (id, session) = self
            .meta_change_raw(SESSION, |found| {
                if let Some(kept) = found.as_ref().and_then(session_key) {
                    return Ok((None, kept));
                }
                let value = js_sys::Object::new();
                let set = |name: &str, text: &str| {
                    js_sys::Reflect::set(&value, &JsValue::from_str(name), &JsValue::from_str(text))
                };
                set("id", &mine_id).map_err(|_| StoreError::Unreadable("session".into()))?;
                set("key", &to_base64(&mine_key, Url))
                    .map_err(|_| StoreError::Unreadable("session".into()))?;
                Ok((Some(value.into()), (mine_id.clone(), mine_key)))
            })
            .await?;
        let sealed = seal_for_session(key, &DataKey::from_random(session), &id, random::<NONCE_LEN>()?);
        let held = Held {
            active_at: now.0,
            id,
            sealed,
        };
        if hold(&self.name(), &held) {
            Ok(())
        } else {
            Err(LockError::Random(
                "sessionStorage tidak dapat ditulis (sessionStorage cannot be written)".into(),
            ))
        }
    }

    /// What this page finds: no PIN, locked, or the session's data key. A session idle too
    /// long is locked here and now.
    pub async fn resume_session(&self, now: Timestamp) -> Result<Gate, StoreError> {
        let db = self.name();
        if self.vault_raw().await?.is_none() {
            let keys = self.meta_raw(DISTRICT_KEYS).await?;
            let has_keys = keys.is_some_and(|k| !decode::items(&k, "pinned").is_empty());
            return Ok(Gate::NoPin { has_keys });
        }
        let Some(mut held) = held(&db) else {
            return Ok(Gate::Locked);
        };
        if idle(held.active_at, now.0) {
            self.lock().await?;
            return Ok(Gate::Locked);
        }
        match self.open_held(&held).await? {
            Some(key) => {
                held.active_at = now.0;
                hold(&db, &held);
                Ok(Gate::Open(key))
            }
            // Locked elsewhere (the session key is gone or new): this copy is dead.
            None => {
                forget(&db);
                Ok(Gate::Locked)
            }
        }
    }

    /// The data key a held copy seals, while its session lives.
    async fn open_held(&self, held: &Held) -> Result<Option<DataKey>, StoreError> {
        let session = self.meta_raw(SESSION).await?;
        Ok(session.as_ref().and_then(session_key).and_then(|(id, key)| {
            (id == held.id)
                .then(|| open_from_session(&held.sealed, &DataKey::from_random(key), &id).ok())
                .flatten()
        }))
    }

    /// A worker's store takes the copy its page handed over ([`session_copy`]): it holds
    /// the data key while that session lives (the page keeps time of the idle lock). Returns
    /// whether it does.
    pub async fn take_session_copy(&self, copy: &str) -> Result<bool, StoreError> {
        let key = match parse_held(copy) {
            Some(held) => self.open_held(&held).await?,
            None => None,
        };
        match key {
            Some(key) => {
                self.hold_key(key);
                Ok(true)
            }
            None => {
                self.drop_key();
                Ok(false)
            }
        }
    }

    /// Locks: the session key goes, and with it every tab's sealed copy of the data key.
    pub async fn lock(&self) -> Result<(), StoreError> {
        forget(&self.name());
        self.meta_put::<()>(SESSION, None).await
    }
}
