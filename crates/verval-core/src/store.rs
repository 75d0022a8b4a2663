//! The storage port: what the app needs from wherever household records live.
//!
//! The IndexedDB store in the app implements it; [`MemStore`] here is the reference
//! implementation. [`conformance`] holds the checks every implementation must pass, run
//! natively against `MemStore` and in a real browser against IndexedDB, so the two can never
//! quietly disagree.

use crate::ids::RecordId;
use crate::record::{HouseholdRecord, HouseholdSummary, RecordStatus};
use crate::search::{Query, SearchKeys};
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

    /// Up to `limit` households matching the query (all when `None`) and the status (any
    /// when `None`), most recently changed first (ties by id).
    async fn search(
        &self,
        query: Option<&Query>,
        status: Option<RecordStatus>,
        limit: u32,
    ) -> Result<Vec<HouseholdSummary>, Self::Error>;

    /// The households holding this exact NIK or family card number, as summaries.
    async fn with_number(&self, number: &str) -> Result<Vec<HouseholdSummary>, Self::Error>;
}

/// Newest first, ties by id: the order of every list.
pub fn newest_first(list: &mut [HouseholdSummary]) {
    // Ids are unique, so an unstable sort gives the one order (and is smaller code).
    list.sort_unstable_by(|a, b| (b.updated_at, &b.id).cmp(&(a.updated_at, &a.id)));
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
        newest_first(&mut all);
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

    async fn search(
        &self,
        query: Option<&Query>,
        status: Option<RecordStatus>,
        limit: u32,
    ) -> Result<Vec<HouseholdSummary>, Self::Error> {
        let mut found: Vec<HouseholdSummary> = self
            .records
            .borrow()
            .values()
            .filter(|r| status.is_none_or(|s| r.status == s))
            .filter(|r| query.is_none_or(|q| q.matches(&SearchKeys::of(r))))
            .map(HouseholdRecord::summary)
            .collect();
        newest_first(&mut found);
        found.truncate(limit as usize);
        Ok(found)
    }

    async fn with_number(&self, number: &str) -> Result<Vec<HouseholdSummary>, Self::Error> {
        let mut found: Vec<HouseholdSummary> = self
            .records
            .borrow()
            .values()
            .filter(|r| SearchKeys::of(r).numbers.iter().any(|n| n == number))
            .map(HouseholdRecord::summary)
            .collect();
        newest_first(&mut found);
        Ok(found)
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
    use crate::search::Query;

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
    pub const CHECKS: [&str; 8] = [
        "put_then_get_returns_the_same_record",
        "get_of_an_unknown_id_is_none",
        "put_of_the_same_id_replaces_and_never_duplicates",
        "recent_is_newest_first_and_limited",
        "answers_of_unknown_fields_survive",
        "kept_revisions_are_never_replaced_and_come_back_in_order",
        "search_finds_by_name_number_and_status_newest_first",
        "with_number_finds_every_family_holding_a_nik_or_kk",
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

    /// Three families: the example family (final), and two drafts, one sharing a member.
    async fn three_families<S: HouseholdStore>(store: &S) -> [HouseholdRecord; 3] {
        use crate::form::default::{example::example_family, ART, NAMA, NIK};
        let mut slamet = example_family(RecordId::from_random_bytes([1; 16]));
        slamet.finalize(Timestamp(3_000));
        // Changed after the example family, in this order.
        let later = |ms: i64| Timestamp(slamet.updated_at.0 + ms);
        let mut budi = record(2, 0);
        budi.set_answer(NAMA_KEPALA_KELUARGA, "BUDI SANTOSO", later(1_000));
        budi.set_answer(NOMOR_KK, "3513140101100001", later(1_000));
        let member = budi.add_row(ART, later(1_000));
        budi.set_row_answer(ART, member, NAMA, "SUMIATI", later(1_000));
        budi.set_row_answer(ART, member, NIK, "3513144507960002", later(1_000));
        let mut ani = record(3, 0);
        ani.set_answer(NAMA_KEPALA_KELUARGA, "ANI", later(2_000));
        for r in [&slamet, &budi, &ani] {
            store.put(r).await.expect("put");
        }
        [slamet, budi, ani]
    }

    async fn search_ids<S: HouseholdStore>(
        store: &S,
        q: &str,
        status: Option<RecordStatus>,
    ) -> Vec<RecordId> {
        let query = Query::parse(q);
        let found = store.search(query.as_ref(), status, 10).await.expect("search");
        found.into_iter().map(|s| s.id).collect()
    }

    pub async fn search_finds_by_name_number_and_status_newest_first<S: HouseholdStore>(store: S) {
        let [slamet, budi, ani] = three_families(&store).await;
        let (s, b, a) = (slamet.id.clone(), budi.id.clone(), ani.id.clone());
        assert_eq!(
            search_ids(&store, "", None).await,
            [a.clone(), b.clone(), s.clone()]
        );
        assert_eq!(
            search_ids(&store, "sumiati", None).await,
            [b.clone(), s.clone()],
            "a member's name"
        );
        assert_eq!(search_ids(&store, "slamet riy", None).await, vec![s.clone()]);
        assert_eq!(
            search_ids(&store, "3513144507960002", None).await,
            [b.clone(), s.clone()],
            "a NIK"
        );
        assert_eq!(
            search_ids(&store, "35131401", None).await,
            vec![b.clone()],
            "the start of a KK"
        );
        assert_eq!(
            search_ids(&store, "", Some(RecordStatus::Final)).await,
            vec![s.clone()]
        );
        assert_eq!(
            search_ids(&store, "sumiati", Some(RecordStatus::Draft)).await,
            vec![b.clone()]
        );
        assert!(search_ids(&store, "nobody", None).await.is_empty());
        let first = store.search(None, None, 1).await.expect("limited");
        assert_eq!(first.len(), 1);
        assert_eq!(first[0].id, a);
        // A changed record is found by its new name.
        let mut renamed = ani.clone();
        renamed.set_answer(NAMA_KEPALA_KELUARGA, "ANITA", Timestamp(renamed.updated_at.0 + 1));
        store.put(&renamed).await.expect("put");
        assert_eq!(search_ids(&store, "anita", None).await, vec![a.clone()]);
        assert_eq!(search_ids(&store, "andi", None).await, vec![s.clone()]);
    }

    pub async fn with_number_finds_every_family_holding_a_nik_or_kk<S: HouseholdStore>(store: S) {
        let [slamet, budi, _] = three_families(&store).await;
        let found = store.with_number("3513144507960002").await.expect("nik");
        let ids: Vec<RecordId> = found.iter().map(|s| s.id.clone()).collect();
        assert_eq!(ids, [budi.id.clone(), slamet.id.clone()]);
        assert_eq!(found[1].nama_kepala_keluarga, "SLAMET RIYADI", "named");
        let by_kk = store.with_number("3513141203150007").await.expect("kk");
        assert_eq!(by_kk.len(), 1);
        assert!(
            store
                .with_number("351314450796")
                .await
                .expect("prefix")
                .is_empty(),
            "exact only"
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
        run(conformance::search_finds_by_name_number_and_status_newest_first(
            MemStore::default(),
        ));
        run(conformance::with_number_finds_every_family_holding_a_nik_or_kk(
            MemStore::default(),
        ));
        assert_eq!(conformance::CHECKS.len(), 8);
    }
}
