//! The round's progress within a reader's region: per village, what it is to verify (its
//! target) and what has come of it (households received, reviewed, sent back), and the same
//! per enumerator who works there. Five grouped queries (households, the latest prelist,
//! targets, assignments, what the phones last reported), each counted by the database over
//! indexed columns; any higher
//! level (kecamatan, the regency) is the sum of its villages, which are disjoint.

use super::duplicates;
use crate::db::Db;
use crate::households::BindAll;
use crate::staff::Scope;
use sqlx::Row;
use std::collections::BTreeMap;
use std::ops::AddAssign;
use verval_core::region::RegionCode;
use verval_core::review::{Decision, ReviewState};

/// The counts of one group of households: a village, a kecamatan, an enumerator's share.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Families to verify: the number the district set for the village, else the families
    /// its latest prelist names. For an enumerator, their share of their villages'.
    pub target: i64,
    /// Families the latest prelist names.
    pub listed: i64,
    /// Households begun on the enumerators' phones (drafts and finalized, sent or not), as
    /// each phone last reported at the end of a sync round.
    pub begun_on_phones: i64,
    /// Of those, finalized on the phone.
    pub finalized_on_phones: i64,
    /// Listed families no household at the hub has visited yet; for a village with a set
    /// target and no prelist, the target less the households received (never below 0).
    pub not_visited: i64,
    /// Households at the hub: listed families visited and families found in the field.
    pub received: i64,
    pub approved: i64,
    pub sent_back: i64,
    pub rejected: i64,
    /// Waiting for a first review, or for another look at a correction.
    pub waiting: i64,
    /// Households with versions from two phones, waiting for a person to choose.
    pub conflicts: i64,
    /// Households in a pair that may be one family, waiting for a reviewer.
    pub doubtful: i64,
}

impl AddAssign for Tally {
    fn add_assign(&mut self, o: Tally) {
        self.target += o.target;
        self.listed += o.listed;
        self.not_visited += o.not_visited;
        self.begun_on_phones += o.begun_on_phones;
        self.finalized_on_phones += o.finalized_on_phones;
        self.received += o.received;
        self.approved += o.approved;
        self.sent_back += o.sent_back;
        self.rejected += o.rejected;
        self.waiting += o.waiting;
        self.conflicts += o.conflicts;
        self.doubtful += o.doubtful;
    }
}

impl Tally {
    /// Received as a share of the target, in whole percent (0 when there is no target).
    pub fn percent(&self) -> i64 {
        if self.target <= 0 {
            0
        } else {
            self.received * 100 / self.target
        }
    }
}

/// Who sent households: an enrolled enumerator (by id), or a name written in a batch file
/// district staff imported.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Sender {
    Enrolled(String),
    File(String),
}

/// One enumerator's part of a village.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Worker {
    pub sender: Sender,
    pub name: String,
    /// Assigned to the village (a file's sender never is).
    pub assigned: bool,
    /// `target` is their share of the village's (split evenly among those assigned);
    /// `not_visited` and `listed` stay 0: listed families are not handed to one person.
    pub tally: Tally,
}

/// One village's progress.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Village {
    pub code: String,
    /// The target was set by the district rather than counted from the prelist.
    pub target_set: bool,
    pub tally: Tally,
    pub workers: Vec<Worker>,
}

/// An enumerator's progress over every village of theirs in the region.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkerTotal {
    pub sender: Sender,
    pub name: String,
    pub villages: usize,
    pub tally: Tally,
}

/// The progress of every village in a region that has a target, a prelist, an assigned
/// enumerator or a household.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    pub villages: Vec<Village>,
}

impl Progress {
    /// Counts the villages both `scope` (the reader's) and `region` (the page's) hold.
    pub async fn load(db: &Db, scope: &Scope, region: Option<&RegionCode>) -> Result<Progress, sqlx::Error> {
        let mut villages: BTreeMap<String, Village> = BTreeMap::new();
        for (code, listed, visited) in listed(db, scope, region).await? {
            let v = village(&mut villages, &code);
            v.tally.listed = listed;
            v.tally.target = listed;
            v.tally.not_visited = listed - visited;
        }
        for (code, target) in super::round::targets(db, scope, region).await? {
            let v = village(&mut villages, &code);
            v.tally.target = target;
            v.target_set = true;
        }
        for (code, id, name) in assigned(db, scope, region).await? {
            let v = village(&mut villages, &code);
            v.workers.push(Worker {
                sender: Sender::Enrolled(id),
                name,
                assigned: true,
                tally: Tally::default(),
            });
        }
        for (code, sender, name, counts) in received(db, scope, region).await? {
            village(&mut villages, &code).count(sender, name, counts);
        }
        for (code, id, begun, finalized) in super::on_phones::counts(db, scope, region).await? {
            let counts = Tally {
                begun_on_phones: begun,
                finalized_on_phones: finalized,
                ..Tally::default()
            };
            village(&mut villages, &code).count(Sender::Enrolled(id.clone()), id, counts);
        }
        for v in villages.values_mut() {
            if v.tally.listed == 0 {
                v.tally.not_visited = (v.tally.target - v.tally.received).max(0);
            }
            share_target(v);
            v.workers
                .sort_by(|a, b| (&a.name, &a.sender).cmp(&(&b.name, &b.sender)));
        }
        Ok(Progress {
            villages: villages.into_values().collect(),
        })
    }

    /// Every village's counts summed.
    pub fn total(&self) -> Tally {
        let mut total = Tally::default();
        for v in &self.villages {
            total += v.tally;
        }
        total
    }

    /// The villages' counts summed per region of `depth` code segments (3: per kecamatan),
    /// in code order.
    pub fn by_area(&self, depth: usize) -> Vec<(String, Tally)> {
        super::summed_by_area(self.villages.iter().map(|v| (v.code.as_str(), v.tally)), depth)
    }

    pub fn village(&self, code: &str) -> Option<&Village> {
        self.villages.iter().find(|v| v.code == code)
    }

    /// Each enumerator's parts summed over their villages, by name.
    pub fn by_worker(&self) -> Vec<WorkerTotal> {
        let mut totals: BTreeMap<&Sender, WorkerTotal> = BTreeMap::new();
        for v in &self.villages {
            for w in &v.workers {
                let total = totals.entry(&w.sender).or_insert_with(|| WorkerTotal {
                    sender: w.sender.clone(),
                    name: w.name.clone(),
                    villages: 0,
                    tally: Tally::default(),
                });
                total.villages += 1;
                total.tally += w.tally;
            }
        }
        let mut totals: Vec<WorkerTotal> = totals.into_values().collect();
        totals.sort_by(|a, b| (&a.name, &a.sender).cmp(&(&b.name, &b.sender)));
        totals
    }
}

impl Village {
    /// Adds `counts` to the village and to the sender's part of it (a part of its own when
    /// the sender is not assigned there).
    fn count(&mut self, sender: Sender, name: String, counts: Tally) {
        self.tally += counts;
        match self.workers.iter_mut().find(|w| w.sender == sender) {
            Some(worker) => worker.tally += counts,
            None => self.workers.push(Worker {
                sender,
                name,
                assigned: false,
                tally: counts,
            }),
        }
    }
}

/// The village `code` in `villages`, added with nothing counted yet.
fn village<'a>(villages: &'a mut BTreeMap<String, Village>, code: &str) -> &'a mut Village {
    villages.entry(code.to_owned()).or_insert_with(|| Village {
        code: code.to_owned(),
        target_set: false,
        tally: Tally::default(),
        workers: Vec::new(),
    })
}

/// A village's target split evenly among the enumerators assigned to it, the remainder to
/// the first ones by id, so the shares add up to the target.
fn share_target(v: &mut Village) {
    let mut assigned: Vec<&mut Worker> = v.workers.iter_mut().filter(|w| w.assigned).collect();
    let count = i64::try_from(assigned.len()).unwrap_or(i64::MAX);
    if count == 0 {
        return;
    }
    assigned.sort_by(|a, b| a.sender.cmp(&b.sender));
    let (each, extra) = (v.tally.target / count, v.tally.target % count);
    for (i, w) in assigned.into_iter().enumerate() {
        w.tally.target = each + i64::from((i as i64) < extra);
    }
}

/// Per village: the families the latest prelist names, and how many of them a household at
/// the hub visited.
async fn listed(
    db: &Db,
    scope: &Scope,
    region: Option<&RegionCode>,
) -> Result<Vec<(String, i64, i64)>, sqlx::Error> {
    let (within, binds) = scope.condition_within(region, "p.kode_desa", 1);
    // CAST: PostgreSQL sums BIGINTs into NUMERIC.
    let sql = format!(
        "SELECT p.kode_desa, COUNT(*), CAST(SUM(CASE WHEN EXISTS \
           (SELECT 1 FROM records r WHERE r.prelist_id = p.prelist_id) THEN 1 ELSE 0 END) AS BIGINT) \
         FROM prelist_families p WHERE p.in_latest = 1 AND {within} GROUP BY p.kode_desa"
    );
    let rows = sqlx::query(&sql).bind_all(&binds).fetch_all(&db.pool).await?;
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
        .collect()
}

/// Per village: the enumerators assigned to it.
async fn assigned(
    db: &Db,
    scope: &Scope,
    region: Option<&RegionCode>,
) -> Result<Vec<(String, String, String)>, sqlx::Error> {
    let (within, binds) = scope.condition_within(region, "ev.kode_desa", 1);
    let sql = format!(
        "SELECT ev.kode_desa, e.id, e.name FROM enumerator_villages ev \
         JOIN enumerators e ON e.id = ev.enumerator_id WHERE {within}"
    );
    let rows = sqlx::query(&sql).bind_all(&binds).fetch_all(&db.pool).await?;
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
        .collect()
}

/// Per village and sender: the households received and where their review stands. A
/// household rejected as another's duplicate is not a family and counts nowhere.
async fn received(
    db: &Db,
    scope: &Scope,
    region: Option<&RegionCode>,
) -> Result<Vec<(String, Sender, String, Tally)>, sqlx::Error> {
    let (within, binds) = scope.condition_within(region, "kode_desa", 1);
    let state = |s: ReviewState| {
        format!(
            "CAST(SUM(CASE WHEN review = '{}' THEN 1 ELSE 0 END) AS BIGINT)",
            s.code()
        )
    };
    // A file's households have no enrolled sender: they are told apart by the name written
    // in them.
    let sql = format!(
        "SELECT kode_desa, COALESCE(enumerator_id, ''), \
           CASE WHEN enumerator_id IS NULL THEN enumerator ELSE '' END AS file_sender, \
           MAX(enumerator), COUNT(*), {approved}, {sent_back}, {rejected}, \
           CAST(SUM(conflict) AS BIGINT), CAST(SUM({doubtful}) AS BIGINT) \
         FROM records WHERE {within} AND {not_dropped} \
         GROUP BY kode_desa, COALESCE(enumerator_id, ''), CASE WHEN enumerator_id IS NULL THEN enumerator ELSE '' END",
        approved = state(ReviewState::Decided(Decision::Disetujui)),
        sent_back = state(ReviewState::Decided(Decision::PerluPerbaikan)),
        rejected = state(ReviewState::Decided(Decision::Ditolak)),
        doubtful = duplicates::in_open_pair("records.record_id"),
        not_dropped = duplicates::not_dropped("records.record_id"),
    );
    let rows = sqlx::query(&sql).bind_all(&binds).fetch_all(&db.pool).await?;
    rows.iter()
        .map(|r| {
            let id: String = r.try_get(1)?;
            let file_sender: String = r.try_get(2)?;
            let sender = if id.is_empty() {
                Sender::File(file_sender)
            } else {
                Sender::Enrolled(id)
            };
            let received: i64 = r.try_get(4)?;
            let (approved, sent_back, rejected): (i64, i64, i64) =
                (r.try_get(5)?, r.try_get(6)?, r.try_get(7)?);
            let tally = Tally {
                received,
                approved,
                sent_back,
                rejected,
                waiting: received - approved - sent_back - rejected,
                conflicts: r.try_get(8)?,
                doubtful: r.try_get(9)?,
                ..Tally::default()
            };
            Ok((r.try_get(0)?, sender, r.try_get(3)?, tally))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_target_is_shared_whole_among_the_assigned() {
        let worker = |id: &str, assigned: bool| Worker {
            sender: Sender::Enrolled(id.to_owned()),
            name: id.to_owned(),
            assigned,
            tally: Tally::default(),
        };
        let mut v = Village {
            code: "35.13.14.2001".into(),
            target_set: false,
            tally: Tally {
                target: 10,
                ..Tally::default()
            },
            workers: vec![
                worker("c", true),
                worker("a", true),
                worker("x", false),
                worker("b", true),
            ],
        };
        share_target(&mut v);
        let shares: Vec<(&str, i64)> = v
            .workers
            .iter()
            .map(|w| (w.name.as_str(), w.tally.target))
            .collect();
        assert_eq!(shares, [("c", 3), ("a", 4), ("x", 0), ("b", 3)]);
    }
}
