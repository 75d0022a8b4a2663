use super::siks_results::{read_results, Answer, Results, SiksResult, RESULT_COLUMNS};
use crate::prelist::{Cell, Sheet};

fn text(s: &str) -> Cell {
    if s.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(s.to_owned())
    }
}

/// The hub's list: the headings, the column ids, then `rows` (id, desa, day, operator,
/// result, desil, reason).
fn hub_list(rows: &[[&str; 7]]) -> Sheet {
    let mut sheet = Sheet {
        rows: vec![
            RESULT_COLUMNS.iter().map(|(_, label)| text(label)).collect(),
            RESULT_COLUMNS.iter().map(|(id, _)| text(id)).collect(),
        ],
    };
    sheet
        .rows
        .extend(rows.iter().map(|r| r.iter().map(|v| text(v)).collect()));
    sheet
}

fn accepted(row: usize, id: &str, desil: u8) -> SiksResult {
    SiksResult {
        row,
        usulan_id: id.to_owned(),
        answer: Answer::Accepted { desil },
    }
}

#[test]
fn the_hub_list_filled_in_reads_back_and_rows_without_result_are_counted() {
    let sheet = hub_list(&[
        ["U-1", "35.13.14.2001", "2026-11-02", "Ani", "Diterima", "2", ""],
        [
            "U-2",
            "35.13.14.2001",
            "2026-11-02",
            "Ani",
            "ditolak",
            "",
            "NIK tidak padan Dukcapil",
        ],
        ["U-3", "35.13.14.2001", "2026-11-02", "Ani", "", "", ""],
        ["", "", "", "", "", "", ""],
    ]);
    let read = read_results(&sheet).expect("no problem");
    assert_eq!(
        read,
        Results {
            results: vec![
                accepted(3, "U-1", 2),
                SiksResult {
                    row: 4,
                    usulan_id: "U-2".to_owned(),
                    answer: Answer::Refused {
                        reason: "NIK tidak padan Dukcapil".to_owned()
                    },
                },
            ],
            waiting: 1,
        }
    );
}

#[test]
fn a_district_sheet_with_its_own_names_a_title_above_and_numbers_as_numbers() {
    let sheet = Sheet {
        rows: vec![
            vec![text("Hasil usulan SIKS-NG November 2026")],
            vec![],
            vec![
                text("No"),
                text("Nomor Usulan"),
                text("Hasil SIKS-NG"),
                text("Desil Baru"),
                text("Keterangan"),
            ],
            vec![
                Cell::Number(1.0),
                Cell::Number(7001.0),
                text("DITERIMA"),
                Cell::Number(3.0),
                Cell::Empty,
            ],
            vec![
                Cell::Number(2.0),
                Cell::Number(7002.0),
                text("terima"),
                text("Desil 1"),
                Cell::Empty,
            ],
        ],
    };
    let read = read_results(&sheet).expect("no problem");
    assert_eq!(read.results, vec![accepted(4, "7001", 3), accepted(5, "7002", 1)]);
}

#[test]
fn every_problem_is_named_with_its_row() {
    let cases: [(&[&str; 7], &str); 5] = [
        (
            &["U-1", "", "", "", "diterima", "", ""],
            "baris 3: desil baru harus angka 1–10",
        ),
        (
            &["U-1", "", "", "", "diterima", "11", ""],
            "baris 3: desil baru harus angka 1–10",
        ),
        (
            &["U-1", "", "", "", "ditolak", "", ""],
            "baris 3: alasan penolakan kosong",
        ),
        (
            &["U-1", "", "", "", "mungkin", "", ""],
            "baris 3: hasil \"mungkin\" tidak dikenal",
        ),
        (
            &["", "", "", "", "diterima", "4", ""],
            "baris 3: hasil tanpa ID usulan",
        ),
    ];
    for (row, expected) in cases {
        let problems = read_results(&hub_list(&[*row])).expect_err(expected);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].starts_with(expected),
            "{problems:?} should say {expected}"
        );
    }
}

#[test]
fn the_same_proposal_twice_and_a_sheet_without_the_columns_are_refused() {
    let twice = hub_list(&[
        ["U-1", "", "", "", "diterima", "2", ""],
        ["U-1", "", "", "", "ditolak", "", "ganda"],
    ]);
    let problems = read_results(&twice).unwrap_err();
    assert_eq!(
        problems,
        vec!["baris 4: ID usulan U-1 sudah ada di baris 3 (the same proposal twice)"]
    );
    let wrong = Sheet {
        rows: vec![vec![text("NIK"), text("Nama")], vec![text("3513"), text("Ani")]],
    };
    let problems = read_results(&wrong).unwrap_err();
    assert!(problems[0].starts_with("tidak ada baris judul"), "{problems:?}");
    // A Musdes decision column is not SIKS-NG's result.
    let musdes = Sheet {
        rows: vec![
            vec![text("ID usulan"), text("Keputusan")],
            vec![text("U-1"), text("disetujui")],
        ],
    };
    let problems = read_results(&musdes).unwrap_err();
    assert!(problems[0].starts_with("tidak ada baris judul"), "{problems:?}");
}
