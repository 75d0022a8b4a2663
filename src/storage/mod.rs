//! The only code that touches IndexedDB or localStorage.
//!
//! [`IdbStore`] keeps household records in IndexedDB and implements the core's
//! [`HouseholdStore`] port. Every failure comes back as a [`StoreError`] with a message for the
//! user; nothing here panics on a web API or swallows an error.

mod campaign;
mod decode;
mod discard;
mod error;
mod exports;
mod form_entries;
mod forms;
mod household;
pub mod journal;
mod keys;
mod musdes;
mod phone_backup;
mod photos;
pub mod pin_reset;
pub mod prefs;
pub mod quota;
mod reviews;
pub mod schema;
mod sealing;
mod search;
pub mod session;
mod sync;
pub mod vault;
mod write;

pub use campaign::{AssignedFamily, AssignmentInfo, AssignmentUpdate, Assignments};
pub use error::{Operation, StoreError};
pub use exports::{BatchInfo, ExportEntry, Leaving};
pub use forms::FormRecordLine;
pub use journal::{Recovery, UNREADABLE as JOURNAL_UNREADABLE};
pub use phone_backup::BackupInfo;
pub use sync::{Ack, HubLink, Quarantined, SyncState, WEB_LOCK_OWNER};
pub use verval_core::campaign::merge::Source;

use indexed_db_futures::cursor::CursorDirection;
use indexed_db_futures::database::Database;
use indexed_db_futures::internals::SystemRepr;
use indexed_db_futures::prelude::*;
use verval_core::record::{HouseholdRecord, HouseholdSummary, RecordStatus};
use verval_core::search::Query;
use verval_core::store::HouseholdStore;
use verval_core::RecordId;
use wasm_bindgen::JsValue;

use schema::{v1, v2};

/// An open connection to the app's database. Cloning shares the connection.
#[derive(Clone, Debug)]
pub struct IdbStore {
    db: Database,
    /// The data key while unlocked (`sealing`).
    key: sealing::KeyHold,
}

impl IdbStore {
    /// Opens (creating or upgrading as needed) the database called `name`.
    pub async fn open(name: &str) -> Result<IdbStore, StoreError> {
        IdbStore::open_at(name, schema::CURRENT).await
    }

    /// Opens the database at an older schema version, as an older app did: for tests that
    /// need a database written by the previous version's own upgrade steps.
    pub async fn open_at(name: &str, version: schema::Version) -> Result<IdbStore, StoreError> {
        let db = Database::open(name)
            .with_version(version.number())
            .with_on_upgrade_needed(move |event, db| {
                schema::upgrade(&db, event.old_version() as u32, version)
            })
            .await
            .map_err(StoreError::from_open)?;
        close_when_upgraded_elsewhere(&db);
        let store = IdbStore {
            db,
            key: sealing::KeyHold::default(),
        };
        if version >= schema::Version::V3 {
            store.mark_pending_once().await?;
            if store.vault_raw().await?.is_some() {
                store.mark_pin_set();
            }
        }
        Ok(store)
    }

    /// The schema version of the open database.
    pub fn version(&self) -> u32 {
        self.db.version() as u32
    }

    pub fn name(&self) -> String {
        self.db.name()
    }

    /// Closes the connection, e.g. so a test can delete the database.
    pub fn close(self) {
        self.db.close();
    }
}

/// A newer version of the app in another tab needs to upgrade the database: this tab lets
/// go of it (an open connection would block the upgrade) and reloads into the new version,
/// which the other tab has just installed. Typing not yet saved is in the journal, which the
/// reload replays.
fn close_when_upgraded_elsewhere(db: &Database) {
    let raw: web_sys::IdbDatabase = db.as_sys().clone().into();
    let handle = raw.clone();
    let on_change = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
        handle.close();
        if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
    });
    raw.set_onversionchange(Some(wasm_bindgen::JsCast::unchecked_ref(on_change.as_ref())));
    // Lives as long as the page: the connection does.
    on_change.forget();
}

/// One stored object by its key, as IndexedDB holds it (not through serde: see `decode`),
/// read inside the caller's transaction; `None` when there is none.
async fn read_one(
    store: &indexed_db_futures::object_store::ObjectStore<'_>,
    key: &str,
    fail: impl Fn(indexed_db_futures::error::Error) -> StoreError + Copy,
) -> Result<Option<JsValue>, StoreError> {
    let found: Option<JsValue> = store.get(key).primitive().map_err(fail)?.await.map_err(fail)?;
    Ok(found.filter(|v| !v.is_undefined() && !v.is_null()))
}

/// Puts `value` under `key` in a store with out-of-line keys (`meta`, `photos`), inside the
/// caller's transaction.
async fn put_keyed(
    store: &indexed_db_futures::object_store::ObjectStore<'_>,
    key: &str,
    value: JsValue,
    fail: impl Fn(indexed_db_futures::error::Error) -> StoreError + Copy,
) -> Result<(), StoreError> {
    store
        .put(value)
        .with_key(key)
        .primitive()
        .map_err(fail)?
        .await
        .map_err(fail)?;
    Ok(())
}

/// Every value of a store as IndexedDB holds it (not through serde: see `decode`), read
/// inside the caller's transaction.
async fn read_all_raw(
    store: &indexed_db_futures::object_store::ObjectStore<'_>,
    fail: impl Fn(indexed_db_futures::error::Error) -> StoreError + Copy,
) -> Result<Vec<JsValue>, StoreError> {
    store
        .get_all()
        .primitive()
        .map_err(fail)?
        .await
        .map_err(fail)?
        .collect::<Result<_, _>>()
        .map_err(fail)
}

/// Every value of a store, read inside the caller's transaction.
async fn read_all<T: serde::de::DeserializeOwned>(
    store: &indexed_db_futures::object_store::ObjectStore<'_>,
    fail: impl Fn(indexed_db_futures::error::Error) -> StoreError + Copy,
) -> Result<Vec<T>, StoreError> {
    store
        .get_all()
        .serde()
        .map_err(fail)?
        .await
        .map_err(fail)?
        .collect::<Result<Vec<T>, _>>()
        .map_err(fail)
}

impl HouseholdStore for IdbStore {
    type Error = StoreError;

    async fn put(&self, record: &HouseholdRecord) -> Result<(), StoreError> {
        self.write_household(&household::Prepared::of(record)?).await
    }

    async fn get(&self, id: &RecordId) -> Result<Option<HouseholdRecord>, StoreError> {
        let Some(stored) = self.stored_household(id).await? else {
            return Ok(None);
        };
        let record: HouseholdRecord = sealing::record_of(stored)?;
        Ok(Some(record.into_current()?))
    }

    async fn recent(&self, limit: u32) -> Result<Vec<HouseholdSummary>, StoreError> {
        let fail = |e| StoreError::from_idb(Operation::List, e);
        let mut out = Vec::new();
        if limit == 0 {
            return Ok(out);
        }
        let tx = self.db.transaction(v1::HOUSEHOLDS).build().map_err(fail)?;
        let store = tx.object_store(v1::HOUSEHOLDS).map_err(fail)?;
        let index = store.index(v1::BY_UPDATED).map_err(fail)?;
        let Some(mut cursor) = index
            .open_cursor()
            .with_direction(CursorDirection::Prev)
            .await
            .map_err(fail)?
        else {
            return Ok(out);
        };
        while out.len() < limit as usize {
            match cursor.next_record::<JsValue>().await.map_err(fail)? {
                Some(stored) => {
                    let opened = self.opened(&sealing::HOUSEHOLDS, stored)?;
                    if decode::is_household(&opened) {
                        out.push(decode::summary(&opened)?);
                    }
                }
                None => break,
            }
        }
        Ok(out)
    }

    async fn keep_revision(&self, record: &HouseholdRecord) -> Result<(), StoreError> {
        self.keep_stored_revision(&household::to_stored(record)?).await
    }

    async fn revisions(&self, id: &RecordId) -> Result<Vec<HouseholdRecord>, StoreError> {
        let fail = |e| StoreError::from_idb(Operation::Read, e);
        let tx = self.db.transaction(v2::REVISIONS).build().map_err(fail)?;
        let store = tx.object_store(v2::REVISIONS).map_err(fail)?;
        // The key is `[id, revision]`.
        let key = |revision: u32| -> JsValue {
            js_sys::Array::of2(&JsValue::from_str(id.as_str()), &JsValue::from(revision)).into()
        };
        let range = indexed_db_futures::KeyRange::Bound(key(0), false, key(u32::MAX), false);
        let found: Vec<JsValue> = store
            .get_all()
            .with_query::<JsValue, _>(range)
            .primitive()
            .map_err(fail)?
            .await
            .map_err(fail)?
            .collect::<Result<_, _>>()
            .map_err(fail)?;
        found
            .into_iter()
            .map(|stored| {
                let record: HouseholdRecord = sealing::record_of(self.opened(&sealing::REVISIONS, stored)?)?;
                Ok(record.into_current()?)
            })
            .collect()
    }

    async fn search(
        &self,
        query: Option<&Query>,
        status: Option<RecordStatus>,
        limit: u32,
    ) -> Result<Vec<HouseholdSummary>, StoreError> {
        match (query, status) {
            (None, None) => self.recent(limit).await,
            (None, Some(status)) => self.with_status(status, limit).await,
            (Some(query), status) => self.search_entries(query, status, limit).await,
        }
    }

    async fn with_number(&self, number: &str) -> Result<Vec<HouseholdSummary>, StoreError> {
        self.holding_number(number).await
    }

    async fn count(&self) -> Result<u32, StoreError> {
        self.household_count().await
    }
}
