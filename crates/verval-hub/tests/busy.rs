//! A hub whose verification slots are all taken answers an upload "busy" (503 with
//! Retry-After) instead of queueing it without end; the phone treats that as "try later"
//! (issue #17, row 2). One test in its own binary: it takes the process's slots.

mod support;

use support::*;
use verval_core::sync::api::{ApiError, ErrorCode};
use verval_hub::heavy;
use verval_hub::Config;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upload_that_waits_too_long_is_told_to_come_back() {
    let db = fresh_db(Backend::Sqlite).await;
    let addr = start_hub(db.clone(), Config::default()).await;
    let device = enrolled(&db, addr, &[VILLAGE], "device-a").await;
    let sent = batch(&[family(1, VILLAGE)], "device-a");
    heavy::set_wait(std::time::Duration::from_millis(300));

    let slots = heavy::slots();
    let all = u32::try_from(slots.available_permits()).expect("a few slots");
    assert!(all >= 1);
    let taken = slots.acquire_many(all).await.expect("every slot");
    let busy = upload(addr, Some(&device.token), sent.bytes.clone()).await;
    assert_eq!(busy.status(), 503);
    assert_eq!(
        busy.headers().get("retry-after").and_then(|v| v.to_str().ok()),
        Some("30")
    );
    let error: ApiError = busy.json().await.expect("an ApiError");
    assert_eq!(error.error, ErrorCode::Busy);
    assert!(!error.error.is_permanent(), "the phone tries again later");
    assert_eq!(count(&db, "batches").await, 0);

    drop(taken);
    let later = upload(addr, Some(&device.token), sent.bytes).await;
    assert_eq!(later.status(), 200);
    assert_eq!(count(&db, "records").await, 1);
}
