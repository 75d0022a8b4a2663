//! The storage port: what the app needs from wherever household records live.
//!
//! The IndexedDB store in the app implements it; [`MemStore`] here is the reference
//! implementation. [`conformance`] holds the checks every implementation must pass, run
//! natively against `MemStore` and in a real browser against IndexedDB, so the two can never
//! quietly disagree.

use crate::ids::RecordId;
use crate::record::{HouseholdRecord, HouseholdSummary};
use std::cell::RefCell;
use std::collections::BTreeMap;

/// Browser futures are not `Send`, and nothing here needs them to be.
#[allow(async_fn_in_trait)]
pub trait HouseholdStore {
    type Error: std::error::Error;

    /// Writes the record, replacing the stored one with the same id. When it returns `Ok`
    /// the write is committed.
    async fn put(&self, record: &HouseholdRecord) -> Result<(), Self::Error>;

    /// The record with this id, if one is stored.
    async fn get(&self, id: &RecordId) -> Result<Option<HouseholdRecord>, Self::Error>;

    /// Up to `limit` households, most recently changed first (ties by id).
    async fn recent(&self, limit: u32) -> Result<Vec<HouseholdSummary>, Self::Error>;

    /// How many households are stored.
    async fn count(&self) -> Result<u32, Self::Error>;

    /// Keeps a finalized revision before it is corrected. Kept revisions are never replaced:
    /// keeping the same id and revision twice keeps the first.
    async fn keep_revision(&self, record: &HouseholdRecord) -> Result<(), Self::Error>;

    /// The kept revisions of a household, oldest first.
    async fn revisions(&self, id: &RecordId) -> Result<Vec<HouseholdRecord>, Self::Error>;
}

/// Records in memory: the reference behaviour of the port.
#[derive(Default)]
pub struct MemStore {
    records: RefCell<BTreeMap<RecordId, HouseholdRecord>>,
    revisions: RefCell<BTreeMap<(RecordId, u32), HouseholdRecord>>,
}

impl HouseholdStore for MemStore {
    type Error = std::convert::Infallible;

    async fn put(&self, record: &HouseholdRecord) -> Result<(), Self::Error> {
        self.records
            .borrow_mut()
            .insert(record.id.clone(), record.clone());
        Ok(())
    }

    async fn get(&self, id: &RecordId) -> Result<Option<HouseholdRecord>, Self::Error> {
        Ok(self.records.borrow().get(id).cloned())
    }

    async fn recent(&self, limit: u32) -> Result<Vec<HouseholdSummary>, Self::Error> {
        let mut all: Vec<HouseholdSummary> = self
            .records
            .borrow()
            .values()
            .map(HouseholdRecord::summary)
            .collect();
        all.sort_by(|a, b| (b.updated_at, &b.id).cmp(&(a.updated_at, &a.id)));
        all.truncate(limit as usize);
        Ok(all)
    }

    async fn count(&self) -> Result<u32, Self::Error> {
        Ok(self.records.borrow().len() as u32)
    }

    async fn keep_revision(&self, record: &HouseholdRecord) -> Result<(), Self::Error> {
        self.revisions
            .borrow_mut()
            .entry((record.id.clone(), record.revision))
            .or_insert_with(|| record.clone());
        Ok(())
    }

    async fn revisions(&self, id: &RecordId) -> Result<Vec<HouseholdRecord>, Self::Error> {
        let kept = self.revisions.borrow();
        Ok(kept
            .iter()
            .filter(|((rid, _), _)| rid == id)
            .map(|(_, r)| r.clone())
            .collect())
    }
}

#[cfg(any(test, feature = "testing"))]
pub mod conformance {
    //! Checks every [`HouseholdStore`] must pass. Each takes a fresh, empty store and panics
    //! with a message naming what broke.

    use super::HouseholdStore;
    use crate::fields::{ALAMAT, NAMA_KEPALA_KELUARGA, NOMOR_KK};
    use crate::ids::RecordId;
    use crate::record::{HouseholdRecord, RecordStatus, Timestamp};

    fn record(n: u8, updated_at: i64) -> HouseholdRecord {
        let mut r = HouseholdRecord::new(RecordId::from_random_bytes([n; 16]), Timestamp(1_000));
        r.set_answer(
            NAMA_KEPALA_KELUARGA,
            &format!("KELUARGA {n}"),
            Timestamp(updated_at),
        );
        r
    }

    /// The names of the checks, for a runner that reports each.
    pub const CHECKS: [&str; 6] = [
        "put_then_get_returns_the_same_record",
        "get_of_an_unknown_id_is_none",
        "put_of_the_same_id_replaces_and_never_duplicates",
        "recent_is_newest_first_and_limited",
        "answers_of_unknown_fields_survive",
        "kept_revisions_are_never_replaced_and_come_back_in_order",
    ];

    pub async fn put_then_get_returns_the_same_record<S: HouseholdStore>(store: S) {
        let mut r = record(1, 2_000);
        r.set_answer(NOMOR_KK, "3513141203150007", Timestamp(2_001));
        r.set_answer(
            ALAMAT,
            "Dusun Krajan, RT 003/RW 001 — dekat masjid \"Al-Ikhlas\"",
            Timestamp(2_002),
        );
        store.put(&r).await.expect("put");
        let back = store.get(&r.id).await.expect("get");
        assert_eq!(
            back.as_ref(),
            Some(&r),
            "the record read back differs from the one written"
        );
        // The list line must say what the record says: a store that reads summaries by its
        // own field names would drift from the core's if one were renamed.
        let listed = store.recent(1).await.expect("recent");
        assert_eq!(
            listed,
            [r.summary()],
            "the listed summary differs from the record's"
        );
    }

    pub async fn get_of_an_unknown_id_is_none<S: HouseholdStore>(store: S) {
        store.put(&record(1, 2_000)).await.expect("put");
        let unknown = RecordId::from_random_bytes([9; 16]);
        assert_eq!(store.get(&unknown).await.expect("get"), None);
    }

    pub async fn put_of_the_same_id_replaces_and_never_duplicates<S: HouseholdStore>(store: S) {
        let mut r = record(1, 2_000);
        store.put(&r).await.expect("first put");
        r.set_answer(NAMA_KEPALA_KELUARGA, "NAMA BARU", Timestamp(3_000));
        r.status = RecordStatus::Final;
        store.put(&r).await.expect("second put");
        assert_eq!(
            store.count().await.expect("count"),
            1,
            "one id must be one record"
        );
        let back = store.get(&r.id).await.expect("get").expect("stored");
        assert_eq!(back, r, "the second put must win");
        let list = store.recent(10).await.expect("recent");
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].nama_kepala_keluarga, "NAMA BARU");
    }

    pub async fn recent_is_newest_first_and_limited<S: HouseholdStore>(store: S) {
        for (n, at) in [(1, 5_000), (2, 9_000), (3, 7_000), (4, 1_000), (5, 9_000)] {
            store.put(&record(n, at)).await.expect("put");
        }
        assert_eq!(store.count().await.expect("count"), 5);
        let names = |list: Vec<crate::record::HouseholdSummary>| -> Vec<String> {
            list.into_iter().map(|s| s.nama_kepala_keluarga).collect()
        };
        // Ties on updated_at are broken by id, descending: record 5's id sorts after record 2's.
        assert_eq!(
            names(store.recent(10).await.expect("recent")),
            [
                "KELUARGA 5",
                "KELUARGA 2",
                "KELUARGA 3",
                "KELUARGA 1",
                "KELUARGA 4"
            ]
        );
        assert_eq!(
            names(store.recent(2).await.expect("recent 2")),
            ["KELUARGA 5", "KELUARGA 2"]
        );
        assert!(store.recent(0).await.expect("recent 0").is_empty());
    }

    pub async fn answers_of_unknown_fields_survive<S: HouseholdStore>(store: S) {
        let mut r = record(1, 2_000);
        r.answers.insert_raw("lokasi_rumah", "-7.75,113.21,12");
        r.form_version = "verval-keluarga-2099.1.0".into();
        store.put(&r).await.expect("put");
        let back = store.get(&r.id).await.expect("get").expect("stored");
        assert_eq!(back.answers, r.answers);
        assert_eq!(back.form_version, r.form_version);
    }

    pub async fn kept_revisions_are_never_replaced_and_come_back_in_order<S: HouseholdStore>(store: S) {
        let mut r = record(1, 2_000);
        let other = record(2, 2_000);
        r.finalize(Timestamp(3_000));
        let first = r.clone();
        r.start_correction(Timestamp(4_000));
        r.set_answer(ALAMAT, "Dusun Baru", Timestamp(5_000));
        r.finalize(Timestamp(6_000));
        let second = r.clone();
        // Out of order, the first twice (the second time changed: it must not win).
        store.keep_revision(&second).await.expect("keep 2");
        store.keep_revision(&first).await.expect("keep 1");
        let mut changed = first.clone();
        changed.set_answer(ALAMAT, "DIUBAH", Timestamp(9_000));
        store.keep_revision(&changed).await.expect("keep 1 again");
        store.keep_revision(&other).await.expect("keep other");
        let kept = store.revisions(&r.id).await.expect("revisions");
        assert_eq!(kept, [first, second], "oldest first, the first keep wins");
        assert!(store
            .revisions(&RecordId::from_random_bytes([9; 16]))
            .await
            .expect("none")
            .is_empty());
        assert_eq!(
            store.count().await.expect("count"),
            0,
            "keeping a revision is not storing a household"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::future::Future;
    use std::pin::pin;
    use std::task::{Context, Poll, Waker};

    /// Runs a future that never waits on anything outside itself, as `MemStore`'s don't.
    fn run<F: Future>(future: F) -> F::Output {
        let mut future = pin!(future);
        match future.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(output) => output,
            Poll::Pending => panic!("a MemStore future waited"),
        }
    }

    #[test]
    fn mem_store_passes_the_conformance_suite() {
        run(conformance::put_then_get_returns_the_same_record(
            MemStore::default(),
        ));
        run(conformance::get_of_an_unknown_id_is_none(MemStore::default()));
        run(conformance::put_of_the_same_id_replaces_and_never_duplicates(
            MemStore::default(),
        ));
        run(conformance::recent_is_newest_first_and_limited(
            MemStore::default(),
        ));
        run(conformance::answers_of_unknown_fields_survive(MemStore::default()));
        run(conformance::kept_revisions_are_never_replaced_and_come_back_in_order(MemStore::default()));
        assert_eq!(conformance::CHECKS.len(), 6);
    }
}
