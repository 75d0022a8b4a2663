//! The campaign's stores in the real IndexedDB: visit entries written with each household,
//! assignments merged by prelist id without touching visits, older databases completed.

use crate::fixtures::{delete_db, fresh_store, unique_db_name};
use crate::store_idb::put_raw;
use verval::storage::schema::Version;
use verval::storage::IdbStore;
use verval_core::campaign::prefill::{new_family_record, prefilled_record, SOURCE_P3KE};
use verval_core::prelist::{PrelistFamily, PrelistMember};
use verval_core::record::{RecordStatus, Timestamp};
use verval_core::store::HouseholdStore;
use verval_core::sync::api::Assignment;
use verval_core::RecordId;
use wasm_bindgen_test::wasm_bindgen_test;

const DESA: &str = "35.13.14.2001";

fn family(id: &str, kk: &str, alamat: &str) -> PrelistFamily {
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
        }],
    }
}

fn assignment(families: Vec<PrelistFamily>) -> Assignment {
    Assignment {
        hub: "Dinsos".to_owned(),
        enumerator: "SITI".to_owned(),
        villages: vec![DESA.to_owned()],
        families,
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

#[wasm_bindgen_test]
async fn a_new_assignment_merges_by_prelist_id_and_keeps_visited_families() {
    let (store, name) = fresh_store("assignment").await;
    let first = assignment(vec![
        family("A", "3513141203150001", "Krajan"),
        family("B", "3513141203150002", "Krajan"),
        family("C", "3513141203150003", "Krajan"),
    ]);
    let update = store.save_assignment(&first, Timestamp(1), "file").await.unwrap();
    assert_eq!((update.added, update.updated, update.removed), (3, 0, 0));
    // B is visited before the district re-imports its list.
    let visit = prefilled_record(
        RecordId::from_random_bytes([3; 16]),
        Timestamp(5),
        &first.families[1],
        SOURCE_P3KE,
    );
    store.put(&visit).await.unwrap();

    let second = assignment(vec![
        family("A", "3513141203150001", "Dusun Krajan RT 2"),
        family("D", "3513141203150004", "Krajan"),
    ]);
    let update = store.save_assignment(&second, Timestamp(9), "hub").await.unwrap();
    assert_eq!(
        (
            update.added,
            update.updated,
            update.unchanged,
            update.removed,
            update.kept_visited
        ),
        (1, 1, 0, 1, 1)
    );
    let mut families = store.assigned_families().await.unwrap();
    families.sort_by(|a, b| a.prelist_id.cmp(&b.prelist_id));
    let ids: Vec<(&str, bool)> = families
        .iter()
        .map(|f| (f.prelist_id.as_str(), f.listed))
        .collect();
    assert_eq!(ids, [("A", true), ("B", false), ("D", true)]);
    assert_eq!(
        families[0].family.alamat, "Dusun Krajan RT 2",
        "listed data updated"
    );
    assert_eq!(
        store.get(&visit.id).await.unwrap(),
        Some(visit.clone()),
        "the visit untouched"
    );
    let info = store.assignment_info().await.unwrap().unwrap();
    assert_eq!((info.via.as_str(), info.received_at), ("hub", Timestamp(9)));

    // The same list again changes nothing.
    let update = store
        .save_assignment(&second, Timestamp(10), "hub")
        .await
        .unwrap();
    assert_eq!(
        (update.added, update.updated, update.unchanged, update.removed),
        (0, 0, 2, 0)
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
    store.close();
    delete_db(&name).await;
}
