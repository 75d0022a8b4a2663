//! A backup restored onto a phone, household by household: what is newer wins, and nothing
//! newer is ever overwritten. Restoring the same backup twice changes nothing the second time;
//! restoring onto a phone that has its own families keeps them.

use crate::record::{HouseholdRecord, RecordStatus};

/// What to do with one household of a backup.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    /// The phone has no such household: add it.
    Add,
    /// The backup's is newer: it replaces the phone's.
    Replace,
    /// The phone's is as new or newer: keep it, the backup's is left out.
    Keep,
}

/// Compares a household of the backup with the phone's (if any): a higher revision is newer;
/// in one revision, a finalized record is newer than its draft (finalizing ends the
/// revision's editing); between two drafts or two finals of one revision, the later
/// `updated_at`. A tie keeps the phone's.
pub fn choose(phone: Option<&HouseholdRecord>, backup: &HouseholdRecord) -> Choice {
    let Some(phone) = phone else {
        return Choice::Add;
    };
    let rank = |r: &HouseholdRecord| {
        let finished = u8::from(r.status == RecordStatus::Final);
        (r.revision, finished, r.updated_at)
    };
    if rank(backup) > rank(phone) {
        Choice::Replace
    } else {
        Choice::Keep
    }
}
