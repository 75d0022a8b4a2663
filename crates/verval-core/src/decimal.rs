//! Decimal answers (gold in grams, floor area per person, coordinates) read exactly, without
//! floating point: `12,5` and `12.5` are 125 tenths, and comparing with a bound is integer
//! arithmetic. (It also keeps float formatting, kilobytes of code, out of the app.)

use std::cmp::Ordering;

/// A whole number written with thousands grouped by dots or spaces, as Indonesians write
/// money (`300.000`, `1.250.000`, `300 000`), without them; `None` when `text` is not one
/// (`1.5` stays a slip to correct, not 15).
pub fn ungrouped_whole(text: &str) -> Option<String> {
    let mut groups = text.trim().split(['.', ' ']);
    let first = groups.next()?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(first) || first.len() > 3 {
        return None;
    }
    let mut whole = first.to_owned();
    let mut grouped = false;
    for group in groups {
        if group.len() != 3 || !digits(group) {
            return None;
        }
        whole.push_str(group);
        grouped = true;
    }
    grouped.then_some(whole)
}

/// A decimal written with thousands grouped by dots or spaces and a decimal comma, as
/// Indonesians write it (`1.250,5`), without the groups (`1250,5`); `None` when `text` is not
/// one. Without a comma nothing is read as groups: `1.250` in a decimal answer is 1.25.
pub fn ungrouped_decimal(text: &str) -> Option<String> {
    let (whole, fraction) = text.trim().split_once(',')?;
    let number = format!("{},{fraction}", ungrouped_whole(whole)?);
    Decimal::parse(&number).map(|_| number)
}

/// A number written with up to nine decimals: `units` / 10^`places`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decimal {
    units: i64,
    places: u8,
}

const MAX_PLACES: usize = 9;

impl Decimal {
    /// `12`, `-7.7543`, `12,5` (Indonesian decimal comma). A separator needs digits on both
    /// sides: `1.` and `.5` are typing slips, not numbers.
    pub fn parse(text: &str) -> Option<Decimal> {
        let (negative, rest) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (whole, fraction) = match rest.split_once(['.', ',']) {
            Some((whole, fraction)) => (whole, Some(fraction)),
            None => (rest, None),
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(whole) || fraction.is_some_and(|f| !digits(f) || f.len() > MAX_PLACES) {
            return None;
        }
        let fraction = fraction.unwrap_or("");
        let units: i64 = format!("{whole}{fraction}").parse().ok()?;
        Some(Decimal {
            units: if negative { -units } else { units },
            places: fraction.len() as u8,
        })
    }

    /// A decimal answer as typed: [`Decimal::parse`], or the same after
    /// [`ungrouped_decimal`] (`1.250,5`).
    pub fn read(text: &str) -> Option<Decimal> {
        Decimal::parse(text).or_else(|| Decimal::parse(&ungrouped_decimal(text)?))
    }

    /// How many digits follow the separator.
    pub fn places(self) -> u8 {
        self.places
    }

    /// Compares with a whole number.
    pub fn cmp_whole(self, n: i64) -> Ordering {
        i128::from(self.units).cmp(&(i128::from(n) * 10i128.pow(u32::from(self.places))))
    }

    /// The value times 10^`places`, rounded half away from zero: coordinates as whole
    /// microdegrees (`-7.7543` at 6 is -7_754_300). `None` if it does not fit.
    pub fn scaled(self, places: u8) -> Option<i64> {
        let (units, from) = (i128::from(self.units), u32::from(self.places));
        let to = u32::from(places);
        let value = if to >= from {
            units.checked_mul(10i128.checked_pow(to - from)?)?
        } else {
            let scale = 10i128.pow(from - to);
            let half = scale / 2;
            if units >= 0 {
                (units + half) / scale
            } else {
                (units - half) / scale
            }
        };
        i64::try_from(value).ok()
    }

    /// Rounded half away from zero to a whole number.
    pub fn round(self) -> i64 {
        let scale = 10i64.pow(u32::from(self.places));
        let half = scale / 2;
        if self.units >= 0 {
            (self.units + half) / scale
        } else {
            (self.units - half) / scale
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_to_whole_units() {
        let d = |t: &str| Decimal::parse(t).expect("decimal");
        assert_eq!(d("-7.7543").scaled(6), Some(-7_754_300));
        assert_eq!(d("113.21594449").scaled(6), Some(113_215_944));
        assert_eq!(d("113.2159445").scaled(6), Some(113_215_945));
        assert_eq!(d("-0.0000005").scaled(6), Some(-1));
        assert_eq!(d("12").scaled(0), Some(12));
        assert_eq!(d("999999999999999999").scaled(6), None);
    }

    #[test]
    fn parses_both_separators_and_refuses_slips() {
        assert_eq!(Decimal::parse("12,5"), Decimal::parse("12.5"));
        assert_eq!(Decimal::parse("12.50").map(Decimal::places), Some(2));
        for bad in [
            "",
            "1.",
            ".5",
            "1.2.3",
            "1e3",
            "--1",
            "satu",
            "1,2345678901",
            " 1",
        ] {
            assert_eq!(Decimal::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn compares_and_rounds_exactly() {
        let d = |s| Decimal::parse(s).unwrap();
        assert_eq!(d("10000.00").cmp_whole(10_000), Ordering::Equal);
        assert_eq!(d("10000.01").cmp_whole(10_000), Ordering::Greater);
        assert_eq!(d("-11.000001").cmp_whole(-11), Ordering::Less);
        assert_eq!(d("7.99").cmp_whole(8), Ordering::Less);
        assert_eq!(
            (
                d("50.5").round(),
                d("50.4").round(),
                d("-7.5").round(),
                d("12").round()
            ),
            (51, 50, -8, 12)
        );
    }

    #[test]
    fn thousands_groups_are_read_as_one_whole_number() {
        for (typed, whole) in [
            ("300.000", Some("300000")),
            ("1.250.000", Some("1250000")),
            ("300 000", Some("300000")),
            (" 50.000 ", Some("50000")),
            ("300000", None),
            ("1.5", None),
            ("12.50", None),
            ("1234.000", None),
            ("300.000,5", None),
            (".000", None),
            ("300.", None),
        ] {
            assert_eq!(super::ungrouped_whole(typed).as_deref(), whole, "{typed:?}");
        }
    }

    #[test]
    fn a_grouped_decimal_with_a_comma_is_read_without_its_groups() {
        for (typed, plain) in [
            ("1.250,5", Some("1250,5")),
            ("12.345.678,25", Some("12345678,25")),
            ("1 250,75", Some("1250,75")),
            // No comma: not read as groups (a whole number's groups are `ungrouped_whole`'s).
            ("300.000", None),
            // No groups: kept as typed.
            ("1250,5", None),
            ("12.5", None),
            ("1.250", None),
            // Not a grouped number.
            ("1.25,5", None),
            ("1.250,", None),
            ("1.250,5,5", None),
            ("-1.250,5", None),
        ] {
            assert_eq!(super::ungrouped_decimal(typed).as_deref(), plain, "{typed:?}");
        }
        assert_eq!(Decimal::read("1.250,5"), Decimal::parse("1250.5"));
        assert_eq!(Decimal::read("1.250"), Decimal::parse("1.250"));
        assert_eq!(Decimal::read("1.25,5"), None);
    }
}
