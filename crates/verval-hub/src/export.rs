//! The merged export: the current version of every household the hub holds in a region, as
//! the same tables (profiles, CSV, XLSX, recap) a phone's batch carries.

use crate::audit::{self, Action, Actor, Event};
use crate::db::{Db, DbError};
use crate::households::BindAll;
use crate::staff::{mask, Scope};
use std::collections::HashSet;
use verval_core::date::Date;
use verval_core::export::{export_tables, people, Profile, RegionNames, Table};
use verval_core::form::default::DEFAULT_FORM;
use verval_core::region::RegionCode;
use verval_core::HouseholdRecord;

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("rekaman {id} tersimpan rusak (stored record unreadable): {reason}")]
    StoredRecord { id: String, reason: String },
    #[error("tidak ada keluarga di wilayah ini (no households in this region)")]
    Empty,
    #[error("gagal menulis berkas (could not write the file): {0}")]
    Write(String),
}

/// The files for people are written by the core (`export::people`): one error type here.
impl From<people::WriteError> for ExportError {
    fn from(e: people::WriteError) -> ExportError {
        ExportError::Write(e.0)
    }
}

impl From<sqlx::Error> for ExportError {
    fn from(e: sqlx::Error) -> ExportError {
        ExportError::Db(DbError::Query(e))
    }
}

/// The current version of every household in `region` (all when `None`) that `scope`
/// lets its reader see, by village: both filters in the query. A household rejected as
/// another's duplicate is left out: the files count each family once.
pub async fn current_records(
    db: &Db,
    region: Option<&RegionCode>,
    scope: &Scope,
) -> Result<Vec<HouseholdRecord>, ExportError> {
    let (within, binds) = scope.condition_within(region, "r.kode_desa", 1);
    let sql = format!(
        "SELECT r.record_id, v.body FROM records r JOIN record_versions v \
           ON v.record_id = r.record_id AND v.revision = r.revision AND v.sha256 = r.sha256 \
         WHERE {within} AND {not_dropped} ORDER BY r.kode_desa, r.record_id",
        not_dropped = crate::supervision::duplicates::not_dropped("r.record_id"),
    );
    let query = sqlx::query_as::<_, (String, String)>(&sql).bind_all(&binds);
    let rows = query.fetch_all(&db.pool).await?;
    rows.into_iter()
        .map(|(id, body)| {
            serde_json::from_str(&body).map_err(|e| ExportError::StoredRecord {
                id,
                reason: e.to_string(),
            })
        })
        .collect()
}

/// Every table of the export.
pub async fn tables(
    db: &Db,
    profile: Profile,
    region: Option<&RegionCode>,
    today: Date,
) -> Result<Vec<Table>, ExportError> {
    let regions = crate::regions::RegionTables::new(None);
    Ok(
        prepare(db, profile, region, &Scope::everywhere(), &regions, today)
            .await?
            .tables,
    )
}

/// An export made and not yet handed out: its tables, and what its audit event needs.
pub struct Export {
    pub profile: Profile,
    pub region: Option<RegionCode>,
    pub tables: Vec<Table>,
    /// The names of the region codes in `tables`, for a workbook to write beside them.
    pub names: RegionNames,
    pub households: Vec<String>,
    /// Every NIK and KK number of the households exported, to tell whether a file handed
    /// out carries any (in whatever column a profile puts them).
    identity_numbers: HashSet<String>,
    masked: bool,
}

/// Makes the export of `profile` for `region` (all when `None`), of what `scope` lets its
/// reader see.
pub async fn prepare(
    db: &Db,
    profile: Profile,
    region: Option<&RegionCode>,
    scope: &Scope,
    regions: &crate::regions::RegionTables,
    today: Date,
) -> Result<Export, ExportError> {
    let records = current_records(db, region, scope).await?;
    if records.is_empty() {
        return Err(ExportError::Empty);
    }
    let mut tables = export_tables(&DEFAULT_FORM, profile, &records, today);
    let identity_fields: Vec<&str> = DEFAULT_FORM.identity_fields().collect();
    let mut identity_numbers = HashSet::new();
    // Every profile's tables begin with the complete profile's, whose columns are field ids:
    // the identity numbers are read from those (a profile's own columns have other names).
    for table in &tables {
        for (i, field) in table.header.iter().enumerate() {
            if identity_fields.contains(&field.as_str()) {
                identity_numbers.extend(
                    table
                        .rows
                        .iter()
                        .filter_map(|row| row.get(i))
                        .filter(|v| !v.is_empty())
                        .cloned(),
                );
            }
        }
    }
    // A family not found is exported with its members as the prelist listed them (P3KE):
    // their numbers are masked like the visit's.
    for listed in records.iter().filter_map(|r| r.prelist.as_ref()) {
        identity_numbers.extend(listed.family.nomor_kk.iter().cloned());
        identity_numbers.extend(listed.family.members.iter().filter_map(|m| m.nik.clone()));
    }
    // The P3KE template wants the regions' names, from the tables the hub serves; the
    // workbooks write the same names beside the codes.
    let names = regions.names_in(&tables);
    verval_core::export::p3ke::name_regions(&mut tables, &names);
    Ok(Export {
        profile,
        region: region.cloned(),
        tables,
        names,
        households: records.iter().map(|r| r.id.to_string()).collect(),
        identity_numbers,
        masked: false,
    })
}

impl Export {
    /// Hides the middle of every NIK and KK number, in whatever column a profile puts
    /// them: the export of a role that may not see them.
    pub fn mask_identity_numbers(&mut self) {
        for table in &mut self.tables {
            for cell in table.rows.iter_mut().flatten() {
                if self.identity_numbers.contains(cell.as_str()) {
                    *cell = mask(cell);
                }
            }
        }
        self.masked = true;
    }

    /// Audits handing out `delivered` (tables of this export) as `format`: written before the
    /// file leaves, so that no export goes unrecorded.
    pub async fn audit(
        &self,
        db: &Db,
        by: &Actor,
        format: &str,
        delivered: &[&Table],
    ) -> Result<(), ExportError> {
        let carries_identity_numbers = delivered.iter().any(|t| {
            t.rows
                .iter()
                .flatten()
                .any(|cell| self.identity_numbers.contains(cell))
        });
        // A recap counts households by village: it names none of them.
        let per_household = delivered.iter().any(|t| t.name != "rekap");
        let event = Event {
            action: Action::Export,
            detail: serde_json::json!({
                "profil": self.profile.id(),
                "wilayah": self.region.as_ref().map_or("semua", |r| r.as_str()),
                "format": format,
                "keluarga": self.households.len(),
                "nik": carries_identity_numbers,
                "disamarkan": self.masked,
            }),
            households: if per_household { &self.households } else { &[] },
        };
        audit::record(db, by, &event).await?;
        Ok(())
    }
}
