//! The district's own programmes: what it may add, and how they read beside the form's.

use super::ledger::{Aid, Delivery};
use super::programmes::{DistrictProgramme, Programmes};
use crate::form::default::example::EXAMPLE_TODAY;

fn bupati() -> DistrictProgramme {
    DistrictProgramme::read(" bantuan_bupati ", "Bantuan Bupati untuk lansia", "3", &[]).expect("valid")
}

#[test]
fn a_district_programme_is_read_with_every_problem_named() {
    assert_eq!(
        bupati(),
        DistrictProgramme {
            code: "BANTUAN_BUPATI".to_owned(),
            label: "Bantuan Bupati untuk lansia".to_owned(),
            funding: "3".to_owned(),
        }
    );
    let cases: [(&str, &str, &str, &[&str]); 5] = [
        ("PKH", "Lagi", "1", &["kode PKH sudah dipakai"]),
        (
            "BANTUAN_BUPATI",
            "Dua kali",
            "3",
            &["kode BANTUAN_BUPATI sudah dipakai"],
        ),
        (
            "1ABC",
            "",
            "7",
            &["kode \"1ABC\"", "nama program harus", "sumber dana tidak dikenal"],
        ),
        ("A-B", "Nama", "3", &["kode \"A-B\""]),
        ("ZAKAT_DESA", "a\u{7}", "5", &["nama program harus"]),
    ];
    let known = [bupati()];
    for (code, label, funding, expected) in cases {
        let problem = DistrictProgramme::read(code, label, funding, &known).expect_err(code);
        for part in expected {
            assert!(problem.contains(part), "{code}: {problem} should say {part}");
        }
        assert_eq!(problem.matches("; ").count() + 1, expected.len(), "{problem}");
    }
}

#[test]
fn the_district_programmes_read_beside_the_form_list_and_take_deliveries() {
    let district = [bupati()];
    let known = Programmes::new(&district);
    assert!(known.knows("PKH") && known.knows("BANTUAN_BUPATI") && !known.knows("NOPE"));
    assert_eq!(known.label("BANTUAN_BUPATI"), "Bantuan Bupati untuk lansia");
    assert_eq!(known.label("PKH"), "Program Keluarga Harapan (PKH)");
    assert_eq!(known.funding_of("BANTUAN_BUPATI"), Some("3"));
    assert_eq!(known.all().last().map(|(code, _)| code), Some("BANTUAN_BUPATI"));

    let delivered =
        Delivery::read("BANTUAN_BUPATI", "", "2025-02-03", "", known, EXAMPLE_TODAY).expect("known");
    assert_eq!(
        delivered.aid,
        Aid {
            programme: "BANTUAN_BUPATI".to_owned(),
            funding: "3".to_owned()
        }
    );
    let unknown = Delivery::read(
        "BANTUAN_BUPATI",
        "",
        "2025-02-03",
        "",
        Programmes::default(),
        EXAMPLE_TODAY,
    );
    assert!(
        unknown.unwrap_err().contains("program tidak dikenal"),
        "not without the district's list"
    );
}
