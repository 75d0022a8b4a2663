//! Sync through a bad network: a proxy on 127.0.0.1 drops, delays, duplicates, resets after
//! the hub stored the batch, answers 500 or answers like a captive portal for 30% of
//! requests. Five devices send 1,000 records in all, each with the retry rules of the core's
//! sync protocol. The hub must end with every record exactly once, and every device with a
//! receipt for every record it sent.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::time::Duration;
use support::*;
use verval_core::export::BuiltBatch;
use verval_core::sync::api::{ApiError, BATCHES_PATH};
use verval_core::sync::retry::retry_delay_ms;
use verval_core::sync::split::{split, UploadLimits};
use verval_core::sync::{parse_receipt, Receipt};
use verval_core::HouseholdRecord;
use verval_hub::Config;

const DEVICES: u64 = 5;
const RECORDS_PER_DEVICE: u64 = 200;
const FAULT_PERCENT: u64 = 30;

/// One try of one batch: a receipt that acknowledges the batch, or why not.
async fn try_upload(proxy: SocketAddr, token: &str, sent: &BuiltBatch) -> Result<Receipt, String> {
    let response = client()
        .post(format!("http://{proxy}{BATCHES_PATH}"))
        .bearer_auth(token)
        .body(sent.bytes.clone())
        .send()
        .await
        .map_err(|e| format!("network: {e}"))?;
    let status = response.status();
    let body = response.bytes().await.map_err(|e| format!("body: {e}"))?;
    if status.is_success() {
        // Only a receipt counts, never a bare 200 (a captive portal says 200 too).
        let receipt = parse_receipt(&body).map_err(|e| format!("200 without a receipt: {e}"))?;
        receipt.acknowledges(&sent.manifest).map_err(|e| e.to_string())?;
        return Ok(receipt);
    }
    if let Ok(error) = serde_json::from_slice::<ApiError>(&body) {
        assert!(
            !error.error.is_permanent(),
            "a valid batch was refused for good: {}",
            error.message
        );
    }
    Err(format!("status {status}"))
}

/// A phone's sync loop: uploads of at most 10 records; each batch retried with backoff
/// (scaled from seconds to tens of milliseconds) until a receipt; after every third failure
/// the batch is thrown away and made again with a new id, as after the app was killed
/// mid-sync.
async fn device(
    proxy: SocketAddr,
    token: String,
    device_id: String,
    records: Vec<HouseholdRecord>,
    seed: u32,
) -> BTreeMap<String, u32> {
    let mut acknowledged = BTreeMap::new();
    let groups = split(
        records.into_iter().map(|r| (r, 1)).collect(),
        UploadLimits {
            max_records: 10,
            max_bytes: u64::MAX,
        },
    );
    let mut random = seed;
    for group in groups {
        let mut sent = batch(&group, &device_id);
        let mut failures = 0u32;
        let receipt = loop {
            match try_upload(proxy, &token, &sent).await {
                Ok(receipt) => break receipt,
                Err(_) => {
                    failures += 1;
                    assert!(failures < 40, "a batch never got through");
                    random = random.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    let wait = retry_delay_ms(failures.min(4), random) / 100;
                    tokio::time::sleep(Duration::from_millis(wait)).await;
                    if failures.is_multiple_of(3) {
                        sent = batch(&group, &device_id);
                    }
                }
            }
        };
        for r in receipt.records {
            assert!(
                acknowledged.insert(r.id, r.revision).is_none(),
                "one record acknowledged twice in one device's run"
            );
        }
    }
    acknowledged
}

async fn a_thousand_records_through_a_bad_network_arrive_once(backend: Backend) {
    let db = fresh_db(backend).await;
    let hub = start_hub(db.clone(), Config::default()).await;
    let proxy = proxy::start(hub, FAULT_PERCENT, 0x5eed_0000 ^ ((backend as u64) << 8)).await;

    let mut phones = Vec::new();
    let mut expected = BTreeSet::new();
    for d in 0..DEVICES {
        let device_id = format!("device-{d}");
        let enrolment = enrolled(&db, hub, &[VILLAGE], &device_id).await;
        let records: Vec<HouseholdRecord> = (0..RECORDS_PER_DEVICE)
            .map(|i| family(d * 10_000 + i, VILLAGE))
            .collect();
        let ids: BTreeSet<String> = records.iter().map(|r| r.id.to_string()).collect();
        expected.extend(ids.iter().cloned());
        let phone = tokio::spawn(device(
            proxy.addr,
            enrolment.token,
            device_id,
            records,
            d as u32 + 1,
        ));
        phones.push((ids, phone));
    }
    for (ids, phone) in phones {
        let acknowledged = tokio::time::timeout(Duration::from_secs(600), phone)
            .await
            .expect("the device finished")
            .expect("the device did not panic");
        let got: BTreeSet<String> = acknowledged.keys().cloned().collect();
        assert_eq!(got, ids, "a receipt for every record the device sent");
    }

    assert_eq!(expected.len() as u64, DEVICES * RECORDS_PER_DEVICE);
    assert_eq!(count(&db, "records").await, expected.len() as i64);
    assert_eq!(count(&db, "record_versions").await, expected.len() as i64);
    let stored: BTreeSet<String> = sqlx::query_scalar("SELECT record_id FROM records")
        .fetch_all(&db.pool)
        .await
        .expect("ids")
        .into_iter()
        .collect();
    assert_eq!(stored, expected);

    // The network really misbehaved, in every way.
    let tally = &proxy.tally;
    let faulty: Vec<u64> = tally.faulty.iter().map(|n| n.load(Ordering::Relaxed)).collect();
    let clean = tally.clean.load(Ordering::Relaxed);
    let total = clean + faulty.iter().sum::<u64>();
    assert!(faulty.iter().all(|n| *n > 0), "every fault happened: {faulty:?}");
    let share = faulty.iter().sum::<u64>() * 100 / total;
    assert!((20..=40).contains(&share), "{share}% faulty of {total}");
    println!("{total} requests, {share}% faulty: {faulty:?}");
}
both!(a_thousand_records_through_a_bad_network_arrive_once);
