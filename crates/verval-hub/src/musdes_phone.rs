//! Village meetings between the hub and the phones (issue #24): the meetings of an
//! enumerator's villages go out with the assignment; a meeting recorded on a phone comes in
//! with its sync round (`POST /api/v1/musdes`), or in a batch file from a phone with no
//! hub ([`crate::ingest`]), and is taken decision by decision
//! (`verval_core::aid::meeting_book::take_decision`): a decision the district changed since
//! the phone saw it stands, one on a household not here yet waits on the phone, and the
//! phone is answered with the meeting as the hub now holds it.

use crate::audit::Actor;
use crate::db::{Db, DbError};
use crate::enrol::Device;
use crate::musdes::{
    add_meeting, audit_decisions, meeting_of, write_decision, MusdesError, NewDecision, MEETING_COLUMNS,
};
use sqlx::Row;
use std::collections::BTreeMap;
use verval_core::aid::meeting_book::{
    take_decision, MeetingAnswer, MeetingDecision, MusdesAnswer, MusdesUpload, Take, VillageMeeting,
};
use verval_core::aid::musdes::Tally;
use verval_core::date::Date;
use verval_core::region::RegionCode;

/// Who sent meetings: an enrolled phone in its sync round, or a batch file district staff
/// imported.
pub struct Sender<'a> {
    /// The villages it may record meetings of; `None`: any (a file the district chose to
    /// import, as its households are).
    villages: Option<&'a [String]>,
    /// The enrolled enumerator whose families it decides; `None` (a file): the families
    /// that came by file, which name no enumerator.
    enumerator_id: Option<&'a str>,
    /// The name its decisions are stored under (`updated_by`): a decision stored under it
    /// earlier is its own, never a conflict.
    writer: String,
    /// Where the audit says they came from: the device's key, or the file's device.
    origin: String,
}

impl<'a> Sender<'a> {
    /// An enrolled phone: its decisions are stored under its enumerator (as its sync round
    /// names it), whoever stores them (a sealed batch is opened by district staff).
    pub fn device(device: &'a Device) -> Sender<'a> {
        Sender {
            villages: Some(&device.villages),
            enumerator_id: Some(&device.enumerator_id),
            writer: device.actor_name(),
            origin: device.device_key.clone(),
        }
    }

    /// A batch file made on the device `device_id` (its manifest's word). Its decisions are
    /// stored under the device, not the enumerator's name: a batch of meetings alone names
    /// none, and the same phone's later file must find its own decisions.
    pub fn file(device_id: &str) -> Sender<'a> {
        let device: String = device_id
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(12)
            .collect();
        Sender {
            villages: None,
            enumerator_id: None,
            writer: format!("berkas HP {device}"),
            origin: format!("file:{device_id}"),
        }
    }

    /// Whether this sender decides on a family sent by `by` (`None`: from a file).
    fn decides(&self, by: Option<&str>) -> bool {
        by.is_none_or(|by| Some(by) == self.enumerator_id)
    }
}

/// Every meeting of `villages`, with its decisions, as the phones take them.
pub async fn for_villages(db: &Db, villages: &[String]) -> Result<Vec<VillageMeeting>, sqlx::Error> {
    let mut out = Vec::new();
    for village in villages {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT meeting_id FROM musdes_meetings WHERE kode_desa = $1 ORDER BY meeting_id",
        )
        .bind(village)
        .fetch_all(&db.pool)
        .await?;
        for id in ids {
            let mut tx = db.pool.begin().await?;
            if let Some(meeting) = state_in(&mut tx, id).await? {
                out.push(meeting);
            }
            tx.commit().await?;
        }
    }
    Ok(out)
}

/// A meeting and its decisions as the hub holds them, read in `tx`.
async fn state_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: i64,
) -> Result<Option<VillageMeeting>, sqlx::Error> {
    let sql = format!("SELECT {MEETING_COLUMNS} FROM musdes_meetings WHERE meeting_id = $1");
    let Some(row) = sqlx::query(&sql).bind(id).fetch_optional(&mut **tx).await? else {
        return Ok(None);
    };
    let rows = sqlx::query(
        "SELECT record_id, revision, decision, note, updated_at FROM musdes_decisions \
         WHERE meeting_id = $1 ORDER BY record_id",
    )
    .bind(id)
    .fetch_all(&mut **tx)
    .await?;
    let decisions = rows
        .iter()
        .map(|r| {
            Ok(MeetingDecision {
                record_id: r.try_get("record_id")?,
                revision: u32::try_from(r.try_get::<i64, _>("revision")?).unwrap_or(u32::MAX),
                decision: r.try_get("decision")?,
                note: r.try_get("note")?,
                hub_at: r.try_get("updated_at")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let stored = meeting_of(&row)?;
    Ok(Some(VillageMeeting {
        kode_desa: stored.kode_desa,
        meeting: stored.meeting,
        decisions,
    }))
}

async fn meeting_id(db: &Db, desa: &str, period: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT meeting_id FROM musdes_meetings WHERE kode_desa = $1 AND period = $2")
        .bind(desa)
        .bind(period.trim())
        .fetch_optional(&db.pool)
        .await
}

/// Takes the meetings a phone recorded, each on its own: one refused (named in its answer)
/// does not hold back the others.
pub async fn take(
    db: &Db,
    sender: &Sender<'_>,
    upload: &MusdesUpload,
    by: &Actor,
    today: Date,
) -> Result<MusdesAnswer, MusdesError> {
    let mut answers = Vec::with_capacity(upload.meetings.len());
    for sent in &upload.meetings {
        answers.push(match take_one(db, sender, sent, by, today).await {
            Ok(answer) => answer,
            Err(MusdesError::Invalid(problem)) => MeetingAnswer {
                problem,
                ..MeetingAnswer::default()
            },
            Err(e) => return Err(e),
        });
    }
    Ok(MusdesAnswer { meetings: answers })
}

async fn take_one(
    db: &Db,
    sender: &Sender<'_>,
    sent: &VillageMeeting,
    by: &Actor,
    today: Date,
) -> Result<MeetingAnswer, MusdesError> {
    if sender.villages.is_some_and(|v| !v.contains(&sent.kode_desa)) {
        return Err(MusdesError::Invalid(format!(
            "desa {} bukan desa tugas HP ini (not a village of this phone)",
            sent.kode_desa
        )));
    }
    let problems = sent.problems(today);
    if !problems.is_empty() {
        return Err(MusdesError::Invalid(problems.join("; ")));
    }
    let id = match meeting_id(db, &sent.kode_desa, &sent.meeting.period).await? {
        Some(id) => id,
        None => {
            let desa = RegionCode::parse(&sent.kode_desa).map_err(|e| MusdesError::Invalid(e.to_string()))?;
            match add_meeting(db, &desa, &sent.meeting, by, today).await {
                Ok(id) => id,
                // Recorded by someone else a moment ago: take the decisions into theirs.
                Err(e) => meeting_id(db, &sent.kode_desa, &sent.meeting.period)
                    .await?
                    .ok_or(e)?,
            }
        }
    };
    let now = crate::db::now_ms();
    let (state, waiting) = db
        .write(|| async {
            let mut tx = db.pool.begin().await?;
            let current = current_revisions(&mut tx, &sent.kode_desa).await?;
            // A phone decides only on the families it verified itself (their current version
            // sent by its enumerator): a decision on another's is not taken, and the answer
            // shows the phone the hub's.
            // (A household staff imported from a file names no enumerator: the phone that
            // handed it over decides it.)
            let mine = |record_id: &str| {
                current
                    .get(record_id)
                    .is_none_or(|(_, by)| sender.decides(by.as_deref()))
            };
            // Decisions this phone wrote itself: changing one is no conflict, whatever it
            // knew of it (an answer it has not taken yet).
            let own: std::collections::BTreeSet<String> = sqlx::query_scalar(
                "SELECT record_id FROM musdes_decisions WHERE meeting_id = $1 AND updated_by = $2",
            )
            .bind(id)
            .bind(&sender.writer)
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .collect();
            let held = state_in(&mut tx, id).await?.unwrap_or_default();
            let mut waiting = Vec::new();
            let mut written = Vec::new();
            for d in &sent.decisions {
                let hub = held
                    .decision(&d.record_id)
                    .map(|h| (h.decision.as_str(), h.note.as_str(), h.hub_at));
                if !mine(&d.record_id) {
                    continue;
                }
                let take =
                    match take_decision(d, hub, current.get(&d.record_id).map(|(revision, _)| *revision)) {
                        Take::Conflict if own.contains(&d.record_id) => Take::Write,
                        take => take,
                    };
                match take {
                    Take::Write => {
                        if written.is_empty() {
                            // The meeting's list is frozen by its first decision.
                            crate::musdes::freeze_in(&mut tx, id, current.keys().map(String::as_str)).await?;
                        }
                        let decision = NewDecision {
                            record_id: &d.record_id,
                            decision: d.decision.trim(),
                            note: d.note.trim(),
                            revision: i64::from(d.revision),
                        };
                        write_decision(&mut tx, id, &decision, now, &sender.writer).await?;
                        written.push(d);
                    }
                    Take::Waiting => waiting.push(d.record_id.clone()),
                    Take::Same | Take::Conflict => {}
                }
            }
            if !written.is_empty() {
                let tally = Tally::of(written.iter().map(|d| d.decision.trim()));
                let households: Vec<String> = written.iter().map(|d| d.record_id.clone()).collect();
                audit_decisions(&mut tx, by, id, tally, &households, Some(&sender.origin)).await?;
            }
            let state = state_in(&mut tx, id).await?;
            tx.commit().await.map(|()| (state, waiting))
        })
        .await
        .map_err(|e: sqlx::Error| MusdesError::Db(DbError::Query(e)))?;
    Ok(MeetingAnswer {
        state,
        problem: String::new(),
        waiting,
    })
}

/// The current revision of each household of the desa that counts (not rejected as a
/// duplicate), and the enrolled enumerator who sent it (`None`: a file staff imported).
async fn current_revisions(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    desa: &str,
) -> Result<BTreeMap<String, (u32, Option<String>)>, sqlx::Error> {
    let sql = format!(
        "SELECT r.record_id, r.revision, r.enumerator_id FROM records r WHERE r.kode_desa = $1 AND {}",
        crate::supervision::duplicates::not_dropped("r.record_id")
    );
    let rows: Vec<(String, i64, Option<String>)> =
        sqlx::query_as(&sql).bind(desa).fetch_all(&mut **tx).await?;
    Ok(rows
        .into_iter()
        .map(|(id, revision, by)| (id, (u32::try_from(revision).unwrap_or(u32::MAX), by)))
        .collect())
}
