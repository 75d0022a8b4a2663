//! The district's time zone (issue #19, item 4): WIB, WITA or WIT. Days in exports (ages,
//! file names), the audit trail's date filter and every time the pages show follow it. Kept
//! in the `settings` table, set by `serve --time-zone`; WIB until set.

use crate::audit::{self, Action, Actor, Event};
use crate::db::{now_ms, Db, DbError};
use verval_core::date::Date;
use verval_core::Timestamp;

/// The settings key.
pub const SETTING: &str = "time_zone";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TimeZone {
    /// Western Indonesia (Sumatra, Java, West and Central Kalimantan): UTC+7.
    #[default]
    Wib,
    /// Central Indonesia (Bali, Nusa Tenggara, South, East and North Kalimantan, Sulawesi):
    /// UTC+8.
    Wita,
    /// Eastern Indonesia (Maluku, Papua): UTC+9.
    Wit,
}

impl TimeZone {
    pub const ALL: [TimeZone; 3] = [TimeZone::Wib, TimeZone::Wita, TimeZone::Wit];

    pub fn code(self) -> &'static str {
        match self {
            TimeZone::Wib => "WIB",
            TimeZone::Wita => "WITA",
            TimeZone::Wit => "WIT",
        }
    }

    pub fn parse(text: &str) -> Option<TimeZone> {
        TimeZone::ALL
            .into_iter()
            .find(|z| z.code().eq_ignore_ascii_case(text.trim()))
    }

    pub fn utc_offset_minutes(self) -> i32 {
        match self {
            TimeZone::Wib => 7 * 60,
            TimeZone::Wita => 8 * 60,
            TimeZone::Wit => 9 * 60,
        }
    }

    /// Today's date in the district.
    pub fn today(self) -> Date {
        Timestamp(now_ms()).local_date(self.utc_offset_minutes())
    }

    /// A moment as the district's clock shows it: `03-12-2026 14:05`.
    pub fn format(self, ms: i64) -> String {
        Timestamp(ms).format_local(self.utc_offset_minutes())
    }

    /// When `day` begins in the district, in milliseconds since 1970 (UTC).
    pub fn day_start_ms(self, day: Date) -> i64 {
        (day.days_since_epoch() * 24 * 60 - i64::from(self.utc_offset_minutes())) * 60_000
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TimeZoneError {
    #[error("zona waktu {0:?} tidak dikenal: WIB, WITA atau WIT (unknown time zone)")]
    Unknown(String),
    #[error(transparent)]
    Db(#[from] DbError),
}

/// The district's time zone as stored (WIB when never set).
pub async fn of(db: &Db) -> Result<TimeZone, TimeZoneError> {
    match db.setting(SETTING).await? {
        None => Ok(TimeZone::default()),
        Some(code) => TimeZone::parse(&code).ok_or(TimeZoneError::Unknown(code)),
    }
}

/// Stores the district's time zone; a change is audited as a setting.
pub async fn set(db: &Db, zone: TimeZone, by: &Actor) -> Result<(), TimeZoneError> {
    let stored = db.setting(SETTING).await?;
    if stored.as_deref() == Some(zone.code()) {
        return Ok(());
    }
    let event = Event::new(
        Action::Settings,
        serde_json::json!({ "zona_waktu": zone.code(), "sebelumnya": stored }),
    );
    db.write(|| async {
        let mut tx = db.pool.begin().await?;
        crate::db::put_setting(&mut tx, SETTING, zone.code()).await?;
        audit::record_in(&mut tx, by, &event).await?;
        tx.commit().await
    })
    .await
    .map_err(DbError::from)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_starts_at_midnight_on_the_districts_clock() {
        let day = Date::new(2026, 12, 3).expect("date");
        // 2026-12-03 00:00 WIB is 2026-12-02 17:00 UTC; in WIT, 15:00 UTC.
        assert_eq!(TimeZone::Wib.day_start_ms(day), 1_796_230_800_000);
        assert_eq!(TimeZone::Wit.day_start_ms(day), 1_796_230_800_000 - 2 * 3_600_000);
        assert_eq!(TimeZone::Wita.format(1_796_230_800_000), "03-12-2026 01:00");
        assert_eq!(TimeZone::parse("wita"), Some(TimeZone::Wita));
        assert_eq!(TimeZone::parse("UTC"), None);
    }
}
