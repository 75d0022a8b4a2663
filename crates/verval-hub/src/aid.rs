//! The TKPK's aid recap (issue #24): for every household the reader may see in a region, what
//! its current version says it receives and was proposed (`verval_core::aid::ledger`), counted
//! per kecamatan and per desa — extreme-poor families, those with no aid at all, those with a
//! proposal still waiting — and coverage per programme and per funding source. Read from the
//! households' current versions by the export's own query (`export::current_records`: the
//! reader's scope, duplicates rejected as another's left out), so the recap and the export
//! count the same families.

use crate::db::Db;
use crate::export::{current_records, ExportError};
use crate::staff::Scope;
use std::collections::BTreeMap;
use verval_core::aid::ledger::{FamilyAid, Recap};
use verval_core::form::default::KODE_DESA;
use verval_core::region::{area_of, RegionCode, KECAMATAN_DEPTH};

/// The recap of a region, at three levels.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AidRecap {
    pub total: Recap,
    /// By kecamatan code.
    pub kecamatan: BTreeMap<String, Recap>,
    /// By desa code.
    pub desa: BTreeMap<String, Recap>,
}

/// The recap of `region` (all when `None`) as `scope` lets its reader see it. Aid delivered
/// after the round is not recorded on the hub yet: each family counts what its record says.
pub async fn recap(db: &Db, region: Option<&RegionCode>, scope: &Scope) -> Result<AidRecap, ExportError> {
    let records = current_records(db, region, scope).await?;
    let mut out = AidRecap::default();
    for record in &records {
        let family = FamilyAid::of(record, Vec::new());
        let desa = record.answers.get(KODE_DESA).trim();
        out.total.add(&family);
        out.desa.entry(desa.to_owned()).or_default().add(&family);
        let kecamatan = area_of(desa, KECAMATAN_DEPTH);
        out.kecamatan
            .entry(kecamatan.to_owned())
            .or_default()
            .add(&family);
    }
    Ok(out)
}
