//! How a new list joins the families already on the phone (issue #16: nothing the
//! enumerator entered is ever lost).
//!
//! A phone can hold families from two sources: the district's list (the hub's assignment,
//! downloaded or imported as its `penugasan-….json` file) and a prelist spreadsheet the
//! enumerator read on the phone. A list only ever speaks for its own source:
//!
//! - a family it names is added, or its listed data updated;
//! - a family of the same source it leaves out is *withdrawn*: kept, marked, with whatever
//!   visit it has; only the enumerator removes it (and only while it has no visit);
//! - the other source's families are left exactly as they were.
//!
//! A prelist id named by both sources is one family, so it is kept once: the district's
//! list wins (its data is what the district verifies against), and a local list never
//! changes a family the district lists. A family the district withdrew that the phone's own
//! list names becomes the phone's again. Household records are never part of this.

use crate::prelist::PrelistFamily;
use crate::sync::api::Assignment;
use crate::text::Message;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where a listed family came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// The district's list: the hub's assignment, downloaded or imported as its file.
    Hub,
    /// A prelist spreadsheet read on the phone.
    Local,
}

impl Source {
    /// The source of what an app older than sources stored, from the assignment info it
    /// kept: a prelist read on the phone was saved with `via` "file" and no enumerator
    /// (the hub's assignments always name one).
    pub fn of_legacy(via: &str, enumerator: &str) -> Source {
        if via == "file" && enumerator.is_empty() {
            Source::Local
        } else {
            Source::Hub
        }
    }
}

/// One family of the phone's visit list, as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignedFamily {
    pub prelist_id: String,
    pub kode_desa: String,
    pub source: Source,
    /// False once a newer list of its source left it out: withdrawn, kept until the
    /// enumerator removes it.
    pub listed: bool,
    pub family: PrelistFamily,
    /// The hub's list said a household there already visited it (perhaps another
    /// enumerator's): shown on the family, so nobody walks to it twice unaware.
    #[serde(default)]
    pub visited_elsewhere: bool,
}

/// What saving a list changed, as the panel reports it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AssignmentUpdate {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Left out by the new list: kept on the phone, marked withdrawn (this time only).
    pub withdrawn: usize,
    /// Named by both sources. Saving the hub's list: the phone's own families it took over.
    /// Saving a local list: families the district lists, left as it lists them.
    pub shared: usize,
    /// The other source's families, left as they were.
    pub untouched: usize,
}

/// Merges `new`, a list from `source`, into the families on the phone. Returns every
/// family the phone keeps (nothing is ever dropped) and what changed.
pub fn merge(
    old: Vec<AssignedFamily>,
    new: &Assignment,
    source: Source,
) -> (Vec<AssignedFamily>, AssignmentUpdate) {
    let mut update = AssignmentUpdate::default();
    let mut kept: BTreeMap<String, AssignedFamily> =
        old.into_iter().map(|f| (f.prelist_id.clone(), f)).collect();
    let mut named = std::collections::BTreeSet::new();
    for family in &new.families {
        named.insert(family.prelist_id.as_str());
        let fresh = AssignedFamily {
            prelist_id: family.prelist_id.clone(),
            kode_desa: family.kode_desa.clone(),
            source,
            listed: true,
            family: family.clone(),
            visited_elsewhere: new.visited.contains(&family.prelist_id),
        };
        let Some(before) = kept.get(&family.prelist_id) else {
            update.added += 1;
            kept.insert(fresh.prelist_id.clone(), fresh);
            continue;
        };
        if before.source == source {
            if before.listed
                && before.family == *family
                && before.visited_elsewhere == fresh.visited_elsewhere
            {
                update.unchanged += 1;
                continue;
            }
            update.updated += 1;
        } else if source == Source::Hub || !before.listed {
            // The district's list wins; a family it withdrew is the phone's list's again.
            if source == Source::Hub {
                update.shared += 1;
            } else {
                update.updated += 1;
            }
        } else {
            update.shared += 1;
            continue;
        }
        kept.insert(fresh.prelist_id.clone(), fresh);
    }
    for family in kept.values_mut() {
        if named.contains(family.prelist_id.as_str()) {
            continue;
        }
        if family.source != source {
            update.untouched += 1;
        } else if family.listed {
            family.listed = false;
            update.withdrawn += 1;
        }
    }
    (kept.into_values().collect(), update)
}

/// Whether the enumerator may take a family off the phone's list: only a withdrawn one
/// that nobody started visiting (a visit keeps its family, so nothing entered is lost).
pub fn removable(family: &AssignedFamily, visited: bool) -> bool {
    !family.listed && !visited
}

impl AssignmentUpdate {
    /// What the panel says after a list of `source` was saved.
    pub fn message(&self, source: Source) -> Message {
        let AssignmentUpdate {
            added,
            updated,
            unchanged,
            withdrawn,
            shared,
            untouched,
        } = *self;
        let (what, what_en, other, other_en) = match source {
            Source::Hub => (
                "Penugasan kabupaten",
                "District assignment",
                "daftar yang diimpor di perangkat",
                "the list imported on this phone",
            ),
            Source::Local => (
                "Daftar dari berkas di perangkat",
                "List from a file on this phone",
                "penugasan kabupaten",
                "the district's assignment",
            ),
        };
        let mut id = format!(
            "{what} disimpan: {added} keluarga baru, {updated} diperbarui, {unchanged} tetap, {withdrawn} ditarik dari daftar (tetap disimpan bersama kunjungannya)."
        );
        let mut en = format!(
            "{what_en} saved: {added} new families, {updated} updated, {unchanged} unchanged, {withdrawn} withdrawn from the list (kept with their visits)."
        );
        if shared > 0 {
            let (i, e) = match source {
                Source::Hub => (
                    format!(" {shared} keluarga juga ada di {other}: data kabupaten yang dipakai."),
                    format!(" {shared} families are also on {other_en}: the district's data is used."),
                ),
                Source::Local => (
                    format!(" {shared} keluarga sudah ada di {other}: tetap seperti di daftar kabupaten."),
                    format!(" {shared} families are already on {other_en}: kept as the district lists them."),
                ),
            };
            id.push_str(&i);
            en.push_str(&e);
        }
        if untouched > 0 {
            id.push_str(&format!(" {untouched} keluarga dari {other} tidak diubah."));
            en.push_str(&format!(
                " {untouched} families from {other_en} were left untouched."
            ));
        }
        Message::new(id, en)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::campaign::fixtures::listed;
    use Source::{Hub, Local};

    fn on_phone(id: &str, source: Source, listed_now: bool, alamat: &str) -> AssignedFamily {
        let mut family = listed(id, "", Vec::new());
        family.alamat = alamat.to_owned();
        AssignedFamily {
            prelist_id: id.to_owned(),
            kode_desa: family.kode_desa.clone(),
            source,
            listed: listed_now,
            family,
            visited_elsewhere: false,
        }
    }

    fn list(families: &[(&str, &str)]) -> Assignment {
        Assignment {
            hub: "Dinsos".to_owned(),
            enumerator: "SITI".to_owned(),
            villages: vec!["35.13.14.2001".to_owned()],
            families: families
                .iter()
                .map(|(id, alamat)| on_phone(id, Hub, true, alamat).family)
                .collect(),
            visited: Vec::new(),
            district_keys: Vec::new(),
            musdes: Vec::new(),
            forms: Vec::new(),
            batch_part_bytes: None,
        }
    }

    /// The phone's families as `id:source:listed:alamat`, sorted.
    fn shown(families: &[AssignedFamily]) -> Vec<String> {
        let mut out: Vec<String> = families
            .iter()
            .map(|f| {
                let source = if f.source == Hub { "hub" } else { "local" };
                let state = if f.listed { "listed" } else { "withdrawn" };
                format!("{}:{source}:{state}:{}", f.prelist_id, f.family.alamat)
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn each_list_speaks_only_for_its_source_and_never_drops_a_family() {
        struct Case {
            name: &'static str,
            old: Vec<AssignedFamily>,
            new: &'static [(&'static str, &'static str)],
            source: Source,
            phone: &'static [&'static str],
            // added, updated, unchanged, withdrawn, shared, untouched
            counts: [usize; 6],
        }
        let cases = [
            Case {
                name: "the first hub list after a local import keeps the local families",
                old: vec![
                    on_phone("L1", Local, true, "x"),
                    on_phone("L2", Local, true, "x"),
                    on_phone("L3", Local, true, "x"),
                ],
                new: &[("H1", "y"), ("H2", "y")],
                source: Hub,
                phone: &[
                    "H1:hub:listed:y",
                    "H2:hub:listed:y",
                    "L1:local:listed:x",
                    "L2:local:listed:x",
                    "L3:local:listed:x",
                ],
                counts: [2, 0, 0, 0, 0, 3],
            },
            Case {
                name: "a newer hub list withdraws what it leaves out, keeps it, updates the rest",
                old: vec![
                    on_phone("A", Hub, true, "x"),
                    on_phone("B", Hub, true, "x"),
                    on_phone("C", Hub, true, "x"),
                ],
                new: &[("A", "x"), ("B", "changed"), ("D", "y")],
                source: Hub,
                phone: &[
                    "A:hub:listed:x",
                    "B:hub:listed:changed",
                    "C:hub:withdrawn:x",
                    "D:hub:listed:y",
                ],
                counts: [1, 1, 1, 1, 0, 0],
            },
            Case {
                name: "a family withdrawn before is not counted again, and a relisted one is updated",
                old: vec![on_phone("A", Hub, false, "x"), on_phone("C", Hub, false, "x")],
                new: &[("A", "x")],
                source: Hub,
                phone: &["A:hub:listed:x", "C:hub:withdrawn:x"],
                counts: [0, 1, 0, 0, 0, 0],
            },
            Case {
                name: "a local import never withdraws or changes the district's families",
                old: vec![
                    on_phone("H1", Hub, true, "x"),
                    on_phone("H2", Hub, true, "x"),
                    on_phone("L1", Local, true, "x"),
                ],
                new: &[("H1", "local words"), ("L2", "y")],
                source: Local,
                phone: &[
                    "H1:hub:listed:x",
                    "H2:hub:listed:x",
                    "L1:local:withdrawn:x",
                    "L2:local:listed:y",
                ],
                counts: [1, 0, 0, 1, 1, 1],
            },
            Case {
                name: "the hub takes over a family the phone's own list also names",
                old: vec![
                    on_phone("S", Local, true, "local words"),
                    on_phone("L", Local, true, "x"),
                ],
                new: &[("S", "district words")],
                source: Hub,
                phone: &["L:local:listed:x", "S:hub:listed:district words"],
                counts: [0, 0, 0, 0, 1, 1],
            },
            Case {
                name: "a family the district withdrew becomes the phone's again when its list names it",
                old: vec![on_phone("S", Hub, false, "x")],
                new: &[("S", "y")],
                source: Local,
                phone: &["S:local:listed:y"],
                counts: [0, 1, 0, 0, 0, 0],
            },
        ];
        for case in cases {
            let (phone, u) = merge(case.old, &list(case.new), case.source);
            assert_eq!(shown(&phone), case.phone, "{}", case.name);
            assert_eq!(
                [
                    u.added,
                    u.updated,
                    u.unchanged,
                    u.withdrawn,
                    u.shared,
                    u.untouched
                ],
                case.counts,
                "{}",
                case.name
            );
        }
    }

    #[test]
    fn only_a_withdrawn_family_without_a_visit_can_be_removed() {
        let cases = [
            (true, false, false),
            (false, false, true),
            (false, true, false),
            (true, true, false),
        ];
        for (listed_now, visited, expected) in cases {
            let family = on_phone("A", Hub, listed_now, "");
            assert_eq!(
                removable(&family, visited),
                expected,
                "listed {listed_now}, visited {visited}"
            );
        }
    }

    #[test]
    fn legacy_entries_take_their_source_from_the_stored_info() {
        assert_eq!(Source::of_legacy("hub", "SITI"), Hub);
        assert_eq!(
            Source::of_legacy("file", "SITI"),
            Hub,
            "the hub's assignment file"
        );
        assert_eq!(
            Source::of_legacy("file", ""),
            Local,
            "a prelist read on the phone"
        );
    }

    #[test]
    fn the_message_says_every_count_and_what_the_other_list_kept() {
        let update = AssignmentUpdate {
            added: 2,
            updated: 1,
            unchanged: 4,
            withdrawn: 1,
            shared: 0,
            untouched: 3,
        };
        let m = update.message(Hub);
        assert_eq!(
            m.id,
            "Penugasan kabupaten disimpan: 2 keluarga baru, 1 diperbarui, 4 tetap, 1 ditarik dari daftar (tetap disimpan bersama kunjungannya). 3 keluarga dari daftar yang diimpor di perangkat tidak diubah."
        );
        assert!(
            m.en.ends_with("3 families from the list imported on this phone were left untouched."),
            "{}",
            m.en
        );
        let m = AssignmentUpdate {
            shared: 1,
            ..AssignmentUpdate::default()
        }
        .message(Local);
        assert!(
            m.id.contains("1 keluarga sudah ada di penugasan kabupaten"),
            "{}",
            m.id
        );
        assert!(!m.id.contains("tidak diubah"), "nothing untouched, nothing said");
    }

    #[test]
    fn a_family_the_hub_saw_visited_is_marked_and_unmarked_with_the_list() {
        let mut first = list(&[("A1", "Krajan 1"), ("A2", "Krajan 2")]);
        first.visited = vec!["A2".to_owned()];
        let (kept, _) = merge(Vec::new(), &first, Hub);
        let marked: Vec<(&str, bool)> = kept
            .iter()
            .map(|f| (f.prelist_id.as_str(), f.visited_elsewhere))
            .collect();
        assert_eq!(marked, [("A1", false), ("A2", true)]);
        // The next list no longer says so (the visit was rejected as a duplicate): unmarked.
        let (again, update) = merge(kept, &list(&[("A1", "Krajan 1"), ("A2", "Krajan 2")]), Hub);
        assert!(again.iter().all(|f| !f.visited_elsewhere));
        assert_eq!((update.updated, update.unchanged), (1, 1));
    }
}
