//! Validation of a household's answers.
//!
//! Validation never fails: a half-filled form is normal input, so the result is a list of
//! issues, each naming its field, how serious it is and what is wrong in both languages.
//! Errors will block finalizing; warnings only inform.

use crate::date::Date;
use crate::fields::{ALAMAT, NAMA_KEPALA_KELUARGA, NOMOR_KK};
use crate::ids::FieldId;
use crate::kk::{check_kk, KkProblem};
use crate::record::Answers;
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
    /// Characters a name may not contain.
    NameCharacters,
    /// The family card number's structure (spec §2.2).
    Kk(KkProblem),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    pub field: FieldId,
    pub severity: Severity,
    pub kind: IssueKind,
    pub message: Message,
}

impl Issue {
    fn error(field: FieldId, kind: IssueKind) -> Issue {
        Issue::with_severity(field, Severity::Error, kind)
    }

    fn with_severity(field: FieldId, severity: Severity, kind: IssueKind) -> Issue {
        let message = message_for(&kind);
        Issue {
            field,
            severity,
            kind,
            message,
        }
    }
}

const ALAMAT_MIN_CHARS: usize = 5;

/// Checks the identity fields. `today` is the device's local date, for date plausibility.
pub fn validate_identity(answers: &Answers, today: Date) -> Vec<Issue> {
    let mut issues = Vec::new();

    let nama = answers.get(NAMA_KEPALA_KELUARGA).trim();
    if nama.is_empty() {
        issues.push(Issue::error(NAMA_KEPALA_KELUARGA, IssueKind::Required));
    } else if !nama.chars().all(is_name_char) {
        issues.push(Issue::error(NAMA_KEPALA_KELUARGA, IssueKind::NameCharacters));
    }

    // Required unless the family has no card (status_kk = 3); that field arrives with the
    // full form, so until then the number is always required.
    let kk = answers.get(NOMOR_KK).trim();
    if kk.is_empty() {
        issues.push(Issue::error(NOMOR_KK, IssueKind::Required));
    } else {
        for problem in check_kk(kk, today) {
            issues.push(Issue::with_severity(
                NOMOR_KK,
                problem.severity(),
                IssueKind::Kk(problem),
            ));
        }
    }

    let alamat = answers.get(ALAMAT).trim();
    if alamat.is_empty() {
        issues.push(Issue::error(ALAMAT, IssueKind::Required));
    } else if alamat.chars().count() < ALAMAT_MIN_CHARS {
        issues.push(Issue::error(
            ALAMAT,
            IssueKind::TooShort {
                min: ALAMAT_MIN_CHARS,
            },
        ));
    }

    issues
}

/// Letters (any script: names are written as on the card), spaces and `.'-` (spec §1.2).
fn is_name_char(c: char) -> bool {
    c.is_alphabetic() || c == ' ' || c == '.' || c == '\'' || c == '-'
}

fn message_for(kind: &IssueKind) -> Message {
    match kind {
        IssueKind::Required => Message::new("Wajib diisi.", "Required."),
        IssueKind::TooShort { min } => Message::new(
            format!("Terlalu pendek: paling sedikit {min} karakter."),
            format!("Too short: at least {min} characters."),
        ),
        IssueKind::NameCharacters => Message::new(
            "Nama hanya boleh berisi huruf, spasi, titik, apostrof (') dan tanda hubung (-).",
            "A name may contain only letters, spaces, full stops, apostrophes (') and hyphens (-).",
        ),
        IssueKind::Kk(problem) => kk_message(*problem),
    }
}

fn kk_message(problem: KkProblem) -> Message {
    match problem {
        KkProblem::NotSixteenDigits => Message::new(
            "Nomor KK harus 16 angka, tanpa huruf, spasi atau tanda baca.",
            "The family card number must be 16 digits, with no letters, spaces or punctuation.",
        ),
        KkProblem::ProvinceOutOfRange => Message::new(
            "Dua angka pertama (kode provinsi) harus 11 sampai 99.",
            "The first two digits (province code) must be 11 to 99.",
        ),
        KkProblem::ZeroRegencyOrDistrict => Message::new(
            "Angka ke-3–4 (kabupaten/kota) dan ke-5–6 (kecamatan) tidak boleh 00.",
            "Digits 3–4 (regency) and 5–6 (district) cannot be 00.",
        ),
        KkProblem::ZeroSerial => Message::new(
            "Empat angka terakhir (nomor urut keluarga) tidak boleh 0000.",
            "The last four digits (family serial) cannot be 0000.",
        ),
        KkProblem::ImplausibleRecordingDate => Message::new(
            "Periksa kembali: angka ke-7–12 biasanya tanggal pencatatan (HHBBTT) yang tidak melewati hari ini.",
            "Check again: digits 7–12 are usually the recording date (DDMMYY), not later than today.",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::new(2026, 11, 22).unwrap()
    }

    fn answers(pairs: &[(FieldId, &str)]) -> Answers {
        let mut a = Answers::default();
        for (field, value) in pairs {
            a.set(*field, value);
        }
        a
    }

    /// The (field, kind) pairs of the issues, the part a rule decides.
    fn check(pairs: &[(FieldId, &str)], expected: &[(FieldId, IssueKind)]) {
        let got: Vec<(FieldId, IssueKind)> = validate_identity(&answers(pairs), today())
            .into_iter()
            .map(|i| (i.field, i.kind))
            .collect();
        assert_eq!(got, expected, "answers {pairs:?}");
    }

    const GOOD: [(FieldId, &str); 3] = [
        (NAMA_KEPALA_KELUARGA, "SITI AMINAH"),
        (NOMOR_KK, "3513141203150007"),
        (ALAMAT, "Dusun Krajan RT 003 RW 001"),
    ];

    #[test]
    fn a_complete_family_has_no_issue() {
        check(&GOOD, &[]);
    }

    #[test]
    fn an_empty_form_lists_every_required_field_and_never_fails() {
        check(
            &[],
            &[
                (NAMA_KEPALA_KELUARGA, IssueKind::Required),
                (NOMOR_KK, IssueKind::Required),
                (ALAMAT, IssueKind::Required),
            ],
        );
        check(
            &[(NAMA_KEPALA_KELUARGA, "   ")],
            &[
                (NAMA_KEPALA_KELUARGA, IssueKind::Required),
                (NOMOR_KK, IssueKind::Required),
                (ALAMAT, IssueKind::Required),
            ],
        );
    }

    #[test]
    fn name_rules() {
        for ok in [
            "SITI AMINAH",
            "I GUSTI NGURAH RAI",
            "MUH. SA'ID",
            "ANAK-AGUNG",
            "Dédé",
        ] {
            check(&[GOOD[1], GOOD[2], (NAMA_KEPALA_KELUARGA, ok)], &[]);
        }
        for bad in ["SITI 2", "BUDI_SANTOSO", "ANI@", "JOKO, S.Pd"] {
            check(
                &[GOOD[1], GOOD[2], (NAMA_KEPALA_KELUARGA, bad)],
                &[(NAMA_KEPALA_KELUARGA, IssueKind::NameCharacters)],
            );
        }
    }

    #[test]
    fn address_needs_five_characters() {
        check(
            &[GOOD[0], GOOD[1], (ALAMAT, "Jl 1")],
            &[(ALAMAT, IssueKind::TooShort { min: 5 })],
        );
        check(&[GOOD[0], GOOD[1], (ALAMAT, "Jl. 1")], &[]);
    }

    #[test]
    fn kk_problems_arrive_with_their_severity_and_message() {
        let issues = validate_identity(
            &answers(&[GOOD[0], GOOD[2], (NOMOR_KK, "3513143202150000")]),
            today(),
        );
        let kinds: Vec<_> = issues.iter().map(|i| (i.severity, i.kind.clone())).collect();
        assert_eq!(
            kinds,
            [
                (
                    Severity::Warning,
                    IssueKind::Kk(KkProblem::ImplausibleRecordingDate)
                ),
                (Severity::Error, IssueKind::Kk(KkProblem::ZeroSerial)),
            ]
        );
        assert!(issues[1].message.id.contains("0000"));
        assert!(issues[1].message.en.contains("0000"));
    }

    #[test]
    fn every_message_exists_in_both_languages() {
        let kinds = [
            IssueKind::Required,
            IssueKind::TooShort { min: 5 },
            IssueKind::NameCharacters,
            IssueKind::Kk(KkProblem::NotSixteenDigits),
            IssueKind::Kk(KkProblem::ProvinceOutOfRange),
            IssueKind::Kk(KkProblem::ZeroRegencyOrDistrict),
            IssueKind::Kk(KkProblem::ZeroSerial),
            IssueKind::Kk(KkProblem::ImplausibleRecordingDate),
        ];
        for kind in kinds {
            let m = message_for(&kind);
            assert!(!m.id.is_empty() && !m.en.is_empty() && m.id != m.en, "{kind:?}");
        }
    }
}
