//! The batch format end to end: built from records of the full form, read back and
//! verified; then every way a batch file can be wrong, each refused with its own message.

use super::batch::{file_name, BatchBuilder, BatchMeta, BuiltBatch};
use super::canonical::{canonical_json, sha256_hex};
use super::profile::Profile;
use super::read::{read_batch, BatchError, Limits};
use crate::date::Date;
use crate::form::default::example::example_family;
use crate::form::default::*;
use crate::form::KnownForms;
use crate::ids::RecordId;
use crate::record::{HouseholdRecord, Timestamp};
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};
use zip::write::SimpleFileOptions;
use zip::CompressionMethod;

fn forms() -> KnownForms {
    KnownForms::household()
}
const JPEG: &[u8] = b"\xff\xd8\xff\xe0 not really a jpeg, but bytes are bytes \xff\xd9";

fn final_family(seed: u8) -> HouseholdRecord {
    let mut r = example_family(RecordId::from_random_bytes([seed; 16]));
    r.finalize(Timestamp(1_795_700_000_000 + i64::from(seed)));
    r
}

fn meta(profile: Profile) -> BatchMeta {
    BatchMeta {
        batch_id: RecordId::from_random_bytes([0xab; 16]),
        app_version: "0.1.0".to_owned(),
        enumerator: "Siti Aminah".to_owned(),
        device_id: RecordId::from_random_bytes([0xcd; 16]).to_string(),
        sequence: 7,
        // 2026-11-22 09:00 WIB
        created_at: Timestamp(1_795_312_800_000),
        utc_offset_minutes: 420,
        profile,
    }
}

fn build(records: Vec<HouseholdRecord>, profile: Profile) -> BuiltBatch {
    let mut builder = BatchBuilder::new(&DEFAULT_FORM, meta(profile));
    for r in records {
        builder
            .add(r, &mut |key| (key == "foto-rumah-depan").then(|| JPEG.to_vec()))
            .unwrap();
    }
    builder.finish().unwrap()
}

fn good() -> BuiltBatch {
    build(vec![final_family(1), final_family(2)], Profile::Lengkap)
}

// ---------------------------------------------------------------- round trip

#[test]
fn a_batch_reads_back_with_every_record_equal() {
    let records = vec![final_family(1), final_family(2), final_family(3)];
    let batch = build(records.clone(), Profile::P3ke);
    assert_eq!(batch.file_name, "verval-3513142001-siti_aminah-20261122-007.zip");
    let read = read_batch(&batch.bytes, &Limits::default(), &forms()).unwrap();
    assert_eq!(read.records, records, "lossless");
    assert_eq!(read.manifest, batch.manifest);
    assert_eq!(read.manifest.record_count, 3);
    assert_eq!(read.manifest.profile, "p3ke");
    let paths: Vec<&str> = read.files.keys().map(String::as_str).collect();
    for expected in [
        "records.jsonl",
        "keluarga.csv",
        "anggota.csv",
        "bantuan.csv",
        "daya_listrik.csv",
        "p3ke.csv",
        "rekap.csv",
        "verval.xlsx",
    ] {
        assert!(paths.contains(&expected), "{expected} in {paths:?}");
    }
    let photo = format!("foto/{}_foto_rumah_depan.jpg", records[0].id);
    assert_eq!(read.files[&photo], JPEG);
    // Each record's checksum is the SHA-256 of its canonical JSON, its line in the file.
    let jsonl = std::str::from_utf8(&read.files["records.jsonl"]).unwrap();
    for (line, entry) in jsonl.lines().zip(&read.manifest.records) {
        assert_eq!(sha256_hex(line.as_bytes()), entry.sha256);
    }
    // The hub stores these lines as they are: each the canonical JSON of its record.
    let lines = read.record_lines();
    assert_eq!(lines.len(), records.len());
    for (line, record) in lines.iter().zip(&records) {
        assert_eq!(*line, Some(super::canonical::canonical_json(record).as_str()));
    }
}

#[test]
fn the_csvs_parse_and_keep_nik_and_kk_as_16_characters() {
    let read = read_batch(&good().bytes, &Limits::default(), &forms()).unwrap();
    let rows = |file: &str| -> (Vec<String>, Vec<Vec<String>>) {
        let mut reader = csv::Reader::from_reader(read.files[file].as_slice());
        let header = reader.headers().unwrap().iter().map(str::to_owned).collect();
        let rows = reader
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect();
        (header, rows)
    };
    let (header, members) = rows("anggota.csv");
    let nik = header.iter().position(|h| h == "nik").unwrap();
    assert_eq!(members.len(), 8);
    assert!(members
        .iter()
        .all(|m| m[nik].len() == 16 && m[nik].bytes().all(|b| b.is_ascii_digit())));
    let (header, families) = rows("keluarga.csv");
    let kk = header.iter().position(|h| h == "nomor_kk").unwrap();
    assert_eq!(families.len(), 2);
    assert!(families.iter().all(|f| f[kk] == "3513141203150007"));
    let photo = header.iter().position(|h| h == "foto_rumah_depan").unwrap();
    assert_eq!(
        families[0][photo],
        format!("foto/{}_foto_rumah_depan.jpg", families[0][0])
    );
    let (_, recap) = rows("rekap.csv");
    assert!(recap.iter().any(|r| r[1] == "jumlah_keluarga" && r[4] == "2"));
}

#[test]
fn the_spreadsheet_opens_with_two_header_rows_and_nik_as_text() {
    use calamine::{Data, Reader, Xlsx};
    let read = read_batch(&good().bytes, &Limits::default(), &forms()).unwrap();
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(read.files["verval.xlsx"].clone())).unwrap();
    assert_eq!(
        book.sheet_names(),
        [
            "keluarga",
            "anggota",
            "daya_listrik",
            "bantuan",
            "prelist",
            "Rekap"
        ]
    );
    // Row 2 of a sheet holds the field ids.
    let ids = |sheet: &calamine::Range<Data>| -> Vec<String> {
        sheet
            .rows()
            .nth(1)
            .unwrap()
            .iter()
            .map(|c| c.to_string())
            .collect()
    };
    let members = book.worksheet_range("anggota").unwrap();
    let header = ids(&members);
    let nik = header.iter().position(|h| h == "nik").unwrap();
    assert_eq!(
        members.rows().next().unwrap()[nik],
        Data::String("NIK".to_owned())
    );
    let first = members.rows().nth(2).unwrap();
    assert_eq!(
        first[nik],
        Data::String("3513141203580001".to_owned()),
        "a text cell, all 16 digits"
    );
    assert_eq!(members.rows().count(), 2 + 8);
    let sex = header.iter().position(|h| h == "jenis_kelamin").unwrap();
    assert_eq!(first[sex], Data::String("1".to_owned()), "the code as written");
    assert_eq!(header[sex + 1], "jenis_kelamin_keterangan");
    assert_eq!(first[sex + 1], Data::String("Laki-laki".to_owned()));
    let recap = book.worksheet_range("Rekap").unwrap();
    let families = recap
        .rows()
        .find(|r| r[2] == Data::String("jumlah_keluarga".to_owned()))
        .expect("the families counted");
    assert_eq!(families[5], Data::Float(2.0), "a count is a number");
    let family = book.worksheet_range("keluarga").unwrap();
    let header = ids(&family);
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let row = family.rows().nth(2).unwrap();
    assert!(
        matches!(row[at("created_at")], Data::DateTime(_)),
        "a time is a date: {:?}",
        row[at("created_at")]
    );
    assert!(matches!(row[at("tanggal_kunjungan")], Data::DateTime(_)));
    assert_eq!(row[at("nomor_kk")], Data::String("3513141203150007".to_owned()));
}

#[test]
fn the_spreadsheet_names_each_region_beside_its_code_from_the_tables_given() {
    use calamine::{Data, Reader, Xlsx};
    let mut builder = BatchBuilder::new(&DEFAULT_FORM, meta(Profile::Lengkap));
    builder.add(final_family(1), &mut |_| None).unwrap();
    let codes: Vec<String> = builder.region_codes().into_iter().collect();
    assert_eq!(codes, ["35", "35.13", "35.13.14", "35.13.14.2001"]);
    let table = |json: &str| crate::export::region_names::table_entries(json).unwrap();
    let wanted = builder.region_codes();
    let mut names = crate::export::RegionNames::default();
    names.add(
        table(r#"{"provinces":[["35","Jawa Timur"],["36","Banten"]]}"#),
        &wanted,
    );
    names.add(
        table(
            r#"{"regencies":[["35.13","Kabupaten Probolinggo"]],"districts":[["35.13.14","Kraksaan"]],
            "villages":[["35.13.14.2001","Kregenan"],["35.13.14.2002","Sidodadi"]]}"#,
        ),
        &wanted,
    );
    builder.name_regions(names);
    let built = builder.finish().unwrap();
    let read = read_batch(&built.bytes, &Limits::default(), &forms()).unwrap();
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(read.files["verval.xlsx"].clone())).unwrap();
    let family = book.worksheet_range("keluarga").unwrap();
    let header: Vec<String> = family
        .rows()
        .nth(1)
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let row = family.rows().nth(2).unwrap();
    for (code, name) in [
        ("kode_provinsi", "Jawa Timur"),
        ("kode_kabkota", "Kabupaten Probolinggo"),
        ("kode_kecamatan", "Kraksaan"),
        ("kode_desa", "Kregenan"),
    ] {
        let at = header.iter().position(|h| h == code).unwrap();
        assert_eq!(header[at + 1], format!("{code}_nama"));
        assert_eq!(row[at + 1], Data::String(name.to_owned()), "{code}");
    }
    let recap = book.worksheet_range("Rekap").unwrap();
    let first = recap.rows().nth(2).unwrap();
    assert_eq!(first[0], Data::String("35.13.14.2001".to_owned()));
    assert_eq!(
        first[1],
        Data::String("Kregenan".to_owned()),
        "the recap names its villages"
    );
    // The machine files stay as they were: codes alone.
    assert!(!String::from_utf8_lossy(&read.files["keluarga.csv"]).contains("Kregenan"));
}

#[test]
fn the_builder_refuses_drafts_duplicates_and_nothing() {
    let mut builder = BatchBuilder::new(&DEFAULT_FORM, meta(Profile::Lengkap));
    let draft = example_family(RecordId::from_random_bytes([9; 16]));
    assert!(matches!(
        builder.add(draft, &mut |_| None),
        Err(super::BuildError::Draft(_))
    ));
    builder.add(final_family(1), &mut |_| None).unwrap();
    assert!(matches!(
        builder.add(final_family(1), &mut |_| None),
        Err(super::BuildError::Duplicate(_))
    ));
    let empty = BatchBuilder::new(&DEFAULT_FORM, meta(Profile::Lengkap));
    assert!(matches!(empty.finish(), Err(super::BuildError::Empty)));
}

#[test]
fn a_photo_the_phone_no_longer_has_is_named_in_the_manifest() {
    let mut builder = BatchBuilder::new(&DEFAULT_FORM, meta(Profile::Lengkap));
    let record = final_family(4);
    builder.add(record.clone(), &mut |_| None).unwrap();
    let batch = builder.finish().unwrap();
    assert_eq!(batch.manifest.missing_photos.len(), 1);
    assert_eq!(batch.manifest.missing_photos[0].record_id, record.id.to_string());
    assert_eq!(batch.manifest.missing_photos[0].field, "foto_rumah_depan");
    read_batch(&batch.bytes, &Limits::default(), &forms()).unwrap();
}

#[test]
fn without_a_name_the_batch_is_named_after_the_enumerator_of_the_records() {
    let mut meta = meta(Profile::Lengkap);
    meta.enumerator = String::new();
    let mut builder = BatchBuilder::new(&DEFAULT_FORM, meta);
    let petugas = final_family(1).answers.get(NAMA_PETUGAS).to_owned();
    assert!(!petugas.is_empty());
    let mut other = example_family(RecordId::from_random_bytes([2; 16]));
    other.set_answer(NAMA_PETUGAS, "Budi", Timestamp(5));
    other.finalize(Timestamp(6));
    for r in [final_family(1), other, final_family(3)] {
        builder.add(r, &mut |_| None).unwrap();
    }
    let batch = builder.finish().unwrap();
    assert_eq!(batch.manifest.enumerator, petugas, "two of three records");
    let slug = petugas.to_ascii_lowercase().replace(' ', "_");
    assert!(
        batch.file_name.contains(&format!("-{slug}-")),
        "{}",
        batch.file_name
    );
}

#[test]
fn file_names_are_safe_for_every_file_system() {
    let day = Date::new(2026, 1, 5).unwrap();
    assert_eq!(
        file_name("35.13.14.2001", "  Bu Siti / PKH ", day, 12),
        "verval-3513142001-bu_siti_pkh-20260105-012.zip"
    );
    assert_eq!(
        file_name("campuran", "", day, 1),
        "verval-campuran-petugas-20260105-001.zip"
    );
    assert_eq!(
        file_name("x", "Dédé", day, 1000),
        "verval-x-d_d-20260105-1000.zip"
    );
}

// ---------------------------------------------------------------- malformed batches

/// The files of a valid batch, to be spoiled one way or another.
fn parts() -> (Value, BTreeMap<String, Vec<u8>>) {
    let bytes = good().bytes;
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut files = BTreeMap::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let mut content = Vec::new();
        f.read_to_end(&mut content).unwrap();
        files.insert(f.name().unwrap().into_owned(), content);
    }
    let manifest = serde_json::from_slice(&files.remove("manifest.json").unwrap()).unwrap();
    (manifest, files)
}

/// Packs the files with the manifest as given.
fn pack(manifest: Option<&Value>, files: &BTreeMap<String, Vec<u8>>) -> Vec<u8> {
    pack_raw(manifest.map(|m| serde_json::to_vec(m).unwrap()), files)
}

fn pack_raw(manifest: Option<Vec<u8>>, files: &BTreeMap<String, Vec<u8>>) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    if let Some(m) = manifest {
        zip.start_file("manifest.json", options).unwrap();
        zip.write_all(&m).unwrap();
    }
    for (name, content) in files {
        zip.start_file(name.as_str(), options).unwrap();
        zip.write_all(content).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// Points the manifest's file list at the files as they are now (a consistent forgery,
/// so the check behind the checksums is what must catch it).
fn relist(manifest: &mut Value, files: &BTreeMap<String, Vec<u8>>) {
    let list: Vec<Value> = files
        .iter()
        .map(|(path, c)| serde_json::json!({"path": path, "bytes": c.len(), "sha256": sha256_hex(c)}))
        .collect();
    manifest["files"] = Value::Array(list);
}

fn refused(bytes: &[u8]) -> BatchError {
    refused_with(bytes, &Limits::default())
}

fn refused_with(bytes: &[u8], limits: &Limits) -> BatchError {
    match read_batch(bytes, limits, &forms()) {
        Ok(_) => panic!("a malformed batch was accepted"),
        Err(e) => e,
    }
}

fn jsonl_lines(files: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    String::from_utf8(files["records.jsonl"].clone())
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

fn set_jsonl(files: &mut BTreeMap<String, Vec<u8>>, lines: &[String]) {
    let mut text = lines.join("\n");
    text.push('\n');
    files.insert("records.jsonl".to_owned(), text.into_bytes());
}

/// A record changed in `records.jsonl` with the manifest made to match it entirely, except
/// for what `keep` leaves.
fn forge_record(change: impl Fn(&mut HouseholdRecord)) -> (Value, BTreeMap<String, Vec<u8>>) {
    let (mut manifest, mut files) = parts();
    let mut lines = jsonl_lines(&files);
    let mut record: HouseholdRecord = serde_json::from_str(&lines[0]).unwrap();
    change(&mut record);
    lines[0] = canonical_json(&record);
    set_jsonl(&mut files, &lines);
    manifest["records"][0]["sha256"] = Value::String(sha256_hex(lines[0].as_bytes()));
    manifest["records"][0]["revision"] = Value::from(record.revision);
    relist(&mut manifest, &files);
    (manifest, files)
}

/// Finds `needle` in the zip bytes at its `n`th place.
fn nth(bytes: &[u8], needle: &[u8], n: usize) -> usize {
    bytes
        .windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle)
        .nth(n)
        .map(|(i, _)| i)
        .expect("found")
}

/// The central directory header of the entry named `name`.
fn central_header(bytes: &[u8], name: &str) -> usize {
    let sig = [0x50, 0x4b, 0x01, 0x02];
    (0..)
        .map(|n| nth(bytes, &sig, n))
        .find(|at| {
            let len = u16::from_le_bytes([bytes[at + 28], bytes[at + 29]]) as usize;
            &bytes[at + 46..at + 46 + len] == name.as_bytes()
        })
        .unwrap()
}

#[test]
fn not_a_zip_empty_random_or_truncated() {
    assert!(matches!(refused(b""), BatchError::NotAZip(_)));
    assert!(matches!(
        refused(b"PK\x03\x04 this is not a zip at all, just text"),
        BatchError::NotAZip(_)
    ));
    let bytes = good().bytes;
    // Cut in the middle: what remains may still end in the spreadsheet's own zip.
    let cut = refused(&bytes[..bytes.len() / 2]);
    assert!(matches!(cut, BatchError::NotAZip(_)), "{cut}");
    assert!(cut.to_string().contains("cut off"), "{cut}");
    // The spreadsheet is itself a zip; packed, its directory is not visible in the batch,
    // so a cut-off batch cannot pass for the spreadsheet's zip.
    let directories = bytes
        .windows(4)
        .filter(|w| *w == [0x50, 0x4b, 0x05, 0x06])
        .count();
    assert_eq!(directories, 1);
    let tail = refused(&bytes[..bytes.len() - 10]);
    assert!(matches!(tail, BatchError::NotAZip(_)), "{tail}");
}

#[test]
fn a_zip_without_a_manifest() {
    let (_, files) = parts();
    assert_eq!(refused(&pack(None, &files)), BatchError::MissingManifest);
}

#[test]
fn a_manifest_that_is_not_json() {
    let (_, files) = parts();
    let e = refused(&pack_raw(
        Some(b"{\"format\": \"verval-batch\", ".to_vec()),
        &files,
    ));
    assert!(matches!(e, BatchError::BadManifest(_)), "{e}");
}

#[test]
fn a_manifest_of_another_format_or_version() {
    let (mut manifest, files) = parts();
    manifest["format"] = Value::from("odk-submission");
    assert_eq!(
        refused(&pack(Some(&manifest), &files)),
        BatchError::WrongFormat("odk-submission".to_owned())
    );
    let (mut manifest, files) = parts();
    manifest["format_version"] = Value::from(3);
    assert_eq!(
        refused(&pack(Some(&manifest), &files)),
        BatchError::UnknownFormatVersion(3)
    );
    // Version 2 is a sealed batch: without its payload, the payload is what is missing.
    manifest["format_version"] = Value::from(2);
    assert_eq!(
        refused(&pack(Some(&manifest), &files)),
        BatchError::MissingFile("batch.zip.age".to_owned())
    );
    manifest["format_version"] = Value::from("1");
    assert!(matches!(
        refused(&pack(Some(&manifest), &files)),
        BatchError::BadManifest(_)
    ));
}

#[test]
fn a_manifest_missing_a_field_or_with_a_stranger() {
    let (mut manifest, files) = parts();
    manifest.as_object_mut().unwrap().remove("records");
    let e = refused(&pack(Some(&manifest), &files));
    assert!(
        matches!(&e, BatchError::BadManifest(m) if m.contains("records")),
        "{e}"
    );
    let (mut manifest, files) = parts();
    manifest["signed_by"] = Value::from("me");
    let e = refused(&pack(Some(&manifest), &files));
    assert!(
        matches!(&e, BatchError::BadManifest(m) if m.contains("signed_by")),
        "{e}"
    );
}

#[test]
fn a_manifest_with_a_bad_batch_id_or_checksum() {
    let (mut manifest, files) = parts();
    manifest["batch_id"] = Value::from("batch-1");
    assert!(matches!(
        refused(&pack(Some(&manifest), &files)),
        BatchError::BadManifestField {
            field: "batch_id",
            ..
        }
    ));
    let (mut manifest, files) = parts();
    manifest["records"][1]["sha256"] = Value::from("ABC");
    assert!(matches!(
        refused(&pack(Some(&manifest), &files)),
        BatchError::BadManifestField {
            field: "records.sha256",
            ..
        }
    ));
    let (mut manifest, files) = parts();
    manifest["records"][0]["id"] = Value::from("../../etc");
    assert!(matches!(
        refused(&pack(Some(&manifest), &files)),
        BatchError::BadManifestField {
            field: "records.id",
            ..
        }
    ));
}

#[test]
fn a_file_changed_after_export() {
    let (manifest, mut files) = parts();
    let csv = files.get_mut("keluarga.csv").unwrap();
    let at = nth(csv, b"3513141203150007", 0);
    csv[at + 15] = b'8';
    assert_eq!(
        refused(&pack(Some(&manifest), &files)),
        BatchError::ChecksumMismatch {
            file: "keluarga.csv".to_owned()
        }
    );
}

#[test]
fn a_file_of_another_size() {
    let (manifest, mut files) = parts();
    files.get_mut("bantuan.csv").unwrap().extend_from_slice(b"x");
    assert!(
        matches!(refused(&pack(Some(&manifest), &files)), BatchError::SizeMismatch { file, .. } if file == "bantuan.csv")
    );
}

#[test]
fn a_listed_file_missing_or_a_file_not_listed() {
    let (manifest, mut files) = parts();
    files.remove("rekap.csv");
    assert_eq!(
        refused(&pack(Some(&manifest), &files)),
        BatchError::MissingFile("rekap.csv".to_owned())
    );
    let (manifest, mut files) = parts();
    files.insert("catatan.csv".to_owned(), b"a,b\r\n".to_vec());
    assert_eq!(
        refused(&pack(Some(&manifest), &files)),
        BatchError::UnlistedFile("catatan.csv".to_owned())
    );
}

#[test]
fn a_file_listed_twice() {
    let (mut manifest, files) = parts();
    let first = manifest["files"][1].clone();
    manifest["files"].as_array_mut().unwrap().push(first);
    assert!(matches!(
        refused(&pack(Some(&manifest), &files)),
        BatchError::DuplicateManifestFile(_)
    ));
}

#[test]
fn a_record_count_that_does_not_add_up() {
    let (mut manifest, files) = parts();
    manifest["record_count"] = Value::from(3);
    assert_eq!(
        refused(&pack(Some(&manifest), &files)),
        BatchError::CountMismatch {
            declared: 3,
            listed: 2,
            found: 2
        }
    );
}

#[test]
fn a_record_of_an_unknown_form_version() {
    let (manifest, files) = forge_record(|r| r.form_version = "verval-keluarga-2099.1.0".to_owned());
    assert!(matches!(
        refused(&pack(Some(&manifest), &files)),
        BatchError::UnknownFormVersion { version, .. } if version == "verval-keluarga-2099.1.0"
    ));
}

#[test]
fn a_record_from_an_older_app_is_upgraded_and_its_line_not_offered_as_its_json() {
    let (manifest, files) = forge_record(|r| r.schema_version = 2);
    let read = read_batch(&pack(Some(&manifest), &files), &Limits::default(), &forms()).unwrap();
    assert_eq!(read.records[0].schema_version, 3);
    assert_eq!(read.as_written, vec![false, true]);
    let lines = read.record_lines();
    assert_eq!(lines[0], None);
    assert_eq!(lines[1], Some(canonical_json(&read.records[1]).as_str()));
}

#[test]
fn a_record_from_a_newer_app() {
    let (manifest, files) = forge_record(|r| r.schema_version = 99);
    let e = refused(&pack(Some(&manifest), &files));
    assert!(
        matches!(&e, BatchError::Unusable(_, why) if why.contains("newer")),
        "{e}"
    );
}

#[test]
fn a_record_twice() {
    let (mut manifest, mut files) = parts();
    let mut lines = jsonl_lines(&files);
    lines[1] = lines[0].clone();
    set_jsonl(&mut files, &lines);
    manifest["records"][1] = manifest["records"][0].clone();
    relist(&mut manifest, &files);
    assert!(matches!(
        refused(&pack(Some(&manifest), &files)),
        BatchError::DuplicateRecord(_)
    ));
    // Twice in the file, listed once.
    let (mut manifest, mut files) = parts();
    let mut lines = jsonl_lines(&files);
    lines.push(lines[0].clone());
    set_jsonl(&mut files, &lines);
    relist(&mut manifest, &files);
    assert!(matches!(
        refused(&pack(Some(&manifest), &files)),
        BatchError::DuplicateRecord(_)
    ));
}

#[test]
fn a_record_whose_content_does_not_match_its_hash() {
    let (mut manifest, mut files) = parts();
    let mut lines = jsonl_lines(&files);
    lines[0] = lines[0].replace("Krajan", "Kulon");
    set_jsonl(&mut files, &lines);
    relist(&mut manifest, &files);
    let id = manifest["records"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        refused(&pack(Some(&manifest), &files)),
        BatchError::RecordHashMismatch(id)
    );
}

#[test]
fn a_record_of_another_revision() {
    let (mut manifest, files) = parts();
    manifest["records"][0]["revision"] = Value::from(2);
    assert!(matches!(
        refused(&pack(Some(&manifest), &files)),
        BatchError::RevisionMismatch {
            expected: 2,
            found: 1,
            ..
        }
    ));
}

#[test]
fn a_record_listed_but_absent_or_present_but_unlisted() {
    let (mut manifest, mut files) = parts();
    let lines = jsonl_lines(&files);
    set_jsonl(&mut files, &lines[..1]);
    relist(&mut manifest, &files);
    assert!(matches!(
        refused(&pack(Some(&manifest), &files)),
        BatchError::MissingRecord(_)
    ));
    let (mut manifest, files) = parts();
    manifest["records"].as_array_mut().unwrap().remove(1);
    assert!(matches!(
        refused(&pack(Some(&manifest), &files)),
        BatchError::UnlistedRecord(_)
    ));
}

#[test]
fn a_draft_record() {
    let (manifest, files) = forge_record(|r| r.status = crate::record::RecordStatus::Draft);
    assert!(matches!(
        refused(&pack(Some(&manifest), &files)),
        BatchError::DraftRecord(_)
    ));
}

#[test]
fn a_line_that_is_not_a_record() {
    let (mut manifest, mut files) = parts();
    let mut lines = jsonl_lines(&files);
    lines[1] = "{\"id\": \"3f2b8c1e\"".to_owned();
    set_jsonl(&mut files, &lines);
    relist(&mut manifest, &files);
    assert!(matches!(
        refused(&pack(Some(&manifest), &files)),
        BatchError::BadRecord { line: 2, .. }
    ));
    let (mut manifest, mut files) = parts();
    files.insert("records.jsonl".to_owned(), b"\xff\xfe not utf-8".to_vec());
    relist(&mut manifest, &files);
    assert!(matches!(
        refused(&pack(Some(&manifest), &files)),
        BatchError::BadRecord { line: 1, .. }
    ));
    let (mut manifest, mut files) = parts();
    let mut lines = jsonl_lines(&files);
    lines.insert(1, String::new());
    set_jsonl(&mut files, &lines);
    relist(&mut manifest, &files);
    assert!(matches!(
        refused(&pack(Some(&manifest), &files)),
        BatchError::BadRecord { line: 2, .. }
    ));
}

#[test]
fn no_records_at_all() {
    let (mut manifest, mut files) = parts();
    files.retain(|path, _| !path.starts_with("foto/"));
    files.insert("records.jsonl".to_owned(), Vec::new());
    manifest["records"] = Value::Array(Vec::new());
    manifest["record_count"] = Value::from(0);
    relist(&mut manifest, &files);
    assert_eq!(refused(&pack(Some(&manifest), &files)), BatchError::Empty);
    let (mut manifest, mut files) = parts();
    files.remove("records.jsonl");
    relist(&mut manifest, &files);
    assert_eq!(
        refused(&pack(Some(&manifest), &files)),
        BatchError::MissingRecords
    );
}

#[test]
fn a_photo_of_a_record_not_in_the_batch() {
    let (mut manifest, mut files) = parts();
    let stranger = RecordId::from_random_bytes([0x77; 16]);
    let path = format!("foto/{stranger}_foto_atap.jpg");
    files.insert(path.clone(), JPEG.to_vec());
    relist(&mut manifest, &files);
    assert_eq!(
        refused(&pack(Some(&manifest), &files)),
        BatchError::OrphanPhoto(path)
    );
}

#[test]
fn names_that_point_outside_the_batch() {
    for name in [
        "../x",
        "foto/../../etc/passwd",
        "/etc/passwd",
        "foto\\..\\x.jpg",
        "C:/x.csv",
        "foto//a.jpg",
        "./manifest.json",
    ] {
        let (manifest, mut files) = parts();
        files.insert(name.to_owned(), b"x".to_vec());
        assert_eq!(
            refused(&pack(Some(&manifest), &files)),
            BatchError::UnsafeName(name.to_owned()),
            "{name}"
        );
    }
}

#[test]
fn names_the_format_does_not_have() {
    for name in [
        "notes.txt",
        "Keluarga.CSV",
        "foto/rumah.jpg",
        "foto/x_foto.gif",
        "data/keluarga.csv",
        "verval.xlsm",
    ] {
        let (manifest, mut files) = parts();
        files.insert(name.to_owned(), b"x".to_vec());
        assert_eq!(
            refused(&pack(Some(&manifest), &files)),
            BatchError::UnexpectedFile(name.to_owned()),
            "{name}"
        );
    }
}

#[test]
fn a_zip_bomb() {
    let (manifest, mut files) = parts();
    files.insert("bom.csv".to_owned(), vec![b','; 8 << 20]);
    let e = refused(&pack(Some(&manifest), &files));
    assert!(
        matches!(&e, BatchError::ExpansionTooHigh { file, ratio } if file == "bom.csv" && *ratio > 250),
        "{e}"
    );
}

#[test]
fn a_declared_size_of_2_gb() {
    let (manifest, files) = parts();
    let mut bytes = pack(Some(&manifest), &files);
    let at = central_header(&bytes, "keluarga.csv");
    bytes[at + 24..at + 28].copy_from_slice(&0x8000_0000u32.to_le_bytes());
    let e = refused(&bytes);
    assert!(
        matches!(&e, BatchError::DeclaredTooLarge { file, declared } if file == "keluarga.csv" && *declared == 1 << 31),
        "{e}"
    );
}

#[test]
fn sizes_beyond_the_limits() {
    let bytes = good().bytes;
    let small = Limits {
        max_file_bytes: 1000,
        ..Limits::default()
    };
    assert!(matches!(
        refused_with(&bytes, &small),
        BatchError::FileTooLarge(_)
    ));
    let few = Limits {
        max_entries: 3,
        ..Limits::default()
    };
    assert!(matches!(refused_with(&bytes, &few), BatchError::TooManyFiles(_)));
    let tight = Limits {
        max_total_bytes: 20_000,
        ..Limits::default()
    };
    assert!(matches!(
        refused_with(&bytes, &tight),
        BatchError::TotalTooLarge(_)
    ));
}

#[test]
fn an_entry_that_lies_about_its_size() {
    let (manifest, files) = parts();
    let mut bytes = pack(Some(&manifest), &files);
    let at = central_header(&bytes, "rekap.csv");
    let declared = u32::from_le_bytes(bytes[at + 24..at + 28].try_into().unwrap());
    bytes[at + 24..at + 28].copy_from_slice(&(declared - 10).to_le_bytes());
    let e = refused(&bytes);
    assert!(
        matches!(&e, BatchError::LargerThanDeclared { file } | BatchError::Corrupt { file, .. } if file == "rekap.csv"),
        "{e}"
    );
}

#[test]
fn a_damaged_entry_fails_its_crc() {
    let (manifest, files) = parts();
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    zip.start_file("manifest.json", stored).unwrap();
    zip.write_all(&serde_json::to_vec(&manifest).unwrap()).unwrap();
    for (name, content) in &files {
        zip.start_file(name.as_str(), stored).unwrap();
        zip.write_all(content).unwrap();
    }
    let mut bytes = zip.finish().unwrap().into_inner();
    let at = nth(&bytes, b"Dusun Krajan", 0);
    bytes[at] = b'd';
    let e = refused(&bytes);
    // The family table is the first file holding the hamlet's name.
    assert!(
        matches!(&e, BatchError::Corrupt { file, reason } if file == "keluarga.csv" && reason.contains("checksum")),
        "{e}"
    );
}

#[test]
fn an_entry_with_an_unsupported_compression() {
    let (manifest, files) = parts();
    let mut bytes = pack(Some(&manifest), &files);
    let at = central_header(&bytes, "anggota.csv");
    bytes[at + 10..at + 12].copy_from_slice(&12u16.to_le_bytes()); // bzip2
    let e = refused(&bytes);
    assert!(
        matches!(&e, BatchError::UnsupportedEntry { file } if file == "anggota.csv"),
        "{e}"
    );
}

#[test]
fn a_file_in_the_zip_twice() {
    let (manifest, mut files) = parts();
    files.insert("keluargb.csv".to_owned(), b"x".to_vec());
    let mut bytes = pack(Some(&manifest), &files);
    // Rename the stranger to an existing name in both its headers.
    for sig in [&b"keluargb.csv"[..]] {
        while let Some(at) = bytes.windows(sig.len()).position(|w| w == sig) {
            bytes[at..at + sig.len()].copy_from_slice(b"keluarga.csv");
        }
    }
    let e = refused(&bytes);
    assert!(
        matches!(&e, BatchError::DuplicateFiles { listed, distinct } if *listed == *distinct as u64 + 1),
        "{e}"
    );
}

#[test]
fn every_refusal_names_what_is_wrong() {
    // A sample of the messages, as district staff and the hub log will read them.
    let (manifest, mut files) = parts();
    files.remove("rekap.csv");
    let message = refused(&pack(Some(&manifest), &files)).to_string();
    assert_eq!(message, "rekap.csv is listed in manifest.json but not in the zip");
    let (mut manifest, files) = parts();
    manifest["records"][0]["revision"] = Value::from(5);
    let id = manifest["records"][0]["id"].as_str().unwrap().to_owned();
    let message = refused(&pack(Some(&manifest), &files)).to_string();
    assert_eq!(message, format!("record {id}: revision 1, manifest.json says 5"));
}

/// The example family as if a prelist had listed it, with one NIK the list had wrong.
fn listed_family(seed: u8) -> HouseholdRecord {
    use crate::campaign::PrelistLink;
    use crate::fields::{ALAMAT, NOMOR_KK};
    use crate::prelist::{PrelistFamily, PrelistMember};
    let mut r = example_family(RecordId::from_random_bytes([seed; 16]));
    let rows = r.repeats.rows(ART);
    let members: Vec<PrelistMember> = rows
        .iter()
        .enumerate()
        .map(|(i, row)| PrelistMember {
            row: i + 4,
            nik: Some(if i == 0 {
                "3513141207850009".to_owned()
            } else {
                row.answers.get(NIK).to_owned()
            }),
            nama: row.answers.get(NAMA).to_owned(),
            hubungan: String::new(),
            jenis_kelamin: String::new(),
            tanggal_lahir: String::new(),
            id_individu: String::new(),
            padan_dukcapil: String::new(),
        })
        .collect();
    r.prelist = Some(PrelistLink {
        member_rows: rows.iter().map(|row| row.key).collect(),
        family: PrelistFamily {
            prelist_id: r.answers.get(PRELIST_ID).to_owned(),
            nomor_kk: Some(r.answers.get(NOMOR_KK).to_owned()),
            kode_desa: r.answers.get(KODE_DESA).to_owned(),
            alamat: r.answers.get(ALAMAT).to_owned(),
            rt: r.answers.get(RT).to_owned(),
            rw: r.answers.get(RW).to_owned(),
            desil: String::new(),
            housing: Default::default(),
            programmes: Vec::new(),
            members,
        },
    });
    r.finalize(Timestamp(1_795_700_000_000));
    r
}

#[test]
fn a_listed_family_carries_its_list_and_the_comparison_through_the_batch() {
    let record = listed_family(9);
    let built = build(vec![record.clone(), final_family(2)], Profile::P3ke);
    let read = read_batch(&built.bytes, &Limits::default(), &forms()).unwrap();
    assert_eq!(
        read.records[0].prelist, record.prelist,
        "records.jsonl keeps the listed family"
    );
    assert_eq!(read.records[1].prelist, None);
    let mut reader = csv::Reader::from_reader(read.files["prelist.csv"].as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert!(rows
        .iter()
        .all(|row| row[col("record_id")] == record.id.to_string()));
    let nik = rows
        .iter()
        .find(|row| row[col("field")] == "nik" && row[col("no_urut")] == "1")
        .expect("the first member's NIK");
    assert_eq!(nik[col("nilai_prelist")], "3513141207850009");
    assert_eq!(
        nik[col("nilai_observasi")],
        record.repeats.rows(ART)[0].answers.get(NIK)
    );
    assert_eq!(nik[col("hasil")], "diperbaiki");
    let kk = rows
        .iter()
        .find(|row| row[col("field")] == "nomor_kk")
        .expect("kk");
    assert_eq!(kk[col("hasil")], "sesuai");
}

/// Hostile batches (issue #17): what once froze or flooded the hub.
#[path = "hostile_batch_tests.rs"]
mod hostile;

// ---------------------------------------------------------------- village meetings

/// A phone's meetings as it keeps them to send (`MusdesUpload`'s JSON).
fn meetings_json() -> String {
    use crate::aid::meeting_book::{MeetingDecision, MusdesUpload, VillageMeeting};
    use crate::aid::musdes::Meeting;
    let upload = MusdesUpload {
        meetings: vec![VillageMeeting {
            kode_desa: "35.13.14.2001".to_owned(),
            meeting: Meeting {
                period: "Musdesus Desember 2026".to_owned(),
                number: "01/BA/XII/2026".to_owned(),
                held_on: "2026-12-05".to_owned(),
                place: "Balai desa".to_owned(),
                chair: "Kepala Desa".to_owned(),
            },
            decisions: vec![MeetingDecision {
                record_id: RecordId::from_random_bytes([1; 16]).to_string(),
                revision: 1,
                decision: "disetujui".to_owned(),
                note: "".to_owned(),
                hub_at: 0,
            }],
        }],
    };
    serde_json::to_string(&upload).unwrap()
}

#[test]
fn a_batch_carries_the_phones_meetings_with_its_households_or_alone() {
    let json = meetings_json();
    let mut builder = BatchBuilder::new(&DEFAULT_FORM, meta(Profile::Lengkap));
    builder.add(final_family(1), &mut |_| None).unwrap();
    builder.add_meetings(json.clone());
    let with_households = builder.finish().unwrap();
    let read = read_batch(&with_households.bytes, &Limits::default(), &forms()).unwrap();
    assert_eq!(read.records.len(), 1);
    let meetings = read.meetings.expect("the meetings read back");
    assert_eq!(serde_json::to_string(&meetings).unwrap(), json);
    assert!(with_households
        .manifest
        .files
        .iter()
        .any(|f| f.path == "musdes.json"));

    // Meetings alone: a batch of its own, named as such, with no household.
    let mut alone = BatchBuilder::new(&DEFAULT_FORM, meta(Profile::Lengkap));
    assert!(alone.is_empty());
    alone.add_meetings(json.clone());
    assert!(!alone.is_empty());
    let alone = alone.finish().unwrap();
    assert_eq!(alone.manifest.record_count, 0);
    assert_eq!(alone.manifest.kode_desa, "musdes");
    assert!(
        alone.file_name.starts_with("verval-musdes-siti_aminah-"),
        "{}",
        alone.file_name
    );
    let read = read_batch(&alone.bytes, &Limits::default(), &forms()).unwrap();
    assert!(read.records.is_empty());
    assert_eq!(read.meetings.map(|m| m.meetings.len()), Some(1));

    // No household and no meeting: still nothing to read.
    let (mut manifest, mut files) = parts();
    files.insert("records.jsonl".to_owned(), Vec::new());
    manifest["records"] = Value::Array(Vec::new());
    manifest["record_count"] = 0.into();
    files.retain(|path, _| !path.starts_with("foto/"));
    relist(&mut manifest, &files);
    assert_eq!(refused(&pack(Some(&manifest), &files)), BatchError::Empty);
}

#[test]
fn meetings_that_do_not_read_are_refused_with_their_reason() {
    let too_many = {
        let one: Value = serde_json::from_str(&meetings_json()).unwrap();
        let meeting = one["meetings"][0].clone();
        serde_json::json!({ "meetings": vec![meeting; 51] }).to_string()
    };
    let cases = [
        ("not json", "expected"),
        (r#"{"meetings": []}"#, "holds no meeting"),
        (r#"{"meetings": [], "stranger": 1}"#, "unknown field"),
        (too_many.as_str(), "51 meetings, at most 50"),
    ];
    for (content, reason) in cases {
        let (mut manifest, mut files) = parts();
        files.insert("musdes.json".to_owned(), content.as_bytes().to_vec());
        relist(&mut manifest, &files);
        match refused(&pack(Some(&manifest), &files)) {
            BatchError::BadMeetings(why) => assert!(why.contains(reason), "{content}: {why}"),
            other => panic!("{content}: {other:?}"),
        }
    }
    // Unlisted in the manifest, it is a stranger like any other file.
    let (manifest, mut files) = parts();
    files.insert("musdes.json".to_owned(), meetings_json().into_bytes());
    assert_eq!(
        refused(&pack(Some(&manifest), &files)),
        BatchError::UnlistedFile("musdes.json".to_owned())
    );
}

// ---------------------------------------------------------------- forms as data (issue #25)

/// A finalized record of a district's form: its own id and version, answers by field name.
fn form_record(seed: u8, version: &str) -> HouseholdRecord {
    let mut r = HouseholdRecord::new(
        RecordId::from_random_bytes([seed; 16]),
        Timestamp(1_795_700_000_000),
    );
    r.form_id = "cek_lapangan".to_owned();
    r.form_version = version.to_owned();
    r.set_answer("kode_desa", "3513142001", Timestamp(1_795_700_000_001));
    r.set_answer("kondisi_rumah", "layak", Timestamp(1_795_700_000_002));
    r.finalize(Timestamp(1_795_700_000_003));
    r
}

#[test]
fn records_of_two_versions_of_a_form_travel_with_households_and_read_where_both_are_known() {
    let records = vec![final_family(1), form_record(2, "1"), form_record(3, "2")];
    let batch = build(records.clone(), Profile::Lengkap);
    // The household tables hold the household only; the others travel in records.jsonl.
    let read = read_batch(&batch.bytes, &Limits::default(), &{
        let mut known = forms();
        known.add("cek_lapangan", "1");
        known.add("cek_lapangan", "2");
        known
    })
    .expect("both versions known");
    assert_eq!(read.records, records, "lossless, every version");
    let families = String::from_utf8(read.files["keluarga.csv"].clone()).unwrap();
    assert_eq!(
        families.lines().count(),
        2,
        "a header and one household: {families}"
    );
    for form_record in &records[1..] {
        assert!(!families.contains(&form_record.id.to_string()), "{families}");
    }
    assert!(families.contains(&records[0].id.to_string()));

    // A reader that knows only the newer version refuses the batch, naming form and version.
    let mut newer_only = forms();
    newer_only.add("cek_lapangan", "2");
    match read_batch(&batch.bytes, &Limits::default(), &newer_only) {
        Err(BatchError::UnknownFormVersion { form, version, .. }) => {
            assert_eq!((form.as_str(), version.as_str()), ("cek_lapangan", "1"))
        }
        other => panic!("expected an unknown form version, got {other:?}"),
    }
}
