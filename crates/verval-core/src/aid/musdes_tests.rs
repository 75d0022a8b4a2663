//! The village meeting: what it may record, what it reads of each family, how it tallies.

use super::musdes::{decision_problem, list_row, Listed, Meeting, Tally, AGREED, LIST_COLUMNS};
use crate::date::Date;
use crate::form::default::example::{example_family, EXAMPLE_TODAY};
use crate::form::default::{BANTUAN_DIUSULKAN, REKOMENDASI, STATUS_VERIFIKASI};
use crate::ids::RecordId;
use crate::record::Timestamp;

const NOW: Timestamp = Timestamp(1_795_400_000_000);

fn meeting() -> Meeting {
    Meeting {
        period: "Musdesus Oktober 2026".to_owned(),
        number: "140/07/BA/2026".to_owned(),
        held_on: "2026-10-14".to_owned(),
        place: "Balai Desa Kregenan".to_owned(),
        chair: "Sutrisno".to_owned(),
    }
}

fn today() -> Date {
    crate::form::validate::parse_date("2026-11-01").expect("a date")
}

#[test]
fn a_meeting_is_refused_for_every_problem_it_has() {
    assert_eq!(meeting().problems(today()), Vec::<String>::new());
    type Change = fn(&mut Meeting);
    let cases: [(Change, &str); 5] = [
        (|m| m.period = " ".to_owned(), "periode kosong"),
        (|m| m.number.clear(), "nomor berita acara kosong"),
        (
            |m| m.held_on = "14-10-2026".to_owned(),
            "tanggal musyawarah harus YYYY-MM-DD",
        ),
        (
            |m| m.held_on = "2026-11-02".to_owned(),
            "tanggal musyawarah di masa depan",
        ),
        (|m| m.place = "a\u{7}b".to_owned(), "tempat: terlalu panjang"),
    ];
    for (change, expected) in cases {
        let mut m = meeting();
        change(&mut m);
        let problems = m.problems(today());
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].starts_with(expected),
            "{problems:?} should say {expected}"
        );
    }
}

#[test]
fn a_decision_is_one_of_three_and_a_note_needs_one() {
    for ok in [
        ("disetujui", ""),
        ("tidak_disetujui", "sudah mampu"),
        ("ditunda", "data belum lengkap"),
        ("", ""),
    ] {
        assert_eq!(decision_problem(ok.0, ok.1), None, "{ok:?}");
    }
    assert!(decision_problem("setuju", "").unwrap().contains("tidak dikenal"));
    assert!(decision_problem("", "catatan")
        .unwrap()
        .contains("tanpa keputusan"));
    assert!(decision_problem("ditunda", &"x".repeat(201))
        .unwrap()
        .contains("terlalu panjang"));
}

#[test]
fn the_list_reads_the_family_in_words_and_only_what_the_form_asked() {
    let mut record = example_family(RecordId::from_random_bytes([4; 16]));
    record.set_answer(STATUS_VERIFIKASI, "1", NOW);
    record.set_answer(REKOMENDASI, "1", NOW);
    record.set_answer(BANTUAN_DIUSULKAN, "PKH BLT_DD", NOW);
    let listed = Listed::of(&record, EXAMPLE_TODAY);
    assert_eq!(
        listed.head,
        record.answers.get(crate::fields::NAMA_KEPALA_KELUARGA)
    );
    assert_eq!((listed.rt.as_str(), listed.rw.as_str()), ("001", "003"));
    assert_eq!(listed.outcome, "Ditemukan, data sesuai");
    assert_eq!(
        listed.proposed,
        vec!["PKH".to_owned(), "BLT_DD".to_owned()],
        "as answered"
    );
    let row = list_row(7, &listed, AGREED, " dana desa ");
    assert_eq!(row.len(), LIST_COLUMNS.len());
    assert_eq!(
        (row[0].as_str(), row[9].as_str(), row[10].as_str()),
        ("7", "Disetujui", "dana desa")
    );
    assert!(row[8].contains("PKH") && row[8].contains(", "), "{}", row[8]);
    assert!(
        !row.concat().contains(record.answers.get(crate::fields::NOMOR_KK)),
        "no KK on the list"
    );

    // Proposed for removal: the aid question was never asked, so nothing is proposed.
    record.set_answer(REKOMENDASI, "3", NOW);
    let removed = Listed::of(&record, EXAMPLE_TODAY);
    assert_eq!(removed.recommendation, "Usulkan dikeluarkan/nonaktif");
    assert!(removed.proposed.is_empty(), "{removed:?}");
    assert_eq!(list_row(1, &removed, "", "")[9], "", "no decision yet");
}

#[test]
fn the_tally_counts_each_decision_and_the_undecided() {
    let tally = Tally::of(["disetujui", "ditunda", "disetujui", "", "tidak_disetujui"]);
    assert_eq!(
        tally,
        Tally {
            agreed: 2,
            not_agreed: 1,
            postponed: 1,
            undecided: 1
        }
    );
    assert_eq!(tally.listed(), 5);
}

#[test]
fn an_unknown_decision_is_quoted_only_when_it_looks_like_a_code() {
    assert_eq!(
        decision_problem("ditolak", "").as_deref(),
        Some("keputusan \"ditolak\" tidak dikenal (unknown decision)")
    );
    let nik = decision_problem("3513140101700001", "").expect("refused");
    assert!(!nik.contains("3513140101700001"), "{nik}");
    assert!(nik.contains("unknown decision"), "{nik}");
}
