//! A district form's records as files for people (issue #25): the district forms page makes
//! the tables (it carries the form's engine, which decides what was asked) and this worker
//! writes them — one CSV per table and a workbook, in a zip — as the hub's download of the
//! form does. For a phone with no hub; the records themselves still leave in batches.
//!
//! A phone that seals its data to the district's keys makes no plain file of it: the
//! district makes the tables at the hub from what the phone sends.

use crate::storage::IdbStore;
use verval_core::export::people;
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
    let names = super::make::region_names(&region_codes(&tables)).await;
    people::csv_zip(&tables, &names).map_err(|e| {
        Message::new(
            format!("Tabel formulir {form_id} tidak bisa ditulis: {e}"),
            format!("Form {form_id}'s tables cannot be written: {e}"),
        )
    })
}
