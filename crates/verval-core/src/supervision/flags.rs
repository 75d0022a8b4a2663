//! The flags a reviewer looks at before trusting a visit (issue #21): no photo of the house,
//! no location or a poor one, a visit too short to have happened, many households finalized
//! by one phone within minutes, and a location that does not fit — outside the box the
//! kecamatan's visits span, far from the village's other visits, or the very point of another
//! household. The geographic flags judge a point against the other visits only: the hub has
//! no boundaries of villages, so a region's extent is learnt from where its houses are.

use super::evidence::Evidence;
use super::geo::{distance_m, METRES_PER_DEGREE};
use crate::region::{area_of, KECAMATAN_DEPTH};
use crate::text::Text;
use std::collections::HashMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Flag {
    NoHousePhoto,
    NoLocation,
    Inaccurate,
    ShortVisit,
    Rushed,
    OutsideKecamatan,
    FarFromVillage,
    SamePoint,
}

impl Flag {
    pub const ALL: [Flag; 8] = [
        Flag::NoHousePhoto,
        Flag::NoLocation,
        Flag::Inaccurate,
        Flag::ShortVisit,
        Flag::Rushed,
        Flag::OutsideKecamatan,
        Flag::FarFromVillage,
        Flag::SamePoint,
    ];

    /// A short stable name, for pages, filters and files.
    pub fn code(self) -> &'static str {
        match self {
            Flag::NoHousePhoto => "tanpa_foto_rumah",
            Flag::NoLocation => "tanpa_lokasi",
            Flag::Inaccurate => "lokasi_kurang_akurat",
            Flag::ShortVisit => "kunjungan_singkat",
            Flag::Rushed => "beruntun",
            Flag::OutsideKecamatan => "di_luar_kecamatan",
            Flag::FarFromVillage => "jauh_dari_desa",
            Flag::SamePoint => "titik_sama",
        }
    }

    pub fn parse(code: &str) -> Option<Flag> {
        Flag::ALL.into_iter().find(|f| f.code() == code)
    }

    pub fn label(self) -> Text {
        match self {
            Flag::NoHousePhoto => Text::new("Tanpa foto rumah", "no photo of the house"),
            Flag::NoLocation => Text::new("Tanpa titik lokasi", "no location"),
            Flag::Inaccurate => Text::new("Lokasi kurang akurat", "location not precise"),
            Flag::ShortVisit => Text::new("Kunjungan terlalu singkat", "visit too short"),
            Flag::Rushed => Text::new(
                "Banyak selesai beruntun dari satu HP",
                "many finalized minutes apart by one phone",
            ),
            Flag::OutsideKecamatan => Text::new("Di luar wilayah kecamatan", "outside the kecamatan's area"),
            Flag::FarFromVillage => Text::new(
                "Jauh dari rumah lain di desa",
                "far from the village's other houses",
            ),
            Flag::SamePoint => Text::new(
                "Titik sama dengan keluarga lain",
                "same point as another household",
            ),
        }
    }
}

/// The limits the flags use.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rules {
    /// A location less precise than this is flagged (the form warns above 50 m too).
    pub accuracy_m: i64,
    /// A visit shorter than this, form opened to finalized, is flagged; set by the district.
    pub short_visit_minutes: i64,
    /// This many households finalized by one phone within `rushed_minutes` are flagged.
    pub rushed_count: usize,
    pub rushed_minutes: i64,
    /// A house farther than this from the middle of its village's visits is flagged.
    pub far_m: f64,
    /// How far outside the box of its kecamatan's visits (the outermost 5% on each side left
    /// out) a house may lie.
    pub box_margin_m: f64,
}

impl Default for Rules {
    fn default() -> Rules {
        Rules {
            accuracy_m: 50,
            short_visit_minutes: 10,
            rushed_count: 3,
            rushed_minutes: 10,
            far_m: 5_000.0,
            box_margin_m: 2_000.0,
        }
    }
}

/// The fewest visits a village or kecamatan needs before its extent is judged from them.
const VILLAGE_POINTS: usize = 3;
const KECAMATAN_POINTS: usize = 5;

/// One visit among others: its village, the phone that made it, what it shows.
#[derive(Clone, Copy, Debug)]
pub struct Visit<'a> {
    pub village: &'a str,
    pub phone: &'a str,
    pub evidence: Evidence,
}

/// Each visit's flags, in the order given, each list sorted.
pub fn flags(visits: &[Visit], rules: &Rules) -> Vec<Vec<Flag>> {
    let mut raised: Vec<Vec<Flag>> = visits.iter().map(|v| alone(&v.evidence, rules)).collect();
    let mut raise = |i: usize, flag: Flag| {
        if !raised[i].contains(&flag) {
            raised[i].push(flag);
        }
    };
    for i in rushed(visits, rules) {
        raise(i, Flag::Rushed);
    }
    for i in outside_kecamatan(visits, rules) {
        raise(i, Flag::OutsideKecamatan);
    }
    for i in far_from_village(visits, rules) {
        raise(i, Flag::FarFromVillage);
    }
    for i in same_point(visits) {
        raise(i, Flag::SamePoint);
    }
    for list in &mut raised {
        list.sort();
    }
    raised
}

/// What a visit shows by itself.
fn alone(e: &Evidence, rules: &Rules) -> Vec<Flag> {
    let mut flags = Vec::new();
    if e.house_photo == Some(false) {
        flags.push(Flag::NoHousePhoto);
    }
    match e.point {
        None if e.point_asked => flags.push(Flag::NoLocation),
        Some(p) if p.accuracy_m > rules.accuracy_m => flags.push(Flag::Inaccurate),
        _ => {}
    }
    if e.finalized_at - e.started_at < rules.short_visit_minutes * 60_000 {
        flags.push(Flag::ShortVisit);
    }
    flags
}

/// Groups of visit indexes by a key.
fn grouped<'a>(
    visits: &[Visit<'a>],
    key: impl Fn(&Visit<'a>) -> Option<&'a str>,
) -> HashMap<&'a str, Vec<usize>> {
    let mut groups: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, v) in visits.iter().enumerate() {
        if let Some(k) = key(v) {
            groups.entry(k).or_default().push(i);
        }
    }
    groups
}

/// Visits in any run of `rushed_count` a phone finalized within `rushed_minutes`.
fn rushed(visits: &[Visit], rules: &Rules) -> Vec<usize> {
    let n = rules.rushed_count.max(2);
    let mut found = Vec::new();
    for mut mine in grouped(visits, |v| Some(v.phone)).into_values() {
        mine.sort_by_key(|&i| visits[i].evidence.finalized_at);
        for run in mine.windows(n) {
            let first = visits[run[0]].evidence.finalized_at;
            let last = visits[run[n - 1]].evidence.finalized_at;
            if last - first <= rules.rushed_minutes * 60_000 {
                found.extend_from_slice(run);
            }
        }
    }
    found
}

fn degrees(v: &Visit) -> Option<(f64, f64)> {
    v.evidence.point.map(|p| p.degrees())
}

/// The range of `values` once the outermost 5% on each side (at least one) are left out, so
/// a few wrong points cannot widen it.
fn trimmed_range(values: &mut [f64]) -> (f64, f64) {
    values.sort_by(f64::total_cmp);
    let cut = (values.len() / 20).max(1).min((values.len() - 1) / 2);
    (values[cut], values[values.len() - 1 - cut])
}

/// The middle value of `values`.
fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Visits outside the box spanning their kecamatan's visits (the outermost 5% on each side
/// left out), widened by `box_margin_m`.
fn outside_kecamatan(visits: &[Visit], rules: &Rules) -> Vec<usize> {
    let mut found = Vec::new();
    let by_kecamatan = grouped(visits, |v| {
        v.evidence.point.map(|_| area_of(v.village, KECAMATAN_DEPTH))
    });
    for members in by_kecamatan.values().filter(|m| m.len() >= KECAMATAN_POINTS) {
        let points: Vec<(f64, f64)> = members.iter().filter_map(|&i| degrees(&visits[i])).collect();
        let mut lats: Vec<f64> = points.iter().map(|p| p.0).collect();
        let mut lons: Vec<f64> = points.iter().map(|p| p.1).collect();
        let (south, north) = trimmed_range(&mut lats);
        let (west, east) = trimmed_range(&mut lons);
        let lat_margin = rules.box_margin_m / METRES_PER_DEGREE;
        let lon_margin =
            rules.box_margin_m / (METRES_PER_DEGREE * ((south + north) / 2.0).to_radians().cos());
        for &i in members {
            if let Some((lat, lon)) = degrees(&visits[i]) {
                if lat < south - lat_margin
                    || lat > north + lat_margin
                    || lon < west - lon_margin
                    || lon > east + lon_margin
                {
                    found.push(i);
                }
            }
        }
    }
    found
}

/// Visits farther than `far_m` from the middle (the median latitude and longitude) of their
/// village's visits.
fn far_from_village(visits: &[Visit], rules: &Rules) -> Vec<usize> {
    let mut found = Vec::new();
    let by_village = grouped(visits, |v| v.evidence.point.map(|_| v.village));
    for members in by_village.values().filter(|m| m.len() >= VILLAGE_POINTS) {
        let mut lats: Vec<f64> = members
            .iter()
            .filter_map(|&i| degrees(&visits[i]).map(|p| p.0))
            .collect();
        let mut lons: Vec<f64> = members
            .iter()
            .filter_map(|&i| degrees(&visits[i]).map(|p| p.1))
            .collect();
        let middle = (median(&mut lats), median(&mut lons));
        for &i in members {
            if degrees(&visits[i]).is_some_and(|p| distance_m(p, middle) > rules.far_m) {
                found.push(i);
            }
        }
    }
    found
}

/// Visits whose location is exactly another visit's (to the microdegree).
fn same_point(visits: &[Visit]) -> Vec<usize> {
    let mut at: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
    for (i, v) in visits.iter().enumerate() {
        if let Some(p) = v.evidence.point {
            at.entry((p.lat_e6, p.lon_e6)).or_default().push(i);
        }
    }
    at.into_values().filter(|m| m.len() > 1).flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::supervision::evidence::Point;

    const MINUTE: i64 = 60_000;

    fn visit<'a>(village: &'a str, phone: &'a str, at: (f64, f64), finalized: i64) -> Visit<'a> {
        Visit {
            village,
            phone,
            evidence: Evidence {
                point: Some(Point {
                    lat_e6: (at.0 * 1e6).round() as i64,
                    lon_e6: (at.1 * 1e6).round() as i64,
                    accuracy_m: 8,
                }),
                point_asked: true,
                house_photo: Some(true),
                started_at: finalized - 30 * MINUTE,
                finalized_at: finalized,
            },
        }
    }

    /// Six houses of one village within a few hundred metres, an hour apart, each its own
    /// phone: nothing to flag.
    fn village() -> Vec<Visit<'static>> {
        const PHONES: [&str; 6] = ["a", "b", "c", "d", "e", "f"];
        (0..6)
            .map(|i| {
                let d = i as f64 * 0.001;
                visit(
                    "35.13.14.2001",
                    PHONES[i],
                    (-7.75 + d, 113.2 + d),
                    i as i64 * 60 * MINUTE,
                )
            })
            .collect()
    }

    #[test]
    fn ordinary_visits_raise_nothing() {
        assert!(flags(&village(), &Rules::default()).iter().all(Vec::is_empty));
    }

    #[test]
    fn a_visit_alone_shows_a_missing_photo_location_and_a_short_visit() {
        let mut visits = village();
        visits[0].evidence.house_photo = Some(false);
        visits[1].evidence.point = None;
        visits[2].evidence.point = Some(Point {
            accuracy_m: 51,
            ..visits[2].evidence.point.expect("point")
        });
        visits[3].evidence.started_at = visits[3].evidence.finalized_at - 9 * MINUTE;
        let mut away = visits[4];
        away.evidence.point = None;
        away.evidence.point_asked = false;
        away.evidence.house_photo = None;
        visits[4] = away;
        let raised = flags(&visits, &Rules::default());
        assert_eq!(raised[0], [Flag::NoHousePhoto]);
        assert_eq!(raised[1], [Flag::NoLocation]);
        assert_eq!(raised[2], [Flag::Inaccurate]);
        assert_eq!(raised[3], [Flag::ShortVisit]);
        assert!(raised[4].is_empty(), "not found at home: nothing was missing");
        assert!(raised[5].is_empty());
    }

    #[test]
    fn one_phone_finalizing_many_within_minutes_is_flagged() {
        let mut visits = village();
        for (i, v) in visits.iter_mut().enumerate().take(3) {
            v.phone = "same";
            v.evidence.finalized_at = 1_000 * MINUTE + i as i64 * 4 * MINUTE;
            v.evidence.started_at = v.evidence.finalized_at - 30 * MINUTE;
        }
        let raised = flags(&visits, &Rules::default());
        assert!(raised[..3].iter().all(|f| f == &[Flag::Rushed]), "{raised:?}");
        assert!(raised[3..].iter().all(Vec::is_empty));
        // Twelve minutes from first to third: not within ten.
        visits[2].evidence.finalized_at += 5 * MINUTE;
        assert!(flags(&visits, &Rules::default()).iter().all(Vec::is_empty));
    }

    #[test]
    fn points_that_do_not_fit_their_village_or_kecamatan_or_repeat_another_are_flagged() {
        let mut visits = village();
        // 20 km east: far from the village and outside the kecamatan's box.
        visits[0].evidence.point = Some(Point {
            lon_e6: 113_380_000,
            ..visits[0].evidence.point.expect("p")
        });
        // The very point of another house.
        visits[5].evidence.point = visits[4].evidence.point;
        let raised = flags(&visits, &Rules::default());
        assert_eq!(raised[0], [Flag::OutsideKecamatan, Flag::FarFromVillage]);
        assert_eq!(raised[4], [Flag::SamePoint]);
        assert_eq!(raised[5], [Flag::SamePoint]);
        assert!(raised[1..4].iter().all(Vec::is_empty), "{raised:?}");
        for flag in Flag::ALL {
            assert_eq!(Flag::parse(flag.code()), Some(flag));
        }
    }
}
