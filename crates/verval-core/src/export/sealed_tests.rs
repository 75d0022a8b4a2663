//! Sealed batches (format version 2): sealed to two keys and opened by each, refused by any
//! other; the plaintext holds no one's identity; a content that contradicts its manifest, a
//! changed payload and a stray file are each refused with their reason; version 1 still reads.

use super::*;
use crate::export::batch::{BatchBuilder, BatchMeta};
use crate::export::profile::Profile;
use crate::export::read::{read_batch, read_incoming, Incoming};
use crate::fields::{NAMA_KEPALA_KELUARGA, NOMOR_KK};
use crate::form::default::example::example_family;
use crate::form::default::{ART, DEFAULT_FORM, NAMA, NIK};
use crate::form::KnownForms;
use crate::record::Timestamp;
use std::io::Read;

fn forms() -> KnownForms {
    KnownForms::household()
}

fn family(seed: u8) -> HouseholdRecord {
    let mut r = example_family(RecordId::from_random_bytes([seed; 16]));
    // Each family its own numbers, so every one is looked for in the bytes.
    r.answers.set(NOMOR_KK, &format!("35131420010{seed:05}"));
    r.answers
        .set(NAMA_KEPALA_KELUARGA, &format!("KEPALA KELUARGA NOMOR {seed}"));
    r.finalize(Timestamp(1_795_700_000_000 + i64::from(seed)));
    r
}

fn built(batch: u8, records: &[u8]) -> BuiltBatch {
    let meta = BatchMeta {
        batch_id: RecordId::from_random_bytes([batch; 16]),
        app_version: "0.1.0".to_owned(),
        enumerator: "Siti Aminah".to_owned(),
        device_id: "dev-3f2a".to_owned(),
        sequence: 4,
        created_at: Timestamp(1_795_312_800_000),
        utc_offset_minutes: 420,
        profile: Profile::P3ke,
    };
    let mut builder = BatchBuilder::new(&DEFAULT_FORM, meta);
    for seed in records {
        builder
            .add(family(*seed), &mut |_| Some(b"\xff\xd8 jpeg \xff\xd9".to_vec()))
            .expect("add");
    }
    builder.finish().expect("finish")
}

fn keys() -> (Identity, Identity, Identity) {
    (
        Identity::from_random([1; 32]),
        Identity::from_random([2; 32]),
        Identity::from_random([3; 32]),
    )
}

fn sealed_for(batch: &BuiltBatch, recipients: &[Recipient]) -> SealedBatch {
    let entropy: Vec<u8> = (0..entropy_len(recipients.len()))
        .map(|i| i as u8 ^ 0x5a)
        .collect();
    seal_batch(
        batch,
        &SealTo {
            recipients,
            enumerator_id: "enum-17",
        },
        &entropy,
    )
    .expect("seal")
}

fn incoming(bytes: &[u8]) -> Sealed {
    match read_incoming(bytes, &Limits::default(), &forms()).expect("reads") {
        Incoming::Sealed(sealed) => sealed,
        Incoming::Plain(_) => panic!("a sealed batch read as plain"),
    }
}

/// The sealed zip's two files.
fn unzip(bytes: &[u8]) -> (serde_json::Value, Vec<u8>) {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut read = |name: &str| {
        let mut content = Vec::new();
        archive
            .by_name(name)
            .expect(name)
            .read_to_end(&mut content)
            .expect("read");
        content
    };
    let manifest = serde_json::from_slice(&read("manifest.json")).expect("json");
    (manifest, read(PAYLOAD))
}

fn rezip(manifest: &serde_json::Value, payload: &[u8], extra: Option<&str>) -> Vec<u8> {
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file("manifest.json", options).expect("start");
    zip.write_all(&serde_json::to_vec(manifest).expect("json"))
        .expect("write");
    zip.start_file(PAYLOAD, options).expect("start");
    zip.write_all(payload).expect("write");
    if let Some(name) = extra {
        zip.start_file(name, options).expect("start");
        zip.write_all(b"1").expect("write");
    }
    zip.finish().expect("finish").into_inner()
}

#[test]
fn a_sealed_batch_opens_with_either_district_key_and_no_other() {
    let (district, break_glass, stranger) = keys();
    let plain = built(9, &[1, 2, 3]);
    let sealed = sealed_for(&plain, &[district.recipient(), break_glass.recipient()]);
    assert!(sealed.file_name.ends_with("-segel.zip"), "{}", sealed.file_name);
    let read = incoming(&sealed.bytes);
    assert_eq!(read.manifest, sealed.manifest);
    assert_eq!(
        read.manifest.sealed_to,
        vec![
            district.recipient().fingerprint(),
            break_glass.recipient().fingerprint()
        ]
    );
    assert_eq!(read.manifest.enumerator_id, "enum-17");
    let expected = read_batch(&plain.bytes, &Limits::default(), &forms()).expect("plain reads");
    for key in [district, break_glass] {
        let (opened, inner) = read.open(&[key], &Limits::default(), &forms()).expect("opens");
        assert_eq!(inner, plain.bytes, "the version 1 zip as it was made");
        assert_eq!(opened.records, expected.records);
        assert_eq!(opened.manifest, expected.manifest);
    }
    let refused = read
        .open(&[stranger], &Limits::default(), &forms())
        .expect_err("a stranger's key");
    assert_eq!(refused, OpenError::Seal(SealError::NoMatchingKey));
    assert!(!refused.is_the_batch(), "the batch waits for the right key");
}

#[test]
fn nothing_outside_the_seal_names_a_family_or_its_numbers() {
    let (district, break_glass, _) = keys();
    let plain = built(9, &[1, 2, 3]);
    let sealed = sealed_for(&plain, &[district.recipient(), break_glass.recipient()]);
    let mut secrets: Vec<String> = vec!["SITI AMINAH".into(), "Siti Aminah".into(), "siti_aminah".into()];
    let batch = read_batch(&plain.bytes, &Limits::default(), &forms()).expect("plain");
    for record in &batch.records {
        secrets.push(record.answers.get(NOMOR_KK).to_owned());
        secrets.push(record.answers.get(NAMA_KEPALA_KELUARGA).to_owned());
        for row in record.repeats.rows(ART) {
            secrets.push(row.answers.get(NIK).to_owned());
            secrets.push(row.answers.get(NAMA).to_owned());
        }
    }
    secrets.retain(|s| !s.is_empty());
    assert!(
        secrets.len() > 10,
        "the example families hold numbers and names: {secrets:?}"
    );
    // Every number's hash is looked for too: a NIK's hash is as good as the NIK.
    let hashes: Vec<String> = secrets.iter().map(|s| sha256_hex(s.as_bytes())).collect();
    for needle in secrets.iter().chain(&hashes) {
        let found = sealed.bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
        assert!(!found, "{needle:?} is readable in the sealed file");
    }
    // The control: the batch inside holds every family's numbers and names.
    let jsonl = String::from_utf8_lossy(&batch.files["records.jsonl"]);
    assert!(
        secrets[3..].iter().all(|s| jsonl.contains(s.as_str())),
        "the search looks for what is there"
    );
}

#[test]
fn content_that_contradicts_its_manifest_is_refused_with_what_differs() {
    let (district, _, _) = keys();
    let to = [district.recipient()];
    let sealed = sealed_for(&built(9, &[1, 2]), &to);
    let (manifest, payload) = unzip(&sealed.bytes);

    // The manifest says another village for a record.
    let mut moved = manifest.clone();
    moved["records"][1]["kode_desa"] = "35.13.14.2099".into();
    let err = incoming(&rezip(&moved, &payload, None))
        .open(std::slice::from_ref(&district), &Limits::default(), &forms())
        .expect_err("contradicts");
    assert!(
        matches!(&err, OpenError::Contradicts(why) if why.contains("35.13.14.2099")),
        "{err}"
    );
    assert!(err.is_the_batch());

    // Another batch's payload under this manifest (its checksum updated to match).
    let other = sealed_for(&built(8, &[1, 2]), &to);
    let (_, other_payload) = unzip(&other.bytes);
    let mut swapped = manifest.clone();
    swapped["payload_bytes"] = other_payload.len().into();
    swapped["payload_sha256"] = sha256_hex(&other_payload).into();
    let err = incoming(&rezip(&swapped, &other_payload, None))
        .open(std::slice::from_ref(&district), &Limits::default(), &forms())
        .expect_err("another batch");
    assert!(
        matches!(&err, OpenError::Contradicts(why) if why.contains("batch_id")),
        "{err}"
    );

    // The batch's number or its time changed outside.
    for (field, value) in [("sequence", 99), ("created_at", 1)] {
        let mut changed = manifest.clone();
        changed[field] = value.into();
        let err = incoming(&rezip(&changed, &payload, None))
            .open(std::slice::from_ref(&district), &Limits::default(), &forms())
            .expect_err("changed");
        assert!(
            matches!(&err, OpenError::Contradicts(why) if why.contains(field)),
            "{err}"
        );
    }

    // A record left out of the manifest.
    let mut fewer = manifest.clone();
    fewer["records"].as_array_mut().expect("list").pop();
    fewer["record_count"] = 1.into();
    let err = incoming(&rezip(&fewer, &payload, None))
        .open(&[district], &Limits::default(), &forms())
        .expect_err("fewer");
    assert!(matches!(err, OpenError::Contradicts(_)), "{err}");
}

#[test]
fn a_changed_payload_or_a_stray_file_is_refused_before_any_key_is_tried() {
    let (district, _, _) = keys();
    let sealed = sealed_for(&built(9, &[1]), &[district.recipient()]);
    let (manifest, mut payload) = unzip(&sealed.bytes);
    let last = payload.len() - 1;
    payload[last] ^= 1;
    let err =
        read_incoming(&rezip(&manifest, &payload, None), &Limits::default(), &forms()).expect_err("changed");
    assert!(
        matches!(err, BatchError::ChecksumMismatch { ref file } if file == PAYLOAD),
        "{err}"
    );

    // With the checksum forged to match, the cipher itself refuses it.
    let mut forged = manifest.clone();
    forged["payload_sha256"] = sha256_hex(&payload).into();
    let err = incoming(&rezip(&forged, &payload, None))
        .open(&[district], &Limits::default(), &forms())
        .expect_err("damaged");
    assert!(matches!(err, OpenError::Seal(SealError::Damaged(_))), "{err}");
    assert!(err.is_the_batch());

    let (_, payload) = unzip(&sealed.bytes);
    let err = read_incoming(
        &rezip(&manifest, &payload, Some("records.jsonl")),
        &Limits::default(),
        &forms(),
    )
    .expect_err("stray");
    assert_eq!(err, BatchError::NotInSealedBatch("records.jsonl".to_owned()));

    let mut unknown = manifest.clone();
    unknown["nama_petugas"] = "SITI".into();
    let err =
        read_incoming(&rezip(&unknown, &payload, None), &Limits::default(), &forms()).expect_err("unknown");
    assert!(
        matches!(err, BatchError::BadSealedManifest(ref why) if why.contains("nama_petugas")),
        "{err}"
    );
}

#[test]
fn a_plain_reader_names_a_sealed_batch_and_version_1_still_reads() {
    let (district, _, _) = keys();
    let plain = built(9, &[1]);
    let sealed = sealed_for(&plain, &[district.recipient()]);
    assert_eq!(
        read_batch(&sealed.bytes, &Limits::default(), &forms()).expect_err("sealed"),
        BatchError::SealedBatch
    );
    match read_incoming(&plain.bytes, &Limits::default(), &forms()).expect("plain") {
        Incoming::Plain(batch) => assert_eq!(batch.records.len(), 1),
        Incoming::Sealed(_) => panic!("a plain batch read as sealed"),
    }
}

#[test]
fn without_a_key_nothing_is_sealed_and_no_file_is_made() {
    let plain = built(9, &[1]);
    let err = seal_batch(
        &plain,
        &SealTo {
            recipients: &[],
            enumerator_id: "",
        },
        &[],
    )
    .expect_err("no key");
    assert_eq!(err, SealError::NoRecipients);
}

#[test]
fn a_sealed_batch_of_meetings_alone_opens_and_says_so_outside() {
    let meeting = r#"{"meetings":[{"kode_desa":"35.13.14.2001","meeting":{"period":"Musdesus Desember 2026","number":"01","held_on":"2026-12-05","place":"Balai desa","chair":"Kades"},"decisions":[]}]}"#;
    let meta = BatchMeta {
        batch_id: RecordId::from_random_bytes([9; 16]),
        app_version: "0.1.0".to_owned(),
        enumerator: "Siti Aminah".to_owned(),
        device_id: "dev-3f2a".to_owned(),
        sequence: 5,
        created_at: Timestamp(1_795_312_800_000),
        utc_offset_minutes: 420,
        profile: Profile::P3ke,
    };
    let mut builder = BatchBuilder::new(&DEFAULT_FORM, meta);
    builder.add_meetings(meeting.to_owned());
    let batch = builder.finish().expect("finish");
    let (district, _, _) = keys();
    let sealed = sealed_for(&batch, &[district.recipient()]);
    assert!(sealed.manifest.musdes);
    assert!(sealed.manifest.records.is_empty());
    let (batch, _) = incoming(&sealed.bytes)
        .open(std::slice::from_ref(&district), &Limits::default(), &forms())
        .expect("opens");
    assert_eq!(batch.meetings.map(|m| m.meetings.len()), Some(1));

    // The outside claiming no meetings, with no household: nothing to read.
    let (mut manifest, payload) = unzip(&sealed.bytes);
    manifest.as_object_mut().unwrap().remove("musdes");
    let err = read_incoming(&rezip(&manifest, &payload, None), &Limits::default(), &forms()).unwrap_err();
    assert_eq!(err, BatchError::Empty);

    // A batch of households claiming meetings outside: the content contradicts it.
    let households = built(3, &[1]);
    let mut sealed = sealed_for(&households, &[district.recipient()]);
    let (mut manifest, payload) = unzip(&sealed.bytes);
    manifest["musdes"] = true.into();
    sealed.bytes = rezip(&manifest, &payload, None);
    match incoming(&sealed.bytes).open(std::slice::from_ref(&district), &Limits::default(), &forms()) {
        Err(OpenError::Contradicts(why)) => assert!(why.contains("musdes"), "{why}"),
        other => panic!("{other:?}"),
    }
}
