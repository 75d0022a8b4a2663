//! The campaign's stores (issue #7): the families assigned to this phone, and one visit
//! entry per household saying which listed family it visits and how that went.

use super::error::Operation;
use super::schema::{v1, v3, v5};
use super::search::SearchEntry;
use super::write::write_tx;
use super::{decode, put_keyed, read_all_raw, read_one, sealing, IdbStore, StoreError};
use indexed_db_futures::object_store::ObjectStore;
use indexed_db_futures::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use verval_core::campaign::duplicates::DeviceHousehold;
use verval_core::campaign::merge::{merge, removable, Source};
pub use verval_core::campaign::merge::{AssignedFamily, AssignmentUpdate};
use verval_core::campaign::progress::Visit;
use verval_core::form::rules::family_label;
use verval_core::prelist::PrelistFamily;
use verval_core::record::{HouseholdRecord, RecordStatus, Timestamp};
use verval_core::sync::api::Assignment;
use wasm_bindgen::JsValue;

/// The meta store's keys for [`AssignmentInfo`]: the district's list (before sources
/// existed, whichever list was saved last), and the prelist read on the phone.
const META_ASSIGNMENT: &str = "assignment";
const META_LOCAL: &str = "assignment-local";

/// What the phone knows of one source's list besides the families.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignmentInfo {
    /// The hub's name, or the file name of a prelist read on the phone.
    pub hub: String,
    pub enumerator: String,
    pub villages: Vec<String>,
    pub received_at: Timestamp,
    /// `hub` (downloaded) or `file` (imported).
    pub via: String,
}

/// The list of each source on the phone, kept apart so a new list of one never hides the
/// other's.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Assignments {
    pub hub: Option<AssignmentInfo>,
    pub local: Option<AssignmentInfo>,
}

impl Assignments {
    /// Both, the district's first.
    pub fn all(&self) -> impl Iterator<Item = &AssignmentInfo> {
        self.hub.iter().chain(self.local.iter())
    }

    /// The source of families stored before sources existed: the source of the one info
    /// stored then (see [`Source::of_legacy`]).
    fn legacy_source(&self) -> Source {
        if self.hub.is_some() {
            Source::Hub
        } else {
            Source::Local
        }
    }
}

/// A family as stored: entries written before sources existed have none.
#[derive(Deserialize)]
struct StoredFamily {
    prelist_id: String,
    kode_desa: String,
    #[serde(default)]
    source: Option<Source>,
    listed: bool,
    family: PrelistFamily,
    /// Written since the hub's lists mark visited families; none before.
    #[serde(default)]
    visited_elsewhere: bool,
}

impl StoredFamily {
    fn resolve(self, legacy: Source) -> AssignedFamily {
        AssignedFamily {
            prelist_id: self.prelist_id,
            kode_desa: self.kode_desa,
            source: self.source.unwrap_or(legacy),
            listed: self.listed,
            family: self.family,
            visited_elsewhere: self.visited_elsewhere,
        }
    }
}

/// Reads both lists' infos in the caller's transaction. An info stored under the old key
/// by a prelist read on the phone (before sources) is the local one.
async fn read_infos(meta: &ObjectStore<'_>) -> Result<Assignments, StoreError> {
    let fail = |e| StoreError::from_idb(Operation::Read, e);
    let mut infos = [None, None];
    for (slot, key) in infos.iter_mut().zip([META_ASSIGNMENT, META_LOCAL]) {
        *slot = read_one(meta, key, fail)
            .await?
            .map(|v| {
                serde_wasm_bindgen::from_value::<AssignmentInfo>(v)
                    .map_err(|e| StoreError::Unreadable(e.to_string()))
            })
            .transpose()?;
    }
    let [hub, local] = infos;
    Ok(match (hub, local) {
        (Some(old), None) if Source::of_legacy(&old.via, &old.enumerator) == Source::Local => Assignments {
            hub: None,
            local: Some(old),
        },
        (hub, local) => Assignments { hub, local },
    })
}

impl IdbStore {
    /// Every family on the phone, each with its source, read in the caller's transaction.
    async fn read_families(
        &self,
        assigned: &ObjectStore<'_>,
        infos: &Assignments,
    ) -> Result<Vec<AssignedFamily>, StoreError> {
        let fail = |e| StoreError::from_idb(Operation::Read, e);
        let legacy = infos.legacy_source();
        read_all_raw(assigned, fail)
            .await?
            .into_iter()
            .map(|stored| self.stored_family(stored).map(|f| f.resolve(legacy)))
            .collect()
    }

    /// A family as stored, opened (`sealing::ASSIGNED`).
    fn stored_family(&self, stored: JsValue) -> Result<StoredFamily, StoreError> {
        sealing::record_of(self.opened(&sealing::ASSIGNED, stored)?)
    }
}

impl IdbStore {
    /// Saves a list from `source`, merged with the families on the phone by the core's rules
    /// (`verval_core::campaign::merge`): nothing is deleted, the other source's families are
    /// untouched, and no household record is touched. All in one transaction, which also
    /// gives families stored before sources their source.
    pub async fn save_assignment(
        &self,
        assignment: &Assignment,
        source: Source,
        received_at: Timestamp,
        via: &str,
    ) -> Result<AssignmentUpdate, StoreError> {
        let fail = |e| StoreError::from_idb(Operation::Save, e);
        let unreadable = |e: serde_wasm_bindgen::Error| StoreError::Unreadable(e.to_string());
        let tx = write_tx(&self.db, [v5::ASSIGNED, v3::META], Operation::Save)?;
        let assigned = tx.object_store(v5::ASSIGNED).map_err(fail)?;
        let meta = tx.object_store(v3::META).map_err(fail)?;
        let mut infos = read_infos(&meta).await?;
        let old = self.read_families(&assigned, &infos).await?;
        let (families, update) = merge(old, assignment, source);
        for family in families {
            let value = self.sealed_value(&sealing::ASSIGNED, &family)?;
            assigned.put(&value).primitive().map_err(fail)?;
        }
        let info = AssignmentInfo {
            hub: assignment.hub.clone(),
            enumerator: assignment.enumerator.clone(),
            villages: assignment.villages.clone(),
            received_at,
            via: via.to_owned(),
        };
        // The district's part size for batches with photos comes with its list; a list of
        // a hub that says none brings the default back.
        if source == Source::Hub {
            self.keep_part_bytes_in(&meta, assignment.batch_part_bytes)
                .await?;
        }
        // The village meetings the hub holds come with its list (a file too).
        if !assignment.musdes.is_empty() {
            self.change_meeting_book_in(&meta, |book| book.take_hub(&assignment.musdes))
                .await?;
        }
        // The district's own forms come with its list too (issue #25).
        self.take_forms_in(&meta, &assignment.forms).await?;
        match source {
            Source::Hub => infos.hub = Some(info),
            Source::Local => infos.local = Some(info),
        }
        // Both keys written: a local info still under the old key moves to its own.
        for (key, info) in [(META_ASSIGNMENT, &infos.hub), (META_LOCAL, &infos.local)] {
            match info {
                Some(info) => {
                    let value = serde_wasm_bindgen::to_value(info).map_err(unreadable)?;
                    put_keyed(&meta, key, value, fail).await?;
                }
                None => meta.delete(key).primitive().map_err(fail)?.await.map_err(fail)?,
            }
        }
        tx.commit().await?;
        Ok(update)
    }

    /// The enumerator's decision on a withdrawn family: off the list, if nobody started
    /// visiting it (checked again here, in the same transaction as the delete). False when
    /// it stays.
    pub async fn remove_withdrawn(&self, prelist_id: &str) -> Result<bool, StoreError> {
        let fail = |e| StoreError::from_idb(Operation::Save, e);
        let tx = write_tx(&self.db, [v5::ASSIGNED, v5::VISITS], Operation::Save)?;
        let assigned = tx.object_store(v5::ASSIGNED).map_err(fail)?;
        let found: Option<JsValue> = assigned
            .get(prelist_id)
            .primitive()
            .map_err(fail)?
            .await
            .map_err(fail)?;
        let found = found.map(|stored| self.stored_family(stored)).transpose()?;
        // The prelist id is kept plain in a sealed visit entry (`sealing::VISITS`).
        let visits = read_all_raw(&tx.object_store(v5::VISITS).map_err(fail)?, fail).await?;
        let visited = visits.iter().any(|v| decode::text(v, "prelist_id") == prelist_id);
        let Some(family) = found.map(|f| f.resolve(Source::Local)) else {
            return Ok(false);
        };
        if !removable(&family, visited) {
            return Ok(false);
        }
        assigned.delete(prelist_id).primitive().map_err(fail)?;
        tx.commit().await?;
        Ok(true)
    }

    /// The phone's lists, one per source.
    pub async fn assignment_info(&self) -> Result<Assignments, StoreError> {
        let fail = |e| StoreError::from_idb(Operation::Read, e);
        let tx = self.db.transaction(v3::META).build().map_err(fail)?;
        read_infos(&tx.object_store(v3::META).map_err(fail)?).await
    }

    /// Every family on the phone's visit list, withdrawn ones too, each with its source.
    pub async fn assigned_families(&self) -> Result<Vec<AssignedFamily>, StoreError> {
        let fail = |e| StoreError::from_idb(Operation::Read, e);
        let tx = self
            .db
            .transaction([v5::ASSIGNED, v3::META])
            .build()
            .map_err(fail)?;
        let infos = read_infos(&tx.object_store(v3::META).map_err(fail)?).await?;
        self.read_families(&tx.object_store(v5::ASSIGNED).map_err(fail)?, &infos)
            .await
    }

    /// One listed family's data (what its visit is prefilled from).
    pub async fn assigned_family(&self, prelist_id: &str) -> Result<Option<PrelistFamily>, StoreError> {
        let fail = |e| StoreError::from_idb(Operation::Read, e);
        let tx = self.db.transaction(v5::ASSIGNED).build().map_err(fail)?;
        let store = tx.object_store(v5::ASSIGNED).map_err(fail)?;
        let found: Option<JsValue> = store
            .get(prelist_id)
            .primitive()
            .map_err(fail)?
            .await
            .map_err(fail)?;
        Ok(found
            .map(|stored| self.stored_family(stored))
            .transpose()?
            .map(|f| f.family))
    }

    /// Every household's visit entry.
    pub async fn visits(&self) -> Result<Vec<Visit>, StoreError> {
        let fail = |e| StoreError::from_idb(Operation::Read, e);
        let tx = self.db.transaction(v5::VISITS).build().map_err(fail)?;
        let stored = read_all_raw(&tx.object_store(v5::VISITS).map_err(fail)?, fail).await?;
        drop(tx);
        stored
            .into_iter()
            .map(|s| sealing::record_of(self.opened(&sealing::VISITS, s)?))
            .collect()
    }

    /// Each household's village and whether it is finalized, for the sync round's report to
    /// the hub: only those two fields of each visit entry are read (the sync worker's code
    /// stays small).
    pub async fn households_by_village(&self) -> Result<Vec<(String, bool)>, StoreError> {
        #[derive(Deserialize)]
        struct Entry {
            kode_desa: String,
            status: RecordStatus,
        }
        let entries: Vec<Entry> = self.all(v5::VISITS).await?;
        Ok(entries
            .into_iter()
            .map(|e| (e.kode_desa, e.status == RecordStatus::Final))
            .collect())
    }

    /// Gives households stored before visit entries existed (schema 4 and older) theirs.
    /// Reads whole records, so only the campaign page calls it, and only does the work
    /// when the counts differ.
    pub async fn complete_visits(&self) -> Result<(), StoreError> {
        let fail = |e| StoreError::from_idb(Operation::Save, e);
        let tx = write_tx(&self.db, [v1::HOUSEHOLDS, v5::VISITS], Operation::Save)?;
        let households = tx.object_store(v1::HOUSEHOLDS).map_err(fail)?;
        let visits = tx.object_store(v5::VISITS).map_err(fail)?;
        if households.count().await.map_err(fail)? == visits.count().await.map_err(fail)? {
            return Ok(());
        }
        let stored: Vec<JsValue> = read_all_raw(&households, fail).await?;
        for stored in stored {
            let record: HouseholdRecord = sealing::record_of(self.opened(&sealing::HOUSEHOLDS, stored)?)?;
            let record = record.into_current()?;
            let visit = self.sealed_value(&sealing::VISITS, &Visit::of(&record))?;
            visits.put(&visit).primitive().map_err(fail)?;
        }
        tx.commit().await
    }

    /// The KK and NIKs of every household on the phone, with the listed family each visits:
    /// what the duplicate hints compare. Read from the search entries, not the records.
    pub async fn device_numbers(&self) -> Result<Vec<DeviceHousehold>, StoreError> {
        let entries: Vec<SearchEntry> = self.search_entries_opened().await?;
        let visits = self.visits().await?;
        let by_id: BTreeMap<&str, &Visit> = visits.iter().map(|v| (v.record_id.as_str(), v)).collect();
        Ok(entries
            .into_iter()
            .map(|e| {
                let visit = by_id.get(e.id.as_str());
                DeviceHousehold {
                    prelist_id: visit.map(|v| v.prelist_id.clone()).unwrap_or_default(),
                    label: visit.map_or_else(String::new, |v| family_label(&v.nama, &v.nomor_kk)),
                    record_id: e.id.to_string(),
                    numbers: e.numbers,
                }
            })
            .collect())
    }
}
