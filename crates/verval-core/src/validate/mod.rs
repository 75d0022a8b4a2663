//! Validation of a household's answers.
//!
//! Validation never fails: a half-filled form is normal input, so the result is a list of
//! issues, each naming its field, how serious it is and what is wrong in both languages.
//! Errors will block finalizing; warnings only inform.

use crate::ids::FieldId;
use crate::kk::KkProblem;
use crate::nik::NikProblem;
use crate::text::Message;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// What is wrong with one field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IssueKind {
    /// A required field is empty.
    Required,
    /// Fewer characters than the field needs.
    TooShort { min: usize },
    /// More characters than the field takes.
    TooLong { max: usize },
    /// Characters a name may not contain.
    NameCharacters,
    /// Not `min..=max` digits.
    Digits { min: u8, max: u8 },
    /// The family card number's structure (spec §2.2).
    Kk(KkProblem),
    /// The national identity number's structure (spec §2.1).
    Nik(NikProblem),
    /// Not a whole number (or not a number at all).
    NotANumber,
    /// More digits after the decimal point than the question takes.
    TooManyDecimals { places: u8 },
    /// Outside `min..=max`.
    OutOfRange { min: i64, max: i64 },
    /// Not a calendar date written as YYYY-MM-DD.
    BadDate,
    /// A date after today where only past dates make sense.
    FutureDate,
    /// An answer code the question does not have.
    UnknownChoice { code: String },
    /// An exclusive code ("none", "do not know") combined with others.
    ExclusiveCombined { code: String },
    /// Not a region code of the level the question asks for.
    BadRegion,
    /// Not "latitude longitude accuracy".
    BadGeopoint,
    /// A location outside Indonesia's bounding box (lat −11…6, lon 95…141).
    OutsideIndonesia,
    /// A location less accurate than the 50 m the spec asks for.
    LowAccuracy { metres: u32 },
    /// A year before the earliest the question takes (birth dates from 1900).
    YearTooEarly { min: i32 },
    /// A repeat with fewer rows than it needs (at least one member).
    TooFewRows { min: u16 },
    /// A repeat with more rows than it takes.
    TooManyRows { max: u16 },
    /// A reference to a row (the aid beneficiary) that is no longer there.
    UnknownRow,
    // Cross-field rules (spec §1.11 and the rule columns of the section tables).
    /// Not exactly one head of family among the members living here.
    HeadCount { found: usize },
    /// More than one wife/husband of the head.
    SpouseCount { found: usize },
    /// The same NIK twice in the family; `member` is the other row's line number.
    DuplicateNikInFamily { member: usize },
    /// The same NIK in another family stored on this device.
    NikInOtherFamily { family: String },
    /// The same KK number in another family stored on this device.
    KkInOtherFamily { family: String },
    /// The sex the NIK encodes differs from the one entered.
    NikSexMismatch,
    /// The birth date the NIK encodes differs from the one entered.
    NikBirthDateMismatch,
    /// Gas cylinders of 5.5 kg or more, but cooking is not with 5.5/12 kg LPG.
    CylinderWithoutLpg,
    /// Cooking with 5.5/12 kg LPG, but no such cylinder owned.
    LpgWithoutCylinder,
    /// An electric appliance in a house without electricity.
    ApplianceWithoutElectricity,
    /// Status 10 (new family) for a family that came from the prelist.
    NewFamilyFromPrelist,
    /// Status 1–9 (found on the list) for a family without a prelist id.
    ListedWithoutPrelist,
    /// Recommendation 4 (new entry) for a family already on DTKS/DTSEN or P3KE.
    ProposeNewForListed,
    /// The supervisor's check before the visit.
    CheckBeforeVisit,
    /// One programme twice (for one member, when it is for individuals).
    DuplicateProgramme,
    /// Aid "last received" after the visit date.
    AidAfterVisit,
    /// Aid last received more than 12 months before the visit.
    AidOlderThanYear,
    /// A proposed programme the family already receives.
    ProposedAlreadyReceived { programme: String },
    /// The head of family is younger than 15.
    HeadTooYoung,
    /// The head's spouse is younger than 15.
    SpouseTooYoung,
    /// A child of the head older than the head or the spouse.
    ChildOlderThanParent,
    /// The age does not fit the birth year.
    AgeDoesNotFitBirthYear,
    /// Married, divorced or widowed under 10.
    MarriedUnderTen,
    /// A KTP under 17 and never married.
    KtpTooYoung,
    /// Floor area per person under 2 m² or over 100 m².
    UnusualFloorPerPerson,
    /// A decile 1–2 family with a car or a meter of 2,200 W or more.
    AffluentForDecile,
    /// A region that does not lie inside the one chosen above it.
    OutsideParentRegion,
}

/// A row of a repeat an issue is about: its repeat, its stable key and its 1-based position
/// (the member's line number).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RowRef {
    pub repeat: FieldId,
    pub key: u32,
    pub position: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    pub field: FieldId,
    /// The row the field is in, for questions of a repeat.
    pub row: Option<RowRef>,
    pub severity: Severity,
    pub kind: IssueKind,
    pub message: Message,
}

impl Issue {
    // Always inlined, with `message_for`: each call site then keeps only the message of the
    // kind it makes, so the app links the messages it can show, not every message there is.
    #[inline(always)]
    pub fn error(field: FieldId, kind: IssueKind) -> Issue {
        Issue::with_severity(field, Severity::Error, kind)
    }

    #[inline(always)]
    pub fn with_severity(field: FieldId, severity: Severity, kind: IssueKind) -> Issue {
        let message = message_for(&kind);
        Issue {
            field,
            row: None,
            severity,
            kind,
            message,
        }
    }
}

impl Issue {
    /// The same issue, placed in a row.
    pub fn in_row(self, row: Option<RowRef>) -> Issue {
        Issue { row, ..self }
    }

    #[inline(always)]
    pub fn warning(field: FieldId, kind: IssueKind) -> Issue {
        Issue::with_severity(field, Severity::Warning, kind)
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

mod messages;
use messages::message_for;

/// Letters (any script: names are written as on the card), spaces and `.'-` (spec §1.2).
pub fn is_name_char(c: char) -> bool {
    c.is_alphabetic() || c == ' ' || c == '.' || c == '\'' || c == '-'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_exists_in_both_languages() {
        use crate::nik::NikProblem;
        let kinds = [
            IssueKind::Required,
            IssueKind::TooShort { min: 5 },
            IssueKind::TooLong { max: 3 },
            IssueKind::NameCharacters,
            IssueKind::Digits { min: 1, max: 3 },
            IssueKind::Digits { min: 16, max: 16 },
            IssueKind::Kk(KkProblem::NotSixteenDigits),
            IssueKind::Kk(KkProblem::ProvinceOutOfRange),
            IssueKind::Kk(KkProblem::ZeroRegencyOrDistrict),
            IssueKind::Kk(KkProblem::ZeroSerial),
            IssueKind::Kk(KkProblem::ImplausibleRecordingDate),
            IssueKind::Nik(NikProblem::NotSixteenDigits),
            IssueKind::Nik(NikProblem::ProvinceOutOfRange),
            IssueKind::Nik(NikProblem::ZeroRegencyOrDistrict),
            IssueKind::Nik(NikProblem::BadDay),
            IssueKind::Nik(NikProblem::BadDate),
            IssueKind::Nik(NikProblem::ZeroSerial),
            IssueKind::NotANumber,
            IssueKind::TooManyDecimals { places: 2 },
            IssueKind::OutOfRange { min: 1, max: 20 },
            IssueKind::BadDate,
            IssueKind::FutureDate,
            IssueKind::UnknownChoice { code: "7".into() },
            IssueKind::ExclusiveCombined { code: "99".into() },
            IssueKind::BadRegion,
            IssueKind::BadGeopoint,
            IssueKind::OutsideIndonesia,
            IssueKind::LowAccuracy { metres: 80 },
            IssueKind::YearTooEarly { min: 1900 },
            IssueKind::TooFewRows { min: 1 },
            IssueKind::TooManyRows { max: 30 },
            IssueKind::UnknownRow,
            IssueKind::HeadCount { found: 0 },
            IssueKind::HeadCount { found: 2 },
            IssueKind::SpouseCount { found: 2 },
            IssueKind::DuplicateNikInFamily { member: 2 },
            IssueKind::NikInOtherFamily {
                family: "BUDI".into(),
            },
            IssueKind::KkInOtherFamily {
                family: "BUDI".into(),
            },
            IssueKind::NikSexMismatch,
            IssueKind::NikBirthDateMismatch,
            IssueKind::CylinderWithoutLpg,
            IssueKind::LpgWithoutCylinder,
            IssueKind::ApplianceWithoutElectricity,
            IssueKind::NewFamilyFromPrelist,
            IssueKind::ListedWithoutPrelist,
            IssueKind::ProposeNewForListed,
            IssueKind::CheckBeforeVisit,
            IssueKind::DuplicateProgramme,
            IssueKind::AidAfterVisit,
            IssueKind::AidOlderThanYear,
            IssueKind::ProposedAlreadyReceived {
                programme: "PKH".into(),
            },
            IssueKind::HeadTooYoung,
            IssueKind::SpouseTooYoung,
            IssueKind::ChildOlderThanParent,
            IssueKind::AgeDoesNotFitBirthYear,
            IssueKind::MarriedUnderTen,
            IssueKind::KtpTooYoung,
            IssueKind::UnusualFloorPerPerson,
            IssueKind::AffluentForDecile,
            IssueKind::OutsideParentRegion,
        ];
        let mut seen = std::collections::BTreeSet::new();
        for kind in kinds {
            let m = message_for(&kind);
            assert!(!m.id.is_empty() && !m.en.is_empty() && m.id != m.en, "{kind:?}");
            assert!(seen.insert(m.id.clone()), "two kinds say the same: {:?}", m.id);
        }
    }
}
