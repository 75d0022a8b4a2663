//! The campaign's stores (issue #7): the families assigned to this phone, and one visit
//! entry per household saying which listed family it visits and how that went.

use super::schema::{v1, v2, v3, v5};
use super::search::SearchEntry;
use super::error::Operation;
use super::write::write_tx;
use super::{read_all, IdbStore, StoreError};
use indexed_db_futures::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use verval_core::campaign::duplicates::DeviceHousehold;
use verval_core::campaign::progress::Visit;
use verval_core::prelist::PrelistFamily;
use verval_core::record::{HouseholdRecord, Timestamp};
use verval_core::sync::api::Assignment;

/// The meta store's key for [`AssignmentInfo`].
const META_ASSIGNMENT: &str = "assignment";

/// What the phone knows of its assignment besides the families.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignmentInfo {
    pub hub: String,
    pub enumerator: String,
    pub villages: Vec<String>,
    pub received_at: Timestamp,
    /// `hub` (downloaded) or `file` (imported).
    pub via: String,
}

/// What saving a new assignment changed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AssignmentUpdate {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Left out by the new list and never visited: gone from the phone.
    pub removed: usize,
    /// Left out by the new list but visited: kept, marked as no longer listed.
    pub kept_visited: usize,
}

/// One family in the `assigned` store.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignedFamily {
    pub prelist_id: String,
    pub kode_desa: String,
    /// False once a newer assignment left it out (kept because it was visited).
    pub listed: bool,
    pub family: PrelistFamily,
}

impl IdbStore {
    /// Saves an assignment, merged by prelist id with the one on the phone: listed families
    /// take the new list's data, families it leaves out go unless already visited, and no
    /// household record is touched. All in one transaction.
    pub async fn save_assignment(
        &self,
        assignment: &Assignment,
        received_at: Timestamp,
        via: &str,
    ) -> Result<AssignmentUpdate, StoreError> {
        let fail = |e| StoreError::from_idb(Operation::Save, e);
        let tx = write_tx(&self.db, [v5::ASSIGNED, v5::VISITS, v3::META], Operation::Save)?;
        let assigned = tx.object_store(v5::ASSIGNED).map_err(fail)?;
        let old: Vec<AssignedFamily> = read_all(&assigned, fail).await?;
        let visits: Vec<Visit> = read_all(&tx.object_store(v5::VISITS).map_err(fail)?, fail).await?;
        let visited: BTreeSet<&str> = visits.iter().map(|v| v.prelist_id.as_str()).collect();
        let old: BTreeMap<&str, &AssignedFamily> = old.iter().map(|f| (f.prelist_id.as_str(), f)).collect();
        let new_ids: BTreeSet<&str> = assignment
            .families
            .iter()
            .map(|f| f.prelist_id.as_str())
            .collect();

        let mut update = AssignmentUpdate::default();
        for family in &assignment.families {
            match old.get(family.prelist_id.as_str()) {
                None => update.added += 1,
                Some(before) if before.listed && before.family == *family => update.unchanged += 1,
                Some(_) => update.updated += 1,
            }
            let entry = AssignedFamily {
                prelist_id: family.prelist_id.clone(),
                kode_desa: family.kode_desa.clone(),
                listed: true,
                family: family.clone(),
            };
            assigned.put(entry).serde().map_err(fail)?;
        }
        for (id, before) in old.iter().filter(|(id, _)| !new_ids.contains(*id)) {
            if visited.contains(id) {
                update.kept_visited += 1;
                let kept = AssignedFamily {
                    listed: false,
                    ..(*before).clone()
                };
                assigned.put(kept).serde().map_err(fail)?;
            } else {
                update.removed += 1;
                assigned.delete(*id).primitive().map_err(fail)?;
            }
        }
        let info = AssignmentInfo {
            hub: assignment.hub.clone(),
            enumerator: assignment.enumerator.clone(),
            villages: assignment.villages.clone(),
            received_at,
            via: via.to_owned(),
        };
        let info = serde_wasm_bindgen::to_value(&info).map_err(|e| StoreError::Unreadable(e.to_string()))?;
        tx.object_store(v3::META)
            .map_err(fail)?
            .put(info)
            .with_key(META_ASSIGNMENT)
            .primitive()
            .map_err(fail)?
            .await
            .map_err(fail)?;
        tx.commit().await?;
        Ok(update)
    }

    pub async fn assignment_info(&self) -> Result<Option<AssignmentInfo>, StoreError> {
        self.meta_get(META_ASSIGNMENT).await
    }

    /// Every family on the phone's assignment (and visited ones it no longer lists).
    pub async fn assigned_families(&self) -> Result<Vec<AssignedFamily>, StoreError> {
        self.all(v5::ASSIGNED).await
    }

    /// One assigned family.
    pub async fn assigned_family(&self, prelist_id: &str) -> Result<Option<AssignedFamily>, StoreError> {
        let fail = |e| StoreError::from_idb(Operation::Read, e);
        let tx = self.db.transaction(v5::ASSIGNED).build().map_err(fail)?;
        let store = tx.object_store(v5::ASSIGNED).map_err(fail)?;
        store.get(prelist_id).serde().map_err(fail)?.await.map_err(fail)
    }

    /// Every household's visit entry.
    pub async fn visits(&self) -> Result<Vec<Visit>, StoreError> {
        self.all(v5::VISITS).await
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
        let records: Vec<HouseholdRecord> = read_all(&households, fail).await?;
        for record in records {
            let record = record.into_current()?;
            visits.put(Visit::of(&record)).serde().map_err(fail)?;
        }
        tx.commit().await
    }

    /// The KK and NIKs of every household on the phone, with the listed family each visits:
    /// what the duplicate hints compare. Read from the search entries, not the records.
    pub async fn device_numbers(&self) -> Result<Vec<DeviceHousehold>, StoreError> {
        let entries: Vec<SearchEntry> = self.all(v2::SEARCH).await?;
        let visits = self.visits().await?;
        let prelist: BTreeMap<&str, &str> = visits
            .iter()
            .map(|v| (v.record_id.as_str(), v.prelist_id.as_str()))
            .collect();
        Ok(entries
            .into_iter()
            .map(|e| DeviceHousehold {
                prelist_id: prelist.get(e.id.as_str()).copied().unwrap_or_default().to_owned(),
                record_id: e.id.to_string(),
                numbers: e.numbers,
            })
            .collect())
    }
}
