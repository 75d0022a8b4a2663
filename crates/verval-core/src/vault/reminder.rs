//! When the household list reminds the enumerator to back the phone up (issue #23).
//!
//! Finalized households leave the phone in batches, and the export reminder watches those;
//! drafts, photos and the work of the last days leave it only in a backup. A phone whose
//! households changed after its last backup, and whose last backup (or, never backed up, its
//! oldest stored change) is a week old, is one lost or wiped phone away from losing that work.

use crate::record::Timestamp;

/// Days after the last backup (or the oldest change never backed up) before the reminder.
pub const REMIND_AFTER_DAYS: i64 = 7;

const MS_PER_DAY: i64 = 86_400_000;

/// When the stored households were changed: the oldest and the newest `updated_at`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Changes {
    pub oldest: Timestamp,
    pub newest: Timestamp,
}

/// What the list says about the phone's backup.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BackupState {
    /// Whole days since the last backup, `None` if none was made here.
    pub days_since_backup: Option<i64>,
    /// Whether to remind the enumerator to back up.
    pub remind: bool,
}

/// The state from the last backup and the stored households' changes (`None`: no household).
pub fn backup_state(last_backup: Option<Timestamp>, changes: Option<Changes>, now: Timestamp) -> BackupState {
    let days = |since: Timestamp| (now.0 - since.0).max(0) / MS_PER_DAY;
    let remind = match (last_backup, changes) {
        (_, None) => false,
        (Some(last), Some(changes)) => changes.newest > last && days(last) >= REMIND_AFTER_DAYS,
        (None, Some(changes)) => days(changes.oldest) >= REMIND_AFTER_DAYS,
    };
    BackupState {
        days_since_backup: last_backup.map(days),
        remind,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = MS_PER_DAY;
    const NOW: Timestamp = Timestamp(100 * DAY);

    fn ago(days: i64) -> Timestamp {
        Timestamp(NOW.0 - days * DAY)
    }

    fn changed(oldest: i64, newest: i64) -> Option<Changes> {
        Some(Changes {
            oldest: ago(oldest),
            newest: ago(newest),
        })
    }

    #[test]
    fn no_reminder_on_a_phone_without_households() {
        assert_eq!(
            backup_state(None, None, NOW),
            BackupState {
                days_since_backup: None,
                remind: false
            }
        );
        assert!(!backup_state(Some(ago(40)), None, NOW).remind);
    }

    #[test]
    fn never_backed_up_reminds_a_week_after_the_oldest_change() {
        assert!(!backup_state(None, changed(6, 0), NOW).remind, "six days");
        assert!(backup_state(None, changed(7, 0), NOW).remind, "seven days");
        assert!(backup_state(None, changed(30, 29), NOW).remind);
    }

    #[test]
    fn a_backup_reminds_once_a_week_old_and_households_changed_after_it() {
        let state = backup_state(Some(ago(8)), changed(20, 1), NOW);
        assert_eq!(
            state,
            BackupState {
                days_since_backup: Some(8),
                remind: true
            }
        );
        assert!(
            !backup_state(Some(ago(6)), changed(20, 1), NOW).remind,
            "the backup is six days old"
        );
        assert!(
            backup_state(Some(ago(7)), changed(20, 1), NOW).remind,
            "seven days to the day"
        );
        // Nothing changed since: the old backup still holds every household as it is.
        assert!(!backup_state(Some(ago(30)), changed(40, 31), NOW).remind);
        assert!(
            !backup_state(Some(ago(30)), changed(40, 30), NOW).remind,
            "changed as it was made"
        );
    }

    #[test]
    fn a_clock_set_back_counts_no_negative_days() {
        // A backup "made" three days ahead, households changed after it: no negative age,
        // and not a week old.
        let ahead = Timestamp(NOW.0 + 3 * DAY);
        let changes = Some(Changes {
            oldest: ago(10),
            newest: Timestamp(ahead.0 + 1),
        });
        let state = backup_state(Some(ahead), changes, NOW);
        assert_eq!(state.days_since_backup, Some(0));
        assert!(!state.remind);
        // Never backed up, the oldest change "in the future": zero days, no reminder.
        assert!(
            !backup_state(
                None,
                Some(Changes {
                    oldest: ahead,
                    newest: ahead
                }),
                NOW
            )
            .remind
        );
    }
}
