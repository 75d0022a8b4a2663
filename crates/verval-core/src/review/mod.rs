//! The district's review of a household, as it travels back to the phone (issue #20): a
//! decision on one revision, with a note for the whole family and notes on single fields
//! or member rows; a feed of decisions with a cursor, for the sync round and as a file; the
//! phone's book of the latest decision per household; and what changed between two
//! revisions, field by field, for the reviewer.
//!
//! - [`Decision`] and [`FieldNote`]: what a reviewer decides and says.
//! - [`feed`]: [`ReviewFeed`](feed::ReviewFeed), the answer of `GET /api/v1/reviews` and the
//!   review file, and the checks a phone makes before it takes one.
//! - [`book`]: the phone's state, merged idempotently from feeds in any order.
//! - [`diff`]: the changes between the reviewed revision and a newer one.

pub mod book;
pub mod diff;
pub mod feed;

use crate::text::Text;
use serde::{Deserialize, Serialize};

/// What a reviewer decides about one revision of a household.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Approved: the household's data stands.
    Disetujui,
    /// Sent back to the enumerator to correct what the notes say.
    PerluPerbaikan,
    /// Rejected: not found, not eligible to verify, or a duplicate of another family.
    Ditolak,
}

impl Decision {
    pub const ALL: [Decision; 3] = [Decision::Disetujui, Decision::PerluPerbaikan, Decision::Ditolak];

    /// As stored and sent: `disetujui`, `perlu_perbaikan`, `ditolak`.
    pub fn code(self) -> &'static str {
        match self {
            Decision::Disetujui => "disetujui",
            Decision::PerluPerbaikan => "perlu_perbaikan",
            Decision::Ditolak => "ditolak",
        }
    }

    pub fn parse(code: &str) -> Option<Decision> {
        Decision::ALL.into_iter().find(|d| d.code() == code)
    }

    pub fn label(self) -> Text {
        match self {
            Decision::Disetujui => Text::new("Disetujui", "approved"),
            Decision::PerluPerbaikan => Text::new("Perlu perbaikan", "needs correction"),
            Decision::Ditolak => Text::new("Ditolak", "rejected"),
        }
    }
}

/// Why a decision cannot be made as given: the hub's page says so to the reviewer, and a
/// phone refuses a feed carrying one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DecisionProblem {
    #[error("Tulis catatan: apa yang perlu diperbaiki? (Write a note: what needs correcting?)")]
    SentBackWithoutNote,
    #[error("Keluarga ganda hanya untuk keputusan Ditolak (a duplicate is only named when rejecting).")]
    DuplicateNotRejected,
}

/// The rules every decision keeps: sent back only with something said (a note for the
/// family or on a field), another family named only when rejecting.
pub fn check_decision(
    decision: Decision,
    note: &str,
    fields: &[FieldNote],
    names_duplicate: bool,
) -> Result<(), DecisionProblem> {
    let said = !note.trim().is_empty() || fields.iter().any(|f| !f.note.trim().is_empty());
    if decision == Decision::PerluPerbaikan && !said {
        return Err(DecisionProblem::SentBackWithoutNote);
    }
    if names_duplicate && decision != Decision::Ditolak {
        return Err(DecisionProblem::DuplicateNotRejected);
    }
    Ok(())
}

/// Where a household stands with the district, as the hub keeps it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReviewState {
    /// Received; nobody has reviewed it yet.
    Menunggu,
    /// The last decision, on the revision that is current.
    Decided(Decision),
    /// A newer revision arrived after a decision: it waits for another look.
    TinjauUlang,
}

impl ReviewState {
    pub const ALL: [ReviewState; 5] = [
        ReviewState::Menunggu,
        ReviewState::Decided(Decision::Disetujui),
        ReviewState::Decided(Decision::PerluPerbaikan),
        ReviewState::Decided(Decision::Ditolak),
        ReviewState::TinjauUlang,
    ];

    /// As stored in the hub's `records.review`.
    pub fn code(self) -> &'static str {
        match self {
            // The code the hub used before reviews had decisions: kept so old rows read.
            ReviewState::Menunggu => "diterima",
            ReviewState::Decided(d) => d.code(),
            ReviewState::TinjauUlang => "tinjau_ulang",
        }
    }

    pub fn parse(code: &str) -> Option<ReviewState> {
        ReviewState::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> Text {
        match self {
            ReviewState::Menunggu => Text::new("Menunggu tinjauan", "waiting for review"),
            ReviewState::Decided(d) => d.label(),
            ReviewState::TinjauUlang => Text::new("Menunggu tinjauan ulang", "corrected, waiting for review"),
        }
    }

    /// The state once a newer revision of the household has arrived: a decision was about
    /// the old one.
    pub fn after_new_revision(self) -> ReviewState {
        match self {
            ReviewState::Menunggu => ReviewState::Menunggu,
            ReviewState::Decided(_) | ReviewState::TinjauUlang => ReviewState::TinjauUlang,
        }
    }
}

/// A note on one field, or on one field of one member row ("NIK anggota 3 tidak sesuai
/// KK"). `field` is the field id (an export column name); `row` is the row's key within
/// its repeat (stable for the record's life, unlike its position).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldNote {
    pub field: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row: Option<RowRef>,
    pub note: String,
}

/// A row of a repeat: which repeat, which row (its key), and its place when the note was
/// written (1 = the first row), for people reading the note.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RowRef {
    pub repeat: String,
    pub key: u32,
    pub position: u32,
}

/// The other family a household duplicates, when it is rejected as a duplicate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DuplicateOf {
    pub record_id: String,
    /// The head of that family, as the hub holds it, so the enumerator knows whom.
    pub name: String,
}
