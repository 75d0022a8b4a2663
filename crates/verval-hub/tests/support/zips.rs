//! Zips made to hurt a batch reader (issue #17), for the hub's tests.

use std::io::Write;

/// Photo names the batch format accepts, so that nothing but the hostile part refuses them.
fn photo(i: usize) -> String {
    let owner = verval_core::RecordId::from_random_bytes([9; 16]);
    format!("foto/{owner}_f{i}.jpg")
}

/// A zip of `count` stored, empty entries (row 2: the reader's name check was quadratic).
pub fn many_entries(count: usize) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for i in 0..count {
        zip.start_file(photo(i), stored).expect("entry");
    }
    zip.finish().expect("zip").into_inner()
}

/// A zip of `count` entries of exactly 1 MiB of zeros (row 3: entries of 1 MiB skipped the
/// ratio check).
pub fn inflating(count: usize) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let deflated =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let zeros = vec![0u8; 1 << 20];
    for i in 0..count {
        zip.start_file(photo(i), deflated).expect("entry");
        zip.write_all(&zeros).expect("zeros");
    }
    zip.finish().expect("zip").into_inner()
}
