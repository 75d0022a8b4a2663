//! Structure checks of the NIK, the national identity number (spec §2.1), and what it encodes.
//!
//! A NIK is 16 digits: `PP KK CC DD MM YY SSSS` — the area where it was first registered
//! (province, regency, district), the day of birth (plus 40 for women), month and two-digit
//! year of birth, and a serial from 0001. "Valid" here is only structural: whether Dukcapil
//! issued the number cannot be checked offline.

use crate::date::Date;
use crate::validate::Severity;

/// Sex as the NIK encodes it (day of birth + 40 for women).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NikSex {
    Male,
    Female,
}

/// What a well-formed NIK says about its holder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NikFacts {
    /// Province, regency and district codes (Kemendagri) where the NIK was first registered.
    pub province: u8,
    pub regency: u8,
    pub district: u8,
    pub sex: NikSex,
    pub birth_date: Date,
}

/// One thing wrong, or doubtful, about a NIK.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NikProblem {
    /// Not exactly 16 characters, all of them digits.
    NotSixteenDigits,
    /// Province digits outside 11..=99.
    ProvinceOutOfRange,
    /// Regency or district digits are `00`.
    ZeroRegencyOrDistrict,
    /// Day digits are neither 01–31 (men) nor 41–71 (women).
    BadDay,
    /// Month digits outside 01–12, or day and month that make no calendar date.
    BadDate,
    /// The serial is `0000`; serials start at 0001.
    ZeroSerial,
}
// Spec §2.1 step 8 also asks to warn when the implied age exceeds 110. Under the century rule
// of step 6 (20YY unless that is after today, else 19YY) a NIK always implies an age of at
// most 100, so that warning can never fire and is not kept as a problem kind.

impl NikProblem {
    /// Every structural problem of a NIK is an error (spec §2.1); doubts about the area code
    /// (an unknown or since-split region) are region-table warnings, not structure.
    pub fn severity(self) -> Severity {
        Severity::Error
    }
}

/// Checks `nik` on `today`; returns the facts it encodes when its structure is sound, and every
/// problem found, most basic first.
pub fn check_nik(nik: &str, today: Date) -> (Option<NikFacts>, Vec<NikProblem>) {
    if nik.len() != 16 || !nik.bytes().all(|b| b.is_ascii_digit()) {
        return (None, vec![NikProblem::NotSixteenDigits]);
    }
    let two = |at: usize| -> u8 { nik[at..at + 2].parse().unwrap_or(0) };
    let mut problems = Vec::new();
    let (province, regency, district) = (two(0), two(2), two(4));
    if !(11..=99).contains(&province) {
        problems.push(NikProblem::ProvinceOutOfRange);
    }
    if regency == 0 || district == 0 {
        problems.push(NikProblem::ZeroRegencyOrDistrict);
    }
    let (coded_day, month, yy) = (two(6), two(8), two(10));
    let (sex, day) = match coded_day {
        1..=31 => (Some(NikSex::Male), coded_day),
        41..=71 => (Some(NikSex::Female), coded_day - 40),
        _ => (None, 0),
    };
    let birth_date = match sex {
        None => {
            problems.push(NikProblem::BadDay);
            None
        }
        Some(_) => {
            let date = birth_date(day, month, yy, today);
            if date.is_none() {
                problems.push(NikProblem::BadDate);
            }
            date
        }
    };
    if &nik[12..] == "0000" {
        problems.push(NikProblem::ZeroSerial);
    }
    let facts = match (sex, birth_date) {
        (Some(sex), Some(birth_date)) if problems.is_empty() => Some(NikFacts {
            province,
            regency,
            district,
            sex,
            birth_date,
        }),
        _ => None,
    };
    (facts, problems)
}

/// The century rule of spec §2.1 step 6: 20YY if that date is not after today, else 19YY.
fn birth_date(day: u8, month: u8, yy: u8, today: Date) -> Option<Date> {
    let recent = Date::new(2000 + i32::from(yy), month, day);
    match recent {
        Some(date) if date <= today => Some(date),
        // Not yet born in the 2000s (or 29 February of a non-leap 20YY): the 1900s.
        _ => Date::new(1900 + i32::from(yy), month, day),
    }
}

/// Whole years from `birth` to `today`.
pub fn age_on(birth: Date, today: Date) -> i32 {
    let had_birthday = (today.month, today.day) >= (birth.month, birth.day);
    today.year - birth.year - i32::from(!had_birthday)
}

#[cfg(test)]
mod tests {
    use super::*;
    use NikProblem::*;

    fn today() -> Date {
        Date::new(2026, 11, 22).unwrap()
    }

    /// A NIK, the sex and birth date it encodes when sound, and the problems found.
    type Case = (&'static str, Option<(NikSex, Date)>, &'static [NikProblem]);

    fn date(y: i32, m: u8, d: u8) -> Date {
        Date::new(y, m, d).unwrap()
    }

    #[test]
    fn the_worked_example_of_the_spec() {
        // 35 Jawa Timur, 3513 Kab. Probolinggo, 351314 Kraksaan; 52 = woman born on the 12th;
        // 07/90 = July 1990; serial 0003.
        let (facts, problems) = check_nik("3513145207900003", today());
        assert_eq!(problems, []);
        assert_eq!(
            facts,
            Some(NikFacts {
                province: 35,
                regency: 13,
                district: 14,
                sex: NikSex::Female,
                birth_date: date(1990, 7, 12)
            })
        );
    }

    #[test]
    fn nik_cases_of_spec_section_2_1() {
        let cases: &[Case] = &[
            ("3515140508680001", Some((NikSex::Male, date(1968, 8, 5))), &[]),
            ("3515144508680002", Some((NikSex::Female, date(1968, 8, 5))), &[]),
            (
                "3515147112990001",
                Some((NikSex::Female, date(1999, 12, 31))),
                &[],
            ),
            ("3515140101000001", Some((NikSex::Male, date(2000, 1, 1))), &[]),
            // Today's date in 20YY is still this century; tomorrow's is the last one.
            ("3515142211260001", Some((NikSex::Male, date(2026, 11, 22))), &[]),
            ("3515142311260001", Some((NikSex::Male, date(1926, 11, 23))), &[]),
            ("3515142211160001", Some((NikSex::Male, date(2016, 11, 22))), &[]),
            // Old area codes (Papua's split) are structural fine; only 00 and <11 are errors.
            ("9171010101900001", Some((NikSex::Male, date(1990, 1, 1))), &[]),
            ("351514050868000", None, &[NotSixteenDigits]),
            ("35151405086800011", None, &[NotSixteenDigits]),
            ("3.51514E+15", None, &[NotSixteenDigits]),
            ("3515 1405086800", None, &[NotSixteenDigits]),
            ("0515140508680001", None, &[ProvinceOutOfRange]),
            ("3500140508680001", None, &[ZeroRegencyOrDistrict]),
            ("3515000508680001", None, &[ZeroRegencyOrDistrict]),
            ("3515143508680001", None, &[BadDay]),
            ("3515140008680001", None, &[BadDay]),
            ("3515147208680001", None, &[BadDay]),
            ("3515140513680001", None, &[BadDate]),
            ("3515140500680001", None, &[BadDate]),
            ("3515143102900001", None, &[BadDate]),
            ("3515147102900001", None, &[BadDate]),
            ("3515140508680000", None, &[ZeroSerial]),
            // 29 February: 2000 was a leap year, 1900 was not; 2096 is in the future.
            ("3515142902000001", Some((NikSex::Male, date(2000, 2, 29))), &[]),
            ("3515146902960001", Some((NikSex::Female, date(1996, 2, 29))), &[]),
            ("3515142902010001", None, &[BadDate]),
        ];
        for (nik, expected, problems) in cases {
            let (facts, found) = check_nik(nik, today());
            assert_eq!(found, *problems, "{nik}");
            assert_eq!(facts.map(|f| (f.sex, f.birth_date)), *expected, "{nik}");
        }
    }

    #[test]
    fn the_century_rule_never_implies_more_than_100_years() {
        // Every two-digit year and the day after today's date in the oldest possible century.
        for yy in 0..100u8 {
            let nik = format!("35151423{:02}{:02}0001", 11, yy);
            let (facts, problems) = check_nik(&nik, today());
            assert_eq!(problems, [], "{nik}");
            let age = age_on(facts.expect("facts").birth_date, today());
            assert!((0..=100).contains(&age), "{nik}: {age}");
        }
    }

    #[test]
    fn ages_count_whole_years() {
        assert_eq!(age_on(date(1990, 7, 12), date(2026, 7, 11)), 35);
        assert_eq!(age_on(date(1990, 7, 12), date(2026, 7, 12)), 36);
        assert_eq!(age_on(date(2000, 2, 29), date(2026, 2, 28)), 25);
        assert_eq!(age_on(date(2000, 2, 29), date(2026, 3, 1)), 26);
    }
}
