//! A household belongs to where it was first stored (issue #17, row 6): no upload moves it
//! to another village, another enumerator's phone claiming a device id never passes for
//! that device, and the enumerator the hub shows is the enrolled one, not a record's text.

mod support;

use support::*;
use verval_core::fields::NAMA_KEPALA_KELUARGA;
use verval_core::form::default::{KODE_DESA, NAMA_PETUGAS};
use verval_core::sync::api::{ApiError, EnrolRequest, Enrolment, ErrorCode, ENROL_PATH};
use verval_core::sync::{parse_receipt, Outcome};
use verval_core::Timestamp;
use verval_hub::db::Db;
use verval_hub::ingest::{ingest, limits, Source};
use verval_hub::{enrol, Config};

/// An enumerator named `name` for `villages`, with a device enrolled as `device_id`.
async fn enrol_as(
    db: &Db,
    addr: std::net::SocketAddr,
    name: &str,
    villages: &[&str],
    device_id: &str,
) -> Enrolment {
    let villages: Vec<String> = villages.iter().map(|v| (*v).to_owned()).collect();
    let (enumerator, code) = enrol::add_enumerator(db, name, &villages, &verval_hub::audit::Actor::cli())
        .await
        .expect("add");
    enrol_again(addr, &code, device_id)
        .await
        .unwrap_or_else(|| panic!("{} enrols", enumerator.id))
}

async fn enrol_again(addr: std::net::SocketAddr, code: &str, device_id: &str) -> Option<Enrolment> {
    let answer = client()
        .post(format!("http://{addr}{ENROL_PATH}"))
        .json(&EnrolRequest {
            code: code.to_owned(),
            device_id: device_id.to_owned(),
        })
        .send()
        .await
        .expect("enrol request");
    if answer.status() != 200 {
        return None;
    }
    Some(answer.json().await.expect("enrolment"))
}

async fn current(db: &Db, id: &str) -> (i64, String, String, i64) {
    let row: (i64, String, String, i64) =
        sqlx::query_as("SELECT revision, kode_desa, enumerator, conflict FROM records WHERE record_id = $1")
            .bind(id)
            .fetch_one(&db.pool)
            .await
            .expect("the household's row");
    row
}

/// An upload from "phone-a" with `token`.
async fn upload(addr: std::net::SocketAddr, token: Option<String>, body: Vec<u8>) -> reqwest::Response {
    support::upload(addr, token.as_deref(), body).await
}

async fn outcome(response: reqwest::Response) -> Outcome {
    assert_eq!(response.status(), 200);
    let receipt = parse_receipt(&response.bytes().await.expect("body")).expect("a receipt");
    receipt.records[0].outcome
}

async fn an_upload_never_moves_a_household_to_another_village(backend: Backend) {
    let db = fresh_db(backend).await;
    let addr = start_hub(db.clone(), Config::default()).await;
    let a = enrol_as(&db, addr, "Siti Aminah", &[VILLAGE], "phone-a").await;
    let b = enrol_as(&db, addr, "Bambang", &[OTHER_VILLAGE], "phone-b").await;
    let household = family(41, VILLAGE);
    let id = household.id.to_string();
    assert_eq!(
        outcome(
            upload(
                addr,
                Some(a.token.clone()),
                batch(std::slice::from_ref(&household), "phone-a").bytes
            )
            .await
        )
        .await,
        Outcome::Stored
    );

    // B takes A's household id, makes it revision + 1 in B's own village.
    let mut taken = corrected(&household, NAMA_KEPALA_KELUARGA, "ORANG LAIN");
    taken.start_correction(Timestamp(1_795_800_000_000));
    taken.set_answer(KODE_DESA, OTHER_VILLAGE, Timestamp(1_795_800_000_000));
    taken.finalize(Timestamp(1_795_800_000_000));
    let refused = upload(
        addr,
        Some(b.token.clone()),
        batch(&[taken.clone()], "phone-b").bytes,
    )
    .await;
    assert_eq!(refused.status(), 403);
    let error: ApiError = refused.json().await.expect("an ApiError");
    assert_eq!(error.error, ErrorCode::ForbiddenVillage);
    assert_eq!(
        error.record_id.as_deref(),
        Some(id.as_str()),
        "the phone quarantines this record"
    );
    assert!(
        error.message.contains(VILLAGE) && error.message.contains("pindah desa"),
        "{}",
        error.message
    );
    assert_eq!(
        current(&db, &id).await,
        (1, VILLAGE.to_owned(), "Siti Aminah".to_owned(), 0)
    );
    assert_eq!(
        count(&db, "record_versions").await,
        1,
        "nothing of the refused batch is kept"
    );

    // Nor by a file district staff import: a move is decided on the hub, not by a file.
    let file = batch(&[taken], "phone-b");
    let refused = ingest(
        &db,
        "Hub",
        &file.bytes,
        &limits(32 << 20),
        &Source::File,
        &verval_hub::audit::Actor::cli(),
        &[],
    )
    .await;
    assert!(refused.is_err(), "a file cannot move a household either");
    assert_eq!(current(&db, &id).await.1, VILLAGE);
}
both!(an_upload_never_moves_a_household_to_another_village);

async fn a_phone_claiming_another_phones_id_is_not_that_phone(backend: Backend) {
    let db = fresh_db(backend).await;
    let addr = start_hub(db.clone(), Config::default()).await;
    let a = enrol_as(&db, addr, "Siti Aminah", &[VILLAGE], "phone-a").await;
    // B covers the same village and enrols claiming A's device id.
    let b = enrol_as(&db, addr, "Bambang", &[VILLAGE], "phone-a").await;
    let household = family(42, VILLAGE);
    let id = household.id.to_string();
    let up = |token: &str, r: &verval_core::HouseholdRecord| {
        upload(
            addr,
            Some(token.to_owned()),
            batch(std::slice::from_ref(r), "phone-a").bytes,
        )
    };
    assert_eq!(outcome(up(&a.token, &household).await).await, Outcome::Stored);

    let mut forged = corrected(&household, NAMA_KEPALA_KELUARGA, "ORANG LAIN");
    forged.start_correction(Timestamp(1_795_800_000_000));
    forged.set_answer(NAMA_PETUGAS, "Siti Aminah", Timestamp(1_795_800_000_000));
    forged.finalize(Timestamp(1_795_800_000_000));
    // Not silent: another device's version is a conflict for a person to decide, and the
    // hub names the enumerator enrolled on the phone that sent it, not the record's text.
    assert_eq!(outcome(up(&b.token, &forged).await).await, Outcome::Conflict);
    let (revision, village, shown, conflict) = current(&db, &id).await;
    assert_eq!((revision, village.as_str(), conflict), (3, VILLAGE, 1));
    assert_eq!(shown, "Bambang");
    let batch_names: Vec<String> = sqlx::query_scalar("SELECT enumerator FROM batches ORDER BY received_at")
        .fetch_all(&db.pool)
        .await
        .expect("batches");
    assert_eq!(batch_names, ["Siti Aminah", "Bambang"]);
}
both!(a_phone_claiming_another_phones_id_is_not_that_phone);

async fn the_same_phone_enrolled_again_is_the_same_device(backend: Backend) {
    let db = fresh_db(backend).await;
    let addr = start_hub(db.clone(), Config::default()).await;
    let first = enrol_as(&db, addr, "Siti Aminah", &[VILLAGE], "phone-a").await;
    let household = family(43, VILLAGE);
    let up = |token: &str, r: &verval_core::HouseholdRecord| {
        upload(
            addr,
            Some(token.to_owned()),
            batch(std::slice::from_ref(r), "phone-a").bytes,
        )
    };
    assert_eq!(outcome(up(&first.token, &household).await).await, Outcome::Stored);
    // The app reinstalled: the same enumerator enrols the same phone with a new code.
    let code = enrol::new_code(&db, &first.enumerator_id, &verval_hub::audit::Actor::cli())
        .await
        .expect("code");
    let again = enrol_again(addr, &code, "phone-a").await.expect("enrols again");
    let next = corrected(&household, NAMA_KEPALA_KELUARGA, "SLAMET");
    assert_eq!(
        outcome(up(&again.token, &next).await).await,
        Outcome::Stored,
        "no conflict with itself"
    );
    let keys: Vec<String> = sqlx::query_scalar("SELECT DISTINCT device_key FROM devices")
        .fetch_all(&db.pool)
        .await
        .expect("keys");
    assert_eq!(keys.len(), 1);
    assert!(keys[0].starts_with("dev-"), "{keys:?}");
}
both!(the_same_phone_enrolled_again_is_the_same_device);

async fn a_device_id_that_is_not_an_id_is_refused(backend: Backend) {
    let db = fresh_db(backend).await;
    let addr = start_hub(db.clone(), Config::default()).await;
    let (enumerator, code) = enrol::add_enumerator(
        &db,
        "Siti",
        &[VILLAGE.to_owned()],
        &verval_hub::audit::Actor::cli(),
    )
    .await
    .expect("add");
    for bad in ["<script>".to_owned(), "x".repeat(101), "a b".to_owned()] {
        assert!(enrol_again(addr, &code, &bad).await.is_none(), "{bad:?}");
    }
    // The code was not spent by the refusals.
    assert!(
        enrol_again(addr, &code, "phone-1").await.is_some(),
        "{}",
        enumerator.id
    );
}
both!(a_device_id_that_is_not_an_id_is_refused);
