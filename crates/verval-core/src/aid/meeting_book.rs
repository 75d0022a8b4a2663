//! A village meeting recorded on the phone (issue #24) and its way to the hub and back.
//!
//! The enumerator who reads the families out at the Musdes records the meeting and its
//! decisions on the phone, with no signal. The phone keeps its meetings in a
//! [`MeetingBook`]; the next sync round sends what changed ([`MusdesUpload`]) and takes the
//! hub's answer ([`MusdesAnswer`]); the hub's own meetings of the phone's villages come back
//! with the assignment ([`MeetingBook::take_hub`]).
//!
//! A decision is never lost nor silently replaced: a decision the district changed since the
//! phone last saw it is not overwritten (the hub keeps its own, the phone shows its own as
//! overruled), and a decision on a family whose household has not reached the hub yet waits
//! on the phone for a later round.

use super::musdes::{decision_problem, Meeting};
use crate::date::Date;
use serde::{Deserialize, Serialize};

/// A village's meeting as it travels between the phone and the hub.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VillageMeeting {
    pub kode_desa: String,
    pub meeting: Meeting,
    pub decisions: Vec<MeetingDecision>,
}

/// The meeting's decision on one family.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeetingDecision {
    pub record_id: String,
    /// The household's revision the meeting saw.
    pub revision: u32,
    /// One of `musdes::DECISIONS`' codes; empty: the decision taken back.
    pub decision: String,
    pub note: String,
    /// When the hub recorded the decision the phone last saw for this family (ms since the
    /// epoch); 0 when it saw none.
    #[serde(default)]
    pub hub_at: i64,
}

impl MeetingDecision {
    fn says(&self) -> (&str, &str) {
        (self.decision.trim(), self.note.trim())
    }
}

impl VillageMeeting {
    /// Desa and period name a meeting: one per desa and period, on the phone and at the hub.
    pub fn same_meeting(&self, kode_desa: &str, period: &str) -> bool {
        self.kode_desa == kode_desa && self.meeting.period.trim() == period.trim()
    }

    pub fn decision(&self, record_id: &str) -> Option<&MeetingDecision> {
        self.decisions.iter().find(|d| d.record_id == record_id)
    }

    /// Every problem with the meeting and its decisions; empty when it may be kept or taken.
    pub fn problems(&self, today: Date) -> Vec<String> {
        let mut problems = self.meeting.problems(today);
        if self.decisions.len() > MAX_DECISIONS {
            problems.push(format!(
                "lebih dari {MAX_DECISIONS} keputusan dalam satu musyawarah (too many decisions)"
            ));
            return problems;
        }
        let mut seen = std::collections::BTreeSet::new();
        for d in &self.decisions {
            if !seen.insert(d.record_id.as_str()) {
                problems.push(format!(
                    "keluarga {} tercatat dua kali (the same family twice)",
                    d.record_id
                ));
            } else if crate::ids::RecordId::parse(&d.record_id).is_err() {
                problems.push(format!(
                    "{:?} bukan ID keluarga (not a household id)",
                    truncated(&d.record_id)
                ));
            } else if let Some(problem) = decision_problem(d.decision.trim(), &d.note) {
                problems.push(format!("keluarga {}: {problem}", d.record_id));
            }
        }
        problems
    }
}

/// The most decisions one meeting may carry: a desa's families, with room to spare.
pub const MAX_DECISIONS: usize = 10_000;

/// At most 40 characters of what a phone sent, to name it in a problem.
fn truncated(text: &str) -> String {
    text.chars().take(40).collect()
}

/// A phone sends at most this many meetings at once, by sync or in a batch file (a phone
/// has a few villages).
pub const MAX_MEETINGS: usize = 50;

/// Phone → hub, `POST /api/v1/musdes` or a batch's `musdes.json`: the meetings changed on the
/// phone since the hub took them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MusdesUpload {
    pub meetings: Vec<VillageMeeting>,
}

/// Hub → phone: one answer per meeting sent, in the order sent.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MusdesAnswer {
    pub meetings: Vec<MeetingAnswer>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeetingAnswer {
    /// The meeting as the hub holds it now, after taking what it could; `None` when refused.
    #[serde(default)]
    pub state: Option<VillageMeeting>,
    /// Why the meeting was refused; empty when taken.
    #[serde(default)]
    pub problem: String,
    /// Families whose household the hub does not hold yet (at the revision decided on):
    /// their decisions wait on the phone for a later round.
    #[serde(default)]
    pub waiting: Vec<String>,
}

/// What the hub does with one decision a phone sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Take {
    /// Record it.
    Write,
    /// The hub holds the same already.
    Same,
    /// The district changed the family's decision since the phone last saw it: the hub's
    /// stands, and the phone is told.
    Conflict,
    /// The household has not reached the hub at the revision decided on: try again later.
    Waiting,
}

/// The hub's decision on a family as stored: `(decision, note, updated_at)`.
pub type HubDecision<'a> = (&'a str, &'a str, i64);

/// What to do with `sent` given the hub's decision for the family, if any, and the
/// household's current revision at the hub in the meeting's desa (`None`: not there).
pub fn take_decision(sent: &MeetingDecision, hub: Option<HubDecision<'_>>, current: Option<u32>) -> Take {
    if current.is_none_or(|revision| revision < sent.revision) {
        return Take::Waiting;
    }
    let hub_says = hub.map(|(decision, note, _)| (decision.trim(), note.trim()));
    if hub_says.unwrap_or(("", "")) == sent.says() {
        return Take::Same;
    }
    match hub.map_or(0, |(_, _, at)| at) == sent.hub_at {
        true => Take::Write,
        false => Take::Conflict,
    }
}

/// One meeting on the phone.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kept {
    pub meeting: VillageMeeting,
    /// Changed on the phone since the hub last took it: the next sync round sends it.
    #[serde(default)]
    pub unsent: bool,
    /// The hub's refusal, shown until the meeting is saved again.
    #[serde(default)]
    pub refused: String,
    /// Decisions taken on the phone that the district had already changed: the district's
    /// stands; these are shown to the enumerator until the meeting is saved again.
    #[serde(default)]
    pub overruled: Vec<MeetingDecision>,
}

/// The phone's meetings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingBook {
    pub meetings: Vec<Kept>,
}

impl MeetingBook {
    pub fn find(&self, kode_desa: &str, period: &str) -> Option<&Kept> {
        self.meetings
            .iter()
            .find(|k| k.meeting.same_meeting(kode_desa, period))
    }

    fn find_mut(&mut self, kode_desa: &str, period: &str) -> Option<&mut Kept> {
        self.meetings
            .iter_mut()
            .find(|k| k.meeting.same_meeting(kode_desa, period))
    }

    /// A desa's meetings, newest day first.
    pub fn of_village(&self, kode_desa: &str) -> Vec<&Kept> {
        let mut found: Vec<&Kept> = self
            .meetings
            .iter()
            .filter(|k| k.meeting.kode_desa == kode_desa)
            .collect();
        found.sort_by(|a, b| b.meeting.meeting.held_on.cmp(&a.meeting.meeting.held_on));
        found
    }

    /// Keeps a meeting as the enumerator saved it (all or nothing: every problem named).
    /// `seen` is the meeting as the form showed it when opened; `None` for a new meeting,
    /// refused when one of its period is kept already. A decision left as shown keeps what
    /// the book holds now (the hub's answer may have changed it since the form opened); one
    /// changed carries what the enumerator saw of the hub's (`hub_at`), so a decision the
    /// district changed meanwhile is not overwritten; a decision taken back is kept only if
    /// there was one; the families not on the form keep theirs. Returns whether anything
    /// changed.
    pub fn save(
        &mut self,
        mut typed: VillageMeeting,
        seen: Option<&VillageMeeting>,
        today: Date,
    ) -> Result<bool, Vec<String>> {
        typed.meeting.period = typed.meeting.period.trim().to_owned();
        let mut problems = typed.problems(today);
        let kept = self.find(&typed.kode_desa, &typed.meeting.period).cloned();
        if seen.is_none() && kept.is_some() {
            problems.push(format!(
                "periode {:?} sudah dicatat untuk desa ini: buka musyawarah itu (a meeting of this period is kept already: open it)",
                typed.meeting.period
            ));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let now = |id: &str| kept.as_ref().and_then(|k| k.meeting.decision(id)).cloned();
        let shown = |id: &str| seen.and_then(|s| s.decision(id));
        let mut decisions: Vec<MeetingDecision> = Vec::new();
        for mut d in std::mem::take(&mut typed.decisions) {
            d.decision = d.decision.trim().to_owned();
            d.note = d.note.trim().to_owned();
            let saw = shown(&d.record_id);
            if saw.map_or(("", ""), MeetingDecision::says) == d.says() {
                decisions.extend(now(&d.record_id));
                continue;
            }
            d.hub_at = saw.map_or(0, |s| s.hub_at);
            let had_one = saw.is_some_and(|s| !s.decision.is_empty()) || now(&d.record_id).is_some();
            if !d.decision.is_empty() || had_one {
                decisions.push(d);
            }
        }
        if let Some(k) = &kept {
            for d in &k.meeting.decisions {
                if !decisions.iter().any(|t| t.record_id == d.record_id) {
                    decisions.push(d.clone());
                }
            }
        }
        typed.decisions = decisions;
        let kept = kept.as_ref();
        if kept.is_some_and(|k| k.meeting == typed && k.refused.is_empty() && k.overruled.is_empty()) {
            return Ok(false);
        }
        let entry = Kept {
            meeting: typed,
            unsent: true,
            refused: String::new(),
            overruled: Vec::new(),
        };
        let (desa, period) = (
            entry.meeting.kode_desa.clone(),
            entry.meeting.meeting.period.clone(),
        );
        match self.find_mut(&desa, &period) {
            Some(k) => *k = entry,
            None => self.meetings.push(entry),
        }
        Ok(true)
    }

    /// What the next sync round (or batch file) sends; `None` when nothing changed. At most
    /// [`MAX_MEETINGS`], which the hub takes at once: the rest go once those are taken.
    pub fn to_send(&self) -> Option<MusdesUpload> {
        let meetings: Vec<VillageMeeting> = self
            .meetings
            .iter()
            .filter(|k| k.unsent)
            .take(MAX_MEETINGS)
            .map(|k| k.meeting.clone())
            .collect();
        (!meetings.is_empty()).then_some(MusdesUpload { meetings })
    }

    /// Takes the hub's answer to `sent`. A meeting saved again on the phone since it was sent
    /// is left as it is (the next round sends it); otherwise it becomes the hub's, with the
    /// decisions still waiting kept as the phone's and the ones the district had changed
    /// kept aside as overruled. Returns how many decisions were overruled.
    pub fn take_answer(&mut self, sent: &MusdesUpload, answer: &MusdesAnswer) -> usize {
        let mut overruled_now = 0;
        for (sent, answer) in sent.meetings.iter().zip(&answer.meetings) {
            let Some(kept) = self.find_mut(&sent.kode_desa, &sent.meeting.period) else {
                continue;
            };
            if kept.meeting != *sent {
                // Saved again since it was sent: the next round sends it. What the hub took
                // meanwhile is still learnt, so a later change of it is no conflict.
                if let Some(state) = &answer.state {
                    for d in &mut kept.meeting.decisions {
                        if let Some(hub) = state.decision(&d.record_id).filter(|h| h.says() == d.says()) {
                            d.hub_at = hub.hub_at;
                        }
                    }
                }
                continue;
            }
            let Some(state) = &answer.state else {
                kept.refused = answer.problem.clone();
                continue;
            };
            let waiting = |d: &&MeetingDecision| answer.waiting.contains(&d.record_id);
            let overruled: Vec<MeetingDecision> = sent
                .decisions
                .iter()
                .filter(|d| !waiting(d))
                .filter(|d| {
                    let hub = state
                        .decision(&d.record_id)
                        .map_or(("", ""), MeetingDecision::says);
                    hub != d.says()
                })
                .cloned()
                .collect();
            let mut meeting = state.clone();
            meeting
                .decisions
                .retain(|d| !answer.waiting.contains(&d.record_id));
            meeting
                .decisions
                .extend(sent.decisions.iter().filter(waiting).cloned());
            overruled_now += overruled.len();
            kept.overruled.extend(overruled);
            kept.meeting = meeting;
            kept.unsent = !answer.waiting.is_empty();
            kept.refused.clear();
        }
        overruled_now
    }

    /// Takes the meetings of a backup restored onto this phone (issue #23): a meeting the
    /// phone lacks is added as the old phone kept it (still to send if it was); one the
    /// phone has stays, unless the phone's is the hub's copy and the backup's was changed
    /// on the old phone and not sent yet. Returns how many meetings it added or replaced.
    pub fn restore(&mut self, backup: MeetingBook) -> usize {
        let mut taken = 0;
        for old in backup.meetings {
            let (desa, period) = (&old.meeting.kode_desa, &old.meeting.meeting.period);
            match self.find_mut(desa, period) {
                Some(kept) if !kept.unsent && old.unsent => *kept = old,
                Some(_) => continue,
                None => self.meetings.push(old),
            }
            taken += 1;
        }
        taken
    }

    /// Takes the hub's meetings of the phone's villages (from the assignment): a meeting
    /// not changed on the phone since the hub last took it becomes the hub's; one changed
    /// waits for its sync round, whose answer settles it.
    pub fn take_hub(&mut self, meetings: &[VillageMeeting]) {
        for hub in meetings {
            match self.find_mut(&hub.kode_desa, &hub.meeting.period) {
                Some(kept) if kept.unsent => {}
                Some(kept) => kept.meeting = hub.clone(),
                None => self.meetings.push(Kept {
                    meeting: hub.clone(),
                    ..Kept::default()
                }),
            }
        }
    }
}
