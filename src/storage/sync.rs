//! Sync with the district hub, as stored on the phone: the link made at enrolment (hub
//! address, device token), the sync state (failures, next try, last error), a lease so one
//! tab syncs at a time, receipts with the revisions they acknowledge, and quarantine.
//!
//! A receipt and the acknowledgements it gives are written in one transaction with the
//! batch's new status: a killed tab leaves the batch either answered or still to send,
//! never marked sent without its receipt.

use super::error::Operation;
use super::exports::ExportEntry;
use super::schema::{v3, v4};
use super::write::write_tx;
use super::{put_keyed, read_all, BatchInfo, IdbStore, StoreError};
use indexed_db_futures::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use verval_core::record::Timestamp;
use verval_core::sync::outbox::OutboxState;
use verval_core::sync::Receipt;
use wasm_bindgen::JsValue;

/// How a sync lease's owner says it was taken while holding the sync Web Lock
/// (`crate::sync::lease`).
pub const WEB_LOCK_OWNER: &str = "weblock:";

mod meta {
    pub const HUB: &str = "hub";
    pub const SYNC_STATE: &str = "sync_state";
    pub const SYNC_LEASE: &str = "sync_lease";
}

/// What enrolment gave this phone: where the hub is and the token it accepts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HubLink {
    /// The hub's address, without a trailing slash (`https://verval.kab.go.id`).
    pub url: String,
    pub token: String,
    /// The hub's id of the enumerator, named in sealed batches' manifests (empty for a link
    /// made before sealing).
    #[serde(default)]
    pub enumerator_id: String,
    pub enumerator: String,
    pub villages: Vec<String>,
    pub hub: String,
    pub enrolled_at: Timestamp,
}

/// How syncing has gone.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SyncState {
    /// Failed tries in a row; sets the wait before the next (`verval_core::sync::retry`).
    #[serde(default)]
    pub failures: u32,
    #[serde(default)]
    pub next_try_at: Option<Timestamp>,
    #[serde(default)]
    pub last_try_at: Option<Timestamp>,
    #[serde(default)]
    pub last_ok_at: Option<Timestamp>,
    /// The last failure, in Indonesian and English.
    #[serde(default)]
    pub last_error: Option<(String, String)>,
    /// The hub no longer accepts this phone's token (revoked or unknown): syncing waits
    /// for a new enrolment instead of trying again and again.
    #[serde(default)]
    pub blocked: bool,
    /// The district keys (fingerprints) the hub said it does not know (`unknown_keys`):
    /// rounds make and send no batch sealed to them again until other keys are confirmed.
    #[serde(default)]
    pub refused_keys: Vec<String>,
}

/// A revision a receipt acknowledged.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ack {
    pub id: String,
    pub revision: u32,
    pub batch_id: String,
    /// `sync` (the hub answered an upload) or `file` (a receipt file was imported).
    pub via: String,
    pub at: Timestamp,
}

/// A revision the hub refused for good.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Quarantined {
    pub id: String,
    pub revision: u32,
    pub batch_id: String,
    pub reason: String,
    pub at: Timestamp,
}

#[derive(Serialize, Deserialize)]
struct StoredReceipt {
    batch_id: String,
    via: String,
    stored_at: Timestamp,
    receipt: Receipt,
}

#[derive(Serialize, Deserialize)]
struct Lease {
    owner: String,
    until: Timestamp,
}

fn unreadable(e: impl std::fmt::Display) -> StoreError {
    StoreError::Unreadable(e.to_string())
}

impl IdbStore {
    pub(super) async fn meta_get<T: for<'de> Deserialize<'de>>(
        &self,
        key: &str,
    ) -> Result<Option<T>, StoreError> {
        self.meta_raw(key)
            .await?
            .map(|v| serde_wasm_bindgen::from_value(v).map_err(unreadable))
            .transpose()
    }

    /// One meta value as stored, unread: for code that reads a field or two without the
    /// value's serde code (the sync worker's page budget).
    pub(super) async fn meta_raw(&self, key: &str) -> Result<Option<JsValue>, StoreError> {
        let fail = |e| StoreError::from_idb(Operation::Read, e);
        let tx = self.db.transaction(v3::META).build().map_err(fail)?;
        let store = tx.object_store(v3::META).map_err(fail)?;
        store.get(key).primitive().map_err(fail)?.await.map_err(fail)
    }

    /// Reads one meta value, lets `change` decide what to write back (`None`: nothing), and
    /// writes it, in one transaction: two tabs changing it at once each see the other's
    /// change (a key list confirmed, a wrong PIN counted).
    pub(super) async fn meta_change<T, R>(
        &self,
        key: &str,
        change: impl FnOnce(Option<T>) -> (Option<T>, R),
    ) -> Result<R, StoreError>
    where
        T: Serialize + for<'de> Deserialize<'de>,
    {
        self.meta_change_raw(key, |found| {
            let current = found
                .map(|v| serde_wasm_bindgen::from_value(v).map_err(unreadable))
                .transpose()?;
            let (write, outcome) = change(current);
            let value = write
                .map(|w| serde_wasm_bindgen::to_value(&w).map_err(unreadable))
                .transpose()?;
            Ok((value, outcome))
        })
        .await
    }

    /// [`Self::meta_change`] on the value as stored.
    pub(super) async fn meta_change_raw<R>(
        &self,
        key: &str,
        change: impl FnOnce(Option<JsValue>) -> Result<(Option<JsValue>, R), StoreError>,
    ) -> Result<R, StoreError> {
        let fail = |e| StoreError::from_idb(Operation::Save, e);
        let tx = write_tx(&self.db, v3::META, Operation::Save)?;
        let store = tx.object_store(v3::META).map_err(fail)?;
        let found: Option<JsValue> = store.get(key).primitive().map_err(fail)?.await.map_err(fail)?;
        let (write, outcome) = change(found)?;
        if let Some(value) = write {
            put_keyed(&store, key, value, fail).await?;
        }
        tx.commit().await?;
        Ok(outcome)
    }

    pub(super) async fn meta_put<T: Serialize>(
        &self,
        key: &str,
        value: Option<&T>,
    ) -> Result<(), StoreError> {
        let fail = |e| StoreError::from_idb(Operation::Save, e);
        let tx = write_tx(&self.db, v3::META, Operation::Save)?;
        let store = tx.object_store(v3::META).map_err(fail)?;
        match value {
            Some(value) => {
                let value = serde_wasm_bindgen::to_value(value).map_err(unreadable)?;
                put_keyed(&store, key, value, fail).await?;
            }
            None => store.delete(key).primitive().map_err(fail)?.await.map_err(fail)?,
        }
        tx.commit().await
    }

    pub async fn hub_link(&self) -> Result<Option<HubLink>, StoreError> {
        self.meta_get(meta::HUB).await
    }

    /// Keeps a new enrolment and clears any block from the one before.
    pub async fn set_hub_link(&self, link: &HubLink) -> Result<(), StoreError> {
        self.meta_put(meta::HUB, Some(link)).await?;
        let mut state = self.sync_state().await?;
        state.blocked = false;
        state.failures = 0;
        state.next_try_at = None;
        state.last_error = None;
        self.set_sync_state(&state).await
    }

    pub async fn sync_state(&self) -> Result<SyncState, StoreError> {
        Ok(self.meta_get(meta::SYNC_STATE).await?.unwrap_or_default())
    }

    pub async fn set_sync_state(&self, state: &SyncState) -> Result<(), StoreError> {
        self.meta_put(meta::SYNC_STATE, Some(state)).await
    }

    /// Claims the right to sync for `hold_ms` (or renews it): one writer of sync batches at
    /// a time, whatever the number of open tabs. IndexedDB runs read-write transactions on
    /// one store one after another, so two claims cannot both win. A lease taken under the
    /// Web Lock ([`WEB_LOCK_OWNER`]) gives way to a claimer holding that lock now: the worker
    /// that took it no longer holds the lock, so it is gone (its page left or killed).
    pub async fn claim_sync_lease(
        &self,
        owner: &str,
        now: Timestamp,
        hold_ms: i64,
    ) -> Result<bool, StoreError> {
        let fail = |e| StoreError::from_idb(Operation::Save, e);
        let tx = write_tx(&self.db, v3::META, Operation::Save)?;
        let store = tx.object_store(v3::META).map_err(fail)?;
        let found: Option<JsValue> = store
            .get(meta::SYNC_LEASE)
            .primitive()
            .map_err(fail)?
            .await
            .map_err(fail)?;
        let held = found
            .and_then(|v| serde_wasm_bindgen::from_value::<Lease>(v).ok())
            .is_some_and(|lease| {
                let gone = owner.starts_with(WEB_LOCK_OWNER) && lease.owner.starts_with(WEB_LOCK_OWNER);
                lease.owner != owner && lease.until.0 > now.0 && !gone
            });
        if held {
            return Ok(false);
        }
        let lease = Lease {
            owner: owner.to_owned(),
            until: Timestamp(now.0 + hold_ms),
        };
        let value = serde_wasm_bindgen::to_value(&lease).map_err(unreadable)?;
        put_keyed(&store, meta::SYNC_LEASE, value, fail).await?;
        tx.commit().await?;
        Ok(true)
    }

    pub async fn release_sync_lease(&self, owner: &str) -> Result<(), StoreError> {
        let mine = self
            .meta_get::<Lease>(meta::SYNC_LEASE)
            .await?
            .is_some_and(|lease| lease.owner == owner);
        if mine {
            self.meta_put::<Lease>(meta::SYNC_LEASE, None).await?;
        }
        Ok(())
    }

    pub(super) async fn all<T: for<'de> Deserialize<'de>>(
        &self,
        store_name: &str,
    ) -> Result<Vec<T>, StoreError> {
        let fail = |e| StoreError::from_idb(Operation::Read, e);
        let tx = self.db.transaction(store_name).build().map_err(fail)?;
        read_all(&tx.object_store(store_name).map_err(fail)?, fail).await
    }

    /// Every revision a receipt acknowledged.
    pub async fn acks(&self) -> Result<Vec<Ack>, StoreError> {
        self.all(v4::ACKS).await
    }

    /// Every revision set aside, with the hub's reason.
    pub async fn quarantined(&self) -> Result<Vec<Quarantined>, StoreError> {
        self.all(v4::QUARANTINE).await
    }

    /// The record revisions that went out in one batch (its ledger entries).
    pub async fn batch_records(&self, batch_id: &str) -> Result<Vec<(String, u32)>, StoreError> {
        let entries: Vec<ExportEntry> = self.all(v3::EXPORTS).await?;
        Ok(entries
            .into_iter()
            .filter(|e| e.batch_id == batch_id)
            .map(|e| (e.id.to_string(), e.revision))
            .collect())
    }

    /// What the outbox holds (`verval_core::sync::outbox`): every finalized revision the
    /// phone has (waiting, or in any batch), what receipts acknowledged, what is set aside,
    /// which ids are in a sync batch still waiting for its answer, and which must go alone.
    pub async fn outbox_state(&self) -> Result<OutboxState, StoreError> {
        let mut state = OutboxState::default();
        for (id, revision) in self.pending().await? {
            state.candidates.push((id.to_string(), revision));
        }
        let ledger: Vec<ExportEntry> = self.all(v3::EXPORTS).await?;
        let batches = self.batches().await?;
        for entry in &ledger {
            state.candidates.push((entry.id.to_string(), entry.revision));
        }
        state.acknowledged = self
            .acks()
            .await?
            .into_iter()
            .map(|a| (a.id, a.revision))
            .collect();
        let quarantined = self.quarantined().await?;
        // A refusal that named a record set that one aside; the rest of its batch may still
        // travel together.
        let named_one: BTreeSet<&str> = quarantined.iter().map(|q| q.batch_id.as_str()).collect();
        let waiting: BTreeSet<&str> = batches
            .iter()
            .filter(|b| b.waiting_for_hub())
            .map(|b| b.batch_id.as_str())
            .collect();
        let refused_whole: BTreeSet<&str> = batches
            .iter()
            .filter(|b| b.for_sync && b.rejected.is_some() && b.record_count > 1)
            .map(|b| b.batch_id.as_str())
            .filter(|id| !named_one.contains(id))
            .collect();
        for entry in &ledger {
            if waiting.contains(entry.batch_id.as_str()) {
                state.in_flight.insert(entry.id.to_string());
            }
            if refused_whole.contains(entry.batch_id.as_str()) {
                state.alone.insert(entry.id.to_string());
            }
        }
        state.quarantined = quarantined.into_iter().map(|q| (q.id, q.revision)).collect();
        Ok(state)
    }

    /// Sync batches still waiting for an answer, oldest first.
    pub async fn batches_to_send(&self) -> Result<Vec<BatchInfo>, StoreError> {
        let mut waiting: Vec<BatchInfo> = self
            .batches()
            .await?
            .into_iter()
            .filter(BatchInfo::waiting_for_hub)
            .collect();
        waiting.reverse();
        Ok(waiting)
    }

    /// Stores a receipt: the receipt itself, an acknowledgement for each revision it names
    /// that this phone sent in that batch, and the batch marked received — one transaction.
    /// Returns how many revisions it acknowledged.
    pub async fn store_receipt(
        &self,
        receipt: &Receipt,
        via: &str,
        now: Timestamp,
    ) -> Result<usize, StoreError> {
        let sent: BTreeSet<(String, u32)> =
            self.batch_records(&receipt.batch_id).await?.into_iter().collect();
        let fail = |e| StoreError::from_idb(Operation::Save, e);
        let tx = write_tx(
            &self.db,
            [v4::RECEIPTS, v4::ACKS, v4::QUARANTINE, v3::BATCHES],
            Operation::Save,
        )?;
        let receipts = tx.object_store(v4::RECEIPTS).map_err(fail)?;
        let stored = StoredReceipt {
            batch_id: receipt.batch_id.clone(),
            via: via.to_owned(),
            stored_at: now,
            receipt: receipt.clone(),
        };
        receipts.put(stored).serde().map_err(fail)?.await.map_err(fail)?;
        let acks = tx.object_store(v4::ACKS).map_err(fail)?;
        let quarantine = tx.object_store(v4::QUARANTINE).map_err(fail)?;
        let mut count = 0;
        for r in &receipt.records {
            if !sent.contains(&(r.id.clone(), r.revision)) {
                continue;
            }
            let ack = Ack {
                id: r.id.clone(),
                revision: r.revision,
                batch_id: receipt.batch_id.clone(),
                via: via.to_owned(),
                at: now,
            };
            acks.put(ack).serde().map_err(fail)?.await.map_err(fail)?;
            // Held by the district now, whatever was refused before.
            let key = js_sys::Array::of2(
                &JsValue::from_str(&r.id),
                &JsValue::from_f64(f64::from(r.revision)),
            );
            quarantine
                .delete(JsValue::from(key))
                .primitive()
                .map_err(fail)?
                .await
                .map_err(fail)?;
            count += 1;
        }
        let batches = tx.object_store(v3::BATCHES).map_err(fail)?;
        let found: Option<JsValue> = batches
            .get(receipt.batch_id.as_str())
            .primitive()
            .map_err(fail)?
            .await
            .map_err(fail)?;
        if let Some(stored) = found {
            let mut info: BatchInfo = serde_wasm_bindgen::from_value(stored.clone()).map_err(unreadable)?;
            info.received_at = Some(now);
            info.received_via = Some(via.to_owned());
            info.rejected = None;
            info.handed_over_at = info.handed_over_at.or(Some(now));
            // A sync batch's file has done its job once the hub holds it: dropped, so photos
            // do not fill the phone twice. A file the user made stays until they delete it.
            let keep_file = !info.for_sync && info.deleted_at.is_none();
            if !keep_file {
                info.deleted_at = info.deleted_at.or(Some(now));
            }
            let value = serde_wasm_bindgen::to_value(&info).map_err(unreadable)?;
            if let Ok(zip) = js_sys::Reflect::get(&stored, &JsValue::from_str("zip")) {
                if keep_file && !zip.is_undefined() {
                    js_sys::Reflect::set(&value, &JsValue::from_str("zip"), &zip)
                        .map_err(|e| unreadable(format!("{e:?}")))?;
                }
            }
            batches
                .put(value)
                .primitive()
                .map_err(fail)?
                .await
                .map_err(fail)?;
        }
        tx.commit().await?;
        Ok(count)
    }

    /// Notes that the hub refused a batch for good. When it named one record, that
    /// revision goes to quarantine and the rest will travel in a new batch; otherwise the
    /// batch's records will each travel alone (`OutboxState::alone`).
    pub async fn reject_batch(
        &self,
        batch_id: &str,
        reason: &str,
        record: Option<(String, u32)>,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        if let Some((id, revision)) = record {
            let fail = |e| StoreError::from_idb(Operation::Save, e);
            let tx = write_tx(&self.db, v4::QUARANTINE, Operation::Save)?;
            let quarantine = tx.object_store(v4::QUARANTINE).map_err(fail)?;
            let entry = Quarantined {
                id,
                revision,
                batch_id: batch_id.to_owned(),
                reason: reason.to_owned(),
                at: now,
            };
            quarantine.put(entry).serde().map_err(fail)?.await.map_err(fail)?;
            tx.commit().await?;
        }
        self.update_batch(batch_id, &|info| info.rejected = Some(reason.to_owned()), true)
            .await
    }
}
