//! A district's form filled as an enumerator would: skip logic, a constraint with its own
//! message, a repeat sized by a count, calculations in dependency order (the sheet lists
//! them the other way round), a choice filter, defaults, and a definition that does not hold
//! together refused with its reasons.

use super::*;
use crate::prelist::cell::Sheet;
use crate::record::{RecordStatus, Timestamp, FORM_VERSION};
use crate::RecordId;

mod photos;

struct Clock;

impl Host for Clock {
    fn now_ms(&self) -> i64 {
        // 2026-12-06T01:00Z: 08:00 in WIB.
        1_796_518_800_000
    }
    fn utc_offset_minutes(&self) -> i32 {
        420
    }
    fn regex(&self, text: &str, pattern: &str) -> Result<bool, String> {
        regex::Regex::new(pattern)
            .map(|r| r.is_match(text))
            .map_err(|e| e.to_string())
    }
}

const NOW: Timestamp = Timestamp(1_796_518_800_000);

fn def() -> FormDef {
    let sheet = |rows: &[&[&str]]| Sheet::of_texts(rows);
    let survey = sheet(&[
        &[
            "type",
            "name",
            "label::Indonesian (id)",
            "required",
            "relevant",
            "constraint",
            "constraint_message::Indonesian (id)",
            "calculation",
            "default",
            "choice_filter",
            "repeat_count",
            "read_only",
        ],
        // The total before what it adds up, in the sheet: ordering is the importer's job.
        &[
            "calculate",
            "jumlah_dewasa",
            "",
            "",
            "",
            "",
            "",
            "sum(${dewasa})",
            "",
            "",
            "",
            "",
        ],
        &[
            "date", "tanggal", "Tanggal", "yes", "", "", "", "", "today()", "", "", "",
        ],
        &[
            "text", "petugas", "Petugas", "", "", "", "", "", "Kader", "", "", "yes",
        ],
        &[
            "text",
            "nama",
            "Nama kepala keluarga",
            "yes",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
        &[
            "integer",
            "jumlah",
            "Jumlah anggota",
            "yes",
            "",
            ". >= 1 and . <= 20",
            "Antara 1 dan 20 orang",
            "",
            "",
            "",
            "",
            "",
        ],
        &[
            "select_one kec",
            "kec",
            "Kecamatan",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
        &[
            "select_one desa",
            "desa",
            "Desa",
            "",
            "",
            "",
            "",
            "",
            "",
            "kec=${kec}",
            "",
            "",
        ],
        &[
            "begin_repeat",
            "anggota",
            "Anggota",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "${jumlah}",
            "",
        ],
        &[
            "text",
            "nama_anggota",
            "Nama",
            "yes",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
        &[
            "integer", "umur", "Umur", "yes", "", ". < 120", "", "", "", "", "", "",
        ],
        &[
            "calculate",
            "dewasa",
            "",
            "",
            "",
            "",
            "",
            "if(${umur} >= 18, 1, 0)",
            "",
            "",
            "",
            "",
        ],
        &[
            "text",
            "nik",
            "NIK",
            "yes",
            "${umur} >= 17",
            "regex(., '^[0-9]{16}$')",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
        &["end_repeat", "", "", "", "", "", "", "", "", "", "", ""],
    ]);
    let choices = sheet(&[
        &["list_name", "name", "label::Indonesian (id)", "kec"],
        &["kec", "10", "Sumberpucung", ""],
        &["kec", "14", "Kepanjen", ""],
        &["desa", "2001", "Kregenan", "14"],
        &["desa", "2002", "Sumberlele", "14"],
        &["desa", "1001", "Jatiguwi", "10"],
    ]);
    let settings = sheet(&[
        &["form_title", "form_id", "version"],
        &["Cek lapangan", "cek_lapangan", "2026120601"],
    ]);
    crate::xlsform::from_sheets(&[
        ("survey".to_owned(), survey),
        ("choices".to_owned(), choices),
        ("settings".to_owned(), settings),
    ])
    .expect("the form imports")
}

fn form() -> DataForm {
    DataForm::new(def()).expect("the definition holds together")
}

fn started() -> (DataForm, HouseholdRecord) {
    let form = form();
    let mut record = HouseholdRecord::new(
        RecordId::parse("00000000-0000-4000-8000-000000000001").unwrap(),
        NOW,
    );
    form.start(&mut record, &Clock, NOW);
    (form, record)
}

fn issues(form: &DataForm, record: &HouseholdRecord) -> Vec<(String, Option<u32>, IssueWhat)> {
    form.check(record, &Clock)
        .into_iter()
        .map(|i| (i.field, i.row, i.what))
        .collect()
}

#[test]
fn a_started_record_carries_the_form_and_its_defaults() {
    let (form, record) = started();
    assert_eq!(record.form_id, "cek_lapangan");
    assert_eq!(record.form_version, "2026120601");
    assert!(is_record_of(form.def(), &record));
    assert!(!record.is_household_form());
    // `today()` is evaluated when the record starts, in the device's time zone.
    assert_eq!(record.answers.get("tanggal"), "2026-12-06");
    assert_eq!(record.answers.get("petugas"), "Kader");
    assert_eq!(record.status, RecordStatus::Draft);
}

#[test]
fn a_household_record_is_of_the_household_form_and_its_json_is_unchanged() {
    let record = HouseholdRecord::new(
        RecordId::parse("00000000-0000-4000-8000-000000000001").unwrap(),
        NOW,
    );
    assert!(record.is_household_form());
    assert_eq!(record.form_version, FORM_VERSION);
    let json = serde_json::to_string(&record).unwrap();
    assert!(!json.contains("form_id"), "{json}");
    let (_, data_record) = started();
    let json = serde_json::to_string(&data_record).unwrap();
    assert!(json.contains(r#""form_id":"cek_lapangan""#), "{json}");
    let back: HouseholdRecord = serde_json::from_str(&json).unwrap();
    assert_eq!(back, data_record);
}

#[test]
fn an_empty_record_lists_what_is_required_and_nothing_it_does_not_ask() {
    let (form, record) = started();
    assert_eq!(
        issues(&form, &record),
        vec![
            ("nama".to_owned(), None, IssueWhat::Required),
            ("jumlah".to_owned(), None, IssueWhat::Required),
        ]
    );
    let first = &form.check(&record, &Clock)[0];
    assert_eq!(first.message.id, "Wajib diisi.");
    assert_eq!(first.message.en, "Required.");
}

#[test]
fn a_constraint_gives_the_forms_own_message() {
    let (form, mut record) = started();
    record.set_answer("nama", "SITI AMINAH", NOW);
    record.set_answer("jumlah", "25", NOW);
    let found = form.check(&record, &Clock);
    let issue = found
        .iter()
        .find(|i| i.field == "jumlah")
        .expect("jumlah refused");
    assert_eq!(issue.what, IssueWhat::Constraint);
    assert_eq!(issue.message.id, "Antara 1 dan 20 orang");
    record.set_answer("jumlah", "dua", NOW);
    let found = issues(&form, &record);
    assert!(
        found.contains(&("jumlah".to_owned(), None, IssueWhat::NotAnInteger)),
        "{found:?}"
    );
}

#[test]
fn a_count_makes_the_rows_and_never_deletes_one_with_answers() {
    let (form, mut record) = started();
    record.set_answer("jumlah", "3", NOW);
    assert!(form.recalculate(&mut record, &Clock, NOW));
    let rows = record.repeats.rows("anggota");
    assert_eq!(rows.iter().map(|r| r.key).collect::<Vec<_>>(), vec![1, 2, 3]);
    let third = rows[2].key;
    record.set_row_answer("anggota", third, "nama_anggota", "BUDI", NOW);
    record.set_answer("jumlah", "1", NOW);
    form.recalculate(&mut record, &Clock, NOW);
    // The empty second row goes; the third, with a name typed in, stays and is an issue.
    let keys: Vec<u32> = record.repeats.rows("anggota").iter().map(|r| r.key).collect();
    assert_eq!(keys, vec![1, 3]);
    let found = issues(&form, &record);
    assert!(
        found.contains(&("anggota".to_owned(), None, IssueWhat::TooManyRows { wanted: 1 })),
        "{found:?}"
    );
    // A mistyped count does not make millions of rows.
    record.set_answer("jumlah", "3513141203150007", NOW);
    form.recalculate(&mut record, &Clock, NOW);
    assert_eq!(record.repeats.rows("anggota").len(), MAX_ROWS);
}

#[test]
fn calculations_run_in_dependency_order_row_first() {
    let (form, mut record) = started();
    record.set_answer("jumlah", "3", NOW);
    form.recalculate(&mut record, &Clock, NOW);
    let keys: Vec<u32> = record.repeats.rows("anggota").iter().map(|r| r.key).collect();
    for (key, age) in keys.iter().zip(["40", "12", "18"]) {
        record.set_row_answer("anggota", *key, "umur", age, NOW);
    }
    form.recalculate(&mut record, &Clock, NOW);
    // `dewasa` reads its own row's age; the total, listed first in the sheet, reads them all.
    let adult: Vec<&str> = record
        .repeats
        .rows("anggota")
        .iter()
        .map(|r| r.answers.get("dewasa"))
        .collect();
    assert_eq!(adult, vec!["1", "0", "1"]);
    assert_eq!(record.answers.get("jumlah_dewasa"), "2");
    assert!(
        !form.recalculate(&mut record, &Clock, NOW),
        "a second pass changes nothing"
    );
}

#[test]
fn skip_logic_inside_a_row_reads_that_row() {
    let (form, mut record) = started();
    record.set_answer("nama", "SITI", NOW);
    record.set_answer("jumlah", "2", NOW);
    form.recalculate(&mut record, &Clock, NOW);
    let keys: Vec<u32> = record.repeats.rows("anggota").iter().map(|r| r.key).collect();
    record.set_row_answer("anggota", keys[0], "nama_anggota", "SITI", NOW);
    record.set_row_answer("anggota", keys[0], "umur", "40", NOW);
    record.set_row_answer("anggota", keys[1], "nama_anggota", "ANI", NOW);
    record.set_row_answer("anggota", keys[1], "umur", "9", NOW);
    assert!(form.is_relevant(&record, &Clock, "nik", At::Row(0)));
    assert!(!form.is_relevant(&record, &Clock, "nik", At::Row(1)));
    // Only the adult's NIK is asked, and its regex constraint is checked.
    assert_eq!(
        issues(&form, &record),
        vec![("nik".to_owned(), Some(keys[0]), IssueWhat::Required)]
    );
    record.set_row_answer("anggota", keys[0], "nik", "35131412", NOW);
    assert_eq!(
        issues(&form, &record),
        vec![("nik".to_owned(), Some(keys[0]), IssueWhat::Constraint)]
    );
    record.set_row_answer("anggota", keys[0], "nik", "3513141203150007", NOW);
    assert_eq!(issues(&form, &record), vec![]);
}

#[test]
fn a_choice_filter_reads_the_choices_own_column() {
    let (form, mut record) = started();
    let names = |record: &HouseholdRecord| -> Vec<String> {
        form.choices(record, &Clock, "desa", At::Top)
            .iter()
            .map(|c| c.name.clone())
            .collect()
    };
    assert_eq!(names(&record), Vec::<String>::new());
    record.set_answer("kec", "14", NOW);
    assert_eq!(names(&record), vec!["2001", "2002"]);
    record.set_answer("desa", "2002", NOW);
    record.set_answer("kec", "10", NOW);
    // The village chosen before the district changed is no longer offered: chosen again.
    let found = issues(&form, &record);
    assert!(
        found.contains(&(
            "desa".to_owned(),
            None,
            IssueWhat::UnknownChoice("2002".to_owned())
        )),
        "{found:?}"
    );
}

#[test]
fn read_only_and_calculated_questions_are_not_for_the_enumerator() {
    let (form, record) = started();
    assert!(form.is_read_only(&record, &Clock, "petugas", At::Top));
    assert!(form.is_read_only(&record, &Clock, "jumlah_dewasa", At::Top));
    assert!(!form.is_read_only(&record, &Clock, "nama", At::Top));
}

#[test]
fn a_definition_that_does_not_hold_together_is_refused_with_every_reason() {
    let mut def = def();
    def.format = "verval-form/9".to_owned();
    def.calculation_order.retain(|n| n != "dewasa");
    def.calculation_order.push("hilang".to_owned());
    let Err(error) = DataForm::new(def) else {
        panic!("a broken definition was accepted");
    };
    let text = error.to_string();
    assert_eq!(error.problems.len(), 3, "{text}");
    assert!(text.contains("verval-form/9"), "{text}");
    assert!(text.contains("hilang"), "{text}");
    assert!(text.contains("misses a calculation"), "{text}");
}

/// Version 2 of the form: one more question, `catatan`.
fn second_version() -> DataForm {
    let mut def = def();
    def.version = "2026120602".to_owned();
    let mut note = match def
        .items
        .iter()
        .find(|i| matches!(i, crate::xlsform::Item::Field(f) if f.name == "nama"))
    {
        Some(crate::xlsform::Item::Field(f)) => f.clone(),
        _ => panic!("nama is a field"),
    };
    note.name = "catatan".to_owned();
    note.required = String::new();
    def.items.push(crate::xlsform::Item::Field(note));
    DataForm::new(def).expect("version 2 holds together")
}

#[test]
fn records_of_two_versions_export_in_one_set_of_tables_by_field_name() {
    let (old, mut first) = started();
    first.set_answer("nama", "SITI", NOW);
    first.set_answer("kode_desa", "35.13.14.2001", NOW);
    first.set_answer("jumlah", "2", NOW);
    old.recalculate(&mut first, &Clock, NOW);
    let keys: Vec<u32> = first.repeats.rows("anggota").iter().map(|r| r.key).collect();
    first.set_row_answer("anggota", keys[0], "nama_anggota", "SITI", NOW);
    first.set_row_answer("anggota", keys[0], "umur", "40", NOW);
    first.set_row_answer("anggota", keys[0], "nik", "3513141203150007", NOW);
    first.set_row_answer("anggota", keys[1], "nama_anggota", "ANI", NOW);
    first.set_row_answer("anggota", keys[1], "umur", "9", NOW);
    // Typed while she was thought older, then corrected: not asked any more, not exported.
    first.set_row_answer("anggota", keys[1], "nik", "3513141203150099", NOW);
    old.recalculate(&mut first, &Clock, NOW);

    let new = second_version();
    let mut second = HouseholdRecord::new(
        RecordId::parse("00000000-0000-4000-8000-000000000002").unwrap(),
        NOW,
    );
    new.start(&mut second, &Clock, NOW);
    second.set_answer("nama", "BUDI", NOW);
    second.set_answer("catatan", "rumah kosong", NOW);

    let stranger = HouseholdRecord::new(
        RecordId::parse("00000000-0000-4000-8000-000000000003").unwrap(),
        NOW,
    );
    let versions = [new, old];
    let tables = export::tables(&versions, &[&first, &second, &stranger], &Clock);
    let names: Vec<&str> = tables.iter().map(|t| t.name.as_ref()).collect();
    assert_eq!(names, ["cek_lapangan", "anggota"]);

    let main = &tables[0];
    let col = |name: &str| {
        main.header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no {name}"))
    };
    assert_eq!(&main.header[..8], export::RECORD_COLUMNS.map(|c| c.0).as_slice());
    assert_eq!(main.header.iter().filter(|h| *h == "kode_desa").count(), 1);
    assert_eq!(
        main.rows.len(),
        2,
        "the household form's record is not this form's"
    );
    assert_eq!(main.rows[0][col("form_version")], "2026120601");
    assert_eq!(main.rows[1][col("form_version")], "2026120602");
    assert_eq!(main.rows[0][col("kode_desa")], "35.13.14.2001");
    assert_eq!(main.rows[0][col("jumlah_dewasa")], "1");
    assert_eq!(main.rows[0][col("catatan")], "", "version 1 did not ask it");
    assert_eq!(main.rows[1][col("catatan")], "rumah kosong");

    let members = &tables[1];
    assert_eq!(&members.header[..2], ["record_id", "row_key"]);
    let nik = members.header.iter().position(|h| h == "nik").unwrap();
    let niks: Vec<&str> = members.rows.iter().map(|r| r[nik].as_str()).collect();
    assert_eq!(niks, ["3513141203150007", ""]);
}

#[test]
fn a_question_may_not_take_an_export_columns_name() {
    assert!(export::is_reserved("record_id"));
    assert!(export::is_reserved("row_key"));
    assert!(
        !export::is_reserved("kode_desa"),
        "a form may ask for the village itself"
    );
    assert!(!export::is_reserved("nama"));
}

#[test]
fn table_names_fit_a_spreadsheet_and_never_collide() {
    let mut def = def();
    def.id = "pendataan_keluarga_miskin_ekstrem_2026".to_owned();
    // A repeat named like the form, in another case.
    for item in &mut def.items {
        if let crate::xlsform::Item::Repeat(group) = item {
            group.name = "Pendataan_Keluarga_Miskin_Ekstrem_2026".to_owned();
        }
    }
    let form = DataForm::new(def).expect("holds together");
    let tables = export::tables(&[form], &[], &Clock);
    let names: Vec<&str> = tables.iter().map(|t| t.name.as_ref()).collect();
    assert_eq!(
        names,
        [
            "pendataan_keluarga_miskin_ekstr",
            "Pendataan_Keluarga_Miskin_Eks_2"
        ]
    );
    assert!(names.iter().all(|n| n.chars().count() <= 31));
}

#[test]
fn a_record_of_the_household_forms_id_is_not_a_district_forms() {
    let mut def = def();
    def.id = crate::form::default::FORM_ID.to_owned();
    let error = DataForm::new(def).expect_err("the household form's id");
    assert!(error.to_string().contains("household form"), "{error}");
}

#[test]
fn counted_rows_get_their_defaults_and_a_default_that_is_not_an_expression_is_text() {
    let mut def = def();
    fn set_default(items: &mut [crate::xlsform::Item], name: &str, default: &str) {
        for item in items {
            match item {
                crate::xlsform::Item::Field(f) if f.name == name => f.default = default.to_owned(),
                crate::xlsform::Item::Group(g) | crate::xlsform::Item::Repeat(g) => {
                    set_default(&mut g.items, name, default)
                }
                _ => {}
            }
        }
    }
    set_default(&mut def.items, "nama_anggota", "Tidak ada (0)");
    let form = DataForm::new(def).expect("a default with a bracket is text");
    let mut record = HouseholdRecord::new(
        RecordId::parse("00000000-0000-4000-8000-000000000001").unwrap(),
        NOW,
    );
    form.start(&mut record, &Clock, NOW);
    record.set_answer("jumlah", "2", NOW);
    form.recalculate(&mut record, &Clock, NOW);
    let names: Vec<&str> = record
        .repeats
        .rows("anggota")
        .iter()
        .map(|r| r.answers.get("nama_anggota"))
        .collect();
    assert_eq!(names, ["Tidak ada (0)", "Tidak ada (0)"]);
    // Rows holding only their defaults go when the count goes down.
    record.set_answer("jumlah", "1", NOW);
    form.recalculate(&mut record, &Clock, NOW);
    assert_eq!(record.repeats.rows("anggota").len(), 1);
}

#[test]
fn a_running_total_reads_its_previous_row_and_is_no_circle() {
    let sheet = |rows: &[&[&str]]| Sheet::of_texts(rows);
    let survey = sheet(&[
        &[
            "type",
            "name",
            "label::Indonesian (id)",
            "calculation",
            "repeat_count",
        ],
        &["integer", "jumlah", "Jumlah", "", ""],
        &["begin_repeat", "panen", "Panen", "", "${jumlah}"],
        &["integer", "kg", "Kg", "", ""],
        &[
            "calculate",
            "total_kg",
            "",
            "if(position(..) = 1, ${kg}, indexed-repeat(${total_kg}, ${panen}, position(..) - 1) + ${kg})",
            "",
        ],
        &["end_repeat", "", "", "", ""],
    ]);
    let settings = sheet(&[&["form_id", "version"], &["panen", "1"]]);
    let def =
        crate::xlsform::from_sheets(&[("survey".to_owned(), survey), ("settings".to_owned(), settings)])
            .expect("a running total imports");
    let form = DataForm::new(def).expect("and holds together");
    let mut record = HouseholdRecord::new(
        RecordId::parse("00000000-0000-4000-8000-000000000009").unwrap(),
        NOW,
    );
    form.start(&mut record, &Clock, NOW);
    record.set_answer("jumlah", "3", NOW);
    form.recalculate(&mut record, &Clock, NOW);
    let keys: Vec<u32> = record.repeats.rows("panen").iter().map(|r| r.key).collect();
    for (key, kg) in keys.iter().zip(["2", "3", "4"]) {
        record.set_row_answer("panen", *key, "kg", kg, NOW);
    }
    form.recalculate(&mut record, &Clock, NOW);
    let totals: Vec<String> = record
        .repeats
        .rows("panen")
        .iter()
        .map(|row| row.answers.get("total_kg").to_owned())
        .collect();
    assert_eq!(totals, ["2", "5", "9"]);

    // Reading itself in its own row is still a circle: directly, beside a previous row, or
    // through indexed-repeat() at its own position.
    for calculation in [
        "${sendiri} + 1",
        "indexed-repeat(${sendiri}, ${baris}, position(..) - 1) + ${sendiri}",
        "indexed-repeat(${sendiri}, ${baris}, position(..)) + 1",
    ] {
        let survey = sheet(&[
            &["type", "name", "label::Indonesian (id)", "calculation"],
            &["begin_repeat", "baris", "Baris", ""],
            &["calculate", "sendiri", "", calculation],
            &["end_repeat", "", "", ""],
        ]);
        let settings = sheet(&[&["form_id", "version"], &["sendiri", "1"]]);
        let problems =
            crate::xlsform::from_sheets(&[("survey".to_owned(), survey), ("settings".to_owned(), settings)])
                .expect_err("a calculation reading itself is refused");
        assert!(
            problems
                .iter()
                .any(|p| p.to_string().contains("in a circle: sendiri")),
            "{calculation}: {problems:?}"
        );
    }
}

#[test]
fn a_households_section_record_has_one_id_and_its_tables_name_the_household() {
    let household = RecordId::parse("00000000-0000-4000-8000-0000000000a1").unwrap();
    let other = RecordId::parse("00000000-0000-4000-8000-0000000000a2").unwrap();
    let id = section_record_id(&household, "cek");
    assert_eq!(id, section_record_id(&household, "cek"), "the same everywhere");
    assert_ne!(id, section_record_id(&other, "cek"));
    assert_ne!(id, section_record_id(&household, "cek2"));
    assert_ne!(id, household);
    assert_eq!(RecordId::parse(id.as_str()), Ok(id.clone()), "a well-formed id");

    let mut def = def();
    def.household_section = true;
    let form = DataForm::new(def).unwrap();
    let mut record = HouseholdRecord::new(id.clone(), NOW);
    form.start(&mut record, &Clock, NOW);
    record.set_answer(HOUSEHOLD_LINK, household.as_str(), NOW);
    record.set_answer("kode_desa", "35.13.14.2001", NOW);
    let tables = export::tables(&[form], &[&record], &Clock);
    let main = &tables[0];
    let at = main
        .header
        .iter()
        .position(|h| h == HOUSEHOLD_LINK)
        .expect("the household's column");
    assert_eq!(main.header[at - 1], "kode_desa", "right after the village");
    assert_eq!(main.rows[0][at], household.as_str());
    // A form that is no section has no such column.
    let plain = export::tables(&[self::form()], &[], &Clock);
    assert!(!plain[0].header.iter().any(|h| h == HOUSEHOLD_LINK));
}
