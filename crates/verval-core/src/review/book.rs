//! The phone's book of the district's decisions: the latest per household and the cursor
//! to ask from next. Feeds merge into it in any order and any number of times (a sync round
//! cut off, the same review file imported twice, a file older than the last sync) and the
//! book ends the same.

use super::feed::{ReviewFeed, ReviewMessage};
use super::Decision;
use crate::text::Text;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewBook {
    /// The largest cursor of any feed merged: the next online round asks for what follows.
    pub cursor: u64,
    /// The latest decision per record id.
    pub latest: BTreeMap<String, ReviewMessage>,
}

/// What a merge did, to tell the enumerator.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Merged {
    /// Decisions the phone did not have and that are now the latest for their household.
    pub new: usize,
    /// Decisions already known, or older than one already known.
    pub known: usize,
}

impl ReviewBook {
    pub fn merge(&mut self, feed: &ReviewFeed) -> Merged {
        let mut merged = Merged::default();
        for review in &feed.reviews {
            let newer = self
                .latest
                .get(&review.record_id)
                .is_none_or(|had| review.seq > had.seq);
            if newer {
                self.latest.insert(review.record_id.clone(), review.clone());
                merged.new += 1;
            } else {
                merged.known += 1;
            }
        }
        self.cursor = self.cursor.max(feed.cursor);
        merged
    }

    pub fn get(&self, record_id: &str) -> Option<&ReviewMessage> {
        self.latest.get(record_id)
    }
}

/// Where a household on the phone stands with the district.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    /// Sent back: to correct, with the reviewer's notes (also while the correction is a draft).
    SentBack,
    /// Corrected and finalized after the decision: waiting for the district's next look.
    Corrected,
    Approved,
    /// Rejected; `duplicate` when as a duplicate of another family (which one is in the
    /// decision's `duplicate_of`).
    Rejected {
        duplicate: bool,
    },
}

impl Standing {
    /// The standing of a household whose phone copy is at `revision`, finalized or not,
    /// given the district's latest decision.
    pub fn of(review: &ReviewMessage, revision: u32, finalized: bool) -> Standing {
        if revision > review.revision && finalized {
            return Standing::Corrected;
        }
        match review.decision {
            Decision::PerluPerbaikan => Standing::SentBack,
            Decision::Disetujui => Standing::Approved,
            Decision::Ditolak => Standing::Rejected {
                duplicate: review.duplicate_of.is_some(),
            },
        }
    }

    /// A family rejected as a duplicate of another is not to be visited again: the other
    /// family's record is the one that counts.
    pub fn editable(&self) -> bool {
        !matches!(self, Standing::Rejected { duplicate: true })
    }

    pub fn label(&self) -> Text {
        match self {
            Standing::SentBack => Decision::PerluPerbaikan.label(),
            Standing::Corrected => Text::new(
                "Sudah diperbaiki, menunggu tinjauan",
                "corrected, waiting for review",
            ),
            Standing::Approved => Decision::Disetujui.label(),
            Standing::Rejected { .. } => Decision::Ditolak.label(),
        }
    }

    /// For test ids and list filters.
    pub fn code(&self) -> &'static str {
        match self {
            Standing::SentBack => "perlu_perbaikan",
            Standing::Corrected => "diperbaiki",
            Standing::Approved => "disetujui",
            Standing::Rejected { .. } => "ditolak",
        }
    }
}

/// How many of the phone's households stand where with the district: the list's
/// "Perlu perbaikan (n)" and the campaign page's progress.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub sent_back: usize,
    pub corrected: usize,
    pub approved: usize,
    pub rejected: usize,
}

impl Tally {
    pub fn of<'a>(standings: impl IntoIterator<Item = &'a Standing>) -> Tally {
        let mut tally = Tally::default();
        for standing in standings {
            let count = match standing {
                Standing::SentBack => &mut tally.sent_back,
                Standing::Corrected => &mut tally.corrected,
                Standing::Approved => &mut tally.approved,
                Standing::Rejected { .. } => &mut tally.rejected,
            };
            *count += 1;
        }
        tally
    }

    /// Nothing the district decided is on this phone.
    pub fn is_empty(&self) -> bool {
        *self == Tally::default()
    }
}

#[cfg(test)]
mod tests {
    use super::super::feed::tests::{feed, message, RECORD};
    use super::super::DuplicateOf;
    use super::*;

    #[test]
    fn merging_is_idempotent_and_order_free() {
        let first = feed(5, vec![message(5, 1, Decision::PerluPerbaikan, "Foto KK buram")]);
        let second = feed(9, vec![message(9, 2, Decision::Disetujui, "")]);
        let mut forward = ReviewBook::default();
        assert_eq!(forward.merge(&first), Merged { new: 1, known: 0 });
        assert_eq!(forward.merge(&second), Merged { new: 1, known: 0 });
        assert_eq!(forward.merge(&second), Merged { new: 0, known: 1 });
        let mut backward = ReviewBook::default();
        backward.merge(&second);
        assert_eq!(backward.merge(&first), Merged { new: 0, known: 1 });
        assert_eq!(forward, backward);
        assert_eq!(forward.cursor, 9);
        assert_eq!(forward.get(RECORD).map(|r| r.seq), Some(9));
    }

    #[test]
    fn an_older_file_never_lowers_the_cursor() {
        let mut book = ReviewBook::default();
        book.merge(&feed(12, vec![]));
        book.merge(&feed(3, vec![message(3, 1, Decision::PerluPerbaikan, "x")]));
        assert_eq!(book.cursor, 12);
    }

    #[test]
    fn standings() {
        let sent_back = message(1, 2, Decision::PerluPerbaikan, "NIK salah");
        let duplicate = DuplicateOf {
            record_id: "0f8e2d4a-1b3c-4d5e-8f90-a1b2c3d4e5f7".to_owned(),
            name: "Sutrisno".to_owned(),
        };
        let mut rejected = message(2, 2, Decision::Ditolak, "Ganda");
        rejected.duplicate_of = Some(duplicate.clone());
        let cases = [
            (&sent_back, 2, true, Standing::SentBack),
            // The correction is a draft: the notes still show.
            (&sent_back, 3, false, Standing::SentBack),
            (&sent_back, 3, true, Standing::Corrected),
            (
                &message(3, 2, Decision::Disetujui, ""),
                2,
                true,
                Standing::Approved,
            ),
            (&rejected, 2, true, Standing::Rejected { duplicate: true }),
            (
                &message(4, 2, Decision::Ditolak, "Tidak ditemukan"),
                2,
                true,
                Standing::Rejected { duplicate: false },
            ),
        ];
        for (review, revision, finalized, expected) in cases {
            assert_eq!(
                Standing::of(review, revision, finalized),
                expected,
                "{review:?} at {revision}"
            );
        }
        assert!(!Standing::of(&rejected, 2, true).editable());
        assert!(Standing::Rejected { duplicate: false }.editable());
        assert!(Standing::SentBack.editable());
    }

    #[test]
    fn a_tally_counts_each_standing_once() {
        let standings = [
            Standing::SentBack,
            Standing::Corrected,
            Standing::SentBack,
            Standing::Approved,
            Standing::Rejected { duplicate: false },
        ];
        let tally = Tally::of(&standings);
        assert_eq!(
            tally,
            Tally {
                sent_back: 2,
                corrected: 1,
                approved: 1,
                rejected: 1
            }
        );
        assert!(!tally.is_empty());
        assert!(Tally::of(&[]).is_empty());
    }
}
