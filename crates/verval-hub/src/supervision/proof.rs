//! Proof of visit over a region (issue #21): each household's evidence as ingest stored it,
//! flagged by the core's [`flags`] beside the other visits of its kecamatan. A region smaller
//! than a kecamatan is judged within its whole kecamatan (a village alone cannot tell how far
//! its kecamatan reaches), then narrowed; a phone's rushed run is seen among the visits
//! loaded.

use super::within;
use crate::db::Db;
use crate::households::BindAll;
use crate::staff::Scope;
use sqlx::Row;
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

/// The households within `scope` and `region`, each with its flags.
pub async fn checked(
    db: &Db,
    scope: &Scope,
    region: Option<&RegionCode>,
    rules: &Rules,
) -> Result<Vec<Checked>, sqlx::Error> {
    let judged = region.map(|r| {
        let code = area_of(r.as_str(), KECAMATAN_DEPTH);
        RegionCode::parse(code).unwrap_or_else(|_| r.clone())
    });
    let (within, binds) = within(scope, judged.as_ref(), "kode_desa", 1);
    let sql = format!(
        "SELECT record_id, kode_desa, enumerator, nama_kepala_keluarga, review, origin, lat_e6, \
           lon_e6, accuracy_m, location_asked, house_photo, started_at, finalized_at \
         FROM records WHERE {within} ORDER BY kode_desa, record_id"
    );
    let rows = sqlx::query(&sql).bind_all(&binds).fetch_all(&db.pool).await?;
    let mut loaded = Vec::with_capacity(rows.len());
    for r in &rows {
        let (lat, lon, accuracy): (Option<i64>, Option<i64>, Option<i64>) =
            (r.try_get(6)?, r.try_get(7)?, r.try_get(8)?);
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
            point_asked: r.try_get::<i64, _>(9)? != 0,
            house_photo: r.try_get::<Option<i64>, _>(10)?.map(|p| p != 0),
            started_at: r.try_get(11)?,
            finalized_at: r.try_get(12)?,
        };
        let origin: String = r.try_get(5)?;
        loaded.push((
            Checked {
                record_id: r.try_get(0)?,
                village: r.try_get(1)?,
                enumerator: r.try_get(2)?,
                head: r.try_get(3)?,
                review: r.try_get(4)?,
                evidence,
                flags: Vec::new(),
            },
            origin,
        ));
    }
    let visits: Vec<Visit> = loaded
        .iter()
        .map(|(c, origin)| Visit {
            village: &c.village,
            phone: origin,
            evidence: c.evidence,
        })
        .collect();
    let raised = flags(&visits, rules);
    let mut checked: Vec<Checked> = loaded
        .into_iter()
        .zip(raised)
        .map(|((c, _), flags)| Checked { flags, ..c })
        .collect();
    if let Some(region) = region {
        let only = Scope::only(region.clone());
        checked.retain(|c| only.contains(&c.village));
    }
    Ok(checked)
}

/// The rules of the district: the core's, with its shortest believable visit.
pub fn rules(visit_minutes: i64) -> Rules {
    Rules {
        short_visit_minutes: visit_minutes,
        ..Rules::default()
    }
}

/// How many households carry each flag, and any flag, per area of `depth` code segments.
pub fn counted_by_area(checked: &[Checked], depth: usize) -> Vec<(String, FlagCounts)> {
    let mut areas: std::collections::BTreeMap<&str, FlagCounts> = std::collections::BTreeMap::new();
    for c in checked {
        areas.entry(area_of(&c.village, depth)).or_default().add(&c.flags);
    }
    areas.into_iter().map(|(a, n)| (a.to_owned(), n)).collect()
}

/// Households flagged, per flag (in `Flag::ALL` order) and with any flag.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FlagCounts {
    pub per_flag: [i64; Flag::ALL.len()],
    pub any: i64,
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
