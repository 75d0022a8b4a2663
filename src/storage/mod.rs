//! The only code that touches IndexedDB or localStorage.
//!
//! [`IdbStore`] keeps household records in IndexedDB and implements the core's
//! [`HouseholdStore`] port. Every failure comes back as a [`StoreError`] with a message for the
//! user; nothing here panics on a web API or swallows an error.

mod campaign;
mod decode;
mod error;
mod exports;
mod photos;
pub mod prefs;
pub mod quota;
pub mod schema;
mod search;
mod sync;

pub use campaign::{AssignedFamily, AssignmentInfo, AssignmentUpdate, Assignments};
pub use error::StoreError;
pub use exports::{BatchInfo, ExportEntry};
pub use sync::{Ack, HubLink, Quarantined, SyncState};
pub use verval_core::campaign::merge::Source;

use indexed_db_futures::cursor::CursorDirection;
use indexed_db_futures::database::Database;
use indexed_db_futures::internals::SystemRepr;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{TransactionDurability, TransactionMode, TransactionOptions};
use verval_core::record::{HouseholdRecord, HouseholdSummary, RecordStatus};
use verval_core::search::Query;
use verval_core::store::HouseholdStore;
use verval_core::RecordId;
use wasm_bindgen::JsValue;

use schema::{v1, v2, v3, v5};

/// An open connection to the app's database. Cloning shares the connection.
#[derive(Clone, Debug)]
pub struct IdbStore {
    db: Database,
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
        let store = IdbStore { db };
        if version >= schema::Version::V3 {
            store.mark_pending_once().await?;
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
/// which the other tab has just installed. Typing not yet saved is at most the autosave's
/// 300 ms.
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

/// Relaxed durability: a write counts as done once the browser has handed it to the
/// operating system, which keeps it through a killed tab or browser (on phones the common way
/// to lose work) and writes it to flash within seconds. Strict durability waits for an fsync
/// on every save; on a busy or cheap disk that took over a second (measured under write
/// pressure, tests/e2e/crash.test.mjs), long enough for a killed browser to take the
/// enumerator's last second of typing with it. What relaxed gives up is the last few seconds
/// before a sudden power loss.
fn durability() -> TransactionOptions {
    TransactionOptions::new().with_durability(TransactionDurability::Relaxed)
}

/// A read-write transaction over `stores` with relaxed durability, and the raw transaction
/// `commit_write` reads a full disk's abort reason from.
fn write_tx<S: indexed_db_futures::database::ObjectStoreName>(
    db: &Database,
    stores: S,
) -> indexed_db_futures::Result<(
    indexed_db_futures::transaction::Transaction<'_>,
    web_sys::IdbTransaction,
)> {
    let tx = db
        .transaction(stores)
        .with_mode(TransactionMode::Readwrite)
        .with_options(durability())
        .build()?;
    let raw: web_sys::IdbTransaction = tx.as_sys().clone().into();
    Ok((tx, raw))
}

/// Commits a write. A full disk aborts the transaction at commit, and the reason (a quota
/// error the user must be told about) is only on the raw transaction, not on the error the
/// commit returns.
async fn commit_write(
    tx: indexed_db_futures::transaction::Transaction<'_>,
    raw: &web_sys::IdbTransaction,
    fail: impl Fn(indexed_db_futures::error::Error) -> StoreError,
) -> Result<(), StoreError> {
    match tx.commit().await {
        Ok(()) => Ok(()),
        Err(error) => Err(raw.error().map_or_else(|| fail(error), StoreError::from_abort)),
    }
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
        let fail = |e| StoreError::from_idb("save", e);
        // The household, its search entry, its visit entry and its place on the pending list
        // in one transaction: all or nothing.
        // A full disk aborts the transaction at commit; the reason is on the raw transaction.
        let (tx, raw) = write_tx(
            &self.db,
            [v1::HOUSEHOLDS, v2::SEARCH, v3::PENDING, v3::EXPORTS, v5::VISITS],
        )
        .map_err(fail)?;
        // Every request is placed before the first is awaited: IndexedDB runs them in order
        // within the transaction, and waiting for each before placing the next cost a turn
        // of the event loop per request (bench/storage: a save took 3.6× a bare write).
        let households = tx.object_store(v1::HOUSEHOLDS).map_err(fail)?;
        let search = tx.object_store(v2::SEARCH).map_err(fail)?;
        let pending = tx.object_store(v3::PENDING).map_err(fail)?;
        let household = households.put(record).serde().map_err(fail)?;
        let entry = search
            .put(search::SearchEntry::of(record))
            .serde()
            .map_err(fail)?;
        let visit = tx
            .object_store(v5::VISITS)
            .map_err(fail)?
            .put(verval_core::campaign::progress::Visit::of(record))
            .serde()
            .map_err(fail)?;
        // A finalized revision waits for a batch unless it already went out in one; a
        // draft (a correction under way) waits for nothing until it is finalized again.
        if record.status == RecordStatus::Final {
            let exports = tx.object_store(v3::EXPORTS).map_err(fail)?;
            let exported = IdbStore::was_exported(&exports, &record.id, record.revision);
            household.await.map_err(fail)?;
            entry.await.map_err(fail)?;
            visit.await.map_err(fail)?;
            if exported.await.map_err(fail)? {
                pending
                    .delete(record.id.as_str())
                    .primitive()
                    .map_err(fail)?
                    .await
                    .map_err(fail)?;
            } else {
                let waiting = exports::Pending {
                    id: record.id.clone(),
                    revision: record.revision,
                    since: record.updated_at,
                };
                pending.put(waiting).serde().map_err(fail)?.await.map_err(fail)?;
            }
        } else {
            let off_the_list = pending.delete(record.id.as_str()).primitive().map_err(fail)?;
            household.await.map_err(fail)?;
            entry.await.map_err(fail)?;
            visit.await.map_err(fail)?;
            off_the_list.await.map_err(fail)?;
        }
        commit_write(tx, &raw, fail).await
    }

    async fn get(&self, id: &RecordId) -> Result<Option<HouseholdRecord>, StoreError> {
        let fail = |e| StoreError::from_idb("read", e);
        let tx = self.db.transaction(v1::HOUSEHOLDS).build().map_err(fail)?;
        let store = tx.object_store(v1::HOUSEHOLDS).map_err(fail)?;
        let record: Option<HouseholdRecord> = store
            .get(id.as_str())
            .serde()
            .map_err(fail)?
            .await
            .map_err(fail)?;
        Ok(record.map(HouseholdRecord::into_current).transpose()?)
    }

    async fn recent(&self, limit: u32) -> Result<Vec<HouseholdSummary>, StoreError> {
        let fail = |e| StoreError::from_idb("list", e);
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
                Some(stored) => out.push(decode::summary(&stored)?),
                None => break,
            }
        }
        Ok(out)
    }

    async fn keep_revision(&self, record: &HouseholdRecord) -> Result<(), StoreError> {
        let fail = |e| StoreError::from_idb("save", e);
        let (tx, raw) = write_tx(&self.db, v2::REVISIONS).map_err(fail)?;
        let store = tx.object_store(v2::REVISIONS).map_err(fail)?;
        // `add`, not `put`: a kept revision is never replaced. Keeping it again (a retried
        // correction) finds it there, which is success.
        let key = (record.id.as_str().to_owned(), record.revision);
        let existing: Option<HouseholdRecord> = store
            .get(indexed_db_futures::KeyRange::Only(key))
            .serde()
            .map_err(fail)?
            .await
            .map_err(fail)?;
        if existing.is_some() {
            return Ok(());
        }
        store.add(record).serde().map_err(fail)?.await.map_err(fail)?;
        commit_write(tx, &raw, fail).await
    }

    async fn revisions(&self, id: &RecordId) -> Result<Vec<HouseholdRecord>, StoreError> {
        let fail = |e| StoreError::from_idb("read", e);
        let tx = self.db.transaction(v2::REVISIONS).build().map_err(fail)?;
        let store = tx.object_store(v2::REVISIONS).map_err(fail)?;
        // The key is `[id, revision]`; serde writes a tuple as that array.
        let key = |revision: u32| (id.as_str().to_owned(), revision);
        let range = indexed_db_futures::KeyRange::Bound(key(0), false, key(u32::MAX), false);
        let found: Vec<HouseholdRecord> = store
            .get_all()
            .with_query(range)
            .serde()
            .map_err(fail)?
            .await
            .map_err(fail)?
            .collect::<Result<_, _>>()
            .map_err(fail)?;
        found
            .into_iter()
            .map(HouseholdRecord::into_current)
            .collect::<Result<_, _>>()
            .map_err(Into::into)
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
        let fail = |e| StoreError::from_idb("count", e);
        let tx = self.db.transaction(v1::HOUSEHOLDS).build().map_err(fail)?;
        let store = tx.object_store(v1::HOUSEHOLDS).map_err(fail)?;
        store.count().await.map_err(fail)
    }
}
