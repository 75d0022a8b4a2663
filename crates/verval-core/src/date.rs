//! Calendar dates and UTC timestamps without a clock: the app passes "now" in.
//!
//! The conversions use Howard Hinnant's days-from-civil algorithm, exact for the proleptic
//! Gregorian calendar, so the core needs no date crate.

use std::fmt;

/// A calendar date (proleptic Gregorian).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// A date, or `None` when the day does not exist in that month.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Days since 1970-01-01 (negative before it).
    pub fn days_since_epoch(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01.
    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }
}

impl fmt::Display for Date {
    /// ISO 8601, `YYYY-MM-DD`: what exports and `<input type=date>` use.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_and_known_days_convert_both_ways() {
        // Reference day counts from Python: (datetime.date(y, m, d) - datetime.date(1970, 1, 1)).days
        for (date, days) in [
            (
                Date {
                    year: 1970,
                    month: 1,
                    day: 1,
                },
                0,
            ),
            (
                Date {
                    year: 2000,
                    month: 3,
                    day: 1,
                },
                11_017,
            ),
            (
                Date {
                    year: 2026,
                    month: 11,
                    day: 22,
                },
                20_779,
            ),
            (
                Date {
                    year: 1969,
                    month: 12,
                    day: 31,
                },
                -1,
            ),
            (
                Date {
                    year: 1900,
                    month: 2,
                    day: 28,
                },
                -25_509,
            ),
        ] {
            assert_eq!(date.days_since_epoch(), days, "{date}");
            assert_eq!(Date::from_days_since_epoch(days), date, "{days}");
        }
    }

    #[test]
    fn every_day_of_four_centuries_round_trips() {
        let start = Date::new(1900, 1, 1).unwrap().days_since_epoch();
        let mut previous = Date::from_days_since_epoch(start - 1);
        for days in start..start + 146_097 {
            let date = Date::from_days_since_epoch(days);
            assert!(date > previous, "{date} after {previous}");
            assert_eq!(Date::new(date.year, date.month, date.day), Some(date));
            assert_eq!(date.days_since_epoch(), days);
            previous = date;
        }
    }

    #[test]
    fn impossible_dates_are_refused() {
        assert_eq!(Date::new(2023, 2, 29), None);
        assert!(Date::new(2024, 2, 29).is_some());
        assert_eq!(Date::new(1900, 2, 29), None);
        assert!(Date::new(2000, 2, 29).is_some());
        assert_eq!(Date::new(2024, 4, 31), None);
        assert_eq!(Date::new(2024, 13, 1), None);
        assert_eq!(Date::new(2024, 0, 1), None);
        assert_eq!(Date::new(2024, 1, 0), None);
    }

    #[test]
    fn displays_as_iso_8601() {
        assert_eq!(Date::new(990, 7, 2).unwrap().to_string(), "0990-07-02");
    }
}
