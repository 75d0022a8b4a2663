//! What the phones hold (issue #21): each phone's last report of the households begun and
//! finalized on it per village, sent or not (`verval_core::sync::api::PhoneProgress`), kept
//! one row per phone and village and summed per village and enumerator for the dashboard.

use crate::db::{now_ms, Db};
use crate::enrol::Device;
use crate::households::BindAll;
use crate::staff::Scope;
use sqlx::Row;
use verval_core::region::RegionCode;
use verval_core::sync::api::PhoneProgress;

/// The most households a phone may say it holds in one village: more is no phone's.
const MOST_PER_VILLAGE: u32 = 100_000;

/// Why a report was refused.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("desa {0} bukan desa petugas ini (not a village of this enumerator)")]
    OtherVillage(String),
    #[error("desa {0} disebut dua kali (a village named twice)")]
    Twice(String),
    #[error("desa {village}: {finalized} selesai dari {begun} dimulai tidak mungkin (more finalized than begun, or more than a phone holds)")]
    Counts {
        village: String,
        begun: u32,
        finalized: u32,
    },
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl crate::db::Retry for ReportError {
    fn worth_retrying(&self) -> bool {
        matches!(self, ReportError::Db(e) if e.worth_retrying())
    }
}

/// Checks a phone's report against its villages, then replaces its earlier one.
pub async fn store(db: &Db, device: &Device, report: &PhoneProgress) -> Result<(), ReportError> {
    let mut seen = Vec::new();
    for v in &report.villages {
        if !device.villages.contains(&v.kode_desa) {
            return Err(ReportError::OtherVillage(v.kode_desa.clone()));
        }
        if seen.contains(&&v.kode_desa) {
            return Err(ReportError::Twice(v.kode_desa.clone()));
        }
        seen.push(&v.kode_desa);
        if v.finalized > v.begun || v.begun > MOST_PER_VILLAGE {
            return Err(ReportError::Counts {
                village: v.kode_desa.clone(),
                begun: v.begun,
                finalized: v.finalized,
            });
        }
    }
    let now = now_ms();
    db.write(|| async {
        let mut tx = db.pool.begin().await?;
        sqlx::query("DELETE FROM phone_progress WHERE device_key = $1")
            .bind(&device.device_key)
            .execute(&mut *tx)
            .await?;
        for v in &report.villages {
            sqlx::query(
                "INSERT INTO phone_progress (device_key, kode_desa, begun, finalized, reported_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&device.device_key)
            .bind(&v.kode_desa)
            .bind(i64::from(v.begun))
            .bind(i64::from(v.finalized))
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// Per village and enrolled enumerator: households begun and finalized on their phones.
pub async fn counts(
    db: &Db,
    scope: &Scope,
    region: Option<&RegionCode>,
) -> Result<Vec<(String, String, i64, i64)>, sqlx::Error> {
    let (within, binds) = scope.condition_within(region, "p.kode_desa", 1);
    // A phone enrolled again keeps its key: one enumerator per key, counted once.
    let sql = format!(
        "SELECT p.kode_desa, d.enumerator_id, CAST(SUM(p.begun) AS BIGINT), CAST(SUM(p.finalized) AS BIGINT) \
         FROM phone_progress p JOIN (SELECT DISTINCT device_key, enumerator_id FROM devices) d \
           ON d.device_key = p.device_key \
         WHERE {within} GROUP BY p.kode_desa, d.enumerator_id"
    );
    let rows = sqlx::query(&sql).bind_all(&binds).fetch_all(&db.pool).await?;
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?)))
        .collect()
}
