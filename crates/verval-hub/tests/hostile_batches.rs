//! Batches made to hurt the hub, uploaded by an enrolled phone (issue #17, rows 2, 3 and
//! 12): each refused as malformed (422) with its reason, nothing stored, the hub answering.

mod support;

use support::zips::{inflating, many_entries, rewrite};
use support::*;
use verval_core::sync::api::{ApiError, ErrorCode};
use verval_hub::Config;

async fn refused(addr: std::net::SocketAddr, token: &str, body: Vec<u8>) -> String {
    let answer = upload(addr, Some(token), body).await;
    assert_eq!(answer.status(), 422);
    let error: ApiError = answer.json().await.expect("an ApiError");
    assert_eq!(error.error, ErrorCode::MalformedBatch);
    error.message
}

/// `sent`'s zip with its manifest replaced by what `change` makes of it.
fn with_manifest(sent: &verval_core::export::BuiltBatch, change: impl Fn(&mut serde_json::Value)) -> Vec<u8> {
    rewrite(&sent.bytes, "manifest.json", |text| {
        let mut manifest: serde_json::Value = serde_json::from_str(text).expect("json");
        change(&mut manifest);
        manifest.to_string()
    })
}

async fn hostile_batches_are_refused_with_their_reason(backend: Backend) {
    let db = fresh_db(backend).await;
    let addr = start_hub(db.clone(), Config::default()).await;
    let device = enrolled(&db, addr, &[VILLAGE], "device-a").await;

    // Row 2: 100,000 entries (25 s of CPU once), refused by the zip's own count.
    let message = refused(addr, &device.token, many_entries(100_000)).await;
    assert!(message.contains("100000 files"), "{message}");
    // Row 3: entries of exactly 1 MiB of zeros, inflating far beyond their size.
    let message = refused(addr, &device.token, inflating(8)).await;
    assert!(message.contains("inflate"), "{message}");
    // Row 12: a manifest list far longer than any batch holds.
    let sent = batch(&[family(1, VILLAGE)], "device-a");
    let missing = |count: usize| {
        with_manifest(&sent, move |m| {
            let id = m["records"][0]["id"].clone();
            m["missing_photos"] = (0..count)
                .map(|i| serde_json::json!({"record_id": id, "field": format!("f{i}")}))
                .collect();
        })
    };
    let message = refused(addr, &device.token, missing(25_000)).await;
    assert!(message.contains("25000 missing_photos"), "{message}");
    for table in ["batches", "record_versions", "records"] {
        assert_eq!(count(&db, table).await, 0, "{table}");
    }
    // The well-formed batch still goes in.
    assert_eq!(upload(addr, Some(&device.token), sent.bytes).await.status(), 200);
}
both!(hostile_batches_are_refused_with_their_reason);
