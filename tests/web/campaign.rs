//! The campaign's stores in the real IndexedDB: visit entries written with each household,
//! lists from the district and from the phone merged by source without deleting a family or
//! touching a visit, older databases completed and older entries read.

use crate::fixtures::{delete_db, fresh_store, unique_db_name};
use crate::store_idb::put_raw;
use verval::storage::schema::{v5, Version};
use verval::storage::{AssignmentUpdate, IdbStore, Source};
use verval_core::campaign::prefill::{new_family_record, prefilled_record, SOURCE_P3KE};
use verval_core::prelist::{PrelistFamily, PrelistMember};
use verval_core::record::{HouseholdRecord, RecordStatus, Timestamp};
use verval_core::store::HouseholdStore;
use verval_core::sync::api::Assignment;
use verval_core::RecordId;
use wasm_bindgen_test::wasm_bindgen_test;

const DESA: &str = "35.13.14.2001";

pub(crate) fn family(id: &str, kk: &str, alamat: &str) -> PrelistFamily {
    PrelistFamily {
        prelist_id: id.to_owned(),
        nomor_kk: Some(kk.to_owned()),
        kode_desa: DESA.to_owned(),
        alamat: alamat.to_owned(),
        rt: String::new(),
        rw: String::new(),
        desil: String::new(),
        housing: Default::default(),
        programmes: Vec::new(),
        members: vec![PrelistMember {
            row: 4,
            nik: Some(format!("{}9", &kk[..15])),
            nama: format!("KEPALA {id}"),
            hubungan: "Kepala Keluarga".to_owned(),
            jenis_kelamin: "L".to_owned(),
            tanggal_lahir: String::new(),
            id_individu: String::new(),
            padan_dukcapil: String::new(),
        }],
    }
}

pub(crate) fn assignment(families: Vec<PrelistFamily>) -> Assignment {
    Assignment {
        hub: "Dinsos".to_owned(),
        enumerator: "SITI".to_owned(),
        villages: vec![DESA.to_owned()],
        families,
        visited: Vec::new(),
        district_keys: Vec::new(),
        musdes: Vec::new(),
        forms: Vec::new(),
        batch_part_bytes: None,
    }
}

#[wasm_bindgen_test]
async fn each_saved_household_has_its_visit_entry() {
    let (store, name) = fresh_store("visits").await;
    let listed = family("A", "3513141203150001", "Krajan");
    let mut visit = prefilled_record(
        RecordId::from_random_bytes([1; 16]),
        Timestamp(10),
        &listed,
        SOURCE_P3KE,
    );
    store.put(&visit).await.unwrap();
    let new_family = new_family_record(RecordId::from_random_bytes([2; 16]), Timestamp(11), DESA);
    store.put(&new_family).await.unwrap();

    let mut visits = store.visits().await.unwrap();
    visits.sort_by(|a, b| a.record_id.cmp(&b.record_id));
    assert_eq!(visits.len(), 2);
    assert_eq!(
        (visits[0].prelist_id.as_str(), visits[0].status),
        ("A", RecordStatus::Draft)
    );
    assert_eq!(visits[0].nama, "KEPALA A");
    assert_eq!(
        (
            visits[1].prelist_id.as_str(),
            visits[1].status_verifikasi.as_str()
        ),
        ("", "10")
    );
    assert_eq!(visits[1].kode_desa, DESA);

    visit.finalize(Timestamp(20));
    store.put(&visit).await.unwrap();
    let visits = store.visits().await.unwrap();
    let a = visits.iter().find(|v| v.prelist_id == "A").unwrap();
    assert_eq!(a.status, RecordStatus::Final, "the entry follows the household");
    // The record keeps what the list said.
    let stored = store.get(&visit.id).await.unwrap().unwrap();
    assert_eq!(stored.prelist.as_ref().map(|l| &l.family), Some(&listed));
    store.close();
    delete_db(&name).await;
}

/// Starts a visit of a listed family (a draft with its visit entry).
async fn start_visit(store: &IdbStore, listed: &PrelistFamily, seed: u8) -> HouseholdRecord {
    let visit = prefilled_record(
        RecordId::from_random_bytes([seed; 16]),
        Timestamp(5),
        listed,
        SOURCE_P3KE,
    );
    store.put(&visit).await.unwrap();
    visit
}

/// The phone's families as (id, source, listed), sorted.
async fn on_phone(store: &IdbStore) -> Vec<(String, Source, bool)> {
    let mut families: Vec<_> = store
        .assigned_families()
        .await
        .unwrap()
        .into_iter()
        .map(|f| (f.prelist_id, f.source, f.listed))
        .collect();
    families.sort_by(|a, b| a.0.cmp(&b.0));
    families
}

fn counts(u: &AssignmentUpdate) -> [usize; 6] {
    [
        u.added,
        u.updated,
        u.unchanged,
        u.withdrawn,
        u.shared,
        u.untouched,
    ]
}

fn local_list(families: Vec<PrelistFamily>) -> Assignment {
    Assignment {
        hub: "desa.csv".to_owned(),
        enumerator: String::new(),
        ..assignment(families)
    }
}

#[wasm_bindgen_test]
async fn a_newer_hub_list_withdraws_what_it_leaves_out_visited_or_not_and_deletes_nothing() {
    let (store, name) = fresh_store("assignment").await;
    let first = assignment(vec![
        family("A", "3513141203150001", "Krajan"),
        family("B", "3513141203150002", "Krajan"),
        family("C", "3513141203150003", "Krajan"),
    ]);
    let update = store
        .save_assignment(&first, Source::Hub, Timestamp(1), "file")
        .await
        .unwrap();
    assert_eq!(counts(&update), [3, 0, 0, 0, 0, 0]);
    // B is visited before the district re-imports its list; C is not.
    let visit = start_visit(&store, &first.families[1], 3).await;

    let second = assignment(vec![
        family("A", "3513141203150001", "Dusun Krajan RT 2"),
        family("D", "3513141203150004", "Krajan"),
    ]);
    let update = store
        .save_assignment(&second, Source::Hub, Timestamp(9), "hub")
        .await
        .unwrap();
    assert_eq!(counts(&update), [1, 1, 0, 2, 0, 0], "B and C withdrawn");
    assert_eq!(
        on_phone(&store).await,
        [
            ("A".to_owned(), Source::Hub, true),
            ("B".to_owned(), Source::Hub, false),
            ("C".to_owned(), Source::Hub, false),
            ("D".to_owned(), Source::Hub, true),
        ]
    );
    let families = store.assigned_families().await.unwrap();
    let a = families.iter().find(|f| f.prelist_id == "A").unwrap();
    assert_eq!(a.family.alamat, "Dusun Krajan RT 2", "listed data updated");
    assert_eq!(
        store.get(&visit.id).await.unwrap(),
        Some(visit.clone()),
        "the visit untouched"
    );
    let info = store.assignment_info().await.unwrap().hub.unwrap();
    assert_eq!((info.via.as_str(), info.received_at), ("hub", Timestamp(9)));

    // The same list again changes nothing and withdraws nothing twice.
    let update = store
        .save_assignment(&second, Source::Hub, Timestamp(10), "hub")
        .await
        .unwrap();
    assert_eq!(counts(&update), [0, 0, 2, 0, 0, 0]);
    store.close();
    delete_db(&name).await;
}

#[wasm_bindgen_test]
async fn a_hub_assignment_after_a_local_import_keeps_the_local_families() {
    let (store, name) = fresh_store("two-sources").await;
    let local = local_list(vec![
        family("L1", "3513141203150011", "Krajan"),
        family("L2", "3513141203150012", "Krajan"),
        family("S", "3513141203150013", "as the village wrote it"),
    ]);
    let update = store
        .save_assignment(&local, Source::Local, Timestamp(1), "file")
        .await
        .unwrap();
    assert_eq!(counts(&update), [3, 0, 0, 0, 0, 0]);
    let visit = start_visit(&store, &local.families[0], 4).await;

    // The district's list names S too, and H; it knows nothing of L1 and L2.
    let hub = assignment(vec![
        family("H", "3513141203150021", "Krajan"),
        family("S", "3513141203150013", "as the district wrote it"),
    ]);
    let update = store
        .save_assignment(&hub, Source::Hub, Timestamp(2), "hub")
        .await
        .unwrap();
    assert_eq!(
        counts(&update),
        [1, 0, 0, 0, 1, 2],
        "S taken over, L1 and L2 untouched"
    );
    assert_eq!(
        on_phone(&store).await,
        [
            ("H".to_owned(), Source::Hub, true),
            ("L1".to_owned(), Source::Local, true),
            ("L2".to_owned(), Source::Local, true),
            ("S".to_owned(), Source::Hub, true),
        ]
    );
    assert_eq!(
        store.assigned_family("S").await.unwrap().unwrap().alamat,
        "as the district wrote it"
    );
    assert_eq!(store.get(&visit.id).await.unwrap(), Some(visit.clone()));

    // Each source keeps its own info.
    let infos = store.assignment_info().await.unwrap();
    assert_eq!(infos.hub.as_ref().map(|i| i.hub.as_str()), Some("Dinsos"));
    assert_eq!(infos.local.as_ref().map(|i| i.hub.as_str()), Some("desa.csv"));

    // A newer local list leaves L2 out and names H: L2 withdrawn, H left as the district has it.
    let newer = local_list(vec![
        family("L1", "3513141203150011", "Krajan"),
        family("H", "3513141203150021", "local words"),
    ]);
    let update = store
        .save_assignment(&newer, Source::Local, Timestamp(3), "file")
        .await
        .unwrap();
    assert_eq!(counts(&update), [0, 0, 1, 1, 1, 1]);
    assert_eq!(
        on_phone(&store).await,
        [
            ("H".to_owned(), Source::Hub, true),
            ("L1".to_owned(), Source::Local, true),
            ("L2".to_owned(), Source::Local, false),
            ("S".to_owned(), Source::Hub, true),
        ]
    );
    assert_eq!(
        store.assigned_family("H").await.unwrap().unwrap().alamat,
        "Krajan"
    );
    store.close();
    delete_db(&name).await;
}

#[wasm_bindgen_test]
async fn the_enumerator_removes_a_withdrawn_family_only_while_nobody_visited_it() {
    let (store, name) = fresh_store("remove-withdrawn").await;
    let first = assignment(vec![
        family("A", "3513141203150001", "Krajan"),
        family("B", "3513141203150002", "Krajan"),
        family("C", "3513141203150003", "Krajan"),
    ]);
    store
        .save_assignment(&first, Source::Hub, Timestamp(1), "hub")
        .await
        .unwrap();
    let visit = start_visit(&store, &first.families[1], 5).await;
    let second = assignment(vec![family("A", "3513141203150001", "Krajan")]);
    store
        .save_assignment(&second, Source::Hub, Timestamp(2), "hub")
        .await
        .unwrap();

    assert!(
        !store.remove_withdrawn("A").await.unwrap(),
        "a listed family stays"
    );
    assert!(
        !store.remove_withdrawn("B").await.unwrap(),
        "a visited family stays"
    );
    assert!(
        store.remove_withdrawn("C").await.unwrap(),
        "withdrawn, never visited: removed"
    );
    assert!(!store.remove_withdrawn("C").await.unwrap(), "already gone");
    assert_eq!(
        on_phone(&store).await,
        [
            ("A".to_owned(), Source::Hub, true),
            ("B".to_owned(), Source::Hub, false),
        ]
    );
    assert_eq!(store.get(&visit.id).await.unwrap(), Some(visit.clone()));
    store.close();
    delete_db(&name).await;
}

/// Writes into the campaign's stores past the storage module, as the app before sources did.
async fn put_raw_campaign(name: &str, families: &[&str], info: &str) {
    let parse = |text: &str| js_sys::JSON::parse(text).expect("fixture");
    let entries = families.iter().map(|family| (None, parse(family))).collect();
    crate::fixtures::put_raw_values(name, v5::ASSIGNED, entries).await;
    crate::fixtures::put_meta_raw(name, "assignment", parse(info)).await;
}

/// A family entry as version 5 of the app stored it: no source.
fn old_entry(id: &str, listed: bool) -> String {
    let family = serde_json::to_string(&family(id, "3513141203150001", "Krajan")).unwrap();
    format!(r#"{{"prelist_id":"{id}","kode_desa":"{DESA}","listed":{listed},"family":{family}}}"#)
}

#[wasm_bindgen_test]
async fn entries_stored_before_sources_read_with_the_source_of_their_list() {
    // A prelist read on the phone, saved by the app before sources: "file", no enumerator.
    let (store, name) = fresh_store("legacy-local").await;
    store.close();
    let info =
        format!(r#"{{"hub":"desa.csv","enumerator":"","villages":["{DESA}"],"received_at":1,"via":"file"}}"#);
    put_raw_campaign(&name, &[&old_entry("L1", true), &old_entry("L2", true)], &info).await;
    let store = IdbStore::open(&name).await.unwrap();
    assert_eq!(
        on_phone(&store).await,
        [
            ("L1".to_owned(), Source::Local, true),
            ("L2".to_owned(), Source::Local, true),
        ]
    );
    let infos = store.assignment_info().await.unwrap();
    assert!(infos.hub.is_none());
    assert_eq!(infos.local.as_ref().map(|i| i.hub.as_str()), Some("desa.csv"));

    // The bug of issue #16: the hub's list must not replace them.
    let hub = assignment(vec![family("H", "3513141203150021", "Krajan")]);
    let update = store
        .save_assignment(&hub, Source::Hub, Timestamp(2), "hub")
        .await
        .unwrap();
    assert_eq!(counts(&update), [1, 0, 0, 0, 0, 2]);
    assert_eq!(
        on_phone(&store).await,
        [
            ("H".to_owned(), Source::Hub, true),
            ("L1".to_owned(), Source::Local, true),
            ("L2".to_owned(), Source::Local, true),
        ]
    );
    let infos = store.assignment_info().await.unwrap();
    assert_eq!(infos.hub.as_ref().map(|i| i.hub.as_str()), Some("Dinsos"));
    assert_eq!(
        infos.local.as_ref().map(|i| i.hub.as_str()),
        Some("desa.csv"),
        "moved, not lost"
    );
    store.close();
    delete_db(&name).await;

    // The hub's assignment, downloaded by that app: its entries are the district's.
    let (store, name) = fresh_store("legacy-hub").await;
    store.close();
    let info = format!(
        r#"{{"hub":"Dinsos","enumerator":"SITI","villages":["{DESA}"],"received_at":1,"via":"hub"}}"#
    );
    put_raw_campaign(&name, &[&old_entry("A", true), &old_entry("B", false)], &info).await;
    let store = IdbStore::open(&name).await.unwrap();
    assert_eq!(
        on_phone(&store).await,
        [
            ("A".to_owned(), Source::Hub, true),
            ("B".to_owned(), Source::Hub, false),
        ]
    );
    store.close();
    delete_db(&name).await;
}

#[wasm_bindgen_test]
async fn households_of_a_version_4_database_get_their_visit_entries() {
    let name = unique_db_name("migrate-v4");
    IdbStore::open_at(&name, Version::V4)
        .await
        .expect("a version 4 database")
        .close();
    // What version 4 of the app stored: a schema 2 record, put raw.
    let old = r#"{"id":"00000000-0000-4000-8000-0000000000b1","schema_version":2,"form_version":"verval-keluarga-2026.11.0","revision":1,"status":"final","created_at":1,"updated_at":2,"answers":{"prelist_id":"P-9","kode_desa":"35.13.14.2001","nomor_kk":"3513141203150007"}}"#;
    put_raw(&name, js_sys::JSON::parse(old).expect("fixture")).await;

    let store = IdbStore::open(&name).await.expect("upgrade");
    assert!(
        store.visits().await.unwrap().is_empty(),
        "no entry before completion"
    );
    store.complete_visits().await.expect("complete");
    let visits = store.visits().await.unwrap();
    assert_eq!(visits.len(), 1);
    assert_eq!(
        (visits[0].prelist_id.as_str(), visits[0].status),
        ("P-9", RecordStatus::Final)
    );
    store.complete_search_entries().await.unwrap();
    let numbers = store.device_numbers().await.unwrap();
    assert_eq!(numbers.len(), 1);
    assert_eq!(numbers[0].prelist_id, "P-9");
    assert_eq!(numbers[0].numbers, ["3513141203150007"]);
    // Named for the duplicate hints by head and card: this old record has no head's name.
    assert_eq!(numbers[0].label, "KK 3513141203150007");
    store.close();
    delete_db(&name).await;
}

// Issue #26 item 5: the district's part size for batches with photos comes with its list and
// is what the export cuts by; a phone whose lists say nothing cuts at 50 MB.
#[wasm_bindgen_test]
async fn the_districts_part_size_comes_with_its_list() {
    use verval_core::export::parts::DEFAULT_PART_BYTES;
    let (store, name) = fresh_store("part-size").await;
    assert_eq!(
        store.batch_part_bytes().await.expect("read"),
        DEFAULT_PART_BYTES,
        "no list yet"
    );
    let local = local_list(vec![family("A", "3513141203150001", "Krajan")]);
    store
        .save_assignment(&local, Source::Local, Timestamp(1), "file")
        .await
        .expect("saved");
    assert_eq!(
        store.batch_part_bytes().await.expect("read"),
        DEFAULT_PART_BYTES,
        "a prelist says none"
    );
    let district = Assignment {
        batch_part_bytes: Some(20_000_000),
        ..assignment(vec![family("B", "3513141203150002", "Krajan")])
    };
    store
        .save_assignment(&district, Source::Hub, Timestamp(2), "hub")
        .await
        .expect("saved");
    assert_eq!(store.batch_part_bytes().await.expect("read"), 20_000_000);
    // A newer list of a hub that says none brings the default back.
    store
        .save_assignment(&assignment(Vec::new()), Source::Hub, Timestamp(3), "hub")
        .await
        .expect("saved");
    assert_eq!(store.batch_part_bytes().await.expect("read"), DEFAULT_PART_BYTES);
    store.close();
    delete_db(&name).await;
}
