//! The aid ledger: what a record says a family has and waits for, and the TKPK's recap.

use super::ledger::{Aid, Delivery, FamilyAid, Recap};
use super::programmes::Programmes;
use crate::form::default::example::{example_family, EXAMPLE_TODAY};
use crate::form::default::{
    BANTUAN, BANTUAN_DIUSULKAN, MENERIMA_BANTUAN, PROGRAM, STATUS_KESEJAHTERAAN_USULAN, SUMBER_DANA,
};
use crate::ids::RecordId;
use crate::record::{HouseholdRecord, Timestamp};
use std::collections::BTreeMap;

const NOW: Timestamp = Timestamp(1_795_400_000_000);

fn aid(programme: &str, funding: &str) -> Aid {
    Aid {
        programme: programme.to_owned(),
        funding: funding.to_owned(),
    }
}

/// A verified family: its welfare status, the programmes it receives (code, funding as
/// stated, empty for the form's default) and those proposed.
fn record(status: &str, received: &[(&str, &str)], proposed: &str) -> HouseholdRecord {
    let mut r = example_family(RecordId::from_random_bytes([9; 16]));
    r.set_answer(STATUS_KESEJAHTERAAN_USULAN, status, NOW);
    for row in r
        .repeats
        .rows(BANTUAN)
        .iter()
        .map(|row| row.key)
        .collect::<Vec<_>>()
    {
        r.remove_row(BANTUAN, row, NOW);
    }
    r.set_answer(MENERIMA_BANTUAN, if received.is_empty() { "2" } else { "1" }, NOW);
    for (programme, funding) in received {
        let key = r.add_row(BANTUAN, NOW);
        r.set_row_answer(BANTUAN, key, PROGRAM, programme, NOW);
        r.set_row_answer(BANTUAN, key, SUMBER_DANA, funding, NOW);
    }
    r.set_answer(BANTUAN_DIUSULKAN, proposed, NOW);
    r
}

#[test]
fn a_records_aid_as_the_ledger_reads_it() {
    struct Case {
        name: &'static str,
        status: &'static str,
        received: &'static [(&'static str, &'static str)],
        proposed: &'static str,
        delivered: &'static [(&'static str, &'static str)],
        has: &'static [(&'static str, &'static str)],
        waiting: &'static [&'static str],
        without_aid: bool,
    }
    let cases = [
        Case {
            name: "extreme poor, nothing received, two proposed",
            status: "1",
            received: &[],
            proposed: "PKH BLT_DD",
            delivered: &[],
            has: &[],
            waiting: &["PKH", "BLT_DD"],
            without_aid: true,
        },
        Case {
            name: "a stated funding source wins over the programme's usual one",
            status: "1",
            received: &[("PKH", "2"), ("BLT_DD", "")],
            proposed: "",
            delivered: &[],
            has: &[("BLT_DD", "4"), ("PKH", "2")],
            waiting: &[],
            without_aid: false,
        },
        Case {
            name: "a proposal already received is not waiting",
            status: "2",
            received: &[("SEMBAKO", "1")],
            proposed: "SEMBAKO PBI_DAERAH",
            delivered: &[],
            has: &[("SEMBAKO", "1")],
            waiting: &["PBI_DAERAH"],
            without_aid: false,
        },
        Case {
            name: "aid delivered after the round ends the wait and the family's want of aid",
            status: "1",
            received: &[],
            proposed: "BLT_DD CSR_BAZNAS",
            delivered: &[("BLT_DD", "4")],
            has: &[("BLT_DD", "4")],
            waiting: &["CSR_BAZNAS"],
            without_aid: false,
        },
    ];
    for case in cases {
        let delivered = case
            .delivered
            .iter()
            .map(|(p, f)| Delivery {
                aid: aid(p, f),
                date: "2027-01-15".to_owned(),
            })
            .collect();
        let family = FamilyAid::of(
            &record(case.status, case.received, case.proposed),
            delivered,
            EXAMPLE_TODAY,
        );
        let has: Vec<Aid> = family.has().into_iter().cloned().collect();
        let expected: Vec<Aid> = case.has.iter().map(|(p, f)| aid(p, f)).collect();
        assert_eq!(has, expected, "{}: has", case.name);
        assert_eq!(family.waiting(), case.waiting, "{}: waiting", case.name);
        assert_eq!(
            family.without_aid(),
            case.without_aid,
            "{}: without aid",
            case.name
        );
        assert_eq!(family.extreme_poor, case.status == "1", "{}", case.name);
    }
}

#[test]
fn a_family_that_said_it_receives_nothing_has_nothing_whatever_rows_are_left() {
    let mut r = record("1", &[("PKH", "1")], "");
    r.set_answer(MENERIMA_BANTUAN, "2", NOW);
    assert!(FamilyAid::of(&r, Vec::new(), EXAMPLE_TODAY).without_aid());
}

#[test]
fn the_recap_counts_each_family_once_per_programme_and_funding_source() {
    let a = FamilyAid::of(&record("1", &[], "PKH"), Vec::new(), EXAMPLE_TODAY);
    let b = FamilyAid::of(
        &record("1", &[("PKH", "1"), ("PBI_JKN", "1")], "BLT_DD"),
        Vec::new(),
        EXAMPLE_TODAY,
    );
    let c = FamilyAid::of(&record("2", &[("BLT_DD", "4")], ""), Vec::new(), EXAMPLE_TODAY);
    let placed = [
        ("desa 1", &a),
        ("desa 1", &b),
        ("desa 2", &c),
        ("kec", &a),
        ("kec", &b),
        ("kec", &c),
    ];
    let mut recaps: BTreeMap<&str, Recap> = BTreeMap::new();
    for (area, family) in placed {
        recaps.entry(area).or_default().add(family);
    }
    let kec = &recaps["kec"];
    assert_eq!(
        *kec,
        Recap {
            families: 3,
            extreme_poor: 2,
            extreme_poor_without_aid: 1,
            proposed_waiting: 2,
            extreme_poor_waiting: 2,
            by_programme: BTreeMap::from([
                ("BLT_DD".to_owned(), 1),
                ("PBI_JKN".to_owned(), 1),
                ("PKH".to_owned(), 1)
            ]),
            // b has two APBN programmes: one family for APBN.
            by_funding: BTreeMap::from([("1".to_owned(), 1), ("4".to_owned(), 1)]),
        }
    );
    assert_eq!(recaps["desa 1"].families, 2);
    assert_eq!(recaps["desa 2"].extreme_poor, 0);
    assert_eq!(recaps.len(), 3);
}

#[test]
fn a_delivery_is_read_as_typed_or_every_problem_named() {
    use crate::date::Date;
    let today = Date {
        year: 2027,
        month: 2,
        day: 1,
    };
    let read = |p: &str, f: &str, d: &str, n: &str| Delivery::read(p, f, d, n, Programmes::default(), today);
    assert_eq!(
        read("BLT_DD", "", "2027-01-15", ""),
        Ok(Delivery {
            aid: aid("BLT_DD", "4"),
            date: "2027-01-15".to_owned()
        }),
        "the programme's usual source"
    );
    assert_eq!(
        read("PKH", "2", "2027-01-15", "").map(|d| d.aid),
        Ok(aid("PKH", "2"))
    );
    let cases = [
        (("NOPE", "1", "2027-01-15", ""), "program tidak dikenal"),
        (("PKH", "7", "2027-01-15", ""), "sumber dana tidak dikenal"),
        (("PKH", "1", "15-01-2027", ""), "YYYY-MM-DD"),
        (("PKH", "1", "2027-02-02", ""), "masa depan"),
        (("99", "9", "2027-01-15", ""), "Lainnya"),
        (("PKH", "1", "2027-01-15", "a\u{7}b"), "karakter kendali"),
    ];
    for ((p, f, d, n), expected) in cases {
        let error = read(p, f, d, n).expect_err(expected);
        assert!(error.contains(expected), "{p} {f} {d}: {error}");
    }
    let both = read("NOPE", "7", "", "").expect_err("three problems");
    assert_eq!(both.matches("; ").count(), 2, "every problem named: {both}");
}

#[test]
fn only_what_the_form_asked_counts() {
    use crate::form::default::{REKOMENDASI, STATUS_VERIFIKASI};
    // Proposed for removal after proposals were typed: the proposals stay in the record
    // (going back loses nothing) but were not asked, so nothing waits.
    let mut removed = record("1", &[], "PKH BLT_DD");
    removed.set_answer(REKOMENDASI, "3", NOW);
    let family = FamilyAid::of(&removed, Vec::new(), EXAMPLE_TODAY);
    assert!(family.proposed.is_empty() && family.waiting().is_empty());
    // Moved out of the village: sections D–G were not asked; the aid rows typed before do
    // not count as received.
    let mut moved = record("2", &[("PKH", "1")], "PKH");
    moved.set_answer(STATUS_VERIFIKASI, "4", NOW);
    let family = FamilyAid::of(&moved, Vec::new(), EXAMPLE_TODAY);
    assert!(family.received.is_empty(), "{:?}", family.received);
    // The same family found at home: the row counts.
    let home = record("2", &[("PKH", "1")], "PKH");
    assert_eq!(
        FamilyAid::of(&home, Vec::new(), EXAMPLE_TODAY).received,
        vec![aid("PKH", "1")]
    );
}
