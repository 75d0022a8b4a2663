//! What one record shows of its visit, read once from its answers.

use crate::date::Date;
use crate::decimal::Decimal;
use crate::form::default::{FOTO_RUMAH_DEPAN, LOKASI_RUMAH};
use crate::form::scope::Scope;
use crate::form::validate::{is_relevant, is_section_relevant};
use crate::form::Form;
use crate::ids::FieldId;
use crate::record::HouseholdRecord;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// A house's location as whole microdegrees (about 0.1 m) and the phone's accuracy in metres.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Point {
    pub lat_e6: i64,
    pub lon_e6: i64,
    pub accuracy_m: i64,
}

impl Point {
    /// `latitude longitude accuracy`, as the app stores a geopoint; `None` for anything else.
    pub fn parse(value: &str) -> Option<Point> {
        let mut parts = value.split_whitespace().map(Decimal::parse);
        let (lat, lon, accuracy) = (parts.next()??, parts.next()??, parts.next()??);
        if parts.next().is_some() {
            return None;
        }
        Some(Point {
            lat_e6: lat.scaled(6)?,
            lon_e6: lon.scaled(6)?,
            accuracy_m: accuracy.round(),
        })
    }

    /// In degrees, for distances and drawing.
    pub fn degrees(self) -> (f64, f64) {
        (self.lat_e6 as f64 / 1e6, self.lon_e6 as f64 / 1e6)
    }
}

/// One visit as its record shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Evidence {
    /// The house's location, when one was taken.
    pub point: Option<Point>,
    /// Whether the form asked for it (only a family found at home is located).
    pub point_asked: bool,
    /// Whether the house's front was photographed; `None` when the form did not ask.
    pub house_photo: Option<bool>,
    /// When the record was begun (the form opened for a new family, or the listed family's
    /// draft made) and when its current revision was last changed (finalized), ms since 1970.
    pub started_at: i64,
    pub finalized_at: i64,
}

impl Evidence {
    pub fn of(form: &Form, record: &HouseholdRecord) -> Evidence {
        let point_asked = asked(form, record, LOKASI_RUMAH);
        let photo_asked = asked(form, record, FOTO_RUMAH_DEPAN);
        Evidence {
            point: point_asked
                .then(|| Point::parse(record.answers.get(LOKASI_RUMAH)))
                .flatten(),
            point_asked,
            house_photo: photo_asked.then(|| !record.answers.get(FOTO_RUMAH_DEPAN).trim().is_empty()),
            started_at: record.created_at.0,
            finalized_at: record.updated_at.0,
        }
    }

    /// Minutes from the form's start to its last change.
    pub fn minutes(&self) -> i64 {
        (self.finalized_at - self.started_at).max(0) / 60_000
    }
}

/// Whether the form asks `field` of this record: its section and the question are relevant.
fn asked(form: &Form, record: &HouseholdRecord, field: FieldId) -> bool {
    let Some((None, question)) = form.question_named(field.as_str()) else {
        return false;
    };
    // Relevance here never depends on ages; any date will do.
    let scope = Scope::family(
        record,
        Date::from_days_since_epoch(record.updated_at.0.div_euclid(DAY_MS)),
    );
    let section_asked = form
        .section_of(field)
        .and_then(|i| form.sections.get(i))
        .is_none_or(|s| is_section_relevant(s, &scope));
    section_asked && is_relevant(question, &scope)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::default::example::example_family;
    use crate::form::default::{DEFAULT_FORM, STATUS_VERIFIKASI};
    use crate::{RecordId, Timestamp};

    #[test]
    fn a_geopoint_reads_as_microdegrees_and_metres() {
        assert_eq!(
            Point::parse("-7.7543 113.2159 12"),
            Some(Point {
                lat_e6: -7_754_300,
                lon_e6: 113_215_900,
                accuracy_m: 12
            })
        );
        assert_eq!(
            Point::parse("-7.7543 113.2159 12,6").map(|p| p.accuracy_m),
            Some(13)
        );
        for bad in ["", "-7.7543 113.2159", "a b c", "-7.7543 113.2159 12 4"] {
            assert_eq!(Point::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn the_example_visit_shows_its_location_photo_and_times() {
        let mut record = example_family(RecordId::from_random_bytes([7; 16]));
        record.created_at = Timestamp(1_000_000);
        record.updated_at = Timestamp(1_000_000 + 25 * 60_000);
        let seen = Evidence::of(&DEFAULT_FORM, &record);
        assert_eq!(seen.point.map(|p| p.accuracy_m), Some(12));
        assert!(seen.point_asked);
        assert_eq!(seen.house_photo, Some(true));
        assert_eq!(seen.minutes(), 25);

        record.set_answer(FOTO_RUMAH_DEPAN, "", Timestamp(1));
        record.set_answer(LOKASI_RUMAH, "", Timestamp(1));
        let bare = Evidence::of(&DEFAULT_FORM, &record);
        assert_eq!(
            (bare.point, bare.point_asked, bare.house_photo),
            (None, true, Some(false))
        );

        // A family not found at home is neither located nor photographed: nothing is missing.
        record.set_answer(STATUS_VERIFIKASI, "5", Timestamp(1));
        let away = Evidence::of(&DEFAULT_FORM, &record);
        assert_eq!((away.point_asked, away.house_photo), (false, None));
    }
}
