//! Where a campaign stands: per village, which listed families were visited, and the
//! recap a Berita Acara Musdes needs (outcomes and recommendations of finished visits).
//!
//! Worked out from [`Visit`]s, the few answers of each household the app keeps beside it,
//! so the campaign page never reads every record.

use crate::fields::{NAMA_KEPALA_KELUARGA, NOMOR_KK};
use crate::form::default::{KODE_DESA, PRELIST_ID, REKOMENDASI, STATUS_VERIFIKASI};
use crate::form::Form;
use crate::ids::FieldId;
use crate::prelist::PrelistFamily;
use crate::record::{HouseholdRecord, RecordStatus, Timestamp};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What the campaign needs of one household on the device.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visit {
    pub record_id: String,
    /// Empty for a family not on the list.
    pub prelist_id: String,
    pub kode_desa: String,
    /// The head's name, to list a new family.
    #[serde(default)]
    pub nama: String,
    /// The family card number, to name the family in a duplicate hint (empty in entries
    /// written before it was kept, until the household is saved again).
    #[serde(default)]
    pub nomor_kk: String,
    pub status: RecordStatus,
    pub status_verifikasi: String,
    pub rekomendasi: String,
    pub updated_at: Timestamp,
}

impl Visit {
    /// A household's entry; a form as data's record (issue #25) visits no listed family and
    /// counts in no village: its answers are not the household form's.
    pub fn of(record: &HouseholdRecord) -> Visit {
        let household = record.is_household_form();
        Visit::from_answers(
            record.id.as_str(),
            record.status,
            record.updated_at,
            |f| match household {
                true => record.answers.get(f).to_owned(),
                false => String::new(),
            },
        )
    }

    /// The entry of a household known only by its id, status, time of change and a way to
    /// read its family answers (the app's storage reads a stored object field by field).
    pub fn from_answers(
        record_id: &str,
        status: RecordStatus,
        updated_at: Timestamp,
        answer: impl Fn(FieldId) -> String,
    ) -> Visit {
        let get = |f: FieldId| answer(f).trim().to_owned();
        Visit {
            record_id: record_id.to_owned(),
            prelist_id: get(PRELIST_ID),
            kode_desa: get(KODE_DESA),
            nama: get(NAMA_KEPALA_KELUARGA),
            nomor_kk: get(NOMOR_KK),
            status,
            status_verifikasi: get(STATUS_VERIFIKASI),
            rekomendasi: get(REKOMENDASI),
            updated_at,
        }
    }
}

/// A listed family's state in the campaign.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum VisitState {
    BelumDikunjungi,
    SedangDiisi,
    Selesai,
}

/// The newest visit of each listed family, by prelist id.
pub fn latest_visits(visits: &[Visit]) -> BTreeMap<&str, &Visit> {
    let mut latest: BTreeMap<&str, &Visit> = BTreeMap::new();
    for v in visits.iter().filter(|v| !v.prelist_id.is_empty()) {
        let newer = latest
            .get(v.prelist_id.as_str())
            .is_none_or(|old| v.updated_at > old.updated_at);
        if newer {
            latest.insert(&v.prelist_id, v);
        }
    }
    latest
}

/// Finished once a visit was finalized (a correction under way does not undo that);
/// being filled while only drafts exist.
pub fn state_of(prelist_id: &str, visits: &[Visit]) -> VisitState {
    let mut state = VisitState::BelumDikunjungi;
    for v in visits.iter().filter(|v| v.prelist_id == prelist_id) {
        let here = match v.status {
            RecordStatus::Final => VisitState::Selesai,
            RecordStatus::Draft => VisitState::SedangDiisi,
        };
        state = state.max(here);
    }
    state
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VillageProgress {
    pub kode_desa: String,
    pub listed: usize,
    pub belum: usize,
    pub sedang: usize,
    pub selesai: usize,
    /// Families added in this village that the list does not have (status 10).
    pub new_families: usize,
}

impl VillageProgress {
    /// Whole percent of listed families finished, for the progress bar.
    pub fn percent(&self) -> u32 {
        if self.listed == 0 {
            return 0;
        }
        ((self.selesai * 100) / self.listed) as u32
    }
}

/// Progress per village of `villages` (in that order).
pub fn progress(villages: &[String], families: &[PrelistFamily], visits: &[Visit]) -> Vec<VillageProgress> {
    villages
        .iter()
        .map(|village| {
            let mut p = VillageProgress {
                kode_desa: village.clone(),
                ..VillageProgress::default()
            };
            for family in families.iter().filter(|f| &f.kode_desa == village) {
                p.listed += 1;
                match state_of(&family.prelist_id, visits) {
                    VisitState::BelumDikunjungi => p.belum += 1,
                    VisitState::SedangDiisi => p.sedang += 1,
                    VisitState::Selesai => p.selesai += 1,
                }
            }
            p.new_families = visits
                .iter()
                .filter(|v| v.prelist_id.is_empty() && &v.kode_desa == village)
                .count();
            p
        })
        .collect()
}

/// One line of a village recap.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecapLine {
    /// `status_verifikasi` or `rekomendasi`.
    pub group: FieldId,
    pub code: String,
    /// The answer's label in Indonesian, as the Berita Acara is written.
    pub label: String,
    pub families: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VillageRecap {
    pub progress: VillageProgress,
    pub lines: Vec<RecapLine>,
}

/// The recap of one village for the Musdes: counts by outcome and by recommendation of
/// the finished visits (listed families' latest finalized visit, and new families).
pub fn village_recap(
    form: &Form,
    village: &str,
    families: &[PrelistFamily],
    visits: &[Visit],
) -> VillageRecap {
    let progress = progress(&[village.to_owned()], families, visits)
        .pop()
        .unwrap_or_default();
    let mut finished: BTreeMap<&str, &Visit> = BTreeMap::new();
    for v in visits
        .iter()
        .filter(|v| v.kode_desa == village && v.status == RecordStatus::Final)
    {
        let key = if v.prelist_id.is_empty() {
            &v.record_id
        } else {
            &v.prelist_id
        };
        let newer = finished
            .get(key.as_str())
            .is_none_or(|old| v.updated_at > old.updated_at);
        if newer {
            finished.insert(key, v);
        }
    }
    let mut lines = Vec::new();
    for group in [STATUS_VERIFIKASI, REKOMENDASI] {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for v in finished.values() {
            let code = if group == STATUS_VERIFIKASI {
                &v.status_verifikasi
            } else {
                &v.rekomendasi
            };
            *counts.entry(code.as_str()).or_default() += 1;
        }
        let mut ordered: Vec<(&str, usize)> = counts.into_iter().collect();
        // Codes in numeric order (10 after 9), "not answered" last.
        ordered.sort_by_key(|(code, _)| code.parse::<u32>().unwrap_or(u32::MAX));
        for (code, families) in ordered {
            let label = match form.question(group).and_then(|q| q.choice_label(code)) {
                Some(text) => text.id.to_owned(),
                None => "(tidak diisi)".to_owned(),
            };
            lines.push(RecapLine {
                group,
                code: code.to_owned(),
                label,
                families,
            });
        }
    }
    VillageRecap { progress, lines }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::campaign::fixtures::listed;
    use crate::form::default::DEFAULT_FORM;

    fn family(id: &str, village: &str) -> PrelistFamily {
        PrelistFamily {
            kode_desa: village.to_owned(),
            ..listed(id, "", Vec::new())
        }
    }

    fn visit(
        record: &str,
        prelist: &str,
        status: RecordStatus,
        outcome: &str,
        rekomendasi: &str,
        at: i64,
    ) -> Visit {
        Visit {
            record_id: record.to_owned(),
            prelist_id: prelist.to_owned(),
            kode_desa: "35.13.14.2001".to_owned(),
            nama: String::new(),
            nomor_kk: String::new(),
            status,
            status_verifikasi: outcome.to_owned(),
            rekomendasi: rekomendasi.to_owned(),
            updated_at: Timestamp(at),
        }
    }

    const DESA: &str = "35.13.14.2001";

    fn campaign() -> (Vec<String>, Vec<PrelistFamily>, Vec<Visit>) {
        let villages = vec![DESA.to_owned(), "35.13.14.2002".to_owned()];
        let families = vec![
            family("A", DESA),
            family("B", DESA),
            family("C", DESA),
            family("D", DESA),
            family("E", "35.13.14.2002"),
        ];
        let visits = vec![
            visit("r1", "A", RecordStatus::Final, "1", "1", 1),
            visit("r2", "B", RecordStatus::Final, "2", "2", 2),
            // B corrected afterwards: still finished, the newer outcome counts.
            visit("r2b", "B", RecordStatus::Final, "2", "5", 5),
            visit("r3", "C", RecordStatus::Draft, "", "", 3),
            visit("r4", "", RecordStatus::Final, "10", "4", 4),
            visit("r5", "", RecordStatus::Draft, "10", "", 6),
        ];
        (villages, families, visits)
    }

    #[test]
    fn progress_counts_each_listed_family_once_by_its_state() {
        let (villages, families, visits) = campaign();
        let p = progress(&villages, &families, &visits);
        assert_eq!(
            (
                p[0].listed,
                p[0].belum,
                p[0].sedang,
                p[0].selesai,
                p[0].new_families
            ),
            (4, 1, 1, 2, 2)
        );
        assert_eq!(p[0].percent(), 50);
        assert_eq!((p[1].listed, p[1].belum, p[1].percent()), (1, 1, 0));
        assert_eq!(state_of("D", &visits), VisitState::BelumDikunjungi);
        assert_eq!(latest_visits(&visits)["B"].record_id, "r2b");
    }

    #[test]
    fn the_recap_counts_finished_visits_by_outcome_and_recommendation() {
        let (_, families, visits) = campaign();
        let recap = village_recap(&DEFAULT_FORM, DESA, &families, &visits);
        let count = |group: FieldId, code: &str| {
            recap
                .lines
                .iter()
                .find(|l| l.group == group && l.code == code)
                .map(|l| l.families)
        };
        assert_eq!(count(STATUS_VERIFIKASI, "1"), Some(1));
        assert_eq!(count(STATUS_VERIFIKASI, "2"), Some(1), "B counted once");
        assert_eq!(
            count(STATUS_VERIFIKASI, "10"),
            Some(1),
            "the draft new family is not finished"
        );
        assert_eq!(
            count(REKOMENDASI, "2"),
            None,
            "B's newer recommendation replaces it"
        );
        assert_eq!(count(REKOMENDASI, "5"), Some(1));
        let codes: Vec<&str> = recap
            .lines
            .iter()
            .filter(|l| l.group == STATUS_VERIFIKASI)
            .map(|l| l.code.as_str())
            .collect();
        assert_eq!(codes, ["1", "2", "10"]);
        let line = recap.lines.iter().find(|l| l.code == "10").expect("line");
        assert!(line.label.starts_with("Keluarga baru"));
        assert_eq!(recap.progress.selesai, 2);
    }
}
