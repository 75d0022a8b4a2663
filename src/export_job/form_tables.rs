//! A district form's records as files for people (issue #25): the district forms page makes
//! the tables (it carries the form's engine, which decides what was asked) and this worker
//! writes them — one CSV per table and a workbook, in a zip — as the hub's download of the
//! form does. For a phone with no hub; the records themselves still leave in batches.
//!
//! The photos the tables name go in the zip at those paths (`foto/<id>_<key>.jpg`, as in
//! the form's batches and the hub's zip), one read from the phone at a time; one the phone
//! no longer has is named in `foto-tidak-ada.csv`.
//!
//! A phone that seals its data to the district's keys makes no plain file of it: the
//! district makes the tables at the hub from what the phone sends.

use crate::blob::blob_bytes;
use crate::storage::IdbStore;
use verval_core::dataform::{self, export::photos_named};
use verval_core::export::people::{MissingPhoto, TablesZip};
use verval_core::export::region_names::region_codes;
use verval_core::export::Table;
use verval_core::text::Message;

pub async fn write(store: &IdbStore, form_id: &str, tables: Vec<Table>) -> Result<Vec<u8>, Message> {
    if store.phone_seals().await.map_err(|e| e.message())? {
        return Err(Message::new(
            format!(
                "HP ini menyegel data untuk kunci dinas, jadi tabel formulir {form_id} tidak dibuat sebagai berkas terbuka. Kirim datanya (sinkron atau berkas batch); dinas membuat tabelnya di hub."
            ),
            format!(
                "This phone seals its data to the district's keys, so form {form_id}'s tables are not written as an open file. Send the records (sync or a batch file); the district makes the tables at the hub."
            ),
        ));
    }
    let written = |e: String| {
        Message::new(
            format!("Tabel formulir {form_id} tidak bisa ditulis: {e}"),
            format!("Form {form_id}'s tables cannot be written: {e}"),
        )
    };
    let mut zip = TablesZip::new();
    let mut missing = Vec::new();
    for (record_id, paths) in photos_named(&tables) {
        for path in paths {
            // The path names the key (the record itself may have been corrected since the
            // tables were made: what they name is what goes in the zip).
            let stored = match dataform::photo_key_of_path(&record_id, &path) {
                Some(key) => store.photo(&key).await.map_err(|e| e.message())?,
                None => None,
            };
            match stored {
                Some(blob) => {
                    let bytes = blob_bytes(&blob)
                        .await
                        .map_err(|e| written(format!("{path}: {e:?}")))?;
                    zip.add_photo(&path, &bytes).map_err(|e| written(e.to_string()))?;
                }
                None => missing.push(MissingPhoto {
                    record_id: record_id.clone(),
                    reason: format!("{path} tidak ada di HP ini (not on this phone)"),
                }),
            }
        }
    }
    let names = super::make::region_names(&region_codes(&tables)).await;
    zip.finish(&tables, &names, &missing)
        .map_err(|e| written(e.to_string()))
}
