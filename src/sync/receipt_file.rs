//! A receipt file from a file handover: district staff uploaded the batch on the hub's
//! page and gave the enumerator the receipt it answered with. Importing it marks the
//! batch's households "Diterima kabupaten", after checking it is really for a batch made
//! here, of exactly this file.

use crate::device::now;
use crate::storage::IdbStore;
use verval_core::export::canonical::sha256_hex;
use verval_core::sync::parse_receipt;
use verval_core::text::Message;

/// Imports a receipt file's bytes; returns how many households it marked.
pub async fn import_receipt(store: &IdbStore, bytes: &[u8]) -> Result<usize, Message> {
    let receipt = parse_receipt(bytes).map_err(|e| {
        Message::new(
            format!("Berkas ini bukan tanda terima Verval: {e}"),
            format!("This file is not a Verval receipt: {e}"),
        )
    })?;
    let sent = store
        .batch_records(&receipt.batch_id)
        .await
        .map_err(|e| e.message())?;
    // A batch of village meetings alone sent no household: it is known by its id.
    let made_here = !sent.is_empty()
        || store
            .batches()
            .await
            .map_err(|e| e.message())?
            .iter()
            .any(|b| b.batch_id == receipt.batch_id);
    if !made_here {
        return Err(Message::new(
            format!(
                "Tanda terima untuk batch {} yang tidak dibuat di perangkat ini.",
                receipt.file_name
            ),
            format!(
                "A receipt for batch {}, which was not made on this device.",
                receipt.file_name
            ),
        ));
    }
    if let Some(blob) = store
        .batch_file(&receipt.batch_id)
        .await
        .map_err(|e| e.message())?
    {
        let bytes = crate::blob::blob_bytes(&blob).await.map_err(|e| {
            Message::new(
                format!("Berkas batch tidak terbaca: {e:?}"),
                format!("The batch file cannot be read: {e:?}"),
            )
        })?;
        let ours = sha256_hex(&bytes);
        if ours != receipt.batch_sha256 {
            return Err(Message::new(
                "Tanda terima ini untuk berkas lain dengan nomor batch yang sama. Tidak ada yang ditandai."
                    .to_owned(),
                "This receipt is for another file with the same batch id. Nothing was marked.".to_owned(),
            ));
        }
    }
    let sent_refs: Vec<(&str, u32)> = sent.iter().map(|(id, r)| (id.as_str(), *r)).collect();
    receipt
        .acknowledges_records(&receipt.batch_id, &sent_refs)
        .map_err(|e| {
            Message::new(
                format!("Tanda terima tidak lengkap: {e}. Tidak ada yang ditandai."),
                format!("The receipt is incomplete: {e}. Nothing was marked."),
            )
        })?;
    store
        .store_receipt(&receipt, "file", now())
        .await
        .map_err(|e| e.message())
}
