//! Proof of visit over a region (issue #21): each household's evidence as ingest stored it,
//! flagged by the core's [`flags`] beside the other visits of its kecamatan. A region smaller
//! than a kecamatan is judged within its whole kecamatan (a village alone cannot tell how far
//! its kecamatan reaches), then narrowed; a phone's rushed run is seen among the visits
//! loaded.

use crate::db::Db;
use crate::households::BindAll;
use crate::staff::Scope;
use sqlx::any::AnyRow;
use sqlx::Row;
use std::collections::BTreeMap;
use verval_core::region::{area_of, RegionCode, KECAMATAN_DEPTH};
use verval_core::supervision::evidence::{Evidence, Point};
use verval_core::supervision::flags::{flags, Flag, Rules, Visit};

/// One household's visit and its flags.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checked {
    pub record_id: String,
    pub village: String,
    pub enumerator: String,
    pub head: String,
    /// `records.review`.
    pub review: String,
    pub evidence: Evidence,
    pub flags: Vec<Flag>,
}

/// The columns every load reads: the village, the phone, then the evidence.
const EVIDENCE: &str = "kode_desa, origin, lat_e6, lon_e6, accuracy_m, location_asked, house_photo, \
                        started_at, finalized_at";

/// A row's village, phone and evidence, from [`EVIDENCE`] starting at column `at`.
fn evidence_of(r: &AnyRow, at: usize) -> Result<(String, String, Evidence), sqlx::Error> {
    let (lat, lon, accuracy): (Option<i64>, Option<i64>, Option<i64>) =
        (r.try_get(at + 2)?, r.try_get(at + 3)?, r.try_get(at + 4)?);
    let point = match (lat, lon) {
        (Some(lat_e6), Some(lon_e6)) => Some(Point {
            lat_e6,
            lon_e6,
            accuracy_m: accuracy.unwrap_or(0),
        }),
        _ => None,
    };
    let evidence = Evidence {
        point,
        point_asked: r.try_get::<i64, _>(at + 5)? != 0,
        house_photo: r.try_get::<Option<i64>, _>(at + 6)?.map(|p| p != 0),
        started_at: r.try_get(at + 7)?,
        finalized_at: r.try_get(at + 8)?,
    };
    Ok((r.try_get(at)?, r.try_get(at + 1)?, evidence))
}

/// The rows of the households `scope` and `region` hold, for judging: a region below a
/// kecamatan widened to its kecamatan. `extra` columns come first.
async fn rows(
    db: &Db,
    scope: &Scope,
    region: Option<&RegionCode>,
    extra: &str,
) -> Result<Vec<AnyRow>, sqlx::Error> {
    let judged = region.map(|r| {
        let code = area_of(r.as_str(), KECAMATAN_DEPTH);
        RegionCode::parse(code).unwrap_or_else(|_| r.clone())
    });
    let (within, binds) = scope.condition_within(judged.as_ref(), "kode_desa", 1);
    let sql = format!("SELECT {extra}{EVIDENCE} FROM records WHERE {within}");
    sqlx::query(&sql).bind_all(&binds).fetch_all(&db.pool).await
}

/// Each visit's flags, in the order given.
fn judge(visits: &[(String, String, Evidence)], rules: &Rules) -> Vec<Vec<Flag>> {
    let visits: Vec<Visit> = visits
        .iter()
        .map(|(village, phone, evidence)| Visit {
            village,
            phone,
            evidence: *evidence,
        })
        .collect();
    flags(&visits, rules)
}

/// The households within `scope` and `region`, each with its flags, by village and id.
pub async fn checked(
    db: &Db,
    scope: &Scope,
    region: Option<&RegionCode>,
    rules: &Rules,
) -> Result<Vec<Checked>, sqlx::Error> {
    let rows = rows(
        db,
        scope,
        region,
        "record_id, enumerator, nama_kepala_keluarga, review, ",
    )
    .await?;
    let mut visits = Vec::with_capacity(rows.len());
    for r in &rows {
        visits.push(evidence_of(r, 4)?);
    }
    let raised = judge(&visits, rules);
    let only = region.map(|r| Scope::only(r.clone()));
    let mut checked = Vec::new();
    for ((r, (village, _, evidence)), flags) in rows.iter().zip(visits).zip(raised) {
        if only.as_ref().is_some_and(|o| !o.contains(&village)) {
            continue;
        }
        checked.push(Checked {
            record_id: r.try_get(0)?,
            village,
            enumerator: r.try_get(1)?,
            head: r.try_get(2)?,
            review: r.try_get(3)?,
            evidence,
            flags,
        });
    }
    checked.sort_by(|a, b| (&a.village, &a.record_id).cmp(&(&b.village, &b.record_id)));
    Ok(checked)
}

/// How many households carry each flag per village within `scope` and `region`: what the
/// dashboard and its workbook show, read with the fewest columns.
pub async fn counted(
    db: &Db,
    scope: &Scope,
    region: Option<&RegionCode>,
    rules: &Rules,
) -> Result<Vec<(String, FlagCounts)>, sqlx::Error> {
    let rows = rows(db, scope, region, "").await?;
    let mut visits = Vec::with_capacity(rows.len());
    for r in &rows {
        visits.push(evidence_of(r, 0)?);
    }
    let raised = judge(&visits, rules);
    let only = region.map(|r| Scope::only(r.clone()));
    let mut areas: BTreeMap<&str, FlagCounts> = BTreeMap::new();
    for ((village, _, _), flags) in visits.iter().zip(&raised) {
        if only.as_ref().is_none_or(|o| o.contains(village)) {
            areas.entry(village).or_default().add(flags);
        }
    }
    Ok(areas.into_iter().map(|(a, n)| (a.to_owned(), n)).collect())
}

/// The rules of the district: the core's, with its shortest believable visit.
pub fn rules(visit_minutes: i64) -> Rules {
    Rules {
        short_visit_minutes: visit_minutes,
        ..Rules::default()
    }
}

/// Households flagged, per flag (in `Flag::ALL` order) and with any flag.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FlagCounts {
    pub per_flag: [i64; Flag::ALL.len()],
    pub any: i64,
}

impl std::ops::AddAssign for FlagCounts {
    fn add_assign(&mut self, o: FlagCounts) {
        for (sum, n) in self.per_flag.iter_mut().zip(o.per_flag) {
            *sum += n;
        }
        self.any += o.any;
    }
}

impl FlagCounts {
    pub fn add(&mut self, flags: &[Flag]) {
        for flag in flags {
            if let Some(i) = Flag::ALL.iter().position(|f| f == flag) {
                self.per_flag[i] += 1;
            }
        }
        self.any += i64::from(!flags.is_empty());
    }
}
