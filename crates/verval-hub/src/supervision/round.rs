//! The round as the district runs it: when it started, its deadline (which keeps moving, so
//! it is a setting anyone with [`Right::ManageRound`](crate::staff::Right) changes on the
//! dashboard), after how many days a quiet phone is highlighted, and a village's target when
//! it is not the number of families its prelist names. From those, the pace: how many
//! families should be in by today, and how many a day are still needed.

use crate::audit::{self, Action, Actor, Event};
use crate::db::{now_ms, Db, DbError};
use crate::households::BindAll;
use crate::staff::Scope;
use sqlx::Row;
use std::collections::BTreeMap;
use verval_core::date::Date;
use verval_core::form::validate::parse_date;
use verval_core::region::{RegionCode, VILLAGE_DEPTH};

const START: &str = "round_start";
const DEADLINE: &str = "round_deadline";
const SILENT_DAYS: &str = "round_silent_days";
const VISIT_MINUTES: &str = "round_visit_minutes";
/// A phone not heard from in this many days is highlighted, unless the district sets another.
pub const DEFAULT_SILENT_DAYS: i64 = 3;
/// A visit shorter than this many minutes is flagged, unless the district sets another.
pub const DEFAULT_VISIT_MINUTES: i64 = 10;
/// The largest target a village may be given: more families than any village has.
const MAX_TARGET: i64 = 100_000;

/// The round's dates and threshold as stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Round {
    pub start: Option<Date>,
    pub deadline: Option<Date>,
    pub silent_days: i64,
    /// A visit shorter than this, form opened to finalized, is flagged.
    pub visit_minutes: i64,
}

impl Default for Round {
    fn default() -> Round {
        Round {
            start: None,
            deadline: None,
            silent_days: DEFAULT_SILENT_DAYS,
            visit_minutes: DEFAULT_VISIT_MINUTES,
        }
    }
}

/// Where a group stands against the round's pace today.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pace {
    /// Families that should be in by today, at an even pace from start to deadline.
    pub expected: i64,
    /// Families a day still needed to reach the target by the deadline; `None` once it has
    /// passed.
    pub per_day: Option<i64>,
    /// Fewer in than expected.
    pub behind: bool,
}

impl Round {
    /// The pace of a group with `target` families of which `done` are in, on `today`; `None`
    /// until both dates are set.
    pub fn pace(&self, target: i64, done: i64, today: Date) -> Option<Pace> {
        let (start, deadline) = (self.start?, self.deadline?);
        let total = deadline.days_since_epoch() - start.days_since_epoch();
        let passed = (today.days_since_epoch() - start.days_since_epoch()).clamp(0, total.max(0));
        let expected = if total <= 0 {
            target
        } else {
            // Rounded up: the pace is met only by a whole family.
            (target * passed + total - 1) / total
        };
        // Today and the deadline's day both still count.
        let days_left = deadline.days_since_epoch() - today.days_since_epoch() + 1;
        let remaining = (target - done).max(0);
        let per_day = (days_left > 0).then(|| (remaining + days_left - 1) / days_left);
        Some(Pace {
            expected,
            per_day,
            behind: done < expected,
        })
    }
}

/// The round as stored (nothing set: no dates, the default threshold).
pub async fn of(db: &Db) -> Result<Round, DbError> {
    let date = |text: Option<String>| text.as_deref().and_then(parse_date);
    Ok(Round {
        start: date(db.setting(START).await?),
        deadline: date(db.setting(DEADLINE).await?),
        silent_days: db
            .setting(SILENT_DAYS)
            .await?
            .and_then(|d| d.parse().ok())
            .unwrap_or(DEFAULT_SILENT_DAYS),
        visit_minutes: db
            .setting(VISIT_MINUTES)
            .await?
            .and_then(|d| d.parse().ok())
            .unwrap_or(DEFAULT_VISIT_MINUTES),
    })
}

/// The round's settings as typed on the dashboard: dates `YYYY-MM-DD` (empty clears one),
/// the silent-phone threshold in days, the shortest believable visit in minutes (empty: the
/// defaults).
pub fn parse(start: &str, deadline: &str, silent_days: &str, visit_minutes: &str) -> Result<Round, String> {
    let date = |typed: &str, what: &str| -> Result<Option<Date>, String> {
        let typed = typed.trim();
        if typed.is_empty() {
            return Ok(None);
        }
        parse_date(typed).map(Some).ok_or_else(|| {
            format!("Tanggal {what} {typed:?} salah: tulis TTTT-BB-HH ({what} date must be YYYY-MM-DD).")
        })
    };
    let start = date(start, "mulai")?;
    let deadline = date(deadline, "batas waktu")?;
    if let (Some(s), Some(d)) = (start, deadline) {
        if d < s {
            return Err(format!(
                "Batas waktu {d} sebelum tanggal mulai {s} (the deadline is before the start)."
            ));
        }
    }
    let silent_days = match silent_days.trim() {
        "" => DEFAULT_SILENT_DAYS,
        typed => typed
            .parse::<i64>()
            .ok()
            .filter(|d| (1..=365).contains(d))
            .ok_or_else(|| format!("Jumlah hari {typed:?} salah: 1 sampai 365 (days must be 1 to 365)."))?,
    };
    let visit_minutes = match visit_minutes.trim() {
        "" => DEFAULT_VISIT_MINUTES,
        typed => typed
            .parse::<i64>()
            .ok()
            .filter(|m| (0..=240).contains(m))
            .ok_or_else(|| {
                format!("Lama kunjungan {typed:?} salah: 0 sampai 240 menit (minutes must be 0 to 240).")
            })?,
    };
    Ok(Round {
        start,
        deadline,
        silent_days,
        visit_minutes,
    })
}

/// Stores the round's settings in one transaction with their audit event.
pub async fn set(db: &Db, round: &Round, by: &Actor) -> Result<(), DbError> {
    let text = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
    let values = [
        (START, text(round.start)),
        (DEADLINE, text(round.deadline)),
        (SILENT_DAYS, round.silent_days.to_string()),
        (VISIT_MINUTES, round.visit_minutes.to_string()),
    ];
    let event = Event::new(
        Action::Settings,
        serde_json::json!({
            "ronde_mulai": text(round.start),
            "ronde_batas": text(round.deadline),
            "hari_diam": round.silent_days,
            "menit_kunjungan": round.visit_minutes,
        }),
    );
    db.write(|| async {
        let mut tx = db.pool.begin().await?;
        for (key, value) in &values {
            crate::db::put_setting(&mut tx, key, value).await?;
        }
        audit::record_in(&mut tx, by, &event).await?;
        tx.commit().await
    })
    .await
    .map_err(DbError::from)?;
    Ok(())
}

/// One line of the targets box: a village and its target, or `None` to go back to its
/// prelist.
pub type TargetLine = (RegionCode, Option<i64>);

/// The targets box: a line per village, its code then the number (spaces, a tab from a
/// spreadsheet, `;` or `,` between), `-` or nothing after the code to go back to counting its
/// prelist. Every line is checked before anything is stored; an error names its line.
pub fn parse_targets(text: &str) -> Result<Vec<TargetLine>, String> {
    let mut lines: Vec<TargetLine> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let n = n + 1;
        let mut parts = line.split(['\t', ' ', ';', ',']).filter(|p| !p.is_empty());
        let Some(code) = parts.next() else {
            continue;
        };
        let code = RegionCode::parse(code)
            .ok()
            .filter(|c| c.as_str().split('.').count() == VILLAGE_DEPTH)
            .ok_or_else(|| {
                format!(
                    "Baris {n}: {code:?} bukan kode desa (line {n}: not a village code, e.g. 35.13.14.2001)."
                )
            })?;
        let target = match parts.next() {
            None | Some("-") => None,
            Some(typed) => Some(
                typed
                    .replace('.', "")
                    .parse::<i64>()
                    .ok()
                    .filter(|t| (0..=MAX_TARGET).contains(t))
                    .ok_or_else(|| {
                        format!("Baris {n}: target {typed:?} bukan jumlah keluarga 0–{MAX_TARGET} (line {n}: the target must be a whole number).")
                    })?,
            ),
        };
        if let Some(extra) = parts.next() {
            return Err(format!("Baris {n}: {extra:?} berlebih; satu kode dan satu angka per baris (line {n}: one code and one number per line)."));
        }
        if lines.iter().any(|(c, _)| c == &code) {
            return Err(format!(
                "Baris {n}: desa {code} sudah disebut (line {n}: village given twice)."
            ));
        }
        lines.push((code, target));
    }
    Ok(lines)
}

/// Stores village targets (a `None` removes one) in one transaction with their audit event.
pub async fn set_targets(db: &Db, lines: &[TargetLine], by: &Actor) -> Result<(), DbError> {
    let now = now_ms();
    let event = Event::new(
        Action::Settings,
        serde_json::json!({
            "target_desa": lines
                .iter()
                .map(|(code, target)| (code.as_str().to_owned(), serde_json::json!(target)))
                .collect::<serde_json::Map<_, _>>(),
        }),
    );
    db.write(|| async {
        let mut tx = db.pool.begin().await?;
        for (code, target) in lines {
            match target {
                Some(target) => {
                    sqlx::query(
                        "INSERT INTO village_targets (kode_desa, target, set_by, set_at) \
                         VALUES ($1, $2, $3, $4) ON CONFLICT (kode_desa) DO UPDATE SET \
                         target = excluded.target, set_by = excluded.set_by, set_at = excluded.set_at",
                    )
                    .bind(code.as_str())
                    .bind(*target)
                    .bind(&by.name)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                }
                None => {
                    sqlx::query("DELETE FROM village_targets WHERE kode_desa = $1")
                        .bind(code.as_str())
                        .execute(&mut *tx)
                        .await?;
                }
            }
        }
        audit::record_in(&mut tx, by, &event).await?;
        tx.commit().await
    })
    .await
    .map_err(DbError::from)?;
    Ok(())
}

/// The targets set for villages within `scope` and `region`.
pub async fn targets(
    db: &Db,
    scope: &Scope,
    region: Option<&RegionCode>,
) -> Result<BTreeMap<String, i64>, sqlx::Error> {
    let (within, binds) = scope.condition_within(region, "kode_desa", 1);
    let sql = format!("SELECT kode_desa, target FROM village_targets WHERE {within}");
    let rows = sqlx::query(&sql).bind_all(&binds).fetch_all(&db.pool).await?;
    rows.iter()
        .map(|r| Ok((r.try_get::<String, _>(0)?, r.try_get::<i64, _>(1)?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u8) -> Date {
        Date::new(2026, 12, d).expect("date")
    }

    #[test]
    fn the_pace_is_even_from_start_to_deadline_and_rounds_up() {
        let round = Round {
            start: Some(day(1)),
            deadline: Some(day(11)),
            ..Round::default()
        };
        // Ten days; on day 4 three tenths have passed: 30 of 100, 4 of 11 rounds up to 4.
        let p = round.pace(100, 29, day(4)).expect("pace");
        assert_eq!((p.expected, p.behind), (30, true));
        assert_eq!(round.pace(11, 4, day(4)).expect("pace").expected, 4);
        assert!(!round.pace(100, 30, day(4)).expect("pace").behind);
        // 71 left over day 4 to day 11 (8 days): 9 a day.
        assert_eq!(p.per_day, Some(9));
        // Before the start nothing is expected; after the deadline everything, no daily pace.
        assert_eq!(
            round
                .pace(100, 0, Date::new(2026, 11, 20).expect("d"))
                .expect("p")
                .expected,
            0
        );
        let late = round.pace(100, 99, day(12)).expect("pace");
        assert_eq!((late.expected, late.per_day, late.behind), (100, None, true));
        assert_eq!(Round::default().pace(100, 0, day(4)), None);
    }

    #[test]
    fn round_settings_are_checked_before_anything_is_stored() {
        let round = parse("2026-12-01", "2026-12-20", "", "").expect("round");
        assert_eq!(round.deadline, Some(day(20)));
        assert_eq!(round.silent_days, DEFAULT_SILENT_DAYS);
        assert_eq!(round.visit_minutes, DEFAULT_VISIT_MINUTES);
        assert!(parse("2026-12-20", "2026-12-01", "3", "")
            .unwrap_err()
            .contains("sebelum"));
        assert!(parse("20-12-2026", "", "3", "")
            .unwrap_err()
            .contains("TTTT-BB-HH"));
        assert!(parse("", "", "0", "").unwrap_err().contains("1 sampai 365"));
        assert!(parse("", "", "", "lima").unwrap_err().contains("0 sampai 240"));
        let set = parse("", "", "7", "15").expect("days and minutes");
        assert_eq!((set.silent_days, set.visit_minutes), (7, 15));
    }

    #[test]
    fn target_lines_name_the_line_that_is_wrong() {
        let lines =
            parse_targets("35.13.14.2001\t120\n\n35.13.14.2002 1.250\n35.13.14.2003 -\n").expect("targets");
        let shown: Vec<(&str, Option<i64>)> = lines.iter().map(|(c, t)| (c.as_str(), *t)).collect();
        assert_eq!(
            shown,
            [
                ("35.13.14.2001", Some(120)),
                ("35.13.14.2002", Some(1250)),
                ("35.13.14.2003", None)
            ]
        );
        assert!(parse_targets("35.13.14 10").unwrap_err().starts_with("Baris 1"));
        assert!(parse_targets("35.13.14.2001 10\n35.13.14.2002 sepuluh")
            .unwrap_err()
            .starts_with("Baris 2"));
        assert!(parse_targets("35.13.14.2001 -5").is_err());
        assert!(parse_targets("35.13.14.2001 5 6")
            .unwrap_err()
            .contains("berlebih"));
        assert!(parse_targets("35.13.14.2001 5\n35.13.14.2001 6")
            .unwrap_err()
            .contains("sudah disebut"));
    }
}
