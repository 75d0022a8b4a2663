//! A household's photos and drawings as the enumerator took them, for the reviewer: read
//! from the stored batch that carried the household's current version (`foto/<id>_<field>`,
//! as [`photo_path`] names it). Nothing is copied out of the batch; a batch whose bytes were
//! let go after `--keep-batches-days` has no photos to show, and says so.

use crate::db::Db;
use crate::heavy;
use crate::staff::Scope;
use std::io::Read;
use verval_core::export::tables::photo_path;
use verval_core::form::default::{DEFAULT_FORM, IDENTITY_PHOTOS};
use verval_core::form::{Kind, Question};

/// The largest photo the hub reads out of a batch (the app stores them far smaller).
const MAX_PHOTO_BYTES: u64 = 16 << 20;

pub struct Photo {
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum PhotoError {
    #[error("Foto tidak ada (no such photo).")]
    NotThere,
    #[error("Berkas batch sudah dihapus sesuai masa simpan; fotonya tidak tersimpan lagi (the batch's bytes were let go; its photos are gone).")]
    Pruned,
    #[error("Hub sedang sibuk; coba lagi sebentar (the hub is busy; try again shortly).")]
    Busy,
    #[error("Foto di batch tidak terbaca (the photo in the batch cannot be read): {0}")]
    Unreadable(String),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Whether `question` is a photo or drawing its reader may see: a photo of an identity
/// document (KK, KTP) only by those who may see identity numbers.
pub fn shown(question: &Question, see_identity: bool) -> bool {
    matches!(question.kind, Kind::Photo | Kind::Drawing)
        && (see_identity || !IDENTITY_PHOTOS.contains(&question.id))
}

/// Every photo and drawing question of the family (not of a repeat's rows: a batch keeps
/// one photo per question and household) that its reader may see.
pub fn questions(see_identity: bool) -> impl Iterator<Item = &'static Question> {
    DEFAULT_FORM
        .questions()
        .filter(|(repeat, _)| repeat.is_none())
        .map(|(_, q)| q)
        .filter(move |q| shown(q, see_identity))
}

/// The photo or drawing `question` of the household `id`'s current version, if the
/// household is within `scope`.
pub async fn current_photo(
    db: &Db,
    id: &str,
    scope: &Scope,
    question: &'static Question,
) -> Result<Photo, PhotoError> {
    if !matches!(question.kind, Kind::Photo | Kind::Drawing) {
        return Err(PhotoError::NotThere);
    }
    let (in_scope, binds) = scope.condition("c.kode_desa", 2);
    // The current version may have come in more than one batch (sent again): any one whose
    // bytes are still kept will do.
    let sql = format!(
        "SELECT b.bytes FROM records c \
         JOIN record_versions v ON v.record_id = c.record_id AND v.revision = c.revision AND v.sha256 = c.sha256 \
         JOIN batches b ON b.batch_id = v.batch_id \
         WHERE c.record_id = $1 AND {in_scope} ORDER BY LENGTH(b.bytes) DESC LIMIT 1"
    );
    let mut query = sqlx::query_scalar::<_, Vec<u8>>(&sql).bind(id);
    for value in binds {
        query = query.bind(value);
    }
    let batch = query
        .fetch_optional(&db.pool)
        .await?
        .ok_or(PhotoError::NotThere)?;
    if batch.is_empty() {
        return Err(PhotoError::Pruned);
    }
    let path = photo_path(id, question);
    let content_type = if matches!(question.kind, Kind::Drawing) {
        "image/png"
    } else {
        "image/jpeg"
    };
    // Unzipping is CPU work on a file from outside: off the async workers.
    let bytes = heavy::run(move || read_entry(&batch, &path))
        .await
        .map_err(|_| PhotoError::Busy)??;
    Ok(Photo { content_type, bytes })
}

fn read_entry(batch: &[u8], path: &str) -> Result<Vec<u8>, PhotoError> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(batch))
        .map_err(|e| PhotoError::Unreadable(e.to_string()))?;
    let entry = match zip.by_name(path) {
        Ok(entry) => entry,
        Err(zip::result::ZipError::FileNotFound) => return Err(PhotoError::NotThere),
        Err(e) => return Err(PhotoError::Unreadable(e.to_string())),
    };
    if entry.size() > MAX_PHOTO_BYTES {
        return Err(PhotoError::Unreadable(format!("{} bytes", entry.size())));
    }
    let mut bytes = Vec::new();
    entry
        .take(MAX_PHOTO_BYTES)
        .read_to_end(&mut bytes)
        .map_err(|e| PhotoError::Unreadable(e.to_string()))?;
    Ok(bytes)
}
