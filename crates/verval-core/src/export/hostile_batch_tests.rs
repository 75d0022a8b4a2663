//! Batches made to hurt the reader (issue #17): too many entries, entries that inflate far
//! beyond their size, oversized manifests and lists, record lines the reader would have
//! changed quietly. Each is refused with its own message, before the harm.

use super::*;

/// A zip of `count` stored, empty entries named as photos of one record: valid names, so
/// that every entry passes the name check and reaches the twin check.
fn photo_entries(count: usize) -> Vec<u8> {
    let id = RecordId::from_random_bytes([7; 16]);
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    for i in 0..count {
        zip.start_file(format!("foto/{id}_f{i}.jpg"), stored).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn a_zip_of_a_hundred_thousand_entries_is_refused_by_its_count() {
    // Row 2: 100,000 entries took 25 s of CPU in a quadratic twin check.
    let bytes = photo_entries(100_000);
    assert!(matches!(
        refused_with(&bytes, &Limits::for_file(32 << 20)),
        BatchError::TooManyFiles(100_000)
    ));
}

#[test]
fn the_most_entries_a_batch_may_hold_are_all_checked() {
    // Every header is read and its name checked against the others; then the missing
    // manifest is what is wrong.
    let limits = Limits::for_file(32 << 20);
    let bytes = photo_entries(limits.max_entries);
    assert!(matches!(
        refused_with(&bytes, &limits),
        BatchError::MissingManifest
    ));
}

/// A batch whose files include `count` photos of `size` zero bytes each, deflated.
fn zeros_as_photos(count: usize, size: usize) -> Vec<u8> {
    let (_, files) = parts();
    let id = RecordId::from_random_bytes([9; 16]);
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let deflated = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    let zeros = vec![0u8; size];
    for i in 0..count {
        zip.start_file(format!("foto/{id}_f{i}.jpg"), deflated).unwrap();
        zip.write_all(&zeros).unwrap();
    }
    for (name, content) in &files {
        zip.start_file(name.as_str(), deflated).unwrap();
        zip.write_all(content).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn entries_of_one_mebibyte_are_checked_for_their_ratio_too() {
    // Row 3: entries of exactly 1 MiB skipped the ratio check; 1.1 MB inflated to 1 GiB.
    let bytes = zeros_as_photos(4, 1 << 20);
    let e = refused_with(&bytes, &Limits::for_file(32 << 20));
    assert!(
        matches!(&e, BatchError::ExpansionTooHigh { ratio, .. } if *ratio > 250),
        "{e}"
    );
}

#[test]
fn what_a_batch_may_inflate_to_follows_from_its_file_limit() {
    let limits = Limits::for_file(1 << 20);
    assert_eq!(limits.max_total_bytes, 8 << 20);
    assert!(limits.max_entry_bytes <= limits.max_total_bytes);
    // Entries small enough to compress as they like, but together beyond eight times the
    // file limit.
    let bytes = zeros_as_photos(150, 60 << 10);
    assert!((bytes.len() as u64) < limits.max_file_bytes, "{}", bytes.len());
    let e = refused_with(&bytes, &limits);
    assert!(
        matches!(e, BatchError::TotalTooLarge(total) if total > 4 << 20),
        "{e}"
    );
    // The same files under the default limits get past the sizes (and fail later: there
    // is no manifest).
    assert!(matches!(refused(&bytes), BatchError::MissingManifest));
}

#[test]
fn an_oversized_manifest_is_refused_before_it_is_parsed() {
    let limits = Limits {
        max_manifest_bytes: 100,
        ..Limits::for_file(32 << 20)
    };
    let e = refused_with(&good().bytes, &limits);
    assert!(
        matches!(&e, BatchError::DeclaredTooLarge { file, .. } if file == "manifest.json"),
        "{e}"
    );
}

#[test]
fn a_manifest_list_beyond_what_a_batch_holds_is_refused() {
    // Row 12: 420,000 missing photos were accepted.
    let (mut manifest, files) = parts();
    let id = manifest["records"][0]["id"].clone();
    let missing: Vec<Value> = (0..20_001)
        .map(|i| serde_json::json!({"record_id": id, "field": format!("foto_{i}")}))
        .collect();
    manifest["missing_photos"] = Value::Array(missing);
    let e = refused(&pack(Some(&manifest), &files));
    assert!(
        matches!(
            e,
            BatchError::ManifestListTooLong {
                list: "missing_photos",
                count: 20_001,
                limit: 20_000
            }
        ),
        "{e}"
    );
    assert!(e.to_string().contains("missing_photos"));
}

#[test]
fn a_record_line_that_is_not_canonical_is_refused_with_its_line() {
    // Row 12: unknown keys were dropped without a word.
    for change in [
        |line: &str| line.replacen('{', "{\"asal\":\"lain\",", 1),
        |line: &str| line.replacen("\":", "\": ", 1),
    ] {
        let (mut manifest, mut files) = parts();
        let mut lines = jsonl_lines(&files);
        assert!(lines.len() >= 2);
        lines[1] = change(&lines[1]);
        set_jsonl(&mut files, &lines);
        relist(&mut manifest, &files);
        let e = refused(&pack(Some(&manifest), &files));
        assert!(
            matches!(&e, BatchError::BadRecord { line: 2, reason } if reason.contains("canonical")),
            "{e}"
        );
    }
}
