//! Writes a valid sample batch (three example families, one photo) to the path given: the
//! seed of the reader's fuzzing corpus and a file to show district staff what a batch is.
//! With a second path, also writes one finalized example family as JSON there (the export
//! benchmark stores copies of it).
//!
//! With `--last-family-in KODE_DESA`, the third family lives in that village instead (a
//! batch that spans two kecamatan, for the district team's end-to-end test).
//!
//!   cargo run -p verval-core --features testing --example batch_sample -- OUT.zip [FAMILY.json]
//!       [--last-family-in 35.13.15.2001]

use verval_core::export::{BatchBuilder, BatchMeta, Profile};
use verval_core::form::default::example::example_family;
use verval_core::form::default::{DEFAULT_FORM, KODE_DESA};
use verval_core::{RecordId, Timestamp};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let elsewhere = match args.iter().position(|a| a == "--last-family-in") {
        Some(i) => {
            let village = args
                .get(i + 1)
                .cloned()
                .ok_or("--last-family-in needs a village code")?;
            args.drain(i..=i + 1);
            Some(village)
        }
        None => None,
    };
    let out = args.first().cloned().ok_or("usage: batch_sample OUT.zip")?;
    let meta = BatchMeta {
        batch_id: RecordId::from_random_bytes([0x5a; 16]),
        app_version: env!("CARGO_PKG_VERSION").to_owned(),
        enumerator: String::new(),
        device_id: RecordId::from_random_bytes([0xd0; 16]).to_string(),
        sequence: 1,
        created_at: Timestamp(1_795_312_800_000),
        utc_offset_minutes: 420,
        profile: Profile::P3ke,
    };
    let mut builder = BatchBuilder::new(&DEFAULT_FORM, meta);
    for seed in 1..=3u8 {
        let mut record = example_family(RecordId::from_random_bytes([seed; 16]));
        if let (3, Some(village)) = (seed, &elsewhere) {
            record.set_answer(KODE_DESA, village, Timestamp(1_795_300_000_000));
        }
        record.finalize(Timestamp(1_795_300_000_000));
        builder.add(record, &mut |_| Some(b"\xff\xd8\xff\xe0sample\xff\xd9".to_vec()))?;
    }
    let batch = builder.finish()?;
    if let Some(family) = args.get(1) {
        let mut record = example_family(RecordId::from_random_bytes([9; 16]));
        record.finalize(Timestamp(1_795_300_000_000));
        std::fs::write(family, verval_core::export::canonical::canonical_json(&record))?;
    }
    std::fs::write(&out, &batch.bytes)?;
    println!("{out}: {} ({} bytes)", batch.file_name, batch.bytes.len());
    Ok(())
}
