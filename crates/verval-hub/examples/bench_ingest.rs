//! The hub's ingest benchmark (BENCHMARKS.md): 10,000 households (each its own family) in
//! 100 batches of 100, verified, stored and matched for duplicates, on SQLite and (when VERVAL_TEST_POSTGRES_URL is set, as
//! scripts/with-postgres does) PostgreSQL, one file at a time and reading the next file ahead
//! (as `verval-hub import` does). Reports records per second, median of the runs.
//!
//!   bench/hub/run            (builds with `--profile hub`, starts a throwaway PostgreSQL)

use std::time::Instant;
use verval_core::export::{BatchBuilder, BatchMeta, Profile};
use verval_core::fields::{NAMA_KEPALA_KELUARGA, NOMOR_KK};
use verval_core::form::default::example::example_family;
use verval_core::form::default::{ART, DEFAULT_FORM, NIK};
use verval_core::{HouseholdRecord, RecordId, Timestamp};
use verval_hub::db::Db;
use verval_hub::ingest::{check, ingest, keep, limits, Source};

const RECORDS: usize = 10_000;
const PER_BATCH: usize = 100;
const RUNS: usize = 3;

fn batches() -> Vec<Vec<u8>> {
    (0..RECORDS / PER_BATCH)
        .map(|b| {
            let meta = BatchMeta {
                batch_id: RecordId::from_random_bytes(bytes(1_000_000 + b)),
                app_version: "bench".into(),
                enumerator: String::new(),
                device_id: "bench-device".into(),
                sequence: b as u32 + 1,
                created_at: Timestamp(1_795_600_000_000),
                utc_offset_minutes: 420,
                profile: Profile::Lengkap,
            };
            let mut builder = BatchBuilder::new(&DEFAULT_FORM, meta);
            for i in 0..PER_BATCH {
                let mut record = example_family(RecordId::from_random_bytes(bytes(b * PER_BATCH + i)));
                own_identity(&mut record, b * PER_BATCH + i);
                record.finalize(Timestamp(1_795_600_000_000));
                builder.add(record, &mut |_| None).expect("add");
            }
            builder.finish().expect("build").bytes
        })
        .collect()
}

/// Family `n`'s own card, members' NIKs and head: 10,000 copies of one family would be
/// 10,000 duplicates of each other, which no district sends.
fn own_identity(record: &mut HouseholdRecord, n: usize) {
    let now = Timestamp(1_795_600_000_000);
    record.set_answer(NOMOR_KK, &format!("3513{n:012}"), now);
    record.set_answer(NAMA_KEPALA_KELUARGA, &format!("KEPALA {n}"), now);
    let keys: Vec<u32> = record.repeats.rows(ART).iter().map(|r| r.key).collect();
    for (m, key) in keys.into_iter().enumerate() {
        record.set_row_answer(ART, key, NIK, &format!("35{:014}", n * 10 + m), now);
    }
}

fn bytes(n: usize) -> [u8; 16] {
    let mut b = [0u8; 16];
    b[..8].copy_from_slice(&(n as u64).to_le_bytes());
    b[8..].copy_from_slice(&(n as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15).to_le_bytes());
    b
}

async fn fresh(url_of: &str, run: usize) -> String {
    if let Some(base) = url_of.strip_prefix("postgres:") {
        let name = format!("verval_bench_{}_{run}", std::process::id());
        verval_hub::db::create_postgres_database(base, &name)
            .await
            .expect("create")
    } else {
        let dir = std::env::temp_dir().join(format!("verval-bench-{}-{run}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        format!("sqlite://{}", dir.join("hub.sqlite").display())
    }
}

/// How the files go in.
#[derive(Clone, Copy, PartialEq)]
enum Way {
    /// One after another, each read and stored before the next (an upload at a time).
    OneAtATime,
    /// The next file read and verified while the one before is stored, as `verval-hub
    /// import` does.
    ReadingAhead,
}

async fn measure(label: &str, url_of: &str, files: &[Vec<u8>], way: Way) {
    let mut rates = Vec::new();
    let limits = limits(64 << 20);
    let by = verval_hub::audit::Actor::cli();
    for run in 0..RUNS {
        let db = Db::open(&fresh(url_of, run + 10 * way as usize).await)
            .await
            .expect("db");
        let started = Instant::now();
        match way {
            Way::OneAtATime => {
                for file in files {
                    ingest(&db, "bench", file, &limits, &Source::File, &by, &[])
                        .await
                        .expect("ingest");
                }
            }
            Way::ReadingAhead => {
                let check = |file: &Vec<u8>| {
                    let (db, file) = (db.clone(), file.clone());
                    tokio::spawn(async move { check(&db, file, &limits).await.expect("check") })
                };
                let mut next = files.first().map(check);
                for i in 0..files.len() {
                    let checked = next.take().expect("checked").await.expect("task");
                    next = files.get(i + 1).map(check);
                    keep(&db, "bench", checked, &limits, &Source::File, &by, &[])
                        .await
                        .expect("keep");
                }
            }
        }
        let seconds = started.elapsed().as_secs_f64();
        rates.push(RECORDS as f64 / seconds);
        println!("{label} run {}: {RECORDS} records in {seconds:.2} s", run + 1);
    }
    rates.sort_by(|a, b| a.total_cmp(b));
    println!(
        "{label}: {:.0} records/s median (min {:.0}, max {:.0}), {RUNS} runs",
        rates[RUNS / 2],
        rates[0],
        rates[RUNS - 1]
    );
}

#[tokio::main]
async fn main() {
    let started = Instant::now();
    let files = batches();
    println!(
        "{} batches of {PER_BATCH} built in {:.1} s ({:.1} MB)",
        files.len(),
        started.elapsed().as_secs_f64(),
        files.iter().map(Vec::len).sum::<usize>() as f64 / 1e6
    );
    // The reader alone (unzip, verify, parse), what no store can make faster.
    let started = Instant::now();
    let known = verval_core::form::KnownForms::household();
    for file in &files {
        verval_core::export::read_incoming(file, &limits(64 << 20), &known).expect("read");
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "reading alone: {RECORDS} records in {seconds:.2} s ({:.0} records/s)",
        RECORDS as f64 / seconds
    );
    let postgres = std::env::var("VERVAL_TEST_POSTGRES_URL").ok();
    for (way, how) in [(Way::OneAtATime, ""), (Way::ReadingAhead, ", reading ahead")] {
        measure(&format!("SQLite{how}"), "sqlite", &files, way).await;
        match &postgres {
            Some(url) => {
                measure(
                    &format!("PostgreSQL{how}"),
                    &format!("postgres:{url}"),
                    &files,
                    way,
                )
                .await
            }
            None => println!("PostgreSQL: skipped (run through scripts/with-postgres)"),
        }
    }
}
