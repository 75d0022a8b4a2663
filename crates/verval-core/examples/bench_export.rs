//! Export time and size for 1,000 and 10,000 households (BENCHMARKS.md), natively: the core's
//! builder and reader alone, without the browser around them. Each figure is the median of
//! 5 runs; families are the full example family (four members, a meter, two aid rows, a
//! 64 KB photo each for the photo runs).
//!
//!   cargo run --release -p verval-core --features testing --example bench_export

use std::time::Instant;
use verval_core::export::{read_batch, BatchBuilder, BatchMeta, Limits, Profile};
use verval_core::form::default::example::example_family;
use verval_core::form::default::DEFAULT_FORM;
use verval_core::form::KnownForms;
use verval_core::{HouseholdRecord, RecordId, Timestamp};

fn families(n: usize) -> Vec<HouseholdRecord> {
    (0..n)
        .map(|i| {
            let mut bytes = [0u8; 16];
            bytes[..8].copy_from_slice(&(i as u64).to_le_bytes());
            let mut r = example_family(RecordId::from_random_bytes(bytes));
            r.finalize(Timestamp(1_795_300_000_000));
            r
        })
        .collect()
}

fn meta(profile: Profile) -> BatchMeta {
    BatchMeta {
        batch_id: RecordId::from_random_bytes([1; 16]),
        app_version: "bench".to_owned(),
        enumerator: "bench".to_owned(),
        device_id: "bench".to_owned(),
        sequence: 1,
        created_at: Timestamp(1_795_312_800_000),
        utc_offset_minutes: 420,
        profile,
    }
}

fn median(mut times: Vec<f64>) -> f64 {
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn main() {
    let photo = vec![0x5au8; 64 * 1024];
    println!("| households | profile | photos | build s | read+verify s | zip MB |");
    println!("|---:|---|---|---:|---:|---:|");
    for (n, profile, with_photos) in [
        (1_000, Profile::Lengkap, false),
        (1_000, Profile::P3ke, false),
        (1_000, Profile::Lengkap, true),
        (10_000, Profile::Lengkap, false),
        (10_000, Profile::P3ke, false),
    ] {
        let records = families(n);
        let mut build = Vec::new();
        let mut read = Vec::new();
        let mut size = 0;
        for _ in 0..5 {
            let start = Instant::now();
            let mut builder = BatchBuilder::new(&DEFAULT_FORM, meta(profile));
            for r in records.iter().cloned() {
                builder
                    .add(r, &mut |_| with_photos.then(|| photo.clone()))
                    .expect("add");
            }
            let batch = builder.finish().expect("finish");
            build.push(start.elapsed().as_secs_f64());
            size = batch.bytes.len();
            let start = Instant::now();
            let back = read_batch(&batch.bytes, &Limits::default(), &KnownForms::household()).expect("read");
            read.push(start.elapsed().as_secs_f64());
            assert_eq!(back.records.len(), n);
        }
        println!(
            "| {n} | {} | {} | {:.2} | {:.2} | {:.1} |",
            profile.id(),
            if with_photos { "64 KB each" } else { "none" },
            median(build),
            median(read),
            size as f64 / 1e6
        );
    }
}
