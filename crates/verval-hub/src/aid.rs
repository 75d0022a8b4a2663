//! The TKPK's aid recap (issue #24): for every household the reader may see in a region, what
//! its current version says it receives and was proposed (`verval_core::aid::ledger`), counted
//! per kecamatan and per desa — extreme-poor families, those with no aid at all, those with a
//! proposal still waiting — and coverage per programme and per funding source. Read from the
//! households' current versions by the export's own query (`export::current_records`: the
//! reader's scope, duplicates rejected as another's left out), so the recap and the export
//! count the same families. Aid delivered after the round is recorded here per family
//! (`aid_deliveries`, migration 0011), kept and audited, and counted by the recap.

use crate::audit::{self, Action, Actor, Event};
use crate::db::{Db, DbError};
use crate::export::{current_records, ExportError};
use crate::households::BindAll;
use crate::staff::Scope;
use sqlx::Row;
use std::collections::{BTreeMap, HashMap};
use verval_core::aid::ledger::{Aid, Delivery, FamilyAid, Recap};
use verval_core::aid::programmes::DistrictProgramme;
use verval_core::date::Date;
use verval_core::fields::NAMA_KEPALA_KELUARGA;
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
    /// The extremely poor families with no aid at all, by desa then household id: the TKPK
    /// meeting's question is who they are, not only how many.
    pub without_aid: Vec<Unserved>,
}

/// An extremely poor family with no aid at all: where it lives, who heads it, what was
/// proposed for it and still waits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unserved {
    pub record_id: String,
    pub kode_desa: String,
    pub head: String,
    pub waiting: Vec<String>,
}

/// The recap of `region` (all when `None`) as `scope` lets its reader see it: what each
/// family's current version says, and the aid delivered to it since.
pub async fn recap(
    db: &Db,
    region: Option<&RegionCode>,
    scope: &Scope,
    today: Date,
) -> Result<AidRecap, ExportError> {
    let records = current_records(db, region, scope).await?;
    let mut delivered = deliveries_within(db, region, scope).await?;
    let mut out = AidRecap::default();
    for record in &records {
        let family = FamilyAid::of(
            record,
            delivered.remove(record.id.as_str()).unwrap_or_default(),
            today,
        );
        let desa = record.answers.get(KODE_DESA).trim();
        if family.extreme_poor && family.without_aid() {
            out.without_aid.push(Unserved {
                record_id: record.id.to_string(),
                kode_desa: desa.to_owned(),
                head: record.answers.get(NAMA_KEPALA_KELUARGA).trim().to_owned(),
                waiting: family.waiting().into_iter().map(str::to_owned).collect(),
            });
        }
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

/// One delivery as recorded, with its number within the household and who recorded it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recorded {
    pub seq: i64,
    pub delivery: Delivery,
    pub note: String,
    pub recorded_at: i64,
    pub recorded_by: String,
}

fn delivery_of(row: &sqlx::any::AnyRow) -> Result<Delivery, sqlx::Error> {
    Ok(Delivery {
        aid: Aid {
            programme: row.try_get("programme")?,
            funding: row.try_get("funding")?,
        },
        date: row.try_get("delivered_on")?,
    })
}

/// Every delivery recorded for one household, in the order recorded.
pub async fn deliveries(db: &Db, record_id: &str) -> Result<Vec<Recorded>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT seq, programme, funding, delivered_on, note, recorded_at, recorded_by \
         FROM aid_deliveries WHERE record_id = $1 ORDER BY seq",
    )
    .bind(record_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Recorded {
                seq: r.try_get("seq")?,
                delivery: delivery_of(r)?,
                note: r.try_get("note")?,
                recorded_at: r.try_get("recorded_at")?,
                recorded_by: r.try_get("recorded_by")?,
            })
        })
        .collect()
}

/// The deliveries of every household in `region` that `scope` lets its reader see, by
/// household id: the region and scope in the query, as `current_records`.
async fn deliveries_within(
    db: &Db,
    region: Option<&RegionCode>,
    scope: &Scope,
) -> Result<HashMap<String, Vec<Delivery>>, sqlx::Error> {
    let (within, binds) = scope.condition_within(region, "r.kode_desa", 1);
    let sql = format!(
        "SELECT d.record_id, d.programme, d.funding, d.delivered_on FROM aid_deliveries d \
         JOIN records r ON r.record_id = d.record_id WHERE {within} ORDER BY d.record_id, d.seq"
    );
    let rows = sqlx::query(&sql).bind_all(&binds).fetch_all(&db.pool).await?;
    let mut out: HashMap<String, Vec<Delivery>> = HashMap::new();
    for row in &rows {
        let id: String = row.try_get("record_id")?;
        out.entry(id).or_default().push(delivery_of(row)?);
    }
    Ok(out)
}

/// Records aid delivered to the household `record_id` (read by `Delivery::read`), with its
/// audit event, in one transaction.
pub async fn add_delivery(
    db: &Db,
    record_id: &str,
    delivery: &Delivery,
    note: &str,
    by: &Actor,
) -> Result<(), DbError> {
    let now = crate::db::now_ms();
    db.write(|| async {
        let mut tx = db.pool.begin().await?;
        let seq: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) + 1 FROM aid_deliveries WHERE record_id = $1")
            .bind(record_id)
            .fetch_one(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO aid_deliveries (record_id, seq, programme, funding, delivered_on, note, \
               recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(record_id)
        .bind(seq)
        .bind(&delivery.aid.programme)
        .bind(&delivery.aid.funding)
        .bind(&delivery.date)
        .bind(note.trim())
        .bind(now)
        .bind(&by.name)
        .execute(&mut *tx)
        .await?;
        let event = Event {
            action: Action::AidDelivered,
            detail: serde_json::json!({ "program": delivery.aid.programme, "sumber_dana": delivery.aid.funding }),
            households: &[record_id.to_owned()],
        };
        audit::record_in(&mut tx, by, &event).await?;
        tx.commit().await
    })
    .await
    .map_err(DbError::Query)
}

/// The programmes the district added, in the order added.
pub async fn district_programmes(db: &Db) -> Result<Vec<DistrictProgramme>, sqlx::Error> {
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT code, label, funding FROM aid_programmes ORDER BY added_at, code")
            .fetch_all(&db.pool)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(code, label, funding)| DistrictProgramme { code, label, funding })
        .collect())
}

/// Adds a district programme (read by `DistrictProgramme::read`), audited as a setting.
pub async fn add_programme(db: &Db, programme: &DistrictProgramme, by: &Actor) -> Result<(), DbError> {
    let now = crate::db::now_ms();
    db.write(|| async {
        let mut tx = db.pool.begin().await?;
        sqlx::query("INSERT INTO aid_programmes (code, label, funding, added_at, added_by) VALUES ($1, $2, $3, $4, $5)")
            .bind(&programme.code)
            .bind(&programme.label)
            .bind(&programme.funding)
            .bind(now)
            .bind(&by.name)
            .execute(&mut *tx)
            .await?;
        let event = Event {
            action: Action::Settings,
            detail: serde_json::json!({ "program_daerah": programme.code, "sumber_dana": programme.funding }),
            households: &[],
        };
        audit::record_in(&mut tx, by, &event).await?;
        tx.commit().await
    })
    .await
    .map_err(DbError::Query)
}
