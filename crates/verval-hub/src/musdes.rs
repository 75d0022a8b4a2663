//! The village meeting at the hub (issue #24, migration 0012): a desa's meetings, each with
//! its period, Berita Acara number and day, and the meeting's decision on each family read
//! out (`verval_core::aid::musdes`). The families are the desa's households as the hub holds
//! them now (current versions, duplicates rejected as another's left out), read by the
//! export's own query, so the meeting, the recap and the export see the same families. A
//! decision keeps the revision it was taken on: a family changed since waits for a new
//! decision before its proposals go on to any channel. Every change is audited.

use crate::audit::{self, Action, Actor, Event};
use crate::db::{Db, DbError};
use crate::export::{current_records, ExportError};
use crate::staff::Scope;
use sqlx::Row;
use std::collections::BTreeMap;
use verval_core::aid::channels::{channel_rows, Channel, MeetingRef};
use verval_core::aid::musdes::{decision_problem, Listed, Meeting, Tally};
use verval_core::date::Date;
use verval_core::region::{RegionCode, VILLAGE_DEPTH};
use verval_core::HouseholdRecord;

#[derive(Debug, thiserror::Error)]
pub enum MusdesError {
    #[error("{0}")]
    Invalid(String),
    #[error("musyawarah tidak ditemukan di wilayah Anda (no such meeting in your region)")]
    Unknown,
    #[error(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    Export(#[from] ExportError),
}

impl From<sqlx::Error> for MusdesError {
    fn from(e: sqlx::Error) -> MusdesError {
        MusdesError::Db(DbError::Query(e))
    }
}

/// A meeting as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stored {
    pub id: i64,
    pub kode_desa: String,
    pub meeting: Meeting,
    pub created_at: i64,
    pub created_by: String,
}

/// A decision as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decided {
    pub decision: String,
    pub note: String,
    /// The household revision the meeting saw.
    pub revision: i64,
    pub updated_at: i64,
    pub updated_by: String,
}

/// One family on a meeting's list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Family {
    pub record_id: String,
    pub revision: i64,
    pub listed: Listed,
    pub decided: Option<Decided>,
    /// The current version, for the channels' lists.
    pub record: HouseholdRecord,
}

impl Family {
    /// The decision recorded and its note; `("", "")` when none.
    pub fn decision_and_note(&self) -> (&str, &str) {
        self.decided
            .as_ref()
            .map_or(("", ""), |d| (d.decision.as_str(), d.note.as_str()))
    }

    /// The decision, when it was taken on the family's current version; `""` otherwise.
    pub fn current_decision(&self) -> &str {
        match &self.decided {
            Some(d) if d.revision == self.revision => &d.decision,
            _ => "",
        }
    }

    /// Decided, and changed since: its proposals wait for a new decision.
    pub fn changed_since_decided(&self) -> bool {
        self.decided.as_ref().is_some_and(|d| d.revision != self.revision)
    }
}

/// A meeting and its by-name list, in the order the desa's families are read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MeetingList {
    pub stored: Stored,
    pub families: Vec<Family>,
    /// Families of the desa that reached the hub after the list was frozen (its first
    /// decision): not on this meeting's list, they wait for the next meeting.
    pub later: usize,
}

impl MeetingList {
    /// A channel's list for this meeting: `(household id, row)` for every family agreed with
    /// a programme of the channel proposed.
    pub fn channel(&self, channel: Channel, today: Date) -> Vec<(String, Vec<String>)> {
        let meeting = MeetingRef {
            number: &self.stored.meeting.number,
            held_on: &self.stored.meeting.held_on,
        };
        let mut out = Vec::new();
        for family in &self.families {
            let decided = verval_core::aid::channels::Decided {
                record: &family.record,
                decision: family.current_decision(),
            };
            // Numbered by the list, not by the meeting's order.
            for mut row in channel_rows(channel, std::slice::from_ref(&decided), &meeting, today) {
                row[0] = (out.len() + 1).to_string();
                out.push((family.record_id.clone(), row));
            }
        }
        out
    }

    /// Agreed families waiting for a programme no channel carries ("Lainnya").
    pub fn unrouted(&self, today: Date) -> usize {
        self.families
            .iter()
            .filter(|f| {
                let decided = verval_core::aid::channels::Decided {
                    record: &f.record,
                    decision: f.current_decision(),
                };
                verval_core::aid::channels::unrouted(&decided, today)
            })
            .count()
    }

    pub fn tally(&self) -> Tally {
        Tally::of(
            self.families
                .iter()
                .map(|f| f.decided.as_ref().map_or("", |d| d.decision.as_str())),
        )
    }
}

pub(crate) const MEETING_COLUMNS: &str =
    "meeting_id, kode_desa, period, number, held_on, place, chair, created_at, created_by";

pub(crate) fn meeting_of(row: &sqlx::any::AnyRow) -> Result<Stored, sqlx::Error> {
    Ok(Stored {
        id: row.try_get("meeting_id")?,
        kode_desa: row.try_get("kode_desa")?,
        meeting: Meeting {
            period: row.try_get("period")?,
            number: row.try_get("number")?,
            held_on: row.try_get("held_on")?,
            place: row.try_get("place")?,
            chair: row.try_get("chair")?,
        },
        created_at: row.try_get("created_at")?,
        created_by: row.try_get("created_by")?,
    })
}

/// Every meeting within `scope`, by desa then day.
pub async fn meetings_within(db: &Db, scope: &Scope) -> Result<Vec<Stored>, sqlx::Error> {
    use crate::households::BindAll;
    let (within, binds) = scope.condition("kode_desa", 1);
    let sql = format!(
        "SELECT {MEETING_COLUMNS} FROM musdes_meetings WHERE {within} ORDER BY kode_desa, held_on DESC"
    );
    let rows = sqlx::query(&sql).bind_all(&binds).fetch_all(&db.pool).await?;
    rows.iter().map(meeting_of).collect()
}

/// A meeting, when its desa lies within `scope`.
pub async fn meeting(db: &Db, id: i64, scope: &Scope) -> Result<Stored, MusdesError> {
    let sql = format!("SELECT {MEETING_COLUMNS} FROM musdes_meetings WHERE meeting_id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(&db.pool).await?;
    match row.as_ref().map(meeting_of).transpose()? {
        Some(stored) if scope.contains(&stored.kode_desa) => Ok(stored),
        _ => Err(MusdesError::Unknown),
    }
}

/// Records a new meeting of `desa` (checked: every problem named; one period per desa).
pub async fn add_meeting(
    db: &Db,
    desa: &RegionCode,
    meeting: &Meeting,
    by: &Actor,
    today: Date,
) -> Result<i64, MusdesError> {
    let mut problems = meeting.problems(today);
    // A Musdes is one village's: a kecamatan's code would read out every village in it.
    if desa.as_str().split('.').count() != VILLAGE_DEPTH {
        problems.push(format!(
            "{} bukan kode desa (not a village code: like 35.13.14.2001)",
            desa.as_str()
        ));
    }
    if !problems.is_empty() {
        return Err(MusdesError::Invalid(problems.join("; ")));
    }
    let now = crate::db::now_ms();
    let added = db
        .write(|| async {
            let mut tx = db.pool.begin().await?;
            let taken: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM musdes_meetings WHERE kode_desa = $1 AND period = $2",
            )
            .bind(desa.as_str())
            .bind(meeting.period.trim())
            .fetch_one(&mut *tx)
            .await?;
            if taken > 0 {
                return Ok(None);
            }
            let id: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(meeting_id), 0) + 1 FROM musdes_meetings")
                .fetch_one(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO musdes_meetings (meeting_id, kode_desa, period, number, held_on, place, chair, \
                   created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(id)
            .bind(desa.as_str())
            .bind(meeting.period.trim())
            .bind(meeting.number.trim())
            .bind(meeting.held_on.trim())
            .bind(meeting.place.trim())
            .bind(meeting.chair.trim())
            .bind(now)
            .bind(&by.name)
            .execute(&mut *tx)
            .await?;
            let event = Event {
                action: Action::Musdes,
                detail: serde_json::json!({ "musyawarah": id, "desa": desa.as_str(), "dicatat": "rapat" }),
                households: &[],
            };
            audit::record_in(&mut tx, by, &event).await?;
            tx.commit().await.map(|()| Some(id))
        })
        .await
        .map_err(|e: sqlx::Error| MusdesError::Db(DbError::Query(e)))?;
    added.ok_or_else(|| {
        MusdesError::Invalid(format!(
            "periode {:?} sudah tercatat untuk desa ini (a meeting of this period is already recorded)",
            meeting.period.trim()
        ))
    })
}

pub(crate) async fn decisions(db: &Db, meeting_id: i64) -> Result<BTreeMap<String, Decided>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT record_id, decision, note, revision, updated_at, updated_by FROM musdes_decisions \
         WHERE meeting_id = $1",
    )
    .bind(meeting_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("record_id")?,
                Decided {
                    decision: r.try_get("decision")?,
                    note: r.try_get("note")?,
                    revision: r.try_get("revision")?,
                    updated_at: r.try_get("updated_at")?,
                    updated_by: r.try_get("updated_by")?,
                },
            ))
        })
        .collect()
}

/// A meeting with its by-name list: the desa's current verified families, each with the
/// meeting's decision, if any.
pub async fn list(db: &Db, id: i64, scope: &Scope, today: Date) -> Result<MeetingList, MusdesError> {
    let stored = meeting(db, id, scope).await?;
    let desa = RegionCode::parse(&stored.kode_desa).map_err(|e| {
        MusdesError::Invalid(format!(
            "kode desa tersimpan tidak sah (stored village code invalid): {e}"
        ))
    })?;
    let records = current_records(db, Some(&desa), scope).await?;
    let mut decided = decisions(db, id).await?;
    let frozen: std::collections::BTreeSet<String> =
        sqlx::query_scalar("SELECT record_id FROM musdes_listed WHERE meeting_id = $1")
            .bind(id)
            .fetch_all(&db.pool)
            .await?
            .into_iter()
            .collect();
    let total = records.len();
    let families: Vec<Family> = records
        .into_iter()
        .filter(|r| frozen.is_empty() || frozen.contains(r.id.as_str()))
        .map(|record| Family {
            record_id: record.id.to_string(),
            revision: i64::from(record.revision),
            listed: Listed::of(&record, today),
            decided: decided.remove(record.id.as_str()),
            record,
        })
        .collect();
    let later = total - families.len();
    Ok(MeetingList {
        stored,
        families,
        later,
    })
}

/// One family's decision as typed on the meeting's page: empty `decision` for none.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Typed {
    pub record_id: String,
    pub decision: String,
    pub note: String,
    /// When the decision the page showed was recorded (`Decided::updated_at`); `None` when
    /// the page showed none.
    pub shown: Option<i64>,
}

/// Records the meeting's decisions: all, or none when any has a problem (each named by the
/// family's number on the list). Only what changed is written, with the revision on the list
/// now, in one transaction with one audit event naming the families. Returns how many changed.
pub async fn decide(
    db: &Db,
    id: i64,
    typed: &[Typed],
    scope: &Scope,
    by: &Actor,
    today: Date,
) -> Result<usize, MusdesError> {
    let list = list(db, id, scope, today).await?;
    let mut problems = Vec::new();
    let mut changes: Vec<(&Family, &Typed)> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for t in typed {
        if !seen.insert(t.record_id.as_str()) {
            problems.push(format!(
                "keluarga {} dikirim dua kali (the same family twice)",
                t.record_id
            ));
            continue;
        }
        let Some((number, family)) = list
            .families
            .iter()
            .enumerate()
            .find(|(_, f)| f.record_id == t.record_id)
        else {
            problems.push(format!(
                "keluarga {} tidak ada di daftar desa ini (not on this village's list)",
                t.record_id
            ));
            continue;
        };
        if let Some(problem) = decision_problem(t.decision.trim(), &t.note) {
            problems.push(format!("no. {}: {problem}", number + 1));
            continue;
        }
        let now = family
            .decided
            .as_ref()
            .map(|d| (d.decision.as_str(), d.note.as_str()));
        let wanted = (!t.decision.trim().is_empty()).then(|| (t.decision.trim(), t.note.trim()));
        // Saved again on a family changed since its decision: the decision now holds for the
        // version the page showed.
        let outdated = wanted.is_some()
            && family
                .decided
                .as_ref()
                .is_some_and(|d| d.revision != family.revision);
        if now == wanted && !outdated {
            continue;
        }
        // A page opened before someone else decided this family would undo their decision.
        if t.shown != family.decided.as_ref().map(|d| d.updated_at) {
            problems.push(format!(
                "no. {}: keputusannya diubah orang lain sejak halaman ini dibuka; muat ulang halaman (changed by someone else since the page was opened: reload)",
                number + 1
            ));
            continue;
        }
        changes.push((family, t));
    }
    if !problems.is_empty() {
        return Err(MusdesError::Invalid(problems.join("; ")));
    }
    if changes.is_empty() {
        return Ok(0);
    }
    let now = crate::db::now_ms();
    let households: Vec<String> = changes.iter().map(|(f, _)| f.record_id.clone()).collect();
    let tally = Tally::of(changes.iter().map(|(_, t)| t.decision.trim()));
    let written = db
        .write(|| async {
            let mut tx = db.pool.begin().await?;
            freeze_in(&mut tx, id, list.families.iter().map(|f| f.record_id.as_str())).await?;
            for (family, t) in &changes {
                // Read again under the write lock: a decision recorded since the list was read
                // fails the whole save (the transaction is dropped, nothing written).
                let stored: Option<i64> = sqlx::query_scalar(
                    "SELECT updated_at FROM musdes_decisions WHERE meeting_id = $1 AND record_id = $2",
                )
                .bind(id)
                .bind(&family.record_id)
                .fetch_optional(&mut *tx)
                .await?;
                if stored != t.shown {
                    return Ok(false);
                }
                let decision = NewDecision {
                    record_id: &family.record_id,
                    decision: t.decision.trim(),
                    note: t.note.trim(),
                    revision: family.revision,
                };
                write_decision(&mut tx, id, &decision, now, &by.name).await?;
            }
            audit_decisions(&mut tx, by, id, tally, &households, None).await?;
            tx.commit().await.map(|()| true)
        })
        .await
        .map_err(|e: sqlx::Error| MusdesError::Db(DbError::Query(e)))?;
    if !written {
        return Err(MusdesError::Invalid(
            "keputusan diubah orang lain saat menyimpan; tidak ada yang tersimpan, muat ulang halaman (changed by someone else while saving: nothing saved, reload)".to_owned(),
        ));
    }
    Ok(changes.len())
}

/// Audits decisions written on meeting `id` (inside their transaction): how many each way,
/// the families, and the phone they came from, if one.
pub(crate) async fn audit_decisions(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    by: &Actor,
    id: i64,
    tally: Tally,
    households: &[String],
    phone: Option<&str>,
) -> Result<(), sqlx::Error> {
    let mut detail = serde_json::json!({
        "musyawarah": id,
        "disetujui": tally.agreed,
        "tidak_disetujui": tally.not_agreed,
        "ditunda": tally.postponed,
        "dihapus": tally.undecided,
    });
    if let Some(phone) = phone {
        detail["dari_hp"] = serde_json::Value::from(phone);
    }
    let event = Event {
        action: Action::Musdes,
        detail,
        households,
    };
    audit::record_in(tx, by, &event).await
}

/// Freezes meeting `id`'s list to `listed` (the families on it now) if it is not frozen yet,
/// inside the caller's transaction: from its first decision on, a meeting's list is the
/// families it read out.
pub(crate) async fn freeze_in<'a>(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: i64,
    listed: impl Iterator<Item = &'a str>,
) -> Result<(), sqlx::Error> {
    let frozen: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM musdes_listed WHERE meeting_id = $1")
        .bind(id)
        .fetch_one(&mut **tx)
        .await?;
    if frozen > 0 {
        return Ok(());
    }
    for record_id in listed {
        list_in(tx, id, record_id).await?;
    }
    Ok(())
}

/// Puts a family on meeting `id`'s frozen list (a decision recorded on it).
async fn list_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: i64,
    record_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO musdes_listed (meeting_id, record_id) VALUES ($1, $2) \
         ON CONFLICT (meeting_id, record_id) DO NOTHING",
    )
    .bind(id)
    .bind(record_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A decision to write: an empty `decision` takes the one stored back.
pub(crate) struct NewDecision<'a> {
    pub record_id: &'a str,
    pub decision: &'a str,
    pub note: &'a str,
    /// The household revision the meeting saw.
    pub revision: i64,
}

/// Replaces a family's decision in meeting `id` (inside the caller's transaction, which
/// also audits it), and puts the family on the meeting's frozen list.
pub(crate) async fn write_decision(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: i64,
    d: &NewDecision<'_>,
    now: i64,
    by: &str,
) -> Result<(), sqlx::Error> {
    list_in(tx, id, d.record_id).await?;
    sqlx::query("DELETE FROM musdes_decisions WHERE meeting_id = $1 AND record_id = $2")
        .bind(id)
        .bind(d.record_id)
        .execute(&mut **tx)
        .await?;
    if d.decision.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO musdes_decisions (meeting_id, record_id, decision, note, revision, updated_at, \
           updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(d.record_id)
    .bind(d.decision)
    .bind(d.note)
    .bind(d.revision)
    .bind(now)
    .bind(by)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The desa within `scope` with verified families, and how many: where a meeting can be held.
pub async fn villages_within(db: &Db, scope: &Scope) -> Result<Vec<(String, i64)>, sqlx::Error> {
    use crate::households::BindAll;
    let (within, binds) = scope.condition("r.kode_desa", 1);
    let sql = format!(
        "SELECT r.kode_desa, COUNT(*) FROM records r WHERE {within} AND {not_dropped} \
         GROUP BY r.kode_desa ORDER BY r.kode_desa",
        not_dropped = crate::supervision::duplicates::not_dropped("r.record_id"),
    );
    sqlx::query_as(&sql).bind_all(&binds).fetch_all(&db.pool).await
}

/// What a hand-out of a meeting's families was: which list, in which form, and whether it
/// carried NIK or KK numbers whole (or masked).
pub struct Handout<'a> {
    /// `daftar` (the by-name list) or a channel's code.
    pub list: &'a str,
    pub format: &'a str,
    pub identity: bool,
    pub masked: bool,
}

/// Audits handing out families of a meeting (`households`) before the list leaves.
pub async fn audit_handout(
    db: &Db,
    by: &Actor,
    stored: &Stored,
    handout: &Handout<'_>,
    households: &[String],
) -> Result<(), DbError> {
    let event = Event {
        action: Action::Export,
        detail: serde_json::json!({
            "musyawarah": stored.id,
            "wilayah": stored.kode_desa,
            "daftar": handout.list,
            "format": handout.format,
            "keluarga": households.len(),
            "nik": handout.identity,
            "disamarkan": handout.masked,
        }),
        households,
    };
    audit::record(db, by, &event).await
}
