//! The same NIK or KK in two families, found offline (issue #7): among the families of the
//! assignment and the households on the device. Shown on both families as a hint — one of
//! them may be a "data ganda" (status 7) — never as an error: a person may truly have moved
//! between families.

use crate::campaign::prefill::head_of;
use crate::form::rules::family_label;
use crate::prelist::PrelistFamily;
use std::collections::{BTreeMap, BTreeSet};

/// Who holds a number: a listed family (with its visits) or a household on the device
/// that is not a visit of a listed family.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Owner {
    Listed(String),
    Household(String),
}

/// A household on the device, as the duplicate search needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceHousehold {
    pub record_id: String,
    /// The listed family it is a visit of; empty when none.
    pub prelist_id: String,
    /// Its KK and members' NIKs.
    pub numbers: Vec<String>,
    /// How the enumerator knows it: its head's name and card number (`family_label`).
    pub label: String,
}

/// A number an owner shares with others.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hint {
    pub number: String,
    pub others: Vec<Owner>,
    /// The others as the enumerator knows them: head's name and card number, never an
    /// internal record id.
    pub names: Vec<String>,
}

/// Every owner holding a number some other owner holds too, with those numbers. A visit
/// of a listed family counts as that family (its corrected NIKs included), so a family is
/// never its own duplicate.
pub fn duplicate_hints(families: &[PrelistFamily], device: &[DeviceHousehold]) -> BTreeMap<Owner, Vec<Hint>> {
    let listed: BTreeSet<&str> = families.iter().map(|f| f.prelist_id.as_str()).collect();
    let mut names: BTreeMap<Owner, String> = families
        .iter()
        .map(|f| {
            let head = head_of(f).map_or("", |m| m.nama.as_str());
            let kk = f.nomor_kk.as_deref().unwrap_or_default();
            (Owner::Listed(f.prelist_id.clone()), family_label(head, kk))
        })
        .collect();
    let mut holders: BTreeMap<String, BTreeSet<Owner>> = BTreeMap::new();
    let mut hold = |number: &str, owner: Owner| {
        let number = number.trim();
        if !number.is_empty() {
            holders.entry(number.to_owned()).or_default().insert(owner);
        }
    };
    for family in families {
        let owner = || Owner::Listed(family.prelist_id.clone());
        for n in family
            .nomor_kk
            .iter()
            .chain(family.members.iter().filter_map(|m| m.nik.as_ref()))
        {
            hold(n, owner());
        }
    }
    for household in device {
        let owner = if listed.contains(household.prelist_id.as_str()) {
            Owner::Listed(household.prelist_id.clone())
        } else {
            let owner = Owner::Household(household.record_id.clone());
            names.insert(owner.clone(), household.label.clone());
            owner
        };
        for n in &household.numbers {
            hold(n, owner.clone());
        }
    }
    let mut hints: BTreeMap<Owner, Vec<Hint>> = BTreeMap::new();
    for (number, owners) in holders.iter().filter(|(_, o)| o.len() > 1) {
        for owner in owners {
            let others: Vec<Owner> = owners.iter().filter(|o| *o != owner).cloned().collect();
            hints.entry(owner.clone()).or_default().push(Hint {
                number: number.clone(),
                names: others
                    .iter()
                    .map(|o| names.get(o).cloned().unwrap_or_default())
                    .collect(),
                others,
            });
        }
    }
    hints
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::campaign::fixtures::{listed, member};

    fn family(id: &str, kk: &str, niks: &[&str]) -> PrelistFamily {
        listed(
            id,
            kk,
            niks.iter()
                .map(|n| member(n, &format!("KEPALA {id}"), "", ""))
                .collect(),
        )
    }

    const KK1: &str = "3513141203150001";
    const KK2: &str = "3513141203150002";
    const NIK1: &str = "3513141207850001";
    const NIK2: &str = "3513141207850002";
    const NIK3: &str = "3513141207850003";

    #[test]
    fn a_nik_in_two_listed_families_is_shown_on_both() {
        let families = [family("A", KK1, &[NIK1, NIK2]), family("B", KK2, &[NIK2])];
        let hints = duplicate_hints(&families, &[]);
        let on = |id: &str| {
            hints
                .get(&Owner::Listed(id.to_owned()))
                .cloned()
                .unwrap_or_default()
        };
        assert_eq!(
            on("A"),
            [Hint {
                number: NIK2.to_owned(),
                others: vec![Owner::Listed("B".to_owned())],
                names: vec![format!("KEPALA B (KK {KK2})")],
            }]
        );
        assert_eq!(
            on("B"),
            [Hint {
                number: NIK2.to_owned(),
                others: vec![Owner::Listed("A".to_owned())],
                names: vec![format!("KEPALA A (KK {KK1})")],
            }]
        );
    }

    #[test]
    fn a_visit_is_its_family_but_another_household_is_not() {
        let families = [family("A", KK1, &[NIK1])];
        let device = [
            // The visit of A, with a member added: not a duplicate of A.
            DeviceHousehold {
                record_id: "r1".to_owned(),
                prelist_id: "A".to_owned(),
                numbers: vec![KK1.to_owned(), NIK1.to_owned(), NIK3.to_owned()],
                label: "SLAMET (KK 3513141203150001)".to_owned(),
            },
            // A household entered by hand holding A's KK.
            DeviceHousehold {
                record_id: "r2".to_owned(),
                prelist_id: String::new(),
                numbers: vec![KK1.to_owned()],
                label: "BUDI (KK 3513141203150001)".to_owned(),
            },
        ];
        let hints = duplicate_hints(&families, &device);
        assert_eq!(hints.len(), 2);
        let a = &hints[&Owner::Listed("A".to_owned())];
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].number, KK1);
        assert_eq!(a[0].others, [Owner::Household("r2".to_owned())]);
        assert_eq!(
            a[0].names,
            ["BUDI (KK 3513141203150001)"],
            "named, never by its record id"
        );
        let r2 = &hints[&Owner::Household("r2".to_owned())];
        assert_eq!(r2[0].names, [format!("KEPALA A (KK {KK1})")]);
        assert!(duplicate_hints(&families, &device[..1]).is_empty());
    }
}
