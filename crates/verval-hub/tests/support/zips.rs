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

/// The batch with one file's text changed, everything else (the manifest too) as it was.
pub fn rewrite(zip_bytes: &[u8], path: &str, change: impl Fn(&str) -> String) -> Vec<u8> {
    use std::io::{Cursor, Read, Write};
    let mut archive = zip::ZipArchive::new(Cursor::new(zip_bytes)).expect("zip");
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).expect("entry");
        let name = file.name().expect("entry name").to_string();
        let mut data = Vec::new();
        file.read_to_end(&mut data).expect("read");
        if name == path {
            let text = String::from_utf8(data).expect("text");
            let changed = change(&text);
            assert_ne!(changed, text, "the change must change something");
            data = changed.into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("start");
        out.write_all(&data).expect("write");
    }
    out.finish().expect("finish").into_inner()
}
