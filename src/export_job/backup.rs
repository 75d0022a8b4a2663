//! The phone's backup in the export worker (issue #23): made from the whole store and
//! sealed to the district's confirmed keys, kept for the page to hand over; and restored
//! from the district's answer, opened with the phone's one-time key. Both read or write
//! every household, so they run here, off the page's thread.

use crate::deliver::zip_blob;
use crate::device::{fill_random, new_record_id, now};
use crate::storage::{BackupInfo, IdbStore};
use serde::Serialize;
use verval_core::record::RecordStatus;
use verval_core::seal::entropy_len;
use verval_core::text::Message;
use verval_core::vault::backup::{open_content, seal_content, PhoneBackup, RestorePlan};

fn cannot(detail: impl std::fmt::Display) -> Message {
    Message::new(
        format!("Cadangan tidak dapat dibuat: {detail}. Tidak ada data yang berubah."),
        format!("The backup could not be made: {detail}. Nothing was changed."),
    )
}

/// Makes the backup, seals it to the district's keys and keeps it.
pub async fn make(store: &IdbStore) -> Result<BackupInfo, Message> {
    let Some(recipients) = store
        .key_pin()
        .await
        .map_err(|e| e.message())?
        .seal_to()
        .map_err(cannot)?
    else {
        return Err(Message::new(
            "Cadangan perlu kunci dinas: daftarkan HP ini ke hub kabupaten atau impor kuncinya dulu. Tidak ada data yang berubah.".to_owned(),
            "A backup needs the district's keys: enrol this phone with the district's hub or import its keys first. Nothing was changed.".to_owned(),
        ));
    };
    let device = store
        .device_id(new_record_id().map_err(cannot)?)
        .await
        .map_err(|e| e.message())?;
    let backup = store
        .phone_backup(&device, now())
        .await
        .map_err(|e| e.message())?;
    let mut entropy = vec![0u8; entropy_len(recipients.len())];
    fill_random(&mut entropy).map_err(cannot)?;
    backup.check().map_err(cannot)?;
    // Written by the browser's JSON.stringify: the worker then carries serde's writer for
    // JavaScript values only (which it has for the records), not serde_json's too.
    let value = backup
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(cannot)?;
    let content = js_sys::JSON::stringify(&value)
        .ok()
        .and_then(|t| t.as_string())
        .ok_or_else(|| cannot("JSON"))?;
    let sealed = seal_content(content.as_bytes(), &recipients, &entropy).map_err(cannot)?;
    let info = BackupInfo {
        file_name: backup.file_name(),
        made_at: backup.made_at,
        households: backup.households.len() as u32,
        drafts: backup
            .households
            .iter()
            .filter(|h| h.status != RecordStatus::Final)
            .count() as u32,
        photos: backup.photos.len() as u32,
    };
    let file = zip_blob(&sealed).map_err(cannot)?;
    store
        .keep_phone_backup(&info, &file)
        .await
        .map_err(|e| e.message())?;
    Ok(info)
}

/// Restores the district's answer the page kept, then lets the answer and the one-time key
/// go.
pub async fn restore(store: &IdbStore) -> Result<RestorePlan, Message> {
    let refused = |detail: String| {
        Message::new(
            format!("Cadangan tidak dapat dipulihkan: {detail}. Data di HP ini tidak berubah."),
            format!("The backup cannot be restored: {detail}. Nothing on this phone changed."),
        )
    };
    let Some(identity) = store.waiting_restore_identity().await.map_err(|e| e.message())? else {
        return Err(refused(
            "HP ini belum menyiapkan kunci pemulihan (this phone has no restore key waiting)".to_owned(),
        ));
    };
    let Some(file) = store.restore_file().await.map_err(|e| e.message())? else {
        return Err(refused(
            "belum ada berkas jawaban dinas (no answer from the district chosen)".to_owned(),
        ));
    };
    let bytes = crate::blob::blob_bytes(&file)
        .await
        .map_err(|e| refused(format!("{e:?}")))?;
    let content =
        open_content(&bytes, std::slice::from_ref(&identity)).map_err(|e| refused(e.to_string()))?;
    // Read by the browser's JSON.parse (see `make`), then checked as the core reads it.
    let text = std::str::from_utf8(&content).map_err(|_| refused("not text".to_owned()))?;
    let value = js_sys::JSON::parse(text).map_err(|_| refused("not JSON".to_owned()))?;
    let backup: PhoneBackup = serde_wasm_bindgen::from_value(value).map_err(|e| refused(e.to_string()))?;
    backup.check().map_err(|e| refused(e.to_string()))?;
    let restored = store.restore_backup(&backup).await.map_err(|e| e.message())?;
    store.finish_restore().await.map_err(|e| e.message())?;
    Ok(restored)
}

/// Makes the one-time key a restore waits with (or keeps the one already waiting); its
/// public half goes to the district.
pub async fn prepare_restore(store: &IdbStore) -> Result<String, Message> {
    let mut fresh = [0u8; 32];
    fill_random(&mut fresh).map_err(|e| {
        Message::new(
            format!("Kunci pemulihan tidak dapat dibuat: {e}"),
            format!("The restore key cannot be made: {e}"),
        )
    })?;
    let identity = store.restore_identity(fresh).await.map_err(|e| e.message())?;
    Ok(identity.recipient().encode())
}
