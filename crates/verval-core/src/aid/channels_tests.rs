//! The channels: which list a proposed programme goes on, and who is on each list.

use super::channels::{channel_rows, unrouted, Channel, Decided, MeetingRef, IDENTITY_COLUMNS};
use crate::fields::{NAMA_KEPALA_KELUARGA, NOMOR_KK};
use crate::form::default::example::{example_family, EXAMPLE_TODAY};
use crate::form::default::{BANTUAN, BANTUAN_DIUSULKAN, MENERIMA_BANTUAN, REKOMENDASI, STATUS_VERIFIKASI};
use crate::ids::RecordId;
use crate::record::{HouseholdRecord, Timestamp};

const NOW: Timestamp = Timestamp(1_795_400_000_000);
const MEETING: MeetingRef<'static> = MeetingRef {
    number: "140/07/BA/2026",
    held_on: "2026-10-14",
};

fn proposed(seed: u8, head: &str, programmes: &str) -> HouseholdRecord {
    let mut r = example_family(RecordId::from_random_bytes([seed; 16]));
    r.set_answer(STATUS_VERIFIKASI, "1", NOW);
    r.set_answer(REKOMENDASI, "1", NOW);
    r.set_answer(BANTUAN_DIUSULKAN, programmes, NOW);
    r.set_answer(NAMA_KEPALA_KELUARGA, head, NOW);
    r
}

/// [`proposed`], receiving no aid at all.
fn receiving_none(seed: u8, head: &str, programmes: &str) -> HouseholdRecord {
    let mut r = proposed(seed, head, programmes);
    let rows: Vec<u32> = r.repeats.rows(BANTUAN).iter().map(|row| row.key).collect();
    for key in rows {
        r.remove_row(BANTUAN, key, NOW);
    }
    r.set_answer(MENERIMA_BANTUAN, "2", NOW);
    r
}

#[test]
fn a_programme_goes_by_its_funding_source() {
    let cases = [
        ("PKH", Some(Channel::SiksNg)),
        ("SEMBAKO", Some(Channel::SiksNg)),
        ("PBI_DAERAH", Some(Channel::Apbd)),
        ("BLT_DD", Some(Channel::BltDd)),
        ("CSR_BAZNAS", Some(Channel::Philanthropy)),
        ("99", None),
        ("UNKNOWN", None),
    ];
    for (programme, channel) in cases {
        assert_eq!(Channel::of_programme(programme), channel, "{programme}");
    }
    for channel in Channel::ALL {
        assert_eq!(Channel::parse(channel.code()), Some(channel));
    }
}

#[test]
fn each_list_holds_only_agreed_families_with_a_programme_of_its_channel() {
    let all_three = receiving_none(1, "ANI", "PKH BLT_DD CSR_BAZNAS");
    let refused = receiving_none(2, "BUDI", "PKH BLT_DD");
    let postponed = receiving_none(3, "CITRA", "BLT_DD");
    let village_only = receiving_none(4, "DEWI", "BLT_DD");
    let families = [
        Decided {
            record: &all_three,
            decision: "disetujui",
        },
        Decided {
            record: &refused,
            decision: "tidak_disetujui",
        },
        Decided {
            record: &postponed,
            decision: "ditunda",
        },
        Decided {
            record: &village_only,
            decision: "disetujui",
        },
    ];
    let heads = |channel: Channel| -> Vec<(String, String)> {
        let name = channel
            .columns()
            .iter()
            .position(|(id, _)| *id == "nama_kepala_keluarga")
            .expect("a name column");
        channel_rows(channel, &families, &MEETING, EXAMPLE_TODAY)
            .into_iter()
            .map(|row| (row[0].clone(), row[name].clone()))
            .collect()
    };
    let numbered = |names: &[&str]| -> Vec<(String, String)> {
        names
            .iter()
            .enumerate()
            .map(|(i, n)| ((i + 1).to_string(), (*n).to_owned()))
            .collect()
    };
    assert_eq!(heads(Channel::SiksNg), numbered(&["ANI"]));
    assert_eq!(heads(Channel::BltDd), numbered(&["ANI", "DEWI"]));
    assert_eq!(heads(Channel::Philanthropy), numbered(&["ANI"]));
    assert_eq!(heads(Channel::Apbd), numbered(&[]));

    // Every column filled for a complete family; only its channel's programmes named.
    for channel in [Channel::SiksNg, Channel::BltDd, Channel::Philanthropy] {
        let row = &channel_rows(channel, &families[..1], &MEETING, EXAMPLE_TODAY)[0];
        for ((id, _), value) in channel.columns().iter().zip(row) {
            assert!(!value.is_empty(), "{} {id} empty", channel.code());
        }
        let programmes = &row[channel
            .columns()
            .iter()
            .position(|(id, _)| *id == "program_diusulkan")
            .unwrap()];
        assert_eq!(programmes.matches(", ").count(), 0, "{programmes}");
    }
    let siks = &channel_rows(Channel::SiksNg, &families[..1], &MEETING, EXAMPLE_TODAY)[0];
    assert!(siks.contains(&all_three.answers.get(NOMOR_KK).to_owned()));
    assert!(siks.contains(&"140/07/BA/2026".to_owned()));
    // A referral to a private body carries no identity number.
    let referral = &channel_rows(Channel::Philanthropy, &families[..1], &MEETING, EXAMPLE_TODAY)[0];
    assert!(!referral.contains(&all_three.answers.get(NOMOR_KK).to_owned()));
    assert!(Channel::Philanthropy
        .columns()
        .iter()
        .all(|(id, _)| !IDENTITY_COLUMNS.contains(id)));
}

#[test]
fn a_programme_received_already_is_not_proposed_again_and_other_is_on_no_list() {
    // The example family receives PKH (section G); proposed PKH again, and "Lainnya".
    let record = proposed(5, "EKA", "PKH 99");
    let receives_pkh = crate::aid::ledger::FamilyAid::of(&record, Vec::new(), EXAMPLE_TODAY)
        .received
        .iter()
        .any(|a| a.programme == "PKH");
    let family = Decided {
        record: &record,
        decision: "disetujui",
    };
    let listed = channel_rows(
        Channel::SiksNg,
        std::slice::from_ref(&family),
        &MEETING,
        EXAMPLE_TODAY,
    );
    assert!(receives_pkh, "the example family receives PKH");
    assert!(
        listed.is_empty(),
        "PKH received already is not proposed again: {listed:?}"
    );
    assert!(unrouted(&family, EXAMPLE_TODAY), "Lainnya goes by no channel");
    let postponed = Decided {
        record: &record,
        decision: "ditunda",
    };
    assert!(!unrouted(&postponed, EXAMPLE_TODAY));
}
