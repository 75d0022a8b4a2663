//! SIKS-NG's results at the hub (issue #24): the list of proposals entered and still without
//! a result, for the district to fill, and the filled list (or the district's own) imported
//! back. Read by `verval_core::aid::siks_results`; matched here by the proposal id against
//! the families the importer may see. A file with any problem changes nothing; one that
//! passes changes every family it names in one transaction, with one audit event.

use crate::audit::{self, Action, Actor, Event};
use crate::db::{Db, DbError};
use crate::households::BindAll;
use crate::siks_ng::{check, SiksEntry, SiksError};
use crate::staff::Scope;
use std::collections::BTreeMap;
use verval_core::aid::siks_results::{Answer, Results, SiksResult};
use verval_core::date::Date;
use verval_core::region::RegionCode;

/// A family entered in SIKS-NG, as the results list and the import see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proposal {
    pub record_id: String,
    pub kode_desa: String,
    pub entry: SiksEntry,
    pub updated_at: i64,
}

/// Every family entered in SIKS-NG within `scope` (and `region`), by village and day.
pub async fn entered(
    db: &Db,
    region: Option<&RegionCode>,
    scope: &Scope,
) -> Result<Vec<Proposal>, sqlx::Error> {
    let (within, binds) = scope.condition_within(region, "r.kode_desa", 1);
    let sql = format!(
        "SELECT s.record_id, r.kode_desa, s.status, s.entered_on, s.operator, s.usulan_id, s.desil, \
           s.reason, s.revision, s.updated_at \
         FROM siks_entries s JOIN records r ON r.record_id = s.record_id \
         WHERE {within} ORDER BY r.kode_desa, s.entered_on, s.usulan_id"
    );
    type Row = (
        String,
        String,
        String,
        String,
        String,
        String,
        Option<i64>,
        String,
        i64,
        i64,
    );
    let rows: Vec<Row> = sqlx::query_as(&sql).bind_all(&binds).fetch_all(&db.pool).await?;
    let proposal = |(
        record_id,
        kode_desa,
        status,
        entered_on,
        operator,
        usulan_id,
        desil,
        reason,
        revision,
        updated_at,
    ): Row| {
        Proposal {
            record_id,
            kode_desa,
            entry: SiksEntry {
                status,
                entered_on,
                operator,
                usulan_id,
                desil,
                reason,
                revision,
            },
            updated_at,
        }
    };
    Ok(rows.into_iter().map(proposal).collect())
}

/// What an import did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Imported {
    pub accepted: usize,
    pub refused: usize,
    /// Results already recorded just so.
    pub unchanged: usize,
    /// Rows with no result yet.
    pub waiting: usize,
}

/// The entries the results make, or every problem (by row): an id the importer's families
/// do not hold, or held twice.
fn apply(
    results: &Results,
    proposals: &[Proposal],
    today: Date,
) -> Result<Vec<(String, SiksEntry)>, Vec<String>> {
    let mut by_id: BTreeMap<&str, Vec<&Proposal>> = BTreeMap::new();
    for p in proposals {
        by_id.entry(p.entry.usulan_id.trim()).or_default().push(p);
    }
    let mut problems = Vec::new();
    let mut changed = Vec::new();
    for SiksResult {
        row,
        usulan_id,
        answer,
    } in &results.results
    {
        let proposal = match by_id.get(usulan_id.as_str()).map(Vec::as_slice) {
            Some([one]) => *one,
            Some(_) => {
                problems.push(format!(
                    "baris {row}: ID usulan {usulan_id} tercatat untuk lebih dari satu keluarga; perbaiki di halaman keluarganya dulu \
                     (the id is recorded for more than one family)"
                ));
                continue;
            }
            None => {
                problems.push(format!(
                    "baris {row}: ID usulan {usulan_id} tidak dikenal: tidak ada keluarga di wilayah Anda yang dicatat sudah diinput dengan ID ini \
                     (no family in your region was entered with this id)"
                ));
                continue;
            }
        };
        let (status, desil, reason) = match answer {
            Answer::Accepted { desil } => ("diterima", Some(i64::from(*desil)), String::new()),
            Answer::Refused { reason } => ("ditolak", None, reason.clone()),
        };
        let entry = SiksEntry {
            status: status.to_owned(),
            desil,
            reason,
            ..proposal.entry.clone()
        };
        if let Err(e) = check(&entry, today) {
            problems.push(format!("baris {row}: {e}"));
            continue;
        }
        changed.push((proposal.record_id.clone(), entry));
    }
    match problems.is_empty() {
        true => Ok(changed),
        false => Err(problems),
    }
}

/// Records SIKS-NG's results for the families of `scope`: all, or none when any row has a
/// problem (every one named).
pub async fn import(
    db: &Db,
    results: &Results,
    scope: &Scope,
    by: &Actor,
    today: Date,
) -> Result<Imported, SiksError> {
    let proposals = entered(db, None, scope).await?;
    let before: BTreeMap<&str, &Proposal> = proposals.iter().map(|p| (p.record_id.as_str(), p)).collect();
    let entries = apply(results, &proposals, today).map_err(|p| SiksError::Invalid(p.join("\n")))?;
    let mut done = Imported {
        waiting: results.waiting,
        ..Imported::default()
    };
    let mut changed = Vec::new();
    for (record_id, entry) in entries {
        if before.get(record_id.as_str()).is_some_and(|p| p.entry == entry) {
            done.unchanged += 1;
            continue;
        }
        match entry.status.as_str() {
            "diterima" => done.accepted += 1,
            _ => done.refused += 1,
        }
        changed.push((record_id, entry));
    }
    if changed.is_empty() {
        return Ok(done);
    }
    let households: Vec<String> = changed.iter().map(|(id, _)| id.clone()).collect();
    let now = crate::db::now_ms();
    let written = db.write(|| async {
        let mut tx = db.pool.begin().await?;
        for (record_id, entry) in &changed {
            // Only the result changes, and only on the entry as read: one re-entered or
            // answered meanwhile fails the whole import (the transaction is dropped).
            let was = before[record_id.as_str()];
            let (read_at, was) = (was.updated_at, &was.entry);
            let updated = sqlx::query(
                "UPDATE siks_entries SET status = $1, desil = $2, reason = $3, updated_at = $4, updated_by = $5 \
                 WHERE record_id = $6 AND usulan_id = $7 AND revision = $8 AND status = $9 AND updated_at = $10",
            )
            .bind(&entry.status)
            .bind(entry.desil)
            .bind(entry.reason.trim())
            .bind(now)
            .bind(&by.name)
            .bind(record_id)
            .bind(&was.usulan_id)
            .bind(was.revision)
            .bind(&was.status)
            .bind(read_at)
            .execute(&mut *tx)
            .await?;
            if updated.rows_affected() != 1 {
                return Ok(false);
            }
        }
        let event = Event {
            action: Action::SiksNg,
            detail: serde_json::json!({
                "imported": "hasil",
                "accepted": done.accepted,
                "refused": done.refused,
            }),
            households: &households,
        };
        audit::record_in(&mut tx, by, &event).await?;
        tx.commit().await.map(|()| true)
    })
    .await
    .map_err(|e: sqlx::Error| SiksError::Db(DbError::Query(e)))?;
    if !written {
        return Err(SiksError::Invalid(
            "status SIKS-NG sebagian keluarga berubah selama impor; tidak ada yang diubah, unggah lagi (some entries changed during the import: nothing changed, upload again)".to_owned(),
        ));
    }
    Ok(done)
}
