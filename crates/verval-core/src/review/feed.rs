//! The district's decisions as they travel to a phone: the answer of `GET /api/v1/reviews`
//! (one device, everything after the phone's cursor) and the review file a district officer
//! hands an enumerator (every device of theirs). One shape for both, so the phone takes them
//! through one door and the same refusals.

use super::{check_decision, Decision, DuplicateOf, FieldNote};
use crate::ids::RecordId;
use crate::seal::published::{recipients, PublishedKey};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The value of `format` in a feed.
pub const REVIEW_FORMAT: &str = "verval-reviews";
/// The feed format version this code writes and reads.
pub const REVIEW_FORMAT_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewFeed {
    pub format: String,
    pub format_version: u32,
    /// The hub's configured name.
    pub hub: String,
    /// The enumerator the households were sent by.
    pub enumerator: String,
    /// The devices this feed is for: the one asking online; every device of the enumerator
    /// in a review file. A phone refuses a feed that does not name it.
    pub devices: Vec<String>,
    /// What to ask from next time: every decision with a sequence number up to this one,
    /// on the households of these devices, is in this feed or an earlier one.
    pub cursor: u64,
    /// In sequence order.
    pub reviews: Vec<ReviewMessage>,
    /// The district's public keys as the hub hands them out now (issue #22): how a new or
    /// rotated key reaches a phone enrolled before it. The phone pins them if it has none and
    /// holds a different list for the district's confirmation; never replaces pinned keys.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub district_keys: Vec<PublishedKey>,
}

impl ReviewFeed {
    pub fn new(
        hub: String,
        enumerator: String,
        devices: Vec<String>,
        cursor: u64,
        reviews: Vec<ReviewMessage>,
        district_keys: Vec<PublishedKey>,
    ) -> ReviewFeed {
        ReviewFeed {
            format: REVIEW_FORMAT.to_owned(),
            format_version: REVIEW_FORMAT_VERSION,
            hub,
            enumerator,
            devices,
            cursor,
            reviews,
            district_keys,
        }
    }

    /// The review file's name: which phone, as of which decision.
    pub fn file_name(&self) -> String {
        let device: String = self
            .devices
            .first()
            .map_or("", String::as_str)
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .take(40)
            .collect();
        format!("tinjauan-{device}-{}.json", self.cursor)
    }
}

/// One decision on one revision of a household.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewMessage {
    /// The hub's sequence number of the decision: later decisions have larger ones.
    pub seq: u64,
    pub record_id: String,
    /// The revision the reviewer looked at.
    pub revision: u32,
    pub decision: Decision,
    /// For the whole household; may be empty when field notes say it all.
    #[serde(default)]
    pub note: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldNote>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<DuplicateOf>,
    /// The reviewer's name as the hub knows them.
    pub reviewer: String,
    /// When, milliseconds since 1970 (UTC).
    pub at: i64,
}

impl ReviewMessage {
    /// Why this decision cannot stand as the hub would have written it, if it cannot.
    pub fn problem(&self) -> Option<String> {
        if RecordId::parse(&self.record_id).is_err() {
            return Some(format!("record id {:?} is not a record id", self.record_id));
        }
        if self.revision == 0 {
            return Some(format!("record {}: revision 0", self.record_id));
        }
        check_decision(
            self.decision,
            &self.note,
            &self.fields,
            self.duplicate_of.is_some(),
        )
        .err()
        .map(|problem| format!("record {}: {problem}", self.record_id))
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FeedError {
    #[error("bukan berkas tinjauan Verval (not a Verval review file): {0}")]
    NotAFeed(String),
    #[error("berkas tinjauan versi {0} tidak dikenal aplikasi ini; perbarui aplikasi (unknown review file version; update the app)")]
    UnknownVersion(u32),
    #[error(
        "berkas tinjauan ini untuk HP lain ({enumerator}); minta berkas untuk HP ini (this review file is for another phone)"
    )]
    OtherDevice { enumerator: String },
    #[error("berkas tinjauan rusak (damaged review file): {0}")]
    Damaged(String),
    #[error("kunci dinas di berkas tinjauan tidak sah (the district keys in the review do not check): {0}")]
    BadKeys(crate::seal::SealError),
}

/// Reads a feed (an API answer or a review file) meant for `device_id`, with everything in
/// it checked before the phone takes any of it.
pub fn parse_feed(bytes: &[u8], device_id: &str) -> Result<ReviewFeed, FeedError> {
    let head: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| FeedError::NotAFeed(e.to_string()))?;
    if head.get("format").and_then(|f| f.as_str()) != Some(REVIEW_FORMAT) {
        return Err(FeedError::NotAFeed(format!(
            "format is {}",
            head.get("format").unwrap_or(&serde_json::Value::Null)
        )));
    }
    match head.get("format_version").and_then(|v| v.as_u64()) {
        Some(v) if v == u64::from(REVIEW_FORMAT_VERSION) => {}
        Some(v) => return Err(FeedError::UnknownVersion(u32::try_from(v).unwrap_or(u32::MAX))),
        None => return Err(FeedError::NotAFeed("no format_version".to_owned())),
    }
    let feed: ReviewFeed = serde_json::from_value(head).map_err(|e| FeedError::Damaged(e.to_string()))?;
    if !feed.devices.iter().any(|d| d == device_id) {
        return Err(FeedError::OtherDevice {
            enumerator: feed.enumerator,
        });
    }
    let mut seen = BTreeSet::new();
    for review in &feed.reviews {
        if let Some(problem) = review.problem() {
            return Err(FeedError::Damaged(problem));
        }
        if review.seq > feed.cursor {
            return Err(FeedError::Damaged(format!(
                "decision {} is past the cursor {}",
                review.seq, feed.cursor
            )));
        }
        if !seen.insert(review.seq) {
            return Err(FeedError::Damaged(format!(
                "decision {} appears twice",
                review.seq
            )));
        }
    }
    if !feed.district_keys.is_empty() {
        recipients(&feed.district_keys).map_err(FeedError::BadKeys)?;
    }
    Ok(feed)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) const DEVICE: &str = "device-a";
    pub(crate) const RECORD: &str = "0f8e2d4a-1b3c-4d5e-8f90-a1b2c3d4e5f6";

    pub(crate) fn message(seq: u64, revision: u32, decision: Decision, note: &str) -> ReviewMessage {
        ReviewMessage {
            seq,
            record_id: RECORD.to_owned(),
            revision,
            decision,
            note: note.to_owned(),
            fields: Vec::new(),
            duplicate_of: None,
            reviewer: "Verifikator Dinsos".to_owned(),
            at: 1_764_000_000_000,
        }
    }

    pub(crate) fn feed(cursor: u64, reviews: Vec<ReviewMessage>) -> ReviewFeed {
        ReviewFeed {
            format: REVIEW_FORMAT.to_owned(),
            format_version: REVIEW_FORMAT_VERSION,
            hub: "Dinas Sosial Kab. Probolinggo".to_owned(),
            enumerator: "Siti".to_owned(),
            devices: vec![DEVICE.to_owned()],
            cursor,
            reviews,
            district_keys: Vec::new(),
        }
    }

    fn bytes(feed: &ReviewFeed) -> Vec<u8> {
        serde_json::to_vec(feed).expect("feed serializes")
    }

    #[test]
    fn a_feed_for_this_device_reads_back_whole() {
        let mut sent_back = message(7, 1, Decision::PerluPerbaikan, "");
        sent_back.fields.push(FieldNote {
            field: "nik".to_owned(),
            row: Some(super::super::RowRef {
                repeat: "anggota".to_owned(),
                key: 3,
                position: 3,
            }),
            note: "NIK anggota 3 tidak sesuai KK".to_owned(),
        });
        let sent = feed(9, vec![sent_back]);
        assert_eq!(parse_feed(&bytes(&sent), DEVICE), Ok(sent));
    }

    /// Each case: a change to a good feed, and the refusal it must meet.
    #[test]
    fn refusals() {
        type Spoil = fn(&mut ReviewFeed);
        type Expected = fn(&FeedError) -> bool;
        let cases: [(&str, Spoil, Expected); 9] = [
            (
                "another format",
                |f| f.format = "verval-receipt".to_owned(),
                |e| matches!(e, FeedError::NotAFeed(_)),
            ),
            (
                "a newer version",
                |f| f.format_version = 2,
                |e| *e == FeedError::UnknownVersion(2),
            ),
            (
                "another phone",
                |f| f.devices = vec!["device-b".to_owned()],
                |e| matches!(e, FeedError::OtherDevice { .. }),
            ),
            (
                "no phone at all",
                |f| f.devices.clear(),
                |e| matches!(e, FeedError::OtherDevice { .. }),
            ),
            (
                "a decision past the cursor",
                |f| f.cursor = 4,
                |e| matches!(e, FeedError::Damaged(_)),
            ),
            (
                "a decision twice",
                |f| {
                    let again = f.reviews[0].clone();
                    f.reviews.push(again);
                },
                |e| matches!(e, FeedError::Damaged(_)),
            ),
            (
                "a bad record id",
                |f| f.reviews[0].record_id = "../../etc".to_owned(),
                |e| matches!(e, FeedError::Damaged(_)),
            ),
            (
                "sent back without a word",
                |f| f.reviews[0].note = " ".to_owned(),
                |e| matches!(e, FeedError::Damaged(_)),
            ),
            (
                "an approved duplicate",
                |f| {
                    f.reviews[0].decision = Decision::Disetujui;
                    f.reviews[0].duplicate_of = Some(DuplicateOf {
                        record_id: RECORD.to_owned(),
                        name: "X".to_owned(),
                    });
                },
                |e| matches!(e, FeedError::Damaged(_)),
            ),
        ];
        for (what, spoil, expected) in cases {
            let mut spoilt = feed(9, vec![message(5, 1, Decision::PerluPerbaikan, "Foto KK buram")]);
            assert!(
                parse_feed(&bytes(&spoilt), DEVICE).is_ok(),
                "{what}: the unspoilt feed reads"
            );
            spoil(&mut spoilt);
            let refused = parse_feed(&bytes(&spoilt), DEVICE).expect_err(what);
            assert!(expected(&refused), "{what}: {refused:?}");
        }
    }

    fn district_key(n: u8) -> PublishedKey {
        let recipient = crate::seal::Identity::from_random([n; 32]).recipient();
        PublishedKey::of(&recipient, &format!("kunci {n}"))
    }

    /// A rotated key reaches a phone in the sync's answer; a list that does not check is
    /// refused whole, decisions with it, as at enrolment.
    #[test]
    fn the_district_keys_travel_checked() {
        let mut sent = feed(1, vec![message(1, 1, Decision::Disetujui, "")]);
        sent.district_keys = vec![district_key(1), district_key(2)];
        assert_eq!(parse_feed(&bytes(&sent), DEVICE), Ok(sent.clone()));

        let mut one = sent.clone();
        one.district_keys.pop();
        assert!(matches!(
            parse_feed(&bytes(&one), DEVICE),
            Err(FeedError::BadKeys(crate::seal::SealError::TooFewKeys(1)))
        ));
        let mut forged = sent.clone();
        forged.district_keys[1].recipient = district_key(3).recipient;
        assert!(matches!(
            parse_feed(&bytes(&forged), DEVICE),
            Err(FeedError::BadKeys(_))
        ));

        // A feed of a hub without keys names none: the field stays out.
        let plain = serde_json::to_value(feed(1, vec![])).expect("value");
        assert!(plain.get("district_keys").is_none());
    }

    #[test]
    fn not_json_and_unknown_fields_are_refused() {
        assert!(matches!(
            parse_feed(b"PK\x03\x04", DEVICE),
            Err(FeedError::NotAFeed(_))
        ));
        let mut value = serde_json::to_value(feed(1, vec![])).expect("value");
        value["extra"] = serde_json::json!(1);
        let bytes = serde_json::to_vec(&value).expect("bytes");
        assert!(matches!(parse_feed(&bytes, DEVICE), Err(FeedError::Damaged(_))));
    }
}
