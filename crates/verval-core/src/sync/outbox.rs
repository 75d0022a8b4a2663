//! What a phone still has to send: the planning half of its outbox, kept pure so the app's
//! sync and the hub's tests decide alike.
//!
//! A household revision leaves the outbox only when a receipt names it (or it is set aside
//! in quarantine, with the reason shown). Batches already made for sync and not yet
//! answered are sent again as they are — same batch id, so the hub answers a repeat with
//! the receipt it already gave — before any new batch is made.

use std::collections::{BTreeMap, BTreeSet};

/// A record revision: `(id, revision)`.
pub type Revision = (String, u32);

/// What the outbox holds right now.
#[derive(Clone, Debug, Default)]
pub struct OutboxState {
    /// Finalized revisions the phone has: waiting for a first batch, or already in one
    /// (a file export or an earlier sync batch). Several revisions of one id may appear.
    pub candidates: Vec<Revision>,
    /// Revisions a receipt named.
    pub acknowledged: BTreeSet<Revision>,
    /// Revisions the hub refused for good, set aside with their reason.
    pub quarantined: BTreeSet<Revision>,
    /// Ids in a sync batch that waits for its answer: that batch is sent again instead.
    pub in_flight: BTreeSet<String>,
    /// Ids whose last sync batch was refused as a whole, without naming a record: each now
    /// travels alone, so one bad record cannot hold back the others.
    pub alone: BTreeSet<String>,
}

/// The ids that need a new sync batch, in two lists: those that may share batches, and
/// those that must go alone. Only each id's newest revision counts: it supersedes the
/// others at the hub.
pub fn to_batch(state: &OutboxState) -> (Vec<String>, Vec<String>) {
    let mut newest: BTreeMap<&str, u32> = BTreeMap::new();
    for (id, revision) in &state.candidates {
        let entry = newest.entry(id.as_str()).or_insert(*revision);
        *entry = (*entry).max(*revision);
    }
    let mut together = Vec::new();
    let mut alone = Vec::new();
    for (id, revision) in newest {
        let key = (id.to_owned(), revision);
        if state.acknowledged.contains(&key)
            || state.quarantined.contains(&key)
            || state.in_flight.contains(id)
        {
            continue;
        }
        if state.alone.contains(id) {
            alone.push(id.to_owned());
        } else {
            together.push(id.to_owned());
        }
    }
    (together, alone)
}

/// How many revisions still wait for a receipt (what "belum terkirim" counts).
pub fn unsent_count(state: &OutboxState) -> usize {
    let (together, alone) = to_batch(&OutboxState {
        in_flight: BTreeSet::new(),
        ..state.clone()
    });
    together.len() + alone.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rev(id: &str, revision: u32) -> Revision {
        (id.to_owned(), revision)
    }

    #[test]
    fn only_the_newest_unacknowledged_revision_of_each_household_is_sent() {
        let state = OutboxState {
            candidates: vec![rev("a", 1), rev("a", 2), rev("b", 1), rev("c", 3)],
            acknowledged: [rev("a", 1), rev("c", 3)].into(),
            ..OutboxState::default()
        };
        assert_eq!(to_batch(&state), (vec!["a".to_owned(), "b".to_owned()], vec![]));
        assert_eq!(unsent_count(&state), 2);
    }

    #[test]
    fn in_flight_quarantined_and_lone_records_are_kept_apart() {
        let state = OutboxState {
            candidates: vec![rev("a", 1), rev("b", 1), rev("c", 1), rev("d", 2)],
            quarantined: [rev("b", 1)].into(),
            in_flight: ["c".to_owned()].into(),
            alone: ["d".to_owned()].into(),
            ..OutboxState::default()
        };
        assert_eq!(to_batch(&state), (vec!["a".to_owned()], vec!["d".to_owned()]));
        // In flight still counts as not sent; quarantined does not wait any more.
        assert_eq!(unsent_count(&state), 3);
    }

    #[test]
    fn a_corrected_household_is_sent_again_even_after_its_first_receipt() {
        let state = OutboxState {
            candidates: vec![rev("a", 1), rev("a", 2)],
            acknowledged: [rev("a", 1)].into(),
            quarantined: [rev("a", 1)].into(),
            ..OutboxState::default()
        };
        assert_eq!(to_batch(&state).0, vec!["a".to_owned()]);
    }

    #[test]
    fn nothing_to_send_when_everything_is_acknowledged() {
        let state = OutboxState {
            candidates: vec![rev("a", 1), rev("a", 1)],
            acknowledged: [rev("a", 1)].into(),
            ..OutboxState::default()
        };
        assert_eq!(to_batch(&state), (vec![], vec![]));
        assert_eq!(unsent_count(&state), 0);
    }
}
