//! XLSForm sheets into forms: a district's own section read whole, and a form with many
//! mistakes answered with every one of them, where it is.

use super::*;
use crate::prelist::cell::Sheet;

fn sheet(rows: &[&[&str]]) -> Sheet {
    Sheet::of_texts(rows)
}

fn settings() -> (String, Sheet) {
    (
        "settings".to_owned(),
        sheet(&[
            &["form_title", "form_id", "version", "default_language"],
            &[
                "Pertanyaan daerah Sinjai",
                "sinjai_daerah",
                "2026120601",
                "Indonesian (id)",
            ],
        ]),
    )
}

fn choices() -> (String, Sheet) {
    (
        "choices".to_owned(),
        sheet(&[
            &[
                "list_name",
                "name",
                "label::Indonesian (id)",
                "label::English (en)",
                "kec",
            ],
            &["ya_tidak", "1", "Ya", "Yes", ""],
            &["ya_tidak", "2", "Tidak", "No", ""],
            &["Jenis_Kelamin", "1", "Laki-laki", "Male", ""],
            &["desa", "2001", "Kregenan", "", "14"],
            &["desa", "2002", "Sumberlele", "", "14"],
        ]),
    )
}

#[test]
fn a_districts_section_reads_whole_with_its_calculations_ordered() {
    let survey = (
        "survey".to_owned(),
        sheet(&[
            &[
                "type",
                "name",
                "label::Indonesian (id)",
                "label::English (en)",
                "hint::Indonesian (id)",
                "required",
                "relevant",
                "constraint",
                "constraint_message::Indonesian (id)",
                "calculation",
                "choice_filter",
                "repeat_count",
                "appearance",
            ],
            &[
                "begin group",
                "daerah",
                "J. Pertanyaan daerah",
                "J. District questions",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "field-list",
            ],
            &[
                "select_one ya_tidak",
                "punya_jamban",
                "Punya jamban sendiri?",
                "Own latrine?",
                "",
                "yes",
                "",
                "",
                "",
                "",
                "",
                "",
                "minimal",
            ],
            &[
                "integer",
                "jumlah_anak",
                "Jumlah anak sekolah",
                "School children",
                "0 bila tidak ada",
                "yes",
                "",
                ". >= 0 and . < 20",
                "Antara 0 dan 19",
                "",
                "",
                "",
                "",
            ],
            &[
                "calculate",
                "total_biaya",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "${biaya_per_anak} * ${jumlah_anak}",
                "",
                "",
                "",
            ],
            &[
                "calculate",
                "biaya_per_anak",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "150000",
                "",
                "",
                "",
            ],
            &[
                "begin repeat",
                "anak",
                "Anak",
                "Child",
                "",
                "",
                "${jumlah_anak} > 0",
                "",
                "",
                "",
                "",
                "${jumlah_anak}",
                "",
            ],
            &[
                "text",
                "nama_anak",
                "Nama anak",
                "Child's name",
                "",
                "yes",
                "",
                "string-length(.) > 2",
                "",
                "",
                "",
                "",
                "",
            ],
            &["end repeat", "", "", "", "", "", "", "", "", "", "", "", ""],
            &[
                "select_one desa",
                "desa_sekolah",
                "Desa sekolah",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "kec='14'",
                "",
                "",
            ],
            &["end group", "", "", "", "", "", "", "", "", "", "", "", ""],
        ]),
    );
    let form = from_sheets(&[survey, choices(), settings()]).unwrap_or_else(|p| {
        panic!(
            "{}",
            p.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
        )
    });
    assert_eq!(
        (form.id.as_str(), form.version.as_str()),
        ("sinjai_daerah", "2026120601")
    );
    assert_eq!(form.title.id, "Pertanyaan daerah Sinjai");
    assert_eq!(form.calculation_order, ["biaya_per_anak", "total_biaya"]);
    let Item::Group(group) = &form.items[0] else {
        panic!("{:?}", form.items[0])
    };
    assert_eq!(group.label.en, "J. District questions");
    assert_eq!(group.items.len(), 6);
    let Item::Field(jamban) = &group.items[0] else {
        panic!()
    };
    assert_eq!(
        (jamban.kind, jamban.list.as_str(), jamban.required.as_str()),
        (FieldType::SelectOne, "ya_tidak", "true()")
    );
    let Item::Field(anak) = &group.items[1] else {
        panic!()
    };
    assert_eq!(anak.hint.id, "0 bila tidak ada");
    assert_eq!(anak.constraint_message.id, "Antara 0 dan 19");
    let Item::Repeat(repeat) = &group.items[4] else {
        panic!()
    };
    assert_eq!(repeat.repeat_count, "${jumlah_anak}");
    assert_eq!(form.choices["desa"][0].data["kec"], "14");
    // The definition round-trips through its JSON.
    let json = serde_json::to_string(&form).unwrap();
    assert_eq!(serde_json::from_str::<FormDef>(&json).unwrap(), form);
    assert!(json.starts_with(r#"{"format":"verval-form/1""#), "{json}");
}

#[test]
fn every_problem_is_named_with_its_sheet_row_and_column() {
    let survey = (
        "survey".to_owned(),
        sheet(&[
            &[
                "type",
                "name",
                "label",
                "label::Français (fr)",
                "relevant",
                "calculation",
                "constraint",
                "media::image",
            ],
            &["text", "nama", "Nama", "", "", "", "", ""],
            &["text", "nama", "Nama lagi", "", "", "", "", ""],
            &["integer", "1umur", "Umur", "", "", "", "", ""],
            &["select_one tidak_ada", "pilih", "Pilih", "", "", "", "", ""],
            &["geotrace", "jalan", "Jalan", "", "", "", "", ""],
            &["text", "catatan", "", "", "${tidak_ada} = 1", "", "", ""],
            &["calculate", "a", "", "", "", "${b} + 1", "", ""],
            &["calculate", "b", "", "", "", "${a} + 1", "", ""],
            &[
                "calculate",
                "c",
                "",
                "",
                "",
                "pulldata('x', 'y', 'z', 'w')",
                "",
                "",
            ],
            &["text", "d", "D", "", "", "", "bukan_fungsi(.)", "gambar.jpg"],
            &["integer", "e", "E", "", "(1 + ", "", "", ""],
            &["begin repeat", "r1", "R1", "", "", "", "", ""],
            &["begin repeat", "r2", "R2", "", "", "", "", ""],
            &["end repeat", "", "", "", "", "", "", ""],
            &["end group", "", "", "", "", "", "", ""],
            &["wat", "f", "F", "", "", "", "", ""],
            &["begin group", "g", "G", "", "", "", "", ""],
            &["calculate", "reads_circle", "", "", "", "${a} * 2", "", ""],
        ]),
    );
    let bad_settings = (
        "settings".to_owned(),
        sheet(&[&["form_title", "form_id", "version"], &["Judul", "", ""]]),
    );
    let problems = from_sheets(&[survey, choices(), bad_settings]).expect_err("refused");
    let said: Vec<String> = problems.iter().map(ToString::to_string).collect();
    let expect = [
        ("settings", 2, "form_id kosong"),
        ("settings", 2, "version kosong"),
        ("survey", 1, "only Indonesian (id) and English (en)"),
        ("survey", 11, "column media::image"),
        ("survey", 3, "used already in row 2"),
        ("survey", 4, "a name may hold"),
        ("survey", 5, "the choice list \"tidak_ada\""),
        ("survey", 6, "the type geotrace is not supported"),
        ("survey", 7, "a question needs one"),
        ("survey", 7, "${tidak_ada} names no question"),
        ("survey", 8, "calculations read each other in a circle: a, b"),
        ("survey", 9, "calculations read each other in a circle: a, b"),
        ("survey", 10, "pulldata() is not supported"),
        ("survey", 11, "unknown function bukan_fungsi()"),
        ("survey", 12, "does not read"),
        ("survey", 14, "a repeat inside a repeat"),
        ("survey", 16, "end group closes the begin repeat of row 13"),
        ("survey", 17, "unknown type wat"),
        ("survey", 18, "begin group without end group"),
        ("survey", 13, "begin repeat without end repeat"),
    ];
    for (sheet, row, words) in expect {
        assert!(
            problems
                .iter()
                .any(|p| p.sheet == sheet && p.row == row && p.to_string().contains(words)),
            "{sheet} row {row}: {words:?} not among:\n{}",
            said.join("\n")
        );
    }
    assert_eq!(problems.len(), expect.len(), "{}", said.join("\n"));
    // Each says where: the column's letter and the cell's text.
    let duplicate = problems.iter().find(|p| p.row == 3).unwrap();
    assert_eq!(
        (duplicate.column.as_str(), duplicate.cell.as_str()),
        ("B", "nama")
    );
}

#[test]
fn a_spreadsheet_without_its_sheets_says_so() {
    let problems = from_sheets(&[("Sheet1".to_owned(), sheet(&[&["a"]]))]).expect_err("refused");
    let said: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert!(said.iter().any(|p| p.contains("no survey sheet")), "{said:?}");
    assert!(said.iter().any(|p| p.contains("no settings sheet")), "{said:?}");
}

#[test]
fn list_names_keep_their_case_and_choices_and_versions_are_checked() {
    let survey = (
        "survey".to_owned(),
        sheet(&[
            &["type", "name", "label", "label::Indonesian (id)"],
            &["Select_One Jenis_Kelamin", "jk", "", "Jenis kelamin"],
            &["BEGIN_GROUP", "g", "", "G"],
            &["select_multiple spend_type", "belanja", "", "Belanja"],
            &["end_group", "", "", ""],
        ]),
    );
    let lists = (
        "choices".to_owned(),
        sheet(&[
            &["list_name", "name", "label"],
            &["Jenis_Kelamin", "1", "Laki-laki"],
            &["spend_type", "makan", "Makan"],
            &["spend_type", "uang sekolah", "Uang sekolah"],
        ]),
    );
    let odd_version = (
        "settings".to_owned(),
        sheet(&[&["form_id", "version"], &["f", "2026/12"]]),
    );
    let problems = from_sheets(&[survey, lists, odd_version]).expect_err("refused");
    let said: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(problems.len(), 2, "{said:?}");
    assert!(
        problems
            .iter()
            .any(|p| p.sheet == "choices" && p.row == 4 && p.en.contains("space")),
        "{said:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.sheet == "settings" && p.cell == "2026/12"),
        "{said:?}"
    );
}

#[test]
fn a_district_form_may_not_take_the_household_forms_id_nor_an_export_columns_name() {
    let survey = (
        "survey".to_owned(),
        sheet(&[
            &["type", "name", "label"],
            &["text", "record_id", "ID"],
            &["text", "nama", "Nama"],
        ]),
    );
    let household_id = (
        "settings".to_owned(),
        sheet(&[&["form_id", "version"], &[crate::form::default::FORM_ID, "1"]]),
    );
    let problems = from_sheets(&[survey, household_id]).expect_err("refused");
    let found: Vec<(&str, usize, &str)> = problems
        .iter()
        .map(|p| (p.sheet.as_str(), p.row, p.cell.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("settings", 2, crate::form::default::FORM_ID),
            ("survey", 2, "record_id")
        ],
        "{problems:?}"
    );
}

#[test]
fn a_form_marked_bagian_dari_keluarga_is_the_household_forms_section() {
    let survey = (
        "survey".to_owned(),
        sheet(&[&["type", "name", "label"], &["text", "catatan", "Catatan"]]),
    );
    let marked = |value: &str| {
        (
            "settings".to_owned(),
            sheet(&[&["form_id", "version", "bagian_dari"], &["sinjai_j", "1", value]]),
        )
    };
    let section = from_sheets(&[survey.clone(), marked("keluarga")]).expect("read");
    assert!(section.household_section);
    let plain = from_sheets(&[survey.clone(), marked("")]).expect("read");
    assert!(!plain.household_section);
    assert!(
        !serde_json::to_string(&plain)
            .unwrap()
            .contains("household_section"),
        "a form that is no section is written as before"
    );
    let problems = from_sheets(&[survey, marked("anggota")]).expect_err("refused");
    let found: Vec<(&str, usize, &str, &str)> = problems
        .iter()
        .map(|p| (p.sheet.as_str(), p.row, p.column.as_str(), p.cell.as_str()))
        .collect();
    assert_eq!(found, [("settings", 2, "C", "anggota")], "{problems:?}");
    // The link to the household is a column of the section's tables: no question takes it.
    let linked = (
        "survey".to_owned(),
        sheet(&[&["type", "name", "label"], &["text", "record_id_keluarga", "ID"]]),
    );
    let problems = from_sheets(&[linked, marked("keluarga")]).expect_err("refused");
    assert!(
        problems.iter().any(|p| p.cell == "record_id_keluarga"),
        "{problems:?}"
    );
}
