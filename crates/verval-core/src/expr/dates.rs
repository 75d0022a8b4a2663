//! ODK's dates: a day is a whole number of days since 1970-01-01; a moment a fraction of
//! days since 1970-01-01T00:00Z, written in the process's time zone.

use crate::date::Date;

const DAY_MS: f64 = 86_400_000.0;

/// Days from 1970 a date may be (about 270,000 years either way): beyond, a number is no
/// date, and no calendar arithmetic overflows.
const MAX_DAYS: f64 = 1e8;

/// Whether `days` is a date at all.
pub fn in_range(days: f64) -> bool {
    days.is_finite() && days.abs() <= MAX_DAYS
}

/// Reads `YYYY-MM-DD` (a day) or `YYYY-MM-DDThh:mm[:ss[.sss]][Z|±hh:mm]` (a moment; without
/// a zone, in `offset_minutes`): `(days, is_moment)`.
pub fn read(text: &str, offset_minutes: i32) -> Option<(f64, bool)> {
    let text = text.trim();
    let (day, time) = match text.split_once('T') {
        Some((day, time)) => (day, Some(time)),
        None => (text, None),
    };
    let days = read_day(day)? as f64;
    let Some(time) = time else {
        return Some((days, false));
    };
    let (clock, zone) = split_zone(time)?;
    let mut parts = clock.split(':');
    let hours: f64 = number(parts.next()?, 2)?;
    let minutes: f64 = number(parts.next()?, 2)?;
    let seconds: f64 = match parts.next() {
        Some(s) => s.parse().ok().filter(|s: &f64| (0.0..60.0).contains(s))?,
        None => 0.0,
    };
    if parts.next().is_some() || hours > 23.0 || minutes > 59.0 {
        return None;
    }
    let zone = zone.unwrap_or(offset_minutes);
    let ms = days * DAY_MS + ((hours * 60.0 + minutes - f64::from(zone)) * 60.0 + seconds) * 1000.0;
    Some((ms / DAY_MS, true))
}

fn read_day(day: &str) -> Option<i64> {
    let mut parts = day.split('-');
    let year = parts.next()?;
    let month = parts.next()?;
    let dd = parts.next()?;
    if parts.next().is_some() || year.len() != 4 {
        return None;
    }
    // `1970-1-2` reads as ODK reads it.
    let part = |t: &str| number(t, 2).or_else(|| number(t, 1));
    let date = Date::new(year.parse().ok()?, part(month)? as u8, part(dd)? as u8)?;
    Some(date.days_since_epoch())
}

/// Two digits exactly, as a number.
fn number(text: &str, width: usize) -> Option<f64> {
    (text.len() == width && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// The clock and its zone in minutes east of UTC (`None`: no zone given).
fn split_zone(time: &str) -> Option<(&str, Option<i32>)> {
    if let Some(clock) = time.strip_suffix('Z') {
        return Some((clock, Some(0)));
    }
    match time.rfind(['+', '-']) {
        Some(at) => {
            let (clock, zone) = time.split_at(at);
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let (h, m) = zone[1..].split_once(':').unwrap_or((&zone[1..], "00"));
            let (h, m) = (number(h, 2)?, number(m, 2)?);
            if h > 23.0 || m > 59.0 {
                return None;
            }
            let minutes = h as i32 * 60 + m as i32;
            Some((clock, Some(sign * minutes)))
        }
        None => Some((time, None)),
    }
}

/// A day as `YYYY-MM-DD`; a moment as `YYYY-MM-DDThh:mm:ss.sss+hh:mm` in `offset_minutes`.
pub fn write(days: f64, time: bool, offset_minutes: i32) -> String {
    if !in_range(days) {
        return String::new();
    }
    let parts = Parts::of(days, time, offset_minutes);
    let day = format!(
        "{:04}-{:02}-{:02}",
        parts.date.year, parts.date.month, parts.date.day
    );
    if !time {
        return day;
    }
    let sign = if offset_minutes < 0 { '-' } else { '+' };
    let offset = offset_minutes.unsigned_abs();
    format!(
        "{day}T{:02}:{:02}:{:02}.{:03}{sign}{:02}:{:02}",
        parts.hour,
        parts.minute,
        parts.second,
        parts.ms,
        offset / 60,
        offset % 60
    )
}

/// A value's calendar day and clock, as the time zone shows it.
pub struct Parts {
    pub date: Date,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub ms: u32,
    /// 0 is Sunday.
    pub weekday: u32,
}

impl Parts {
    pub fn of(days: f64, time: bool, offset_minutes: i32) -> Parts {
        let local_ms = match time {
            true => (days * DAY_MS).round() as i64 + i64::from(offset_minutes) * 60_000,
            false => (days.floor() * DAY_MS) as i64,
        };
        let day = local_ms.div_euclid(86_400_000);
        let in_day = local_ms.rem_euclid(86_400_000) as u32;
        Parts {
            date: Date::from_days_since_epoch(day),
            hour: in_day / 3_600_000,
            minute: in_day / 60_000 % 60,
            second: in_day / 1000 % 60,
            ms: in_day % 1000,
            // 1970-01-01 was a Thursday.
            weekday: (day + 4).rem_euclid(7) as u32,
        }
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/// ODK's `format-date` and `format-date-time`: `%Y %y %m %n %b %d %e %H %h %M %S %3 %a`.
pub fn format(days: f64, time: bool, pattern: &str, offset_minutes: i32) -> String {
    if !in_range(days) {
        return String::new();
    }
    let p = Parts::of(days, time, offset_minutes);
    let mut out = String::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('Y') => out.push_str(&format!("{:04}", p.date.year)),
            Some('y') => out.push_str(&format!("{:02}", p.date.year.rem_euclid(100))),
            Some('m') => out.push_str(&format!("{:02}", p.date.month)),
            Some('n') => out.push_str(&p.date.month.to_string()),
            Some('b') => out.push_str(MONTHS[usize::from(p.date.month) - 1]),
            Some('d') => out.push_str(&format!("{:02}", p.date.day)),
            Some('e') => out.push_str(&p.date.day.to_string()),
            Some('H') => out.push_str(&format!("{:02}", p.hour)),
            Some('h') => out.push_str(&p.hour.to_string()),
            Some('M') => out.push_str(&format!("{:02}", p.minute)),
            Some('S') => out.push_str(&format!("{:02}", p.second)),
            Some('3') => out.push_str(&format!("{:03}", p.ms)),
            Some('a') => out.push_str(WEEKDAYS[p.weekday as usize]),
            Some(other) => {
                out.push('%');
                out.push(other);
            }
            None => out.push('%'),
        }
    }
    out
}
