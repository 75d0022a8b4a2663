//! Structure checks of the Nomor Kartu Keluarga (spec §2.2).
//!
//! A KK number is 16 digits: the 6-digit area code where it was issued (PP KK CC), the 6-digit
//! date it was recorded (DDMMYY, no +40 rule) and a 4-digit family serial from 0001. Only the
//! length, the digits and the serial are certain; area and date checks are warnings, because old
//! or hand-issued cards and since-split provinces do not always follow the pattern.

use crate::date::Date;
use crate::validate::Severity;

/// One thing wrong, or doubtful, about a KK number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KkProblem {
    /// Not exactly 16 characters, all of them digits.
    NotSixteenDigits,
    /// Province digits outside 11..=99: no province has such a code.
    ProvinceOutOfRange,
    /// Regency or district digits are `00`.
    ZeroRegencyOrDistrict,
    /// The family serial is `0000`; serials start at 0001.
    ZeroSerial,
    /// Digits 7–12 are not a date on or before today (read as DDMMYY in the 2000s).
    ImplausibleRecordingDate,
}

impl KkProblem {
    pub fn severity(self) -> Severity {
        match self {
            KkProblem::NotSixteenDigits
            | KkProblem::ProvinceOutOfRange
            | KkProblem::ZeroRegencyOrDistrict
            | KkProblem::ZeroSerial => Severity::Error,
            KkProblem::ImplausibleRecordingDate => Severity::Warning,
        }
    }
}

/// Every problem of `kk`, most basic first. An empty list means the number is well formed
/// (which says nothing about whether Dukcapil issued it).
pub fn check_kk(kk: &str, today: Date) -> Vec<KkProblem> {
    if kk.len() != 16 || !kk.bytes().all(|b| b.is_ascii_digit()) {
        return vec![KkProblem::NotSixteenDigits];
    }
    let two = |at: usize| -> u8 { kk[at..at + 2].parse().unwrap_or(0) };
    let mut problems = Vec::new();
    if !(11..=99).contains(&two(0)) {
        problems.push(KkProblem::ProvinceOutOfRange);
    }
    if two(2) == 0 || two(4) == 0 {
        problems.push(KkProblem::ZeroRegencyOrDistrict);
    }
    let recorded = Date::new(2000 + i32::from(two(10)), two(8), two(6));
    if !matches!(recorded, Some(date) if date <= today) {
        problems.push(KkProblem::ImplausibleRecordingDate);
    }
    if &kk[12..] == "0000" {
        problems.push(KkProblem::ZeroSerial);
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use KkProblem::*;

    fn today() -> Date {
        Date::new(2026, 11, 22).unwrap()
    }

    #[test]
    fn kk_cases_of_spec_section_2_2() {
        let cases: &[(&str, &[KkProblem])] = &[
            ("3513141203150007", &[]),
            ("3513142211260001", &[]),
            ("351314120315000", &[NotSixteenDigits]),
            ("35131412031500071", &[NotSixteenDigits]),
            ("3513141203150OO7", &[NotSixteenDigits]),
            ("3.51314E+15", &[NotSixteenDigits]),
            ("", &[NotSixteenDigits]),
            ("0513141203150007", &[ProvinceOutOfRange]),
            ("3500141203150007", &[ZeroRegencyOrDistrict]),
            ("3513001203150007", &[ZeroRegencyOrDistrict]),
            ("3513141203150000", &[ZeroSerial]),
            ("3513143202150007", &[ImplausibleRecordingDate]),
            ("3513142911230007", &[]),
            ("3513142902230007", &[ImplausibleRecordingDate]),
            ("3513142311260007", &[ImplausibleRecordingDate]),
            (
                "1000001399990000",
                &[
                    ProvinceOutOfRange,
                    ZeroRegencyOrDistrict,
                    ImplausibleRecordingDate,
                    ZeroSerial,
                ],
            ),
        ];
        for (kk, expected) in cases {
            assert_eq!(check_kk(kk, today()), *expected, "{kk}");
        }
    }

    #[test]
    fn only_the_recording_date_is_a_warning() {
        assert_eq!(ImplausibleRecordingDate.severity(), Severity::Warning);
        for p in [
            NotSixteenDigits,
            ProvinceOutOfRange,
            ZeroRegencyOrDistrict,
            ZeroSerial,
        ] {
            assert_eq!(p.severity(), Severity::Error, "{p:?}");
        }
    }
}
