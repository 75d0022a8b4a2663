//! The bodies of the hub's HTTP API, shared by the hub, the app and the tests.
//!
//! - `POST /api/v1/enrol`, JSON [`EnrolRequest`] → [`Enrolment`]: a one-time code becomes
//!   this device's token.
//! - `POST /api/v1/batches`, `Authorization: Bearer <token>`, body: a batch zip →
//!   a [`Receipt`](super::Receipt).
//! - `GET /api/v1/assignment`, `Authorization: Bearer <token>` → [`Assignment`].
//! - `GET /api/v1/reviews?since=N`, `Authorization: Bearer <token>` → a review feed.
//! - `POST /api/v1/progress`, `Authorization: Bearer <token>`, JSON [`PhoneProgress`] → 204:
//!   what the phone holds, per village, at the end of a sync round.
//! - `POST /api/v1/escrow`, `Authorization: Bearer <token>`, JSON [`EscrowUpload`] → 204:
//!   the phone's data key sealed to the district (issue #23).
//! - `POST /api/v1/pin-reset`, `Authorization: Bearer <token>`, JSON [`PinResetRequest`] →
//!   204, then `GET` the same path → [`PinReset`]: a forgotten PIN, answered by the district.
//! - `POST /api/v1/musdes`, `Authorization: Bearer <token>`, JSON `MusdesUpload` →
//!   `MusdesAnswer`: the village meetings recorded on the phone (issue #24).
//!
//! Every refusal is an [`ApiError`] with a status code that says whether trying again can help.

use serde::{Deserialize, Serialize};

pub const ENROL_PATH: &str = "/api/v1/enrol";
/// `GET`, `Authorization: Bearer <token>` → [`Assignment`]: the families this enumerator
/// is to visit.
pub const ASSIGNMENT_PATH: &str = "/api/v1/assignment";
pub const BATCHES_PATH: &str = "/api/v1/batches";
/// `GET ?since=<cursor>`, `Authorization: Bearer <token>` →
/// [`ReviewFeed`](crate::review::feed::ReviewFeed): the district's decisions on this
/// device's households after the cursor.
pub const REVIEWS_PATH: &str = "/api/v1/reviews";
/// `POST`, `Authorization: Bearer <token>`, JSON [`PhoneProgress`] → `204`: the households
/// begun and finalized on the phone, sent or not, for the district's progress (issue #21).
pub const PROGRESS_PATH: &str = "/api/v1/progress";
/// `POST`, `Authorization: Bearer <token>`, JSON [`EscrowUpload`] → `204`: the phone's data
/// key sealed to the district's keys, so a forgotten PIN loses no family (issue #23).
pub const ESCROW_PATH: &str = "/api/v1/escrow";
/// `POST`, `Authorization: Bearer <token>`, JSON [`PinResetRequest`] → `204`; `GET` →
/// [`PinReset`] (`404` when the phone asked for none): a forgotten PIN. District staff, on
/// the phone with the enumerator, answer it by re-sealing the escrowed key to the phone's
/// one-time key.
pub const PIN_RESET_PATH: &str = "/api/v1/pin-reset";
/// `POST`, `Authorization: Bearer <token>`, JSON
/// [`MusdesUpload`](crate::aid::meeting_book::MusdesUpload) →
/// [`MusdesAnswer`](crate::aid::meeting_book::MusdesAnswer): village meetings recorded on the
/// phone (issue #24).
pub const MUSDES_PATH: &str = "/api/v1/musdes";
/// The largest batch the hub takes in one request unless configured otherwise; the app
/// splits larger exports (see [`super::split`]). Above a part of a batch with photos
/// ([`crate::export::parts::DEFAULT_PART_BYTES`], 50 MB), so a part handed over as a file
/// is taken by the hub's upload page.
pub const DEFAULT_MAX_UPLOAD_BYTES: u64 = 64 << 20;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnrolRequest {
    /// The one-time code district staff gave the enumerator (or its QR).
    pub code: String,
    /// The app's device id (the one batches carry).
    pub device_id: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Enrolment {
    /// Sent as `Authorization: Bearer <token>` with every upload; the hub keeps only its hash.
    pub token: String,
    pub enumerator_id: String,
    pub enumerator: String,
    /// The village codes this enumerator may send records for.
    pub villages: Vec<String>,
    pub hub: String,
    /// The district's public keys (issue #22): from now on this phone seals every batch to
    /// them. Left out while the district has fewer than two.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub district_keys: Vec<crate::seal::published::PublishedKey>,
}

/// The prelist families of an enumerator's villages (issue #7), as the hub holds them now.
///
/// Unlike what phones send, read leniently: a field a newer hub adds is left unread by this
/// app, not a reason to refuse the families with it (an app from before `forms` refused
/// every assignment that carried one). What makes it an assignment are the four fields
/// without a default, and `campaign::assignment`'s checks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    pub hub: String,
    pub enumerator: String,
    pub villages: Vec<String>,
    pub families: Vec<crate::prelist::PrelistFamily>,
    /// The prelist ids of `families` a household at the hub already visited (this
    /// enumerator's or another's), so no family is walked to twice. Left out when none, so
    /// a phone on an app from before it reads the assignment as it did.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub visited: Vec<String>,
    /// The district's public keys, for a phone without a hub (issue #22): its batches are
    /// sealed to them. Left out while the district has fewer than two.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub district_keys: Vec<crate::seal::published::PublishedKey>,
    /// The village meetings (Musdes) of these villages as the hub holds them, with their
    /// decisions (issue #24). Left out when none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub musdes: Vec<crate::aid::meeting_book::VillageMeeting>,
    /// The district's own forms published to phones (issue #25), the newest published
    /// version of each. Left out when none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub forms: Vec<PublishedForm>,
    /// The largest part of a batch with photos the district wants (issue #26 item 5), at
    /// most what its hub takes in one upload. Left out when the hub says nothing: the phone
    /// then makes parts of [`crate::export::parts::DEFAULT_PART_BYTES`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch_part_bytes: Option<u64>,
}

/// A form as data as it travels to phones: named and titled outside its definition, so a
/// phone lists what it has without reading every definition, and the definition kept as the
/// hub stored it (`verval-form/1` JSON), read when the form is opened. Read leniently, like
/// the [`Assignment`] it comes in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedForm {
    pub id: String,
    pub version: String,
    /// The form's title, in Indonesian (English when it has none).
    pub title: String,
    pub definition: String,
}

/// A phone's data key escrowed to the district (`vault::escrow`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EscrowUpload {
    /// [`key_id`](crate::vault::escrow::key_id) of the data key.
    pub key_id: String,
    /// The fingerprints of the district keys it is sealed to (age does not name them).
    pub district_keys: Vec<String>,
    /// The age file, unpadded base64url.
    pub escrow: String,
}

/// A phone that lost its PIN asks for its data key back, sealed to a key made for this.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PinResetRequest {
    /// The data key the phone needs: one it escrowed before.
    pub key_id: String,
    /// The phone's one-time public key (`age1…`); its private half never leaves the phone.
    pub one_time: String,
}

/// The state of a phone's latest [`PinResetRequest`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PinReset {
    pub key_id: String,
    /// The one-time key's fingerprint: what the enumerator reads out to district staff.
    pub fingerprint: String,
    /// The data key sealed to the one-time key (age, unpadded base64url), once the district
    /// answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
}

/// Why the hub refused a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// No token, or one the hub does not know: enrol (again).
    Unauthorized,
    /// The token was revoked by district staff.
    TokenRevoked,
    /// The enrolment code is unknown, used or expired.
    BadEnrolmentCode,
    /// A record of the batch is for a village the enumerator does not cover.
    ForbiddenVillage,
    /// The body is larger than the hub accepts.
    TooLarge,
    /// The batch failed verification (its message says where).
    MalformedBatch,
    /// This batch id was already received with different content.
    BatchIdReused,
    /// The request itself is wrong (not JSON, a missing field).
    BadRequest,
    /// The hub failed; try again later.
    ServerError,
    /// The hub is busy (every verification slot taken for too long); try again later.
    Busy,
    /// A sealed batch names keys this hub never listed: the district could not open it. The
    /// phone keeps its records and seals them again once it has the district's keys.
    UnknownKeys,
}

impl ErrorCode {
    /// Whether sending the same request again can never succeed: the sender should set the
    /// records aside (quarantine) or ask the user, not retry.
    pub fn is_permanent(self) -> bool {
        !matches!(self, ErrorCode::ServerError | ErrorCode::Busy)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiError {
    pub error: ErrorCode,
    /// Bahasa Indonesia first, English in brackets.
    pub message: String,
    /// The record the refusal is about, when it is about one record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_id: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_travel_as_snake_case_json() {
        let e = ApiError {
            error: ErrorCode::ForbiddenVillage,
            message: "m".into(),
            record_id: Some("r".into()),
        };
        let text = serde_json::to_string(&e).unwrap();
        assert_eq!(
            text,
            r#"{"error":"forbidden_village","message":"m","record_id":"r"}"#
        );
        assert_eq!(serde_json::from_str::<ApiError>(&text).unwrap(), e);
    }

    #[test]
    fn only_server_errors_are_worth_retrying() {
        assert!(!ErrorCode::ServerError.is_permanent());
        assert!(!ErrorCode::Busy.is_permanent());
        for code in [
            ErrorCode::Unauthorized,
            ErrorCode::TokenRevoked,
            ErrorCode::ForbiddenVillage,
            ErrorCode::MalformedBatch,
            ErrorCode::TooLarge,
        ] {
            assert!(code.is_permanent(), "{code:?}");
        }
    }
}

/// What a phone holds, per village of its households (issue #21): households begun (drafts
/// and finalized) and finalized, whether sent yet or not. Sent after each sync round, so the
/// district sees work done in the field before it reaches the hub.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhoneProgress {
    pub villages: Vec<VillageOnPhone>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VillageOnPhone {
    pub kode_desa: String,
    pub begun: u32,
    pub finalized: u32,
}

impl PhoneProgress {
    /// Counted from the phone's households: each with its village and whether finalized.
    /// (A phone has a few villages: a sorted list, not a map, keeps the app's code small.)
    pub fn count<'a>(households: impl IntoIterator<Item = (&'a str, bool)>) -> PhoneProgress {
        let mut villages: Vec<VillageOnPhone> = Vec::new();
        for (village, finalized) in households {
            let at = match villages.binary_search_by(|v| v.kode_desa.as_str().cmp(village)) {
                Ok(at) => at,
                Err(at) => {
                    villages.insert(
                        at,
                        VillageOnPhone {
                            kode_desa: village.to_owned(),
                            begun: 0,
                            finalized: 0,
                        },
                    );
                    at
                }
            };
            villages[at].begun += 1;
            villages[at].finalized += u32::from(finalized);
        }
        PhoneProgress { villages }
    }
}

#[cfg(test)]
mod progress_tests {
    use super::*;

    #[test]
    fn a_phone_counts_its_households_per_village() {
        let counted = PhoneProgress::count([
            ("35.13.14.2002", true),
            ("35.13.14.2001", false),
            ("35.13.14.2001", true),
            ("35.13.14.2001", true),
        ]);
        let rows: Vec<(&str, u32, u32)> = counted
            .villages
            .iter()
            .map(|v| (v.kode_desa.as_str(), v.begun, v.finalized))
            .collect();
        assert_eq!(rows, [("35.13.14.2001", 3, 2), ("35.13.14.2002", 1, 1)]);
        assert!(PhoneProgress::count([]).villages.is_empty());
    }
}
