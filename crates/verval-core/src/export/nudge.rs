//! When to remind the enumerator that finished households are still only on the phone.
//!
//! A phone can be lost, reset or broken; records that have not left it in a batch go with
//! it. After three days with finalized households not exported, the list says so.

use crate::record::Timestamp;

/// Days with unexported households before the reminder shows.
pub const NUDGE_AFTER_DAYS: i64 = 3;

const MS_PER_DAY: i64 = 86_400_000;

/// What the household list says about exporting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExportState {
    /// Whole days since the last batch, `None` if none was ever made here.
    pub days_since_export: Option<i64>,
    /// Finalized households not yet in a batch.
    pub pending: u32,
    /// Whether to remind the enumerator to export.
    pub nudge: bool,
}

/// The state from the pending count, the last export and the oldest wait. `waiting_since`
/// is when the oldest pending household was finalized, or the first use if unknown: with
/// no export ever made, the reminder counts from there.
pub fn export_state(
    pending: u32,
    last_export: Option<Timestamp>,
    waiting_since: Option<Timestamp>,
    now: Timestamp,
) -> ExportState {
    let days = |since: Timestamp| (now.0 - since.0).max(0) / MS_PER_DAY;
    let days_since_export = last_export.map(days);
    let waited = match (last_export, waiting_since) {
        (Some(last), Some(since)) => days(last.max(since)),
        (Some(last), None) => days(last),
        (None, Some(since)) => days(since),
        (None, None) => 0,
    };
    ExportState {
        days_since_export,
        pending,
        nudge: pending > 0 && waited >= NUDGE_AFTER_DAYS,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = MS_PER_DAY;
    const NOW: Timestamp = Timestamp(100 * DAY);

    #[test]
    fn no_reminder_without_pending_households() {
        let s = export_state(0, Some(Timestamp(NOW.0 - 30 * DAY)), None, NOW);
        assert_eq!(
            s,
            ExportState {
                days_since_export: Some(30),
                pending: 0,
                nudge: false
            }
        );
    }

    #[test]
    fn a_reminder_after_three_days_with_pending_households() {
        let last = |days: i64| Some(Timestamp(NOW.0 - days * DAY));
        assert!(
            !export_state(2, last(2), last(10), NOW).nudge,
            "exported 2 days ago"
        );
        assert!(export_state(2, last(3), last(10), NOW).nudge, "3 days");
        assert_eq!(export_state(2, last(3), last(10), NOW).days_since_export, Some(3));
        // Exported long ago, but the waiting households were finalized yesterday.
        assert!(!export_state(1, last(20), last(1), NOW).nudge);
        // Never exported: counted from when the oldest household was finalized.
        assert!(export_state(1, None, last(4), NOW).nudge);
        assert!(!export_state(1, None, last(1), NOW).nudge);
        assert_eq!(export_state(1, None, last(4), NOW).days_since_export, None);
    }

    #[test]
    fn a_clock_set_back_never_counts_negative_days() {
        let future = Some(Timestamp(NOW.0 + 5 * DAY));
        let s = export_state(1, future, None, NOW);
        assert_eq!((s.days_since_export, s.nudge), (Some(0), false));
    }
}
