//! What a cross-field rule reads, and the device-wide look-ups it may need.

use super::model::Form;
use super::scope::Scope;
use crate::date::Date;
use crate::ids::{FieldId, RecordId};
use crate::record::HouseholdRecord;
use std::collections::BTreeMap;

/// Everything a rule of [`Form::rules`] may read.
pub struct RuleInput<'a> {
    pub form: &'a Form,
    pub record: &'a HouseholdRecord,
    pub today: Date,
    pub others: &'a dyn OtherFamilies,
}

impl<'a> RuleInput<'a> {
    pub fn family(&self) -> Scope<'a> {
        Scope::family(self.record, self.today)
    }
}

/// The other families stored on this device, as far as duplicate checks need them.
pub trait OtherFamilies {
    /// How to name each other family (not `except`) with a member holding this NIK.
    fn with_nik(&self, nik: &str, except: &RecordId) -> Vec<String>;
    /// How to name each other family (not `except`) with this family card number.
    fn with_kk(&self, kk: &str, except: &RecordId) -> Vec<String>;
}

/// No other family: a device with one record, or a check that does not look wider.
pub struct NoOtherFamilies;

impl OtherFamilies for NoOtherFamilies {
    fn with_nik(&self, _: &str, _: &RecordId) -> Vec<String> {
        Vec::new()
    }

    fn with_kk(&self, _: &str, _: &RecordId) -> Vec<String> {
        Vec::new()
    }
}

/// NIK and KK numbers of a set of records, by number. The app keeps the same look-up in
/// IndexedDB indexes; this one serves tests, exports and the hub.
#[derive(Default)]
pub struct FamilyIndex {
    by_nik: BTreeMap<String, Vec<(RecordId, String)>>,
    by_kk: BTreeMap<String, Vec<(RecordId, String)>>,
}

impl FamilyIndex {
    /// Indexes records; `kk` and `member_nik` name the fields and repeat to read.
    pub fn new<'r>(
        records: impl IntoIterator<Item = &'r HouseholdRecord>,
        kk: FieldId,
        members: FieldId,
        nik: FieldId,
        name: FieldId,
    ) -> FamilyIndex {
        let mut index = FamilyIndex::default();
        for record in records {
            let label = family_label(record.answers.get(name), record.answers.get(kk));
            let kk_value = record.answers.get(kk).trim();
            if !kk_value.is_empty() {
                index
                    .by_kk
                    .entry(kk_value.to_owned())
                    .or_default()
                    .push((record.id.clone(), label.clone()));
            }
            for row in record.repeats.rows(members) {
                let nik_value = row.answers.get(nik).trim();
                if !nik_value.is_empty() {
                    index
                        .by_nik
                        .entry(nik_value.to_owned())
                        .or_default()
                        .push((record.id.clone(), label.clone()));
                }
            }
        }
        index
    }
}

impl FamilyIndex {
    /// From look-ups already made (the app asks its store, number by number): each number
    /// with the families holding it, by id and head's name and card number.
    pub fn from_lookups(
        lookups: impl IntoIterator<Item = (String, Vec<crate::record::HouseholdSummary>)>,
    ) -> FamilyIndex {
        let mut index = FamilyIndex::default();
        for (number, families) in lookups {
            let named: Vec<(RecordId, String)> = families
                .iter()
                .map(|f| (f.id.clone(), family_label(&f.nama_kepala_keluarga, &f.nomor_kk)))
                .collect();
            index.by_nik.insert(number.clone(), named.clone());
            index.by_kk.insert(number, named);
        }
        index
    }
}

/// How a family is named in a duplicate warning: the head's name and the card number.
pub fn family_label(head: &str, kk: &str) -> String {
    match (head.trim(), kk.trim()) {
        ("", "") => "(tanpa nama / no name)".to_owned(),
        (head, "") => head.to_owned(),
        ("", kk) => format!("KK {kk}"),
        (head, kk) => format!("{head} (KK {kk})"),
    }
}

fn others(list: Option<&Vec<(RecordId, String)>>, except: &RecordId) -> Vec<String> {
    let mut names: Vec<String> = list
        .into_iter()
        .flatten()
        .filter(|(id, _)| id != except)
        .map(|(_, label)| label.clone())
        .collect();
    names.dedup();
    names
}

impl OtherFamilies for FamilyIndex {
    fn with_nik(&self, nik: &str, except: &RecordId) -> Vec<String> {
        others(self.by_nik.get(nik), except)
    }

    fn with_kk(&self, kk: &str, except: &RecordId) -> Vec<String> {
        others(self.by_kk.get(kk), except)
    }
}
