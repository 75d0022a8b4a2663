//! Kemendagri region codes (spec §3): `35` province, `35.13` regency, `35.13.14` district,
//! `35.13.14.2001` village — always 2.2.2.4 digits with dots. NIK, KK, P3KE and the region
//! tables all use these. Which codes exist is the region tables' business; this module knows
//! their shape and how the levels nest.

use crate::nik::NikFacts;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum RegionLevel {
    Province,
    Regency,
    District,
    Village,
}

/// What a village's first code digit says it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VillageKind {
    /// `1xxx`: kelurahan (urban, part of the regency's administration).
    Kelurahan,
    /// `2xxx`: desa.
    Desa,
    /// `3xxx`: desa adat (customary village).
    DesaAdat,
}

/// A well-formed region code.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RegionCode(String);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not a Kemendagri region code (like 35, 35.13, 35.13.14 or 35.13.14.2001): {0:?}")]
pub struct BadRegionCode(pub String);

impl RegionCode {
    pub fn parse(text: &str) -> Result<RegionCode, BadRegionCode> {
        let parts: Vec<&str> = text.split('.').collect();
        let widths = [2, 2, 2, 4];
        let well_formed = !parts.is_empty()
            && parts.len() <= widths.len()
            && parts
                .iter()
                .zip(widths)
                .all(|(p, w)| p.len() == w && p.bytes().all(|b| b.is_ascii_digit()))
            && parts.iter().all(|p| p.bytes().any(|b| b != b'0'));
        if well_formed {
            Ok(RegionCode(text.to_owned()))
        } else {
            Err(BadRegionCode(text.to_owned()))
        }
    }

    /// The district where a NIK was first registered (its digits 1–6).
    pub fn district_of_nik(facts: &NikFacts) -> RegionCode {
        RegionCode(format!(
            "{:02}.{:02}.{:02}",
            facts.province, facts.regency, facts.district
        ))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn level(&self) -> RegionLevel {
        match self.0.matches('.').count() {
            0 => RegionLevel::Province,
            1 => RegionLevel::Regency,
            2 => RegionLevel::District,
            _ => RegionLevel::Village,
        }
    }

    /// The code one level up; `None` for a province.
    pub fn parent(&self) -> Option<RegionCode> {
        self.0.rfind('.').map(|at| RegionCode(self.0[..at].to_owned()))
    }

    /// Whether `self` is `other` or lies inside it.
    pub fn is_within(&self, other: &RegionCode) -> bool {
        self.0 == other.0
            || self
                .0
                .strip_prefix(other.as_str())
                .is_some_and(|rest| rest.starts_with('.'))
    }

    /// The province file of the region tables this code is in (`35` for `35.13.14.2001`).
    pub fn province(&self) -> &str {
        &self.0[..2]
    }

    pub fn village_kind(&self) -> Option<VillageKind> {
        if self.level() != RegionLevel::Village {
            return None;
        }
        match self.0.as_bytes()[9] {
            b'1' => Some(VillageKind::Kelurahan),
            b'2' => Some(VillageKind::Desa),
            b'3' => Some(VillageKind::DesaAdat),
            _ => None,
        }
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where the province → regency → district → village answers disagree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CascadeProblem {
    /// The answer at this level is not a code of this level.
    WrongLevel(RegionLevel),
    /// The answer at this level is not inside the answer above it.
    OutsideParent(RegionLevel),
}

/// Checks the four cascade answers (any may be empty: a half-filled form is normal).
pub fn check_cascade(answers: [&str; 4]) -> Vec<CascadeProblem> {
    let levels = [
        RegionLevel::Province,
        RegionLevel::Regency,
        RegionLevel::District,
        RegionLevel::Village,
    ];
    let mut problems = Vec::new();
    let mut above: Option<RegionCode> = None;
    for (answer, level) in answers.into_iter().zip(levels) {
        if answer.is_empty() {
            above = None;
            continue;
        }
        let code = match RegionCode::parse(answer) {
            Ok(code) if code.level() == level => code,
            _ => {
                problems.push(CascadeProblem::WrongLevel(level));
                above = None;
                continue;
            }
        };
        if above
            .as_ref()
            .is_some_and(|parent| code.parent().as_ref() != Some(parent))
        {
            problems.push(CascadeProblem::OutsideParent(level));
        }
        above = Some(code);
    }
    problems
}

/// The number of code segments of a kecamatan (`35.13.14`).
pub const KECAMATAN_DEPTH: usize = 3;
/// The number of code segments of a village (`35.13.14.2001`).
pub const VILLAGE_DEPTH: usize = 4;

/// The region `code` lies in at `depth` segments: `35.13.14.2001` at 3 is `35.13.14`; a
/// code of fewer segments is its own.
pub fn area_of(code: &str, depth: usize) -> &str {
    match code.match_indices('.').nth(depth.saturating_sub(1)) {
        Some((end, _)) => &code[..end],
        None => code,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_lies_in_its_areas() {
        assert_eq!(area_of("35.13.14.2001", KECAMATAN_DEPTH), "35.13.14");
        assert_eq!(area_of("35.13.14.2001", 2), "35.13");
        assert_eq!(area_of("35.13", KECAMATAN_DEPTH), "35.13");
    }
    use crate::date::Date;
    use crate::nik::NikSex;
    use CascadeProblem::*;
    use RegionLevel::*;

    fn code(text: &str) -> RegionCode {
        RegionCode::parse(text).unwrap()
    }

    #[test]
    fn codes_have_the_2_2_2_4_shape() {
        for (text, level) in [
            ("35", Province),
            ("35.13", Regency),
            ("35.13.14", District),
            ("35.13.14.2001", Village),
        ] {
            assert_eq!(code(text).level(), level, "{text}");
        }
        for bad in [
            "",
            "3",
            "351",
            "35.1",
            "35.13.1",
            "35.13.14.201",
            "35.13.14.2001.1",
            "35-13",
            "35..14",
            "00",
            "35.00",
            "35.13.14.0000",
            "3a.13",
        ] {
            assert_eq!(RegionCode::parse(bad), Err(BadRegionCode(bad.into())), "{bad:?}");
        }
    }

    #[test]
    fn parents_and_containment() {
        let village = code("35.13.14.2001");
        assert_eq!(village.parent(), Some(code("35.13.14")));
        assert_eq!(code("35").parent(), None);
        assert!(village.is_within(&code("35.13")));
        assert!(village.is_within(&village));
        assert!(!village.is_within(&code("35.13.15")), "a sibling district");
        assert!(!code("35.13").is_within(&code("35.13.14")));
        assert!(!code("35.74").is_within(&code("35.13")));
        assert_eq!(village.province(), "35");
    }

    #[test]
    fn village_kinds_from_the_first_digit() {
        assert_eq!(code("35.13.14.1001").village_kind(), Some(VillageKind::Kelurahan));
        assert_eq!(code("35.13.14.2001").village_kind(), Some(VillageKind::Desa));
        assert_eq!(code("51.71.01.3001").village_kind(), Some(VillageKind::DesaAdat));
        assert_eq!(code("35.13.14.5001").village_kind(), None);
        assert_eq!(code("35.13.14").village_kind(), None);
    }

    #[test]
    fn a_nik_names_its_district() {
        let facts = NikFacts {
            province: 35,
            regency: 13,
            district: 14,
            sex: NikSex::Female,
            birth_date: Date::new(1990, 7, 12).unwrap(),
        };
        assert_eq!(RegionCode::district_of_nik(&facts), code("35.13.14"));
    }

    #[test]
    fn the_cascade_must_nest() {
        assert_eq!(check_cascade(["35", "35.13", "35.13.14", "35.13.14.2001"]), []);
        assert_eq!(check_cascade(["", "", "", ""]), []);
        assert_eq!(check_cascade(["35", "35.13", "", ""]), []);
        assert_eq!(
            check_cascade(["35", "36.01", "36.01.01", "36.01.01.2001"]),
            [OutsideParent(Regency)]
        );
        assert_eq!(
            check_cascade(["35", "35.13", "35.74.01", "35.74.01.1001"]),
            [OutsideParent(District)]
        );
        assert_eq!(
            check_cascade(["35", "35.13", "35.13.14", "35.13.15.2001"]),
            [OutsideParent(Village)]
        );
        assert_eq!(check_cascade(["35.13", "35.13", "", ""]), [WrongLevel(Province)]);
        assert_eq!(
            check_cascade(["35", "Probolinggo", "35.13.14", ""]),
            [WrongLevel(Regency)]
        );
    }
}
