//! District forms on the phone (issue #25) in the real IndexedDB: the forms an assignment
//! carries kept on the phone's shelf, every version, the one received last current; a
//! record of such a form stored beside the households but neither listed nor counted as a
//! household (no list line, no visit in a village), and listed among its form's records.

use crate::campaign::{assignment, family};
use crate::fixtures::{delete_db, fresh_store, put_meta_raw, unique_db_name};
use crate::store_idb::put_raw;
use verval::storage::schema::Version;
use verval::storage::IdbStore;
use verval::storage::Source;
use verval_core::record::{HouseholdRecord, RecordStatus, Timestamp};
use verval_core::store::HouseholdStore;
use verval_core::sync::api::PublishedForm;
use verval_core::RecordId;
use wasm_bindgen_test::wasm_bindgen_test;

fn published(version: &str) -> PublishedForm {
    PublishedForm {
        id: "cek_lapangan".to_owned(),
        version: version.to_owned(),
        title: "Cek lapangan".to_owned(),
        definition: format!(
            "{{\"format\":\"verval-form/1\",\"id\":\"cek_lapangan\",\"version\":\"{version}\"}}"
        ),
    }
}

#[wasm_bindgen_test]
async fn the_forms_of_each_assignment_stay_on_the_phone_every_version() {
    let (store, name) = fresh_store("forms-shelf").await;
    assert!(store.form_shelf().await.unwrap().forms.is_empty());
    let mut first = assignment(vec![family("A", "3513141203150001", "Krajan")]);
    first.forms = vec![published("1")];
    store
        .save_assignment(&first, Source::Hub, Timestamp(1), "hub")
        .await
        .unwrap();
    let mut second = first.clone();
    second.forms = vec![published("2")];
    store
        .save_assignment(&second, Source::Hub, Timestamp(2), "hub")
        .await
        .unwrap();
    // A list with no form (a prelist read on the phone) takes none away.
    let mut local = first.clone();
    local.forms = Vec::new();
    store
        .save_assignment(&local, Source::Local, Timestamp(3), "file")
        .await
        .unwrap();
    let shelf = store.form_shelf().await.unwrap();
    let versions: Vec<&str> = shelf
        .versions("cek_lapangan")
        .iter()
        .map(|f| f.version.as_str())
        .collect();
    assert_eq!(versions, ["2", "1"]);
    assert_eq!(
        shelf.current("cek_lapangan").map(|f| f.version.as_str()),
        Some("2")
    );
    store.close();
    delete_db(&name).await;
}

#[wasm_bindgen_test]
async fn a_form_record_is_stored_but_neither_listed_nor_counted_as_a_household() {
    let (store, name) = fresh_store("forms-records").await;
    let now = Timestamp(1_795_600_000_000);
    let mut record = HouseholdRecord::new(RecordId::from_random_bytes([7; 16]), now);
    record.form_id = "cek_lapangan".to_owned();
    record.form_version = "2".to_owned();
    record.set_answer("kode_desa", "35.13.14.2001", now);
    record.set_answer("nama_kepala_keluarga", "BUKAN KELUARGA", now);
    record.finalize(now);
    store.put(&record).await.unwrap();
    let household = verval_core::form::default::example::example_family(RecordId::from_random_bytes([8; 16]));
    store.put(&household).await.unwrap();

    assert_eq!(
        store.get(&record.id).await.unwrap(),
        Some(record.clone()),
        "stored whole"
    );
    let listed: Vec<RecordId> = store
        .recent(10)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(
        listed,
        vec![household.id.clone()],
        "the list shows households only"
    );
    let finals: Vec<RecordId> = store
        .search(None, Some(RecordStatus::Final), 10)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.id)
        .collect();
    assert!(!finals.contains(&record.id), "nor does a search by status");
    assert_eq!(store.count().await.unwrap(), 1, "the list counts households only");
    let household_finals = u32::from(household.status == RecordStatus::Final);
    assert_eq!(
        store.counts_with_status(RecordStatus::Final).await.unwrap(),
        (household_finals, 1),
        "the export page counts them apart"
    );
    assert_eq!(
        store.pending_form_count().await.unwrap(),
        1,
        "waiting for a batch"
    );
    assert_eq!(
        store.pending_count().await.unwrap(),
        1 + household_finals,
        "every finalized record waits for a batch"
    );
    let visits = store.visits().await.unwrap();
    let visit = visits
        .iter()
        .find(|v| v.record_id == record.id.as_str())
        .expect("an entry");
    assert_eq!(
        (visit.kode_desa.as_str(), visit.nama.as_str()),
        ("", ""),
        "counted in no village"
    );

    let lines = store.form_records().await.unwrap();
    assert_eq!(lines.len(), 1);
    assert_eq!(
        (
            lines[0].form_id.as_str(),
            lines[0].form_version.as_str(),
            lines[0].status,
            lines[0].kode_desa.as_str()
        ),
        ("cek_lapangan", "2", RecordStatus::Final, "35.13.14.2001")
    );
    store.close();
    delete_db(&name).await;
}

/// The district forms page hands its tables to the export's worker with its own narrow copy
/// of the request: it must read as the worker's own.
#[wasm_bindgen_test]
fn the_form_tables_request_of_the_forms_page_reads_as_the_export_workers() {
    use verval::export_job::protocol::{FormTablesJob, FormTablesRequest, Job, Request};
    use verval_core::export::{ColumnKind, Table};
    let mut table = Table::new(
        "cek_lapangan",
        &[
            ("record_id", "ID rekaman", ColumnKind::Text),
            ("kode_desa", "Kode desa", ColumnKind::Region),
            ("umur", "Umur", ColumnKind::Whole),
        ],
    );
    table
        .rows
        .push(vec!["a".to_owned(), "35.13.14.2001".to_owned(), "40".to_owned()]);
    let asked = FormTablesRequest {
        job: FormTablesJob::FormTables {
            form_id: "cek_lapangan".to_owned(),
            tables: vec![table.clone()],
        },
        session: Some("salinan".to_owned()),
    };
    let read: Request =
        serde_wasm_bindgen::from_value(serde_wasm_bindgen::to_value(&asked).unwrap()).unwrap();
    assert_eq!(
        read.job,
        Job::FormTables {
            form_id: "cek_lapangan".to_owned(),
            tables: vec![table],
        }
    );
    assert_eq!(read.session.as_deref(), Some("salinan"));
}

/// The worker writes a form's tables as a zip of CSVs and the workbook — unless the phone
/// seals its data to the district's keys: then no open file is made.
#[wasm_bindgen_test]
async fn a_forms_tables_are_written_unless_the_phone_seals_its_data() {
    use crate::fixtures::district_key;
    use verval::export_job::form_tables;
    use verval_core::export::{ColumnKind, Table};
    use verval_core::seal::published::Channel;
    let (store, name) = fresh_store("form-tables").await;
    let mut table = Table::new("cek_lapangan", &[("nama", "Nama", ColumnKind::Text)]);
    table.rows.push(vec!["=SUM(A1)".to_owned()]);
    let zip = form_tables::write(&store, "cek_lapangan", vec![table.clone()])
        .await
        .expect("written");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).expect("a zip");
    let names: Vec<String> = (0..archive.len())
        .map(|i| archive.by_index(i).unwrap().name().unwrap().into_owned())
        .collect();
    assert_eq!(names, ["cek_lapangan.csv", "verval.xlsx"]);
    let mut csv = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("cek_lapangan.csv").unwrap(), &mut csv).unwrap();
    assert_eq!(
        csv, "nama\r\n'=SUM(A1)\r\n",
        "a formula typed in a form is shown, never run"
    );

    store
        .offer_keys(&[district_key(1), district_key(2)], Channel::Handed)
        .await
        .unwrap()
        .unwrap();
    assert!(store.confirm_keys().await.unwrap());
    let refused = form_tables::write(&store, "cek_lapangan", vec![table])
        .await
        .expect_err("a sealing phone makes no open file");
    assert!(refused.id.contains("menyegel data"), "{}", refused.id);
    assert!(refused.en.contains("seals its data"), "{}", refused.en);
    store.close();
    delete_db(&name).await;
}

/// The phone's tables zip carries the photos its tables name, at those paths, read from the
/// phone's store; one the phone no longer has is named in `foto-tidak-ada.csv`.
#[wasm_bindgen_test]
async fn a_forms_tables_zip_carries_its_photos_and_names_one_the_phone_lost() {
    use verval::export_job::form_tables;
    use verval_core::dataform::photo_path;
    use verval_core::export::{ColumnKind, Table};
    let (store, name) = fresh_store("form-tables-photos").await;
    let now = Timestamp(1_795_600_000_000);
    let taken = "foto-00000000-0000-4000-8000-0000000000f1";
    let lost = "foto-00000000-0000-4000-8000-0000000000f2";
    let mut record = HouseholdRecord::new(RecordId::from_random_bytes([9; 16]), now);
    record.form_id = "cek_lapangan".to_owned();
    record.form_version = "1".to_owned();
    record.set_answer("foto_rumah", taken, now);
    record.set_answer("tanda_tangan", lost, now);
    record.finalize(now);
    store.put(&record).await.unwrap();
    let jpeg: &[u8] = b"\xff\xd8\xff\xe0 not much of a picture \xff\xd9";
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(jpeg));
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts).unwrap();
    store.put_photo(taken, &blob).await.unwrap();

    let id = record.id.as_str();
    let mut table = Table::new(
        "cek_lapangan",
        &[
            ("record_id", "ID rekaman", ColumnKind::Text),
            ("foto_rumah", "Foto rumah", ColumnKind::Text),
            ("tanda_tangan", "Tanda tangan", ColumnKind::Text),
        ],
    );
    let (taken_path, lost_path) = (photo_path(id, taken), photo_path(id, lost));
    table
        .rows
        .push(vec![id.to_owned(), taken_path.clone(), lost_path.clone()]);
    let zip = form_tables::write(&store, "cek_lapangan", vec![table])
        .await
        .expect("written");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).expect("a zip");
    let mut photo = Vec::new();
    std::io::Read::read_to_end(&mut archive.by_name(&taken_path).expect("the photo"), &mut photo).unwrap();
    assert_eq!(photo, jpeg);
    assert!(archive.by_name(&lost_path).is_err());
    let mut listing = String::new();
    std::io::Read::read_to_string(
        &mut archive.by_name("foto-tidak-ada.csv").expect("the lost one named"),
        &mut listing,
    )
    .unwrap();
    assert!(listing.contains(id) && listing.contains(&lost_path), "{listing}");
    assert!(!listing.contains(&taken_path), "{listing}");
    store.close();
    delete_db(&name).await;
}

/// A district form's record, `n`, of form `cek_lapangan`.
fn form_record(n: u8, finalized: bool) -> HouseholdRecord {
    let now = Timestamp(1_795_600_000_000 + i64::from(n));
    let mut record = HouseholdRecord::new(RecordId::from_random_bytes([n; 16]), now);
    record.form_id = "cek_lapangan".to_owned();
    record.form_version = "2".to_owned();
    record.set_answer("kode_desa", "35.13.14.2001", now);
    if finalized {
        record.finalize(now);
    }
    record
}

#[wasm_bindgen_test]
async fn a_deleted_form_draft_leaves_no_count_behind() {
    let (store, name) = fresh_store("forms-draft-count").await;
    let draft = form_record(11, false);
    store.put(&draft).await.unwrap();
    assert_eq!(
        store.counts_with_status(RecordStatus::Draft).await.unwrap(),
        (0, 1)
    );
    assert_eq!(store.count().await.unwrap(), 0, "no household");
    assert!(store.delete_form_draft(&draft.id).await.unwrap());
    assert_eq!(
        store.counts_with_status(RecordStatus::Draft).await.unwrap(),
        (0, 0)
    );
    assert_eq!(store.count().await.unwrap(), 0);
    store.close();
    delete_db(&name).await;
}

/// A phone whose district form records were stored by schema version 6 (before they had
/// entries): the first start of this version gives them theirs, and counts are right again.
#[wasm_bindgen_test]
async fn form_records_of_a_version_6_database_get_their_entries() {
    let name = unique_db_name("forms-upgrade");
    IdbStore::open_at(&name, Version::V6)
        .await
        .expect("version 6")
        .close();
    let record = form_record(12, true);
    let household =
        verval_core::form::default::example::example_family(RecordId::from_random_bytes([13; 16]));
    for r in [&record, &household] {
        put_raw(&name, serde_wasm_bindgen::to_value(r).expect("record as JS")).await;
    }
    // The shelf an assignment left: a phone without one never had a district form.
    let shelf = serde_wasm_bindgen::to_value(&verval_core::dataform::FormShelf::default()).expect("shelf");
    put_meta_raw(&name, "forms", shelf).await;

    let store = IdbStore::open(&name).await.expect("upgrade");
    assert_eq!(store.version(), Version::V7.number());
    assert_eq!(
        store.count().await.unwrap(),
        2,
        "before its entry, the record counts as a household"
    );
    store.complete_search_entries().await.unwrap();
    assert_eq!(
        store.count().await.unwrap(),
        1,
        "a household and a district form record"
    );
    let household_finals = u32::from(household.status == RecordStatus::Final);
    assert_eq!(
        store.counts_with_status(RecordStatus::Final).await.unwrap(),
        (household_finals, 1)
    );
    // Done once: a record stored raw afterwards (as no app of this version would) is not
    // looked for again.
    put_raw(
        &name,
        serde_wasm_bindgen::to_value(&form_record(14, true)).expect("record as JS"),
    )
    .await;
    store.complete_search_entries().await.unwrap();
    assert_eq!(store.count().await.unwrap(), 2);
    store.close();
    delete_db(&name).await;
}
