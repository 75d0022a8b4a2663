//! The district's own forms (issue #25): an XLSForm read and checked (`verval_core::xlsform`)
//! off the async workers, stored as its definition under its form id and version, audited.
//! A version once imported never changes: the same file again changes nothing, another
//! content under the same version is refused (a changed form is a new version). The page
//! and the command line both import through here.

use crate::audit::{self, Action, Actor, Event};
use crate::db::{now_ms, Db, DbError};
use sqlx::Row;
use verval_core::form::KnownForms;
use verval_core::xlsform::{from_xlsx, FormDef, Problem};

#[derive(Debug, thiserror::Error)]
pub enum FormError {
    #[error("formulir tidak dapat diimpor: {} masalah (the form cannot be imported: {} problems)", .0.len(), .0.len())]
    Problems(Vec<Problem>),
    #[error("formulir {form_id} versi {version} sudah diimpor dengan isi lain: naikkan version di lembar settings (form {form_id} version {version} was imported with other content: raise the version on the settings sheet)")]
    VersionTaken { form_id: String, version: String },
    #[error("server sedang sibuk; coba lagi sebentar lagi (the hub is busy; try again shortly)")]
    Busy,
    #[error("definisi formulir tidak dapat ditulis (the form's definition cannot be written): {0}")]
    Encode(String),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<sqlx::Error> for FormError {
    fn from(e: sqlx::Error) -> FormError {
        FormError::Db(DbError::Query(e))
    }
}

/// A form imported, or found imported already.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Imported {
    pub form_id: String,
    pub version: String,
    pub fields: usize,
    /// False: this very definition was imported before; nothing changed.
    pub new: bool,
}

/// A stored form, as the list shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredForm {
    pub form_id: String,
    pub version: String,
    pub title: String,
    pub imported_at: i64,
    pub imported_by: String,
}

/// Reads, checks and stores an XLSForm file.
pub async fn import(db: &Db, bytes: Vec<u8>, by: &Actor) -> Result<Imported, FormError> {
    let form: FormDef = crate::heavy::run(move || from_xlsx(&bytes))
        .await
        .map_err(|_| FormError::Busy)?
        .map_err(FormError::Problems)?;
    let definition = serde_json::to_string(&form).map_err(|e| FormError::Encode(e.to_string()))?;
    let imported = Imported {
        form_id: form.id.clone(),
        version: form.version.clone(),
        fields: form.field_count(),
        new: true,
    };
    let title = form.title.id.clone();
    db.write(|| async {
        let mut tx = db.pool.begin().await?;
        let stored: Option<String> =
            sqlx::query_scalar("SELECT definition FROM forms WHERE form_id = $1 AND version = $2")
                .bind(&form.id)
                .bind(&form.version)
                .fetch_optional(&mut *tx)
                .await?;
        match stored {
            Some(same) if same == definition => {
                return Ok(Imported {
                    new: false,
                    ..imported.clone()
                })
            }
            Some(_) => {
                return Err(FormError::VersionTaken {
                    form_id: form.id.clone(),
                    version: form.version.clone(),
                })
            }
            None => {}
        }
        sqlx::query(
            "INSERT INTO forms (form_id, version, title, definition, imported_at, imported_by) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&form.id)
        .bind(&form.version)
        .bind(&title)
        .bind(&definition)
        .bind(now_ms())
        .bind(&by.name)
        .execute(&mut *tx)
        .await?;
        let event = Event::new(
            Action::FormImport,
            serde_json::json!({
                "formulir": form.id,
                "versi": form.version,
                "isian": imported.fields,
            }),
        );
        audit::record_in(&mut tx, by, &event).await?;
        tx.commit().await?;
        Ok(imported.clone())
    })
    .await
}

impl crate::db::Retry for FormError {
    fn worth_retrying(&self) -> bool {
        matches!(self, FormError::Db(e) if e.worth_retrying())
    }
}

/// Every form imported, newest first.
pub async fn list(db: &Db) -> Result<Vec<StoredForm>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT form_id, version, title, imported_at, imported_by FROM forms \
         ORDER BY imported_at DESC, form_id, version",
    )
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(StoredForm {
                form_id: r.try_get(0)?,
                version: r.try_get(1)?,
                title: r.try_get(2)?,
                imported_at: r.try_get(3)?,
                imported_by: r.try_get(4)?,
            })
        })
        .collect()
}

/// The forms records may be of: every version of the household form this build knows and
/// every version of every form imported, so that no record of an older version is refused.
pub async fn known(db: &Db) -> Result<KnownForms, sqlx::Error> {
    let mut known = KnownForms::household();
    let rows = sqlx::query("SELECT form_id, version FROM forms")
        .fetch_all(&db.pool)
        .await?;
    for row in &rows {
        known.add(row.try_get(0)?, row.try_get(1)?);
    }
    Ok(known)
}

/// A version's definition, as stored (`verval-form/1` JSON).
pub async fn definition(db: &Db, form_id: &str, version: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT definition FROM forms WHERE form_id = $1 AND version = $2")
        .bind(form_id)
        .bind(version)
        .fetch_optional(&db.pool)
        .await
}
