//! What SIKS-NG still needs, case by case, from the complete example family.

use super::siks_ng::{entries, missing, Screen};
use crate::form::default::example::{example_family, EXAMPLE_TODAY};
use crate::form::default::{
    ART, BANTUAN_DIUSULKAN, DAYA_LISTRIK, DAYA_TERPASANG, ID_PELANGGAN_PLN, NIK, NIK_TIDAK_ADA, REKOMENDASI,
    STATUS_KEBERADAAN_ART, SUMBER_PENERANGAN,
};
use crate::ids::{FieldId, RecordId};
use crate::record::{HouseholdRecord, Timestamp};

const NOW: Timestamp = Timestamp(1_795_400_000_000);

fn family() -> HouseholdRecord {
    example_family(RecordId::from_random_bytes([5; 16]))
}

/// Sets an answer of the family (`None`) or of the member in row `row` (0-based).
fn set(record: &mut HouseholdRecord, row: Option<usize>, field: FieldId, value: &str) {
    match row {
        None => {
            record.set_answer(field, value, NOW);
        }
        Some(row) => {
            let key = record.repeats.rows(ART)[row].key;
            record.set_row_answer(ART, key, field, value, NOW);
        }
    }
}

fn missing_of(record: &HouseholdRecord) -> Vec<Named> {
    missing(record, EXAMPLE_TODAY)
        .into_iter()
        .map(|e| (e.screen, e.field.as_str(), e.member))
        .collect()
}

type Change = (Option<usize>, FieldId, &'static str);
type Named = (Screen, &'static str, Option<String>);

#[test]
fn every_field_siks_ng_needs_is_named_when_missing() {
    let member = |n: &str| Some(n.to_owned());
    let cases: &[(&str, &[Change], &[Named])] = &[
        ("the complete example family", &[], &[]),
        (
            "a PLN house without its customer id (optional in the form, needed by SIKS-NG)",
            &[(None, ID_PELANGGAN_PLN, "")],
            &[(Screen::House, "id_pelanggan_pln", None)],
        ),
        (
            "a house without PLN electricity needs no PLN id",
            &[(None, SUMBER_PENERANGAN, "4"), (None, ID_PELANGGAN_PLN, "")],
            &[],
        ),
        (
            "a member marked as having no NIK",
            &[(Some(1), NIK, ""), (Some(1), NIK_TIDAK_ADA, "1")],
            &[(Screen::Members, "nik", member("2"))],
        ),
        (
            "two members' NIKs empty, and the PLN id: every one is named, in screen order",
            &[
                (Some(2), NIK, ""),
                (None, ID_PELANGGAN_PLN, ""),
                (Some(3), NIK, ""),
            ],
            &[
                (Screen::Members, "nik", member("3")),
                (Screen::Members, "nik", member("4")),
                (Screen::House, "id_pelanggan_pln", None),
            ],
        ),
        (
            "a member who died is not entered, NIK or not",
            &[(Some(3), STATUS_KEBERADAAN_ART, "2"), (Some(3), NIK, "")],
            &[],
        ),
        (
            "a family kept with no programme proposed",
            &[(None, BANTUAN_DIUSULKAN, "")],
            &[(Screen::Proposal, "bantuan_diusulkan", None)],
        ),
        (
            "a family proposed for removal is no proposal: no programme is asked",
            &[(None, REKOMENDASI, "3"), (None, BANTUAN_DIUSULKAN, "")],
            &[],
        ),
    ];
    for (name, changes, expected) in cases {
        let mut record = family();
        for (row, field, value) in *changes {
            set(&mut record, *row, *field, value);
        }
        let expected: Vec<_> = expected.iter().map(|(s, f, m)| (*s, *f, m.clone())).collect();
        assert_eq!(missing_of(&record), expected, "{name}");
    }
}

#[test]
fn the_entries_follow_the_screens_with_each_answer_and_the_forms_label() {
    let record = family();
    let all = entries(&record, EXAMPLE_TODAY);
    let screens: Vec<Screen> = all.iter().map(|e| e.screen).collect();
    let mut sorted = screens.clone();
    sorted.sort();
    assert_eq!(screens, sorted, "screen by screen");
    // Every living member has a NIK entry carrying the stored NIK.
    let niks: Vec<&str> = all
        .iter()
        .filter(|e| e.field == NIK)
        .map(|e| e.value.as_str())
        .collect();
    let stored: Vec<&str> = record
        .repeats
        .rows(ART)
        .iter()
        .map(|r| r.answers.get(NIK))
        .collect();
    assert_eq!(niks, stored);
    let power = all
        .iter()
        .find(|e| e.field == DAYA_TERPASANG)
        .expect("the meters' power is asked");
    let meters: Vec<&str> = record
        .repeats
        .rows(DAYA_LISTRIK)
        .iter()
        .map(|r| r.answers.get(DAYA_TERPASANG))
        .collect();
    assert!(!meters.is_empty());
    assert_eq!(power.value, meters.join(" "));
    let pln = all
        .iter()
        .find(|e| e.field == ID_PELANGGAN_PLN)
        .expect("the PLN id is asked");
    assert_eq!(pln.value, "51234567890");
    assert_eq!(pln.label().id, "ID pelanggan/nomor meter PLN");
}
