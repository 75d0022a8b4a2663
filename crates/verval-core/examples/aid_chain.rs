//! Writes the two batches of the aid end-to-end test (tests/e2e/aid.test.mjs): a desa's three
//! verified families, then a correction of one.
//!
//! - SITI AMINAH: extremely poor, no aid, PKH proposed, complete for SIKS-NG;
//! - BUDI HARTONO: extremely poor, no aid, PKH and BLT-DD proposed, without the PLN customer
//!   id SIKS-NG needs — which `second.zip` adds (revision 2);
//! - SLAMET RIYADI: the example family, receiving aid.
//!
//!   cargo run -p verval-core --features testing --example aid_chain -- DIR

use verval_core::export::{BatchBuilder, BatchMeta, Profile};
use verval_core::fields::{NAMA_KEPALA_KELUARGA, NOMOR_KK};
use verval_core::form::default::example::example_family;
use verval_core::form::default::{
    ART, BANTUAN, BANTUAN_DIUSULKAN, DEFAULT_FORM, HUBUNGAN_KK, ID_PELANGGAN_PLN, MENERIMA_BANTUAN, NAMA,
    REKOMENDASI, STATUS_KESEJAHTERAAN_USULAN, STATUS_VERIFIKASI,
};
use verval_core::{HouseholdRecord, RecordId, Timestamp};

const VISITED: Timestamp = Timestamp(1_795_300_000_000);
const CORRECTED: Timestamp = Timestamp(1_795_400_000_000);

/// An extremely poor family with no aid, headed by `head`, with `proposed` programmes.
fn unserved(seed: u8, head: &str, kk: &str, proposed: &str) -> HouseholdRecord {
    let mut r = example_family(RecordId::from_random_bytes([seed; 16]));
    r.set_answer(NAMA_KEPALA_KELUARGA, head, VISITED);
    r.set_answer(NOMOR_KK, kk, VISITED);
    r.set_answer(STATUS_VERIFIKASI, "1", VISITED);
    r.set_answer(STATUS_KESEJAHTERAAN_USULAN, "1", VISITED);
    r.set_answer(REKOMENDASI, "1", VISITED);
    r.set_answer(BANTUAN_DIUSULKAN, proposed, VISITED);
    let head_row = r
        .repeats
        .rows(ART)
        .iter()
        .find(|row| row.answers.get(HUBUNGAN_KK) == "1")
        .map(|row| row.key);
    if let Some(key) = head_row {
        r.set_row_answer(ART, key, NAMA, head, VISITED);
    }
    let received: Vec<u32> = r.repeats.rows(BANTUAN).iter().map(|row| row.key).collect();
    for key in received {
        r.remove_row(BANTUAN, key, VISITED);
    }
    r.set_answer(MENERIMA_BANTUAN, "2", VISITED);
    r
}

fn write(
    path: &std::path::Path,
    sequence: u32,
    records: Vec<HouseholdRecord>,
) -> Result<(), Box<dyn std::error::Error>> {
    let meta = BatchMeta {
        batch_id: RecordId::from_random_bytes([0x6a + sequence as u8; 16]),
        app_version: env!("CARGO_PKG_VERSION").to_owned(),
        enumerator: String::new(),
        device_id: RecordId::from_random_bytes([0xd1; 16]).to_string(),
        sequence,
        created_at: Timestamp(CORRECTED.0 + i64::from(sequence)),
        utc_offset_minutes: 420,
        profile: Profile::P3ke,
    };
    let mut builder = BatchBuilder::new(&DEFAULT_FORM, meta);
    for record in records {
        builder.add(record, &mut |_| Some(b"\xff\xd8\xff\xe0sample\xff\xd9".to_vec()))?;
    }
    std::fs::write(path, builder.finish()?.bytes)?;
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).ok_or("usage: aid_chain DIR")?);
    let mut siti = unserved(0x21, "SITI AMINAH", "3513141203150101", "PKH");
    let mut budi = unserved(0x22, "BUDI HARTONO", "3513141203150102", "PKH BLT_DD");
    budi.set_answer(ID_PELANGGAN_PLN, "", VISITED);
    let mut slamet = example_family(RecordId::from_random_bytes([0x23; 16]));
    for r in [&mut siti, &mut budi, &mut slamet] {
        r.finalize(VISITED);
    }
    write(&dir.join("first.zip"), 1, vec![siti, slamet, budi.clone()])?;
    budi.start_correction(CORRECTED);
    budi.set_answer(ID_PELANGGAN_PLN, "51234567891", CORRECTED);
    budi.finalize(CORRECTED);
    write(&dir.join("second.zip"), 2, vec![budi])?;
    println!("{}: first.zip, second.zip", dir.display());
    Ok(())
}
