//! Writes outside the upload path never make an upload fail (issue #17, row 5): a flood of
//! bogus enrolment codes, and another process writing to the same database, while a phone
//! uploads. Every write is tried again while the database is busy.

mod support;

use support::*;
use verval_core::sync::api::{EnrolRequest, ENROL_PATH};
use verval_hub::db::Db;
use verval_hub::{enrol, Config};

async fn uploads_succeed_while_others_write(backend: Backend) {
    let url = fresh_url(backend).await;
    let db = Db::open(&url).await.expect("the hub's database");
    // A second handle with its own pool and its own writer lock: another process.
    let other = Db::open(&url).await.expect("another process");
    let addr = start_hub(db.clone(), Config::default()).await;
    let device = enrolled(&db, addr, &[VILLAGE], "device-a").await;
    let (enumerator, _) = enrol::add_enumerator(
        &other,
        "Bambang",
        &[VILLAGE.to_owned()],
        &verval_hub::audit::Actor::cli(),
    )
    .await
    .expect("add");

    let flood = tokio::spawn(async move {
        let client = client();
        for i in 0..150 {
            let answer = client
                .post(format!("http://{addr}{ENROL_PATH}"))
                .json(&EnrolRequest {
                    code: format!("BOGUS{i:05}"),
                    device_id: "x".to_owned(),
                })
                .send()
                .await
                .expect("enrol request");
            assert_eq!(answer.status(), 403, "a bogus code is refused, not an error");
        }
    });
    let other_writes = tokio::spawn(async move {
        for _ in 0..150 {
            enrol::new_code(&other, &enumerator.id, &verval_hub::audit::Actor::cli())
                .await
                .expect("the other process's write succeeds");
        }
    });
    for i in 0..30 {
        let sent = batch(&[family(100 + i, VILLAGE)], "device-a");
        let answer = upload(addr, Some(&device.token), sent.bytes).await;
        let status = answer.status();
        assert_eq!(
            status,
            200,
            "upload {i}: {}",
            answer.text().await.unwrap_or_default()
        );
    }
    flood.await.expect("flood");
    other_writes.await.expect("other writes");
    assert_eq!(count(&db, "records").await, 30);
}
both!(uploads_succeed_while_others_write);
