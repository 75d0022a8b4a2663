//! Prelists at the hub (issue #7): a district's list imported from its spreadsheet, merged
//! by prelist id on every re-import, and handed to each enumerator as the families of their
//! villages. Visits (records) live in their own tables and are never touched here.

use crate::audit::{self, Action, Actor, Event};
use crate::db::{now_ms, Db, DbError, Retry};
use crate::enrol::Enumerator;
use std::collections::{BTreeMap, BTreeSet};
use verval_core::prelist::columns::{detect, Target};
use verval_core::prelist::files::{read_csv, read_xlsx};
use verval_core::prelist::mapping::mapping_from_choices;
use verval_core::prelist::{read_prelist, Prelist, PrelistFamily, Problem, Sheet, P3KE_PRESET};
use verval_core::sync::api::Assignment;

#[derive(Debug, thiserror::Error)]
pub enum PrelistError {
    #[error("{0}")]
    File(String),
    #[error("tidak ada baris yang menamai kolom NIK atau nomor_KK; pilih kolomnya di bawah (no row names a NIK or nomor_KK column; choose the columns below)")]
    NoColumns,
    #[error("{0}")]
    Mapping(String),
    #[error("{} masalah; tidak ada yang diimpor (problems; nothing imported):\n{}", .0.len(), .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Problems(Vec<Problem>),
    #[error("keluarga {0} tanpa kode desa: desa tidak bisa ditugaskan (a family without a village code cannot be assigned)")]
    NoVillage(String),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<sqlx::Error> for PrelistError {
    fn from(e: sqlx::Error) -> PrelistError {
        PrelistError::Db(DbError::Query(e))
    }
}

/// A prelist file (XLSX, or CSV by its name) as a sheet.
pub fn read_sheet(name: &str, bytes: &[u8]) -> Result<Sheet, PrelistError> {
    if name.to_ascii_lowercase().ends_with(".csv") {
        read_csv(bytes)
    } else {
        read_xlsx(bytes)
    }
    .map_err(|e| PrelistError::File(e.to_string()))
}

/// Columns chosen on the district page's mapping form, for a list not laid out like the
/// template: the row of column names (1-based) and a column per target.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ColumnChoice {
    pub header_row: usize,
    pub columns: BTreeMap<Target, usize>,
}

/// Reads a sheet with the chosen columns, or with the P3KE preset when none were chosen.
pub fn read_mapped(sheet: &Sheet, choice: Option<&ColumnChoice>) -> Result<Prelist, PrelistError> {
    let mapping = match choice {
        Some(c) => mapping_from_choices(sheet, c.header_row, &c.columns)
            .map_err(|e| PrelistError::Mapping(e.to_string()))?,
        None => detect(sheet, &P3KE_PRESET).ok_or(PrelistError::NoColumns)?,
    };
    read_prelist(sheet, &mapping).map_err(PrelistError::Problems)
}

/// Reads a prelist file with the P3KE preset (the command line's way).
pub fn read_file(name: &str, bytes: &[u8]) -> Result<Prelist, PrelistError> {
    read_mapped(&read_sheet(name, bytes)?, None)
}

/// What an import changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Merged {
    pub added: usize,
    pub changed: usize,
    pub unchanged: usize,
    /// Families of the same villages that this list no longer names (kept, marked).
    pub no_longer_listed: usize,
}

/// Stores a prelist in one transaction: new families added, listed data of known ones
/// updated, families of its villages that it leaves out marked (never deleted).
/// Audited, in the same transaction, as done `by`.
pub async fn import(db: &Db, source: &str, prelist: &Prelist, by: &Actor) -> Result<Merged, PrelistError> {
    if let Some(f) = prelist.families.iter().find(|f| f.kode_desa.is_empty()) {
        return Err(PrelistError::NoVillage(f.prelist_id.clone()));
    }
    db.write(|| merge(db, source, prelist, by)).await
}

impl Retry for PrelistError {
    fn worth_retrying(&self) -> bool {
        matches!(self, PrelistError::Db(e) if e.worth_retrying())
    }
}

/// The import's one transaction (tried again whole when the database was busy).
async fn merge(db: &Db, source: &str, prelist: &Prelist, by: &Actor) -> Result<Merged, PrelistError> {
    let now = now_ms();
    let mut merged = Merged::default();
    let mut tx = db.pool.begin().await?;
    for family in &prelist.families {
        let body = serde_json::to_string(family).map_err(|e| PrelistError::File(e.to_string()))?;
        let known: Option<String> =
            sqlx::query_scalar("SELECT body FROM prelist_families WHERE prelist_id = $1")
                .bind(&family.prelist_id)
                .fetch_optional(&mut *tx)
                .await?;
        match known {
            None => {
                sqlx::query(
                    "INSERT INTO prelist_families (prelist_id, kode_desa, nomor_kk, body, source, \
                     imported_at, updated_at, in_latest) VALUES ($1, $2, $3, $4, $5, $6, $6, 1)",
                )
                .bind(&family.prelist_id)
                .bind(&family.kode_desa)
                .bind(family.nomor_kk.clone().unwrap_or_default())
                .bind(&body)
                .bind(source)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                merged.added += 1;
            }
            Some(old) => {
                let changed = old != body;
                sqlx::query(
                    "UPDATE prelist_families SET kode_desa = $1, nomor_kk = $2, body = $3, \
                     source = $4, in_latest = 1, \
                     updated_at = CASE WHEN $5 = 1 THEN $6 ELSE updated_at END \
                     WHERE prelist_id = $7",
                )
                .bind(&family.kode_desa)
                .bind(family.nomor_kk.clone().unwrap_or_default())
                .bind(&body)
                .bind(source)
                .bind(i64::from(changed))
                .bind(now)
                .bind(&family.prelist_id)
                .execute(&mut *tx)
                .await?;
                if changed {
                    merged.changed += 1;
                } else {
                    merged.unchanged += 1;
                }
            }
        }
    }
    let listed: BTreeSet<&str> = prelist.families.iter().map(|f| f.prelist_id.as_str()).collect();
    let villages: BTreeSet<&str> = prelist.families.iter().map(|f| f.kode_desa.as_str()).collect();
    for &village in &villages {
        let ids: Vec<String> = sqlx::query_scalar(
            "SELECT prelist_id FROM prelist_families WHERE kode_desa = $1 AND in_latest = 1",
        )
        .bind(village)
        .fetch_all(&mut *tx)
        .await?;
        for id in ids.iter().filter(|id| !listed.contains(id.as_str())) {
            sqlx::query("UPDATE prelist_families SET in_latest = 0 WHERE prelist_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            merged.no_longer_listed += 1;
        }
    }
    let event = Event::new(
        Action::PrelistImport,
        serde_json::json!({
            "berkas": source,
            "desa": villages,
            "keluarga": prelist.families.len(),
            "baru": merged.added,
            "berubah": merged.changed,
            "tidak_lagi_terdaftar": merged.no_longer_listed,
        }),
    );
    audit::record_in(&mut tx, by, &event).await?;
    tx.commit().await?;
    Ok(merged)
}

/// The listed families of these villages, by village then prelist id.
pub async fn families_of(db: &Db, villages: &[String]) -> Result<Vec<PrelistFamily>, PrelistError> {
    let mut out = Vec::new();
    for village in villages {
        let bodies: Vec<String> = sqlx::query_scalar(
            "SELECT body FROM prelist_families WHERE kode_desa = $1 AND in_latest = 1 \
             ORDER BY prelist_id",
        )
        .bind(village)
        .fetch_all(&db.pool)
        .await?;
        for body in bodies {
            out.push(serde_json::from_str(&body).map_err(|e| PrelistError::File(e.to_string()))?);
        }
    }
    Ok(out)
}

/// An enumerator's assignment: the latest prelist's families of their part of each
/// village, with those a household at the hub already visited marked (a household rejected
/// as a duplicate visited nothing).
pub async fn assignment(
    db: &Db,
    config: &crate::Config,
    enumerator: &Enumerator,
) -> Result<Assignment, PrelistError> {
    let hub = config.name.as_str();
    let families: Vec<PrelistFamily> = families_of(db, &enumerator.villages)
        .await?
        .into_iter()
        .filter(|f| {
            enumerator
                .shares
                .get(&f.kode_desa)
                .is_none_or(|share| share.holds(f))
        })
        .collect();
    let mut visited = BTreeSet::new();
    for village in &enumerator.villages {
        let ids: Vec<String> = sqlx::query_scalar(&format!(
            "SELECT DISTINCT prelist_id FROM records WHERE kode_desa = $1 AND prelist_id <> '' AND {}",
            crate::supervision::duplicates::not_dropped("records.record_id")
        ))
        .bind(village)
        .fetch_all(&db.pool)
        .await?;
        visited.extend(ids);
    }
    Ok(Assignment {
        hub: hub.to_owned(),
        enumerator: enumerator.name.clone(),
        villages: enumerator.villages.clone(),
        visited: families
            .iter()
            .filter(|f| visited.contains(&f.prelist_id))
            .map(|f| f.prelist_id.clone())
            .collect(),
        families,
        district_keys: crate::sealing::keys::for_phones(db).await?,
        musdes: crate::musdes_phone::for_villages(db, &enumerator.villages).await?,
        forms: crate::forms::published(db).await?,
        // Said only when it is not the phones' own default: an app from before the field
        // refused an assignment with a field it did not know.
        batch_part_bytes: Some(config.part_bytes_for_phones())
            .filter(|bytes| *bytes != verval_core::export::parts::DEFAULT_PART_BYTES),
    })
}

/// One village's families in the prelist, as the district page counts them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VillageSummary {
    pub kode_desa: String,
    /// Families the village's latest list names.
    pub listed: i64,
    /// Families an earlier list named and the latest does not (kept, marked).
    pub no_longer_listed: i64,
}

/// Every village the prelist has families for, by village code.
pub async fn villages(db: &Db) -> Result<Vec<VillageSummary>, sqlx::Error> {
    // CAST: PostgreSQL sums BIGINTs into NUMERIC.
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT kode_desa, CAST(SUM(in_latest) AS BIGINT), COUNT(*) FROM prelist_families \
         GROUP BY kode_desa ORDER BY kode_desa",
    )
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(kode_desa, listed, all)| VillageSummary {
            kode_desa,
            listed,
            no_longer_listed: all - listed,
        })
        .collect())
}
