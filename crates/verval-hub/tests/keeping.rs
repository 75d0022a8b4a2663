//! What the hub keeps, and for how long (issue #17, rows 11 and 12): the SQLite file only
//! its owner reads, device tokens that expire when unused, raw batches let go after the
//! district's chosen time while records and receipts stay.

mod support;

use support::*;
use verval_core::sync::api::{ApiError, ErrorCode};
use verval_hub::db::{now_ms, Db};
use verval_hub::{retention, Config};

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

#[cfg(unix)]
#[tokio::test]
async fn the_sqlite_file_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let url = fresh_url(Backend::Sqlite).await;
    let path = url.strip_prefix("sqlite://").expect("a file").to_owned();
    let db = Db::open(&url).await.expect("open");
    db.set_setting("probe", "1").await.expect("a write");
    for file in [path.clone(), format!("{path}-wal")] {
        let mode = std::fs::metadata(&file).expect(&file).permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{file}");
    }
    // A file made world-readable by an older hub is tightened when opened.
    db.pool.close().await;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    Db::open(&url).await.expect("open again");
    let mode = std::fs::metadata(&path).expect("db").permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}

async fn last_seen(db: &Db, days_ago: i64) {
    sqlx::query("UPDATE devices SET last_seen_at = $1")
        .bind(now_ms() - days_ago * DAY_MS)
        .execute(&db.pool)
        .await
        .expect("age the token");
}

async fn an_unused_token_expires_and_a_used_one_is_renewed(backend: Backend) {
    let db = fresh_db(backend).await;
    let config = Config {
        token_idle_days: 30,
        ..Config::default()
    };
    let addr = start_hub(db.clone(), config).await;
    let device = enrolled(&db, addr, &[VILLAGE], "device-a").await;

    last_seen(&db, 29).await;
    let sent = batch(&[family(1, VILLAGE)], "device-a");
    assert_eq!(upload(addr, Some(&device.token), sent.bytes).await.status(), 200);
    let seen: i64 = sqlx::query_scalar("SELECT last_seen_at FROM devices")
        .fetch_one(&db.pool)
        .await
        .expect("seen");
    assert!(now_ms() - seen < 60_000, "the sync renewed the token");

    last_seen(&db, 31).await;
    let expired = upload(
        addr,
        Some(&device.token),
        batch(&[family(2, VILLAGE)], "device-a").bytes,
    )
    .await;
    assert_eq!(expired.status(), 401);
    let error: ApiError = expired.json().await.expect("an ApiError");
    assert_eq!(
        error.error,
        ErrorCode::TokenRevoked,
        "the phone asks to enrol again"
    );
    assert!(
        error.message.contains("kedaluwarsa") && error.message.contains("30 hari"),
        "{}",
        error.message
    );
    assert_eq!(count(&db, "records").await, 1);
}
both!(an_unused_token_expires_and_a_used_one_is_renewed);

async fn raw_batches_are_let_go_after_the_chosen_days(backend: Backend) {
    let db = fresh_db(backend).await;
    let addr = start_hub(db.clone(), Config::default()).await;
    let device = enrolled(&db, addr, &[VILLAGE], "device-a").await;
    let old = batch(&[family(1, VILLAGE)], "device-a");
    let first = upload(addr, Some(&device.token), old.bytes.clone()).await;
    assert_eq!(first.status(), 200);
    let receipt = first.bytes().await.expect("receipt");
    let recent = batch(&[family(2, VILLAGE)], "device-a");
    assert_eq!(
        upload(addr, Some(&device.token), recent.bytes).await.status(),
        200
    );
    sqlx::query("UPDATE batches SET received_at = $1 WHERE batch_id = $2")
        .bind(now_ms() - 40 * DAY_MS)
        .bind(old.manifest.batch_id.to_string())
        .execute(&db.pool)
        .await
        .expect("age the first batch");

    assert_eq!(retention::prune_raw_batches(&db, 30).await.expect("prune"), 1);
    assert_eq!(retention::prune_raw_batches(&db, 30).await.expect("again"), 0);
    let sizes: Vec<(String, i64)> =
        sqlx::query_as("SELECT batch_id, LENGTH(bytes) FROM batches ORDER BY received_at")
            .fetch_all(&db.pool)
            .await
            .expect("sizes");
    assert_eq!(sizes[0], (old.manifest.batch_id.to_string(), 0));
    assert!(sizes[1].1 > 1000, "the recent batch is kept: {sizes:?}");
    assert_eq!(count(&db, "record_versions").await, 2, "records stay");
    // The phone that never got its receipt sends the old batch again: the same receipt.
    let again = upload(addr, Some(&device.token), old.bytes).await;
    assert_eq!(again.status(), 200);
    assert_eq!(again.bytes().await.expect("receipt"), receipt);
}
both!(raw_batches_are_let_go_after_the_chosen_days);
