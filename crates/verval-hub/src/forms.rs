//! The district's own forms (issue #25): an XLSForm read and checked (`verval_core::xlsform`)
//! off the async workers, stored as its definition under its form id and version, audited.
//! A version once imported never changes: the same file again changes nothing, another
//! content under the same version is refused (a changed form is a new version). The page
//! and the command line both import through here.

use crate::audit::{self, Action, Actor, Event};
use crate::db::{now_ms, Db, DbError};
use crate::staff::Scope;
use crate::time_zone::TimeZone;
use sqlx::Row;
use std::collections::BTreeMap;
use verval_core::dataform::{self, DataForm, Host};
use verval_core::export::Table;
use verval_core::form::KnownForms;
use verval_core::sync::api::PublishedForm;
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
    #[error("formulir tersimpan tidak terbaca (a stored form or record is unreadable): {0}")]
    Stored(String),
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
    /// When it was last published to phones; `None`: never.
    pub published_at: Option<i64>,
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
        "SELECT form_id, version, title, imported_at, imported_by, published_at FROM forms \
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
                published_at: r.try_get(5)?,
            })
        })
        .collect()
}

/// Publishes an imported version to phones: from now on each assignment carries it, in place
/// of the version of the form published before. Publishing it again changes nothing. `None`:
/// no such version.
pub async fn publish(db: &Db, form_id: &str, version: &str, by: &Actor) -> Result<Option<bool>, FormError> {
    db.write(|| async {
        let mut tx = db.pool.begin().await?;
        let found: Option<Option<i64>> =
            sqlx::query_scalar("SELECT published_at FROM forms WHERE form_id = $1 AND version = $2")
                .bind(form_id)
                .bind(version)
                .fetch_optional(&mut *tx)
                .await?;
        match found {
            None => return Ok(None),
            Some(Some(_)) if newest_published(&mut tx, form_id).await?.as_deref() == Some(version) => {
                return Ok(Some(false))
            }
            Some(_) => {}
        }
        sqlx::query(
            "UPDATE forms SET published_at = $1, published_by = $2 WHERE form_id = $3 AND version = $4",
        )
        .bind(now_ms())
        .bind(&by.name)
        .bind(form_id)
        .bind(version)
        .execute(&mut *tx)
        .await?;
        let event = Event::new(
            Action::FormPublish,
            serde_json::json!({ "formulir": form_id, "versi": version }),
        );
        audit::record_in(&mut tx, by, &event).await?;
        tx.commit().await?;
        Ok(Some(true))
    })
    .await
}

/// The version of a form phones get: the one published last.
async fn newest_published(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    form_id: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT version FROM forms WHERE form_id = $1 AND published_at IS NOT NULL \
         ORDER BY published_at DESC, version DESC LIMIT 1",
    )
    .bind(form_id)
    .fetch_optional(&mut **tx)
    .await
}

/// What every assignment carries: the version of each form published last.
pub async fn published(db: &Db) -> Result<Vec<PublishedForm>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT f.form_id, f.version, f.title, f.definition FROM forms f \
         WHERE f.published_at = (SELECT MAX(g.published_at) FROM forms g WHERE g.form_id = f.form_id) \
         ORDER BY f.form_id, f.version DESC",
    )
    .fetch_all(&db.pool)
    .await?;
    let mut out: Vec<PublishedForm> = Vec::new();
    for row in &rows {
        let id: String = row.try_get(0)?;
        // Two versions published in one millisecond: the first listed (highest version).
        if out.last().is_some_and(|f| f.id == id) {
            continue;
        }
        out.push(PublishedForm {
            id,
            version: row.try_get(1)?,
            title: row.try_get(2)?,
            definition: row.try_get(3)?,
        });
    }
    Ok(out)
}

/// Every version of a form, newest first (published last, then imported last), ready to
/// read records with; a stored definition that no longer reads is an error naming it.
pub async fn versions(db: &Db, form_id: &str) -> Result<Vec<DataForm>, FormError> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT version, definition FROM forms WHERE form_id = $1 \
         ORDER BY COALESCE(published_at, 0) DESC, imported_at DESC, version DESC",
    )
    .bind(form_id)
    .fetch_all(&db.pool)
    .await?;
    rows.into_iter()
        .map(|(version, definition)| {
            DataForm::from_json(&definition)
                .map_err(|e| FormError::Stored(format!("{form_id} {version}: {e}")))
        })
        .collect()
}

/// A form's records as tables (one per form and per repeat), every version together.
pub struct FormTables {
    pub tables: Vec<Table>,
    /// How many records they hold.
    pub count: usize,
    /// Each record's photos, by their paths in the batches (`dataform::photo_path`).
    pub photos: BTreeMap<String, Vec<String>>,
}

/// A form's records as [`FormTables`].
pub async fn record_tables(db: &Db, form_id: &str, zone: TimeZone) -> Result<FormTables, FormError> {
    let versions = versions(db, form_id).await?;
    if versions.is_empty() {
        return Ok(FormTables {
            tables: Vec::new(),
            count: 0,
            photos: BTreeMap::new(),
        });
    }
    let records = crate::form_records::current(db, form_id, &Scope::everywhere())
        .await
        .map_err(|e| FormError::Stored(e.to_string()))?;
    let host = HubHost::at(now_ms(), zone);
    let count = records.len();
    let tables = crate::heavy::run(move || {
        let refs: Vec<&verval_core::HouseholdRecord> = records.iter().collect();
        dataform::export::tables(&versions, &refs, &host)
    })
    .await
    .map_err(|_| FormError::Busy)?;
    let photos = verval_core::dataform::export::photos_named(&tables);
    Ok(FormTables {
        tables,
        count,
        photos,
    })
}

/// What a form's expressions read at the hub: its clock, the district's time zone, and
/// regular expressions by the regex crate.
pub struct HubHost {
    now_ms: i64,
    offset_minutes: i32,
}

impl HubHost {
    pub fn at(now_ms: i64, zone: TimeZone) -> HubHost {
        HubHost {
            now_ms,
            offset_minutes: zone.utc_offset_minutes(),
        }
    }
}

impl Host for HubHost {
    fn now_ms(&self) -> i64 {
        self.now_ms
    }
    fn utc_offset_minutes(&self) -> i32 {
        self.offset_minutes
    }
    fn regex(&self, text: &str, pattern: &str) -> Result<bool, String> {
        regex_match(text, pattern)
    }
}

/// `regex()` of a form's expression at the hub.
pub fn regex_match(text: &str, pattern: &str) -> Result<bool, String> {
    regex::Regex::new(pattern)
        .map(|r| r.is_match(text))
        .map_err(|e| format!("regex {pattern:?}: {e}"))
}

/// Records who exported a form's records, before the file leaves.
pub async fn audit_export(
    db: &Db,
    by: &Actor,
    form_id: &str,
    format: &str,
    records: usize,
) -> Result<(), DbError> {
    let event = Event::new(
        Action::FormExport,
        serde_json::json!({ "formulir": form_id, "format": format, "rekaman": records }),
    );
    audit::record(db, by, &event).await
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
