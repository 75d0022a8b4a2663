//! Records of the district's own forms (issue #25): which version of each is current, and
//! reading them back for the form's export. Their versions are stored with the households'
//! (`record_versions`, by the ingest); households' pages never read this table, nor do this
//! module's readers see households.

use crate::db::Db;
use crate::ingest::{IngestError, Shown, Standing};
use crate::staff::Scope;
use sqlx::{Any, Row, Transaction};
use verval_core::sync::Outcome;
use verval_core::HouseholdRecord;

/// Makes a stored version of a form's record current when it is the newest revision. Two
/// versions under one revision, or versions from two phones, are both kept and the record
/// marked as a conflict, as households are.
pub(crate) async fn store_current(
    tx: &mut Transaction<'static, Any>,
    record: &HouseholdRecord,
    sha256: &str,
    shown: &Shown,
    now: i64,
) -> Result<Outcome, IngestError> {
    let id = record.id.to_string();
    let revision = i64::from(record.revision);
    let kode_desa = record.answers.get("kode_desa");
    let current =
        sqlx::query("SELECT revision, conflict, kode_desa, form_id FROM form_records WHERE record_id = $1")
            .bind(&id)
            .fetch_optional(&mut **tx)
            .await?;
    let Some(current) = current else {
        sqlx::query(
            "INSERT INTO form_records (record_id, form_id, form_version, revision, sha256, kode_desa, \
             enumerator_id, enumerator, origin, conflict, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0, $10)",
        )
        .bind(&id)
        .bind(&record.form_id)
        .bind(&record.form_version)
        .bind(revision)
        .bind(sha256)
        .bind(kode_desa)
        .bind(&shown.enumerator_id)
        .bind(&shown.enumerator)
        .bind(&shown.origin)
        .bind(now)
        .execute(&mut **tx)
        .await?;
        return Ok(Outcome::Stored);
    };
    let stored_form: String = current.try_get(3)?;
    if stored_form != record.form_id {
        return Err(IngestError::OtherForm { record_id: id });
    }
    let stored_village: String = current.try_get(2)?;
    if stored_village != kode_desa {
        return Err(IngestError::MovedVillage {
            record_id: id,
            stored: stored_village,
            sent: kode_desa.to_owned(),
        });
    }
    let standing = Standing::of(tx, &id, &shown.origin, revision, &current).await?;
    if standing.newer {
        sqlx::query(
            "UPDATE form_records SET form_version = $1, revision = $2, sha256 = $3, enumerator_id = $4, \
             enumerator = $5, origin = $6, conflict = $7, updated_at = $8 WHERE record_id = $9",
        )
        .bind(&record.form_version)
        .bind(revision)
        .bind(sha256)
        .bind(&shown.enumerator_id)
        .bind(&shown.enumerator)
        .bind(&shown.origin)
        .bind(i64::from(standing.conflict))
        .bind(now)
        .bind(&id)
        .execute(&mut **tx)
        .await?;
    } else if standing.conflict {
        sqlx::query("UPDATE form_records SET conflict = 1, updated_at = $1 WHERE record_id = $2")
            .bind(now)
            .bind(&id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(standing.outcome())
}

/// The current version of every record of a form (all its versions) that `scope` lets its
/// reader see, by village and record id.
pub async fn current(
    db: &Db,
    form_id: &str,
    scope: &Scope,
) -> Result<Vec<HouseholdRecord>, FormRecordsError> {
    use crate::households::BindAll;
    let (within, binds) = scope.condition_within(None, "f.kode_desa", 2);
    let sql = format!(
        "SELECT f.record_id, v.body FROM form_records f JOIN record_versions v \
           ON v.record_id = f.record_id AND v.revision = f.revision AND v.sha256 = f.sha256 \
         WHERE f.form_id = $1 AND {within} ORDER BY f.kode_desa, f.record_id"
    );
    let rows = sqlx::query_as::<_, (String, String)>(&sql)
        .bind(form_id)
        .bind_all(&binds)
        .fetch_all(&db.pool)
        .await?;
    rows.into_iter()
        .map(|(id, body)| {
            serde_json::from_str(&body).map_err(|e| FormRecordsError::Unreadable {
                id,
                reason: e.to_string(),
            })
        })
        .collect()
}

/// How many records each form has at the hub, for the forms page.
pub async fn counts(db: &Db) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT form_id, COUNT(*) FROM form_records GROUP BY form_id ORDER BY form_id")
        .fetch_all(&db.pool)
        .await
}

#[derive(Debug, thiserror::Error)]
pub enum FormRecordsError {
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error("rekaman {id} tersimpan rusak (stored record unreadable): {reason}")]
    Unreadable { id: String, reason: String },
}
