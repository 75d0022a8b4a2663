//! Writes a valid sample batch (three example families, one photo) to the path given: the
//! seed of the reader's fuzzing corpus and a file to show district staff what a batch is.
//! With a second path, also writes one finalized example family as JSON there (the export
//! benchmark stores copies of it).
//!
//!   cargo run -p verval-core --features testing --example batch_sample -- OUT.zip [FAMILY.json]

use verval_core::export::{BatchBuilder, BatchMeta, Profile};
use verval_core::form::default::example::example_family;
use verval_core::form::default::DEFAULT_FORM;
use verval_core::{RecordId, Timestamp};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args().nth(1).ok_or("usage: batch_sample OUT.zip")?;
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
        record.finalize(Timestamp(1_795_300_000_000));
        builder.add(record, &mut |_| Some(b"\xff\xd8\xff\xe0sample\xff\xd9".to_vec()))?;
    }
    let batch = builder.finish()?;
    if let Some(family) = std::env::args().nth(2) {
        let mut record = example_family(RecordId::from_random_bytes([9; 16]));
        record.finalize(Timestamp(1_795_300_000_000));
        std::fs::write(family, verval_core::export::canonical::canonical_json(&record))?;
    }
    std::fs::write(&out, &batch.bytes)?;
    println!("{out}: {} ({} bytes)", batch.file_name, batch.bytes.len());
    Ok(())
}
