//! The district's aid ledger (issue #24): for each verified family, the aid it already
//! receives (section G), the aid proposed for it (section H) and the aid delivered after the
//! round (recorded on the hub), and the TKPK's recap per area — extreme-poor families, those
//! with no aid at all, those proposed and still waiting, and coverage per programme and per
//! funding source. The point of a round is that no extremely poor family is left without the
//! aid it qualifies for: these are the numbers the TKPK meeting reads.

use super::programmes::Programmes;
use crate::date::Date;
use crate::form::asked::{asked_rows, family_answer};
use crate::form::default::{
    default_funding, BANTUAN, BANTUAN_DIUSULKAN, DEFAULT_FORM, FUNDING, OTHER_PROGRAMME, PROGRAM,
    STATUS_KESEJAHTERAAN_USULAN, SUMBER_DANA,
};
use crate::form::scope::Scope;
use crate::form::validate::parse_date;
use crate::record::HouseholdRecord;
use std::collections::{BTreeMap, BTreeSet};

/// `status_kesejahteraan_usulan`: "Sangat miskin/miskin ekstrem".
pub const EXTREME_POOR: &str = "1";

/// One programme a family receives, with its funding source (a code of the form's
/// `sumber_dana`: 1 APBN, 2 APBD province, 3 APBD regency, 4 APBDes, 5 philanthropy, 9 other).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Aid {
    pub programme: String,
    pub funding: String,
}

/// Aid delivered to a family after the round, as the district records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delivery {
    pub aid: Aid,
    /// `YYYY-MM-DD`.
    pub date: String,
}

impl Delivery {
    /// A delivery as district staff type it: the programme's code, the funding source's code
    /// (empty: the programme's usual one) and the day, among the programmes `known`. Every
    /// problem is named; "Lainnya" needs its name in `note`.
    pub fn read(
        programme: &str,
        funding: &str,
        date: &str,
        note: &str,
        known: Programmes<'_>,
        today: Date,
    ) -> Result<Delivery, String> {
        let mut problems = Vec::new();
        let programme = programme.trim();
        if !known.knows(programme) {
            problems.push(format!(
                "program tidak dikenal (unknown programme): {programme:?}"
            ));
        }
        if programme == OTHER_PROGRAMME && note.trim().is_empty() {
            problems.push(
                "program \"Lainnya\": tulis namanya di catatan (name the programme in the note)".to_owned(),
            );
        }
        let funding = match funding.trim() {
            "" => known.funding_of(programme).unwrap_or_default(),
            typed => typed,
        };
        if !FUNDING.iter().any(|c| c.code == funding) {
            problems.push(format!(
                "sumber dana tidak dikenal (unknown funding source): {funding:?}"
            ));
        }
        match parse_date(date.trim()) {
            None => problems.push("tanggal harus YYYY-MM-DD (the date must be YYYY-MM-DD)".to_owned()),
            Some(day) if day > today => {
                problems.push("tanggal di masa depan (the date is in the future)".to_owned())
            }
            Some(_) => {}
        }
        if note.chars().count() > 200 || note.chars().any(char::is_control) {
            problems.push("catatan terlalu panjang atau berisi karakter kendali (the note is too long or has control characters)".to_owned());
        }
        match problems.is_empty() {
            true => Ok(Delivery {
                aid: Aid {
                    programme: programme.to_owned(),
                    funding: funding.to_owned(),
                },
                date: date.trim().to_owned(),
            }),
            false => Err(problems.join("; ")),
        }
    }
}

/// Where one family stands.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FamilyAid {
    pub extreme_poor: bool,
    /// What the family said it receives, one entry per programme.
    pub received: Vec<Aid>,
    /// Programme codes proposed for it.
    pub proposed: Vec<String>,
    pub delivered: Vec<Delivery>,
}

impl FamilyAid {
    /// What a verified record says — only what the form asked of it (a family proposed for
    /// removal keeps no proposal; one not visited receives nothing it said) — and what the
    /// district delivered since. `today` as the form's checks take it.
    pub fn of(record: &HouseholdRecord, delivered: Vec<Delivery>, today: Date) -> FamilyAid {
        let family = Scope::family(record, today);
        let asked = |field| family_answer(&DEFAULT_FORM, field, &family).unwrap_or_default();
        let rows = DEFAULT_FORM
            .repeat(BANTUAN)
            .map(|repeat| asked_rows(&DEFAULT_FORM, repeat, &family))
            .unwrap_or_default();
        let mut received: Vec<Aid> = rows
            .into_iter()
            .filter_map(|(_, row)| {
                let programme = row.answers.get(PROGRAM).trim();
                (!programme.is_empty()).then(|| {
                    let stated = row.answers.get(SUMBER_DANA).trim();
                    let funding = match stated.is_empty() {
                        true => default_funding(programme).unwrap_or("9"),
                        false => stated,
                    };
                    Aid {
                        programme: programme.to_owned(),
                        funding: funding.to_owned(),
                    }
                })
            })
            .collect();
        received.sort();
        received.dedup();
        FamilyAid {
            extreme_poor: asked(STATUS_KESEJAHTERAAN_USULAN).trim() == EXTREME_POOR,
            received,
            proposed: asked(BANTUAN_DIUSULKAN)
                .split_whitespace()
                .map(str::to_owned)
                .collect(),
            delivered,
        }
    }

    /// Every programme the family has, received before or delivered since, with its source.
    pub fn has(&self) -> BTreeSet<&Aid> {
        self.received
            .iter()
            .chain(self.delivered.iter().map(|d| &d.aid))
            .collect()
    }

    /// The family receives nothing at all.
    pub fn without_aid(&self) -> bool {
        self.received.is_empty() && self.delivered.is_empty()
    }

    /// Programmes proposed that the family does not have yet.
    pub fn waiting(&self) -> Vec<&str> {
        let has: BTreeSet<&str> = self.has().into_iter().map(|a| a.programme.as_str()).collect();
        self.proposed
            .iter()
            .map(String::as_str)
            .filter(|p| !has.contains(p))
            .collect()
    }
}

/// The TKPK's figures for one area (a desa, a kecamatan or the regency).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Recap {
    /// Verified families.
    pub families: u32,
    pub extreme_poor: u32,
    /// Extreme-poor families receiving no aid at all.
    pub extreme_poor_without_aid: u32,
    /// Families with at least one proposed programme they do not have yet.
    pub proposed_waiting: u32,
    /// Extreme-poor families with at least one proposed programme they do not have yet.
    pub extreme_poor_waiting: u32,
    /// Families having each programme (received or delivered).
    pub by_programme: BTreeMap<String, u32>,
    /// Families having aid from each funding source.
    pub by_funding: BTreeMap<String, u32>,
}

impl Recap {
    /// Adds one family.
    pub fn add(&mut self, family: &FamilyAid) {
        self.families += 1;
        let waiting = !family.waiting().is_empty();
        self.proposed_waiting += u32::from(waiting);
        if family.extreme_poor {
            self.extreme_poor += 1;
            self.extreme_poor_without_aid += u32::from(family.without_aid());
            self.extreme_poor_waiting += u32::from(waiting);
        }
        let has = family.has();
        let programmes: BTreeSet<&str> = has.iter().map(|a| a.programme.as_str()).collect();
        for programme in programmes {
            *self.by_programme.entry(programme.to_owned()).or_default() += 1;
        }
        let sources: BTreeSet<&str> = has.iter().map(|a| a.funding.as_str()).collect();
        for source in sources {
            *self.by_funding.entry(source.to_owned()).or_default() += 1;
        }
    }
}
