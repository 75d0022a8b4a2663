//! The search entries beside the households: what finds a household by a name, a NIK, a
//! family card number or its status without reading every record.

use super::error::Operation;
use super::form_entries::{self, FormEntry};
use super::schema::{v1, v2, v3, v7};
use super::write::write_tx;
use super::{decode, read_all_raw, read_one, sealing, IdbStore, StoreError};
use indexed_db_futures::cursor::CursorDirection;
use indexed_db_futures::prelude::*;
use indexed_db_futures::KeyRange;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use verval_core::fields::{NAMA_KEPALA_KELUARGA, NOMOR_KK};
use verval_core::form::default::{ART, NAMA, NIK};
use verval_core::record::{HouseholdRecord, HouseholdSummary, RecordStatus, Timestamp};
use verval_core::search::{Query, SearchKeys};
use verval_core::store::newest_first;
use verval_core::RecordId;
use wasm_bindgen::JsValue;

/// What the search store holds for one household. (Deserialize for the campaign page's
/// reads; the list page reads entries with [`SearchEntry::read`].)
#[derive(Serialize, Deserialize)]
pub(super) struct SearchEntry {
    pub id: RecordId,
    pub status: RecordStatus,
    pub updated_at: Timestamp,
    pub words: Vec<String>,
    pub numbers: Vec<String>,
}

impl SearchEntry {
    pub fn of(record: &HouseholdRecord) -> SearchEntry {
        let SearchKeys { words, numbers } = SearchKeys::of(record);
        SearchEntry {
            id: record.id.clone(),
            status: record.status,
            updated_at: record.updated_at,
            words,
            numbers,
        }
    }

    /// A stored entry (see `decode` for why not through serde).
    fn read(stored: &JsValue) -> Result<SearchEntry, StoreError> {
        let (id, status, updated_at) = decode::identity(stored)?;
        Ok(SearchEntry {
            id,
            status,
            updated_at,
            words: decode::texts(stored, "words"),
            numbers: decode::texts(stored, "numbers"),
        })
    }

    /// The entry a stored household should have, from only the parts of it the entry is
    /// made of: the head's name and KK, every member's name and NIK.
    pub(super) fn of_stored(stored: &JsValue) -> Result<SearchEntry, StoreError> {
        let answers = decode::field(stored, "answers");
        let members: Vec<(String, String)> = decode::items(&decode::field(stored, "repeats"), ART.as_str())
            .iter()
            .map(|row| {
                let answers = decode::field(row, "answers");
                (
                    decode::text(&answers, NAMA.as_str()),
                    decode::text(&answers, NIK.as_str()),
                )
            })
            .collect();
        let SearchKeys { words, numbers } = SearchKeys::from_parts(
            &decode::text(&answers, NAMA_KEPALA_KELUARGA.as_str()),
            &decode::text(&answers, NOMOR_KK.as_str()),
            members.iter().map(|(name, nik)| (name.as_str(), nik.as_str())),
        );
        let (id, status, updated_at) = decode::identity(stored)?;
        Ok(SearchEntry {
            id,
            status,
            updated_at,
            words,
            numbers,
        })
    }

    /// The entry as stored: sealed when the store holds the data key (then only its id,
    /// status and time of change stay plain, for the status index; the names and numbers
    /// are searched in memory).
    pub(super) fn stored(&self, store: &IdbStore) -> Result<JsValue, StoreError> {
        store.sealed_value(&sealing::SEARCH, self)
    }

    fn keys(&self) -> SearchKeys {
        SearchKeys {
            words: self.words.clone(),
            numbers: self.numbers.clone(),
        }
    }
}

/// Every `[status, updated_at, id]` of one status in the status index.
pub(super) fn status_range(status: RecordStatus) -> KeyRange<(String, f64, String)> {
    let tag = status.tag().to_owned();
    KeyRange::Bound(
        (tag.clone(), f64::NEG_INFINITY, String::new()),
        false,
        (tag, f64::INFINITY, "\u{ffff}".to_owned()),
        false,
    )
}

/// Every key starting with `prefix`: the range `[prefix, prefix + U+FFFF]`.
fn prefix_range(prefix: &str) -> KeyRange<String> {
    KeyRange::Bound(prefix.to_owned(), false, format!("{prefix}\u{ffff}"), false)
}

impl IdbStore {
    /// Households matching a query and a status, newest first; see `HouseholdStore::search`.
    pub(super) async fn search_entries(
        &self,
        query: &Query,
        status: Option<RecordStatus>,
        limit: u32,
    ) -> Result<Vec<HouseholdSummary>, StoreError> {
        let entries = if self.holds_key() {
            // Sealed entries have no plain words or numbers in the indexes: every entry is
            // opened and matched in memory.
            self.search_entries_opened().await?
        } else {
            self.entries_by_prefix(query).await?
        };
        // A multi-entry index lists a household once per matching key: keep one.
        let mut seen = BTreeSet::new();
        let mut hits: Vec<&SearchEntry> = entries
            .iter()
            .filter(|e| status.is_none_or(|s| e.status == s) && query.matches(&e.keys()))
            .filter(|e| seen.insert(e.id.clone()))
            .collect();
        hits.sort_unstable_by(|a, b| (b.updated_at, &b.id).cmp(&(a.updated_at, &a.id)));
        hits.truncate(limit as usize);
        let ids: Vec<RecordId> = hits.into_iter().map(|e| e.id.clone()).collect();
        self.summaries(&ids).await
    }

    /// The entries whose indexed word or number starts with the query's prefix (plain
    /// entries only).
    async fn entries_by_prefix(&self, query: &Query) -> Result<Vec<SearchEntry>, StoreError> {
        let fail = |e| StoreError::from_idb(Operation::Search, e);
        let tx = self.db.transaction(v2::SEARCH).build().map_err(fail)?;
        let store = tx.object_store(v2::SEARCH).map_err(fail)?;
        let index_name = match query {
            Query::Number(_) => v2::BY_NUMBER,
            Query::Words(_) => v2::BY_WORD,
        };
        let index = store.index(index_name).map_err(fail)?;
        let stored: Vec<JsValue> = index
            .get_all()
            .with_query::<String, KeyRange<String>>(prefix_range(query.index_prefix()))
            .primitive()
            .map_err(fail)?
            .await
            .map_err(fail)?
            .collect::<Result<_, _>>()
            .map_err(fail)?;
        drop(tx);
        stored.iter().map(SearchEntry::read).collect()
    }

    /// Every search entry, sealed ones opened.
    pub(super) async fn search_entries_opened(&self) -> Result<Vec<SearchEntry>, StoreError> {
        let fail = |e| StoreError::from_idb(Operation::Search, e);
        let tx = self.db.transaction(v2::SEARCH).build().map_err(fail)?;
        let store = tx.object_store(v2::SEARCH).map_err(fail)?;
        let stored: Vec<JsValue> = read_all_raw(&store, fail).await?;
        drop(tx);
        stored
            .into_iter()
            .map(|s| SearchEntry::read(&self.opened(&sealing::SEARCH, s)?))
            .collect()
    }

    /// Every household id of one status (the export's "all finalized"), read from the status
    /// index's keys without reading a record.
    pub async fn ids_with_status(&self, status: RecordStatus) -> Result<Vec<RecordId>, StoreError> {
        let fail = |e| StoreError::from_idb(Operation::Search, e);
        let tx = self.db.transaction(v2::SEARCH).build().map_err(fail)?;
        let store = tx.object_store(v2::SEARCH).map_err(fail)?;
        let index = store.index(v2::BY_STATUS).map_err(fail)?;
        let ids: Vec<String> = index
            .get_all_keys()
            .with_query(status_range(status))
            .serde()
            .map_err(fail)?
            .await
            .map_err(fail)?
            .collect::<Result<_, _>>()
            .map_err(fail)?;
        Ok(ids.iter().filter_map(|id| RecordId::parse(id).ok()).collect())
    }

    /// How many households have this status (district form records left out).
    pub async fn count_with_status(&self, status: RecordStatus) -> Result<u32, StoreError> {
        Ok(self.counts_with_status(status).await?.0)
    }

    /// One status, newest first, walking the status index backwards.
    pub(super) async fn with_status(
        &self,
        status: RecordStatus,
        limit: u32,
    ) -> Result<Vec<HouseholdSummary>, StoreError> {
        let fail = |e| StoreError::from_idb(Operation::Search, e);
        let mut ids = Vec::new();
        {
            let tx = self.db.transaction(v2::SEARCH).build().map_err(fail)?;
            let store = tx.object_store(v2::SEARCH).map_err(fail)?;
            let index = store.index(v2::BY_STATUS).map_err(fail)?;
            let Some(mut cursor) = index
                .open_cursor()
                .with_query(status_range(status))
                .with_direction(CursorDirection::Prev)
                .serde()
                .map_err(fail)?
                .await
                .map_err(fail)?
            else {
                return Ok(Vec::new());
            };
            while ids.len() < limit as usize {
                match cursor.next_record::<JsValue>().await.map_err(fail)? {
                    Some(entry) => ids.push(decode::id(&entry)?),
                    None => break,
                }
            }
        }
        self.summaries(&ids).await
    }

    /// The households holding exactly this NIK or KK.
    pub(super) async fn holding_number(&self, number: &str) -> Result<Vec<HouseholdSummary>, StoreError> {
        if self.holds_key() {
            let ids: Vec<RecordId> = self
                .search_entries_opened()
                .await?
                .into_iter()
                .filter(|e| e.numbers.iter().any(|n| n == number))
                .map(|e| e.id)
                .collect();
            let mut found = self.summaries(&ids).await?;
            newest_first(&mut found);
            return Ok(found);
        }
        let fail = |e| StoreError::from_idb(Operation::Search, e);
        let tx = self.db.transaction(v2::SEARCH).build().map_err(fail)?;
        let store = tx.object_store(v2::SEARCH).map_err(fail)?;
        let index = store.index(v2::BY_NUMBER).map_err(fail)?;
        let entries: Vec<JsValue> = index
            .get_all()
            .with_query::<String, KeyRange<String>>(KeyRange::Only(number.to_owned()))
            .primitive()
            .map_err(fail)?
            .await
            .map_err(fail)?
            .collect::<Result<_, _>>()
            .map_err(fail)?;
        drop(tx);
        let ids = entries
            .iter()
            .map(decode::id)
            .collect::<Result<BTreeSet<RecordId>, _>>()?;
        let mut found = self.summaries(&ids.into_iter().collect::<Vec<_>>()).await?;
        newest_first(&mut found);
        Ok(found)
    }

    /// The list lines of these households, in the order given (missing ones skipped).
    pub(super) async fn summaries(&self, ids: &[RecordId]) -> Result<Vec<HouseholdSummary>, StoreError> {
        let fail = |e| StoreError::from_idb(Operation::List, e);
        let tx = self.db.transaction(v1::HOUSEHOLDS).build().map_err(fail)?;
        let store = tx.object_store(v1::HOUSEHOLDS).map_err(fail)?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(stored) = read_one(&store, id.as_str(), fail).await? {
                let opened = self.opened(&sealing::HOUSEHOLDS, stored)?;
                // A form as data's record has a search entry (every record has one, so
                // that the entries' count tells when some are missing) but no list line.
                if decode::is_household(&opened) {
                    out.push(decode::summary(&opened)?);
                }
            }
        }
        Ok(out)
    }

    /// Gives every household without a search entry its entry (households stored by version
    /// 1 of the app, before the search store existed), and every district form record
    /// without its form entry its entry (records stored before schema version 7, issue #25;
    /// looked for once, and only on a phone that has had a district form). Cheap when
    /// nothing is missing (two counts and a mark). Needs the records opened: on a locked
    /// phone it fails, and the next start tries again. The list page, where the app starts,
    /// runs it when it opens, before it searches or counts.
    pub async fn complete_search_entries(&self) -> Result<(), StoreError> {
        let tx = write_tx(
            &self.db,
            [v1::HOUSEHOLDS, v2::SEARCH, v7::FORM_RECORDS, v3::META],
            Operation::Search,
        )?;
        let fail = tx.fail();
        let households = tx.object_store(v1::HOUSEHOLDS).map_err(fail)?;
        let search = tx.object_store(v2::SEARCH).map_err(fail)?;
        let meta = tx.object_store(v3::META).map_err(fail)?;
        let searchable = households.count().await.map_err(fail)? == search.count().await.map_err(fail)?;
        let forms_entered = read_one(&meta, form_entries::COMPLETED, fail).await?.is_some()
            // A phone with no forms shelf never had a district form.
            || read_one(&meta, super::forms::FORMS, fail).await?.is_none();
        if searchable && forms_entered {
            return Ok(());
        }
        // Sealed records do not open without the key: the next start tries again.
        if self.locked() {
            return Err(StoreError::Locked);
        }
        let have: BTreeSet<String> = match searchable {
            true => BTreeSet::new(),
            false => search
                .get_all_keys()
                .primitive()
                .map_err(fail)?
                .await
                .map_err(fail)?
                .filter_map(|k| k.ok())
                .collect(),
        };
        let forms = tx.object_store(v7::FORM_RECORDS).map_err(fail)?;
        if let Some(mut cursor) = households.open_cursor().await.map_err(fail)? {
            while let Some(stored) = cursor.next_record::<JsValue>().await.map_err(fail)? {
                let unsearchable = !searchable && !have.contains(&decode::text(&stored, "id"));
                if !unsearchable && forms_entered {
                    continue;
                }
                // A record that does not open (or read) gets no entry here, and does not stop
                // the others getting theirs: the list names it when it reads it.
                let Ok(opened) = self.opened(&sealing::HOUSEHOLDS, stored) else {
                    continue;
                };
                if unsearchable {
                    let Ok(entry) = SearchEntry::of_stored(&opened) else {
                        continue;
                    };
                    let value = entry.stored(self)?;
                    search
                        .put(&value)
                        .primitive()
                        .map_err(fail)?
                        .await
                        .map_err(fail)?;
                }
                if let Ok(Some(entry)) = FormEntry::of_stored(&opened).map(|e| e.filter(|_| !forms_entered)) {
                    forms
                        .put(&entry.stored())
                        .primitive()
                        .map_err(fail)?
                        .await
                        .map_err(fail)?;
                }
            }
        }
        // Marked only once the records were looked through for district forms: a phone with
        // no shelf yet looks the first time it has one.
        if !forms_entered {
            super::put_keyed(&meta, form_entries::COMPLETED, JsValue::TRUE, fail).await?;
        }
        tx.commit().await
    }
}
