//! The sheets into a form: the survey's rows into fields, groups and repeats, the choices
//! into lists, the settings into the form's id, version and title; then every expression
//! checked against the form (`check`).

use super::check::{check, check_labels, survey_names};
use super::def::{Choice, Field, FieldType, FormDef, Group, Item, Label, FORMAT};
use super::sheet::{language_code, Table};
use super::Problem;
use crate::prelist::cell::Sheet;
use std::collections::BTreeMap;

/// Types the XLSForm spec has that Verval's forms do not, refused by name.
const TYPES_OUT_OF_SCOPE: [&str; 24] = [
    "time",
    "datetime",
    "range",
    "rank",
    "barcode",
    "audio",
    "video",
    "file",
    "geotrace",
    "geoshape",
    "acknowledge",
    "hidden",
    "xml-external",
    "csv-external",
    "select_one_from_file",
    "select_multiple_from_file",
    "start",
    "end",
    "today",
    "deviceid",
    "phonenumber",
    "username",
    "email",
    "audit",
];

struct Open {
    kind: &'static str,
    row: usize,
    group: Group,
}

/// Reads the sheets of an XLSForm (by name, any case): every problem, or the form.
pub fn from_sheets(sheets: &[(String, Sheet)]) -> Result<FormDef, Vec<Problem>> {
    let mut problems = Vec::new();
    let find = |name: &str| sheets.iter().find(|(n, _)| n.trim().eq_ignore_ascii_case(name));
    if find("external_choices").is_some() {
        problems.push(Problem::at(
            "external_choices",
            0,
            "",
            "",
            "pilihan eksternal (external_choices) belum didukung formulir Verval",
            "external choices are not supported in Verval forms",
        ));
    }

    // Settings first: the default language decides where a bare `label` goes.
    let (id, version, title, default_language, household_section) = match find("settings") {
        Some((name, sheet)) => settings(name, sheet, &mut problems),
        None => {
            problems.push(Problem::at(
                "settings",
                0,
                "",
                "",
                "lembar settings tidak ada: perlu form_id dan version",
                "no settings sheet: form_id and version are needed",
            ));
            Default::default()
        }
    };
    // Each sheet's header read once: for its rows, then for the checks on the whole form.
    let choices_table =
        find("choices").map(|(name, sheet)| Table::new(name, sheet, default_language, &mut problems));
    let survey_table =
        find("survey").map(|(name, sheet)| Table::new(name, sheet, default_language, &mut problems));
    let choices = match &choices_table {
        Some(table) => choice_lists(table, &mut problems),
        None => BTreeMap::new(),
    };
    let items = match &survey_table {
        Some(table) => survey(table, &choices, &mut problems),
        None => {
            problems.push(Problem::at(
                "survey",
                0,
                "",
                "",
                "lembar survey tidak ada",
                "no survey sheet",
            ));
            Vec::new()
        }
    };
    let mut form = FormDef {
        format: FORMAT.to_owned(),
        id,
        version,
        title,
        items,
        choices,
        calculation_order: Vec::new(),
        household_section,
    };
    if let Some(table) = &survey_table {
        form.calculation_order = check(table, &mut problems);
        if let Some(choices) = &choices_table {
            check_labels(choices, &survey_names(table), &mut problems);
        }
    }
    match problems.is_empty() {
        true => Ok(form),
        false => Err(problems),
    }
}

/// What the settings sheet says: id, version, title, the default language, and whether the
/// form is a section of the household form.
type Settings = (String, String, Label, &'static str, bool);

fn settings(name: &str, sheet: &Sheet, problems: &mut Vec<Problem>) -> Settings {
    let table = Table::new(name, sheet, "id", &mut Vec::new());
    let Some(row) = table.rows().next() else {
        problems.push(Problem::at(
            name,
            2,
            "",
            "",
            "settings kosong",
            "the settings are empty",
        ));
        return Default::default();
    };
    let default_language = match table.get(row, "default_language") {
        text if text.is_empty() => "id",
        text => language_code(&text).unwrap_or_else(|| {
            problems.push(Problem::at(
                name,
                row,
                &table.letter("default_language"),
                &text,
                "bahasa utama harus Indonesia (id) atau Inggris (en)",
                "the default language must be Indonesian (id) or English (en)",
            ));
            "id"
        }),
    };
    let mut required = |column: &str| {
        let text = table.get(row, column);
        if text.is_empty() {
            problems.push(Problem::at(
                name,
                row,
                &table.letter(column),
                "",
                &format!("{column} kosong: setiap versi formulir perlu {column}"),
                &format!("{column} is empty: every version of a form needs one"),
            ));
        } else if column == "form_id" && text == crate::form::default::FORM_ID {
            problems.push(Problem::at(
                name,
                row,
                &table.letter(column),
                &text,
                "form_id ini milik formulir keluarga bawaan Verval; pakai id lain",
                "this form_id is Verval's built-in household form's; use another id",
            ));
        } else if !is_name(&text) && column == "form_id" {
            problems.push(Problem::at(
                name,
                row,
                &table.letter(column),
                &text,
                "form_id hanya huruf, angka, _ - . dan diawali huruf",
                "form_id may hold letters, digits, _ - . only, and begin with a letter",
            ));
        }
        text
    };
    let id = required("form_id");
    let version = required("version");
    let version_chars = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_');
    if !version.chars().all(version_chars) {
        problems.push(Problem::at(
            name,
            row,
            &table.letter("version"),
            &version,
            "version hanya huruf, angka dan . - _",
            "a version may hold letters, digits and . - _ only",
        ));
    }
    let title = table.get(row, "form_title");
    let title = Label {
        id: title.clone(),
        en: String::new(),
    };
    // Verval's own column: the form is appended to the household form as its section J.
    let household_section = match table.get(row, "bagian_dari").as_str() {
        "" => false,
        "keluarga" => true,
        other => {
            problems.push(Problem::at(
                name,
                row,
                &table.letter("bagian_dari"),
                other,
                "bagian_dari hanya boleh kosong atau keluarga (bagian J formulir keluarga)",
                "bagian_dari may only be empty or keluarga (section J of the household form)",
            ));
            false
        }
    };
    (id, version, title, default_language, household_section)
}

fn choice_lists(table: &Table, problems: &mut Vec<Problem>) -> BTreeMap<String, Vec<Choice>> {
    table.out_of_scope(problems);
    let mut lists: BTreeMap<String, Vec<Choice>> = BTreeMap::new();
    let others: Vec<String> = table
        .column_names()
        .filter(|c| *c != "list_name" && *c != "name" && !c.starts_with("label") && !c.starts_with("media::"))
        .map(str::to_owned)
        .collect();
    for row in table.rows() {
        let list = table.get(row, "list_name");
        let name = table.get(row, "name");
        let mut refuse = |column: &str, cell: &str, id: &str, en: &str| {
            problems.push(Problem::at(table.name, row, &table.letter(column), cell, id, en));
        };
        if list.is_empty() {
            refuse("list_name", "", "list_name kosong", "list_name is empty");
            continue;
        }
        if name.is_empty() {
            refuse("name", "", "name pilihan kosong", "the choice's name is empty");
            continue;
        }
        if name.contains(char::is_whitespace) {
            // A select_multiple answer is its choices' names separated by spaces.
            refuse(
                "name",
                &name,
                "name pilihan tidak boleh berisi spasi",
                "a choice's name may not hold a space",
            );
        }
        let label = table.label(row, "label");
        if label.is_empty() {
            refuse("label", "", "label pilihan kosong", "the choice's label is empty");
        }
        let entries = lists.entry(list.clone()).or_default();
        if entries.iter().any(|c| c.name == name) {
            refuse(
                "name",
                &name,
                &format!("pilihan {name:?} dua kali di daftar {list}"),
                &format!("the choice {name:?} twice in the list {list}"),
            );
            continue;
        }
        let data = others
            .iter()
            .map(|c| (c.clone(), table.get(row, c)))
            .filter(|(_, v)| !v.is_empty())
            .collect();
        entries.push(Choice { name, label, data });
    }
    lists
}

/// `begin group`, `begin_group`, `Begin Group`: one spelling of the type's keyword; a
/// select's list name kept exactly as written (`select_one Jenis_Kelamin`).
fn normal_type(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let Some((first, rest)) = words.split_first() else {
        return String::new();
    };
    let keyword = first.to_lowercase();
    match keyword.as_str() {
        "begin" | "end" => words.join(" ").to_lowercase(),
        "begin_group" | "begin_repeat" | "end_group" | "end_repeat" => keyword.replacen('_', " ", 1),
        _ if rest.is_empty() => keyword,
        _ => format!("{keyword} {}", rest.join(" ")),
    }
}

fn survey(table: &Table, choices: &BTreeMap<String, Vec<Choice>>, problems: &mut Vec<Problem>) -> Vec<Item> {
    table.out_of_scope(problems);
    for column in ["type", "name"] {
        if !table.has(column) {
            problems.push(Problem::at(
                table.name,
                1,
                column,
                "",
                &format!("kolom {column} tidak ada"),
                &format!("no {column} column"),
            ));
            return Vec::new();
        }
    }
    let mut stack: Vec<Open> = Vec::new();
    let mut top: Vec<Item> = Vec::new();
    let mut names: BTreeMap<String, usize> = BTreeMap::new();
    for row in table.rows() {
        let raw_type = table.get(row, "type");
        let kind = normal_type(&raw_type);
        let name = table.get(row, "name");
        let mut refuse = |column: &str, cell: &str, id: String, en: String| {
            problems.push(Problem::at(
                table.name,
                row,
                &table.letter(column),
                cell,
                &id,
                &en,
            ));
        };
        if kind.is_empty() {
            refuse("type", "", "type kosong".into(), "the type is empty".into());
            continue;
        }
        if kind == "end group" || kind == "end repeat" {
            let want = if kind == "end group" { "group" } else { "repeat" };
            match stack.pop() {
                Some(open) if open.kind == want => {
                    let item = match want {
                        "group" => Item::Group(open.group),
                        _ => Item::Repeat(open.group),
                    };
                    push(&mut stack, &mut top, item);
                }
                Some(open) => {
                    refuse(
                        "type",
                        &raw_type,
                        format!("{kind} menutup begin {} di baris {}", open.kind, open.row),
                        format!("{kind} closes the begin {} of row {}", open.kind, open.row),
                    );
                    stack.push(open);
                }
                None => refuse(
                    "type",
                    &raw_type,
                    format!("{kind} tanpa begin {want}"),
                    format!("{kind} without a begin {want}"),
                ),
            }
            continue;
        }
        // Every other row names something, once in the whole form.
        if name.is_empty() {
            refuse("name", "", "name kosong".into(), "the name is empty".into());
        } else if !is_name(&name) {
            refuse(
                "name",
                &name,
                "name hanya huruf, angka, _ - . dan diawali huruf atau _".into(),
                "a name may hold letters, digits, _ - . only, and begin with a letter or _".into(),
            );
        } else if crate::dataform::export::is_reserved(&name) {
            refuse(
                "name",
                &name,
                format!("name {name:?} dipakai Verval untuk kolom ekspor; pakai nama lain"),
                format!("the name {name:?} is an export column of Verval's own; use another name"),
            );
        } else if let Some(first) = names.get(&name) {
            refuse(
                "name",
                &name,
                format!("name {name:?} sudah dipakai di baris {first}"),
                format!("the name {name:?} is used already in row {first}"),
            );
        } else {
            names.insert(name.clone(), row);
        }
        if kind == "begin group" || kind == "begin repeat" {
            let repeat = kind == "begin repeat";
            if repeat && stack.iter().any(|o| o.kind == "repeat") {
                refuse(
                    "type",
                    &raw_type,
                    "ulangan di dalam ulangan (nested repeat) belum didukung formulir Verval".into(),
                    "a repeat inside a repeat is not supported in Verval forms".into(),
                );
            }
            stack.push(Open {
                kind: if repeat { "repeat" } else { "group" },
                row,
                group: Group {
                    name,
                    label: table.label(row, "label"),
                    relevant: table.get(row, "relevant"),
                    repeat_count: if repeat {
                        table.get(row, "repeat_count")
                    } else {
                        String::new()
                    },
                    appearance: table.get(row, "appearance"),
                    items: Vec::new(),
                },
            });
            continue;
        }
        let (base, list) = match kind.split_once(' ') {
            Some((base, rest)) => (base.to_owned(), rest.trim().to_owned()),
            None => (kind.clone(), String::new()),
        };
        if TYPES_OUT_OF_SCOPE.contains(&base.as_str()) || list.ends_with("or_other") {
            refuse(
                "type",
                &raw_type,
                format!("jenis {raw_type} belum didukung formulir Verval"),
                format!("the type {raw_type} is not supported in Verval forms"),
            );
            continue;
        }
        let Some((_, field_type)) = FieldType::ALL.iter().find(|(t, _)| *t == base) else {
            refuse(
                "type",
                &raw_type,
                format!("jenis {raw_type} tidak dikenal"),
                format!("unknown type {raw_type}"),
            );
            continue;
        };
        let field_type = *field_type;
        if field_type.is_select() && !choices.contains_key(&list) {
            refuse(
                "type",
                &raw_type,
                format!("daftar pilihan {list:?} tidak ada di lembar choices"),
                format!("the choice list {list:?} is not on the choices sheet"),
            );
        } else if !field_type.is_select() && !list.is_empty() {
            refuse(
                "type",
                &raw_type,
                format!("jenis {base} tidak memakai daftar pilihan"),
                format!("the type {base} takes no choice list"),
            );
        }
        let label = table.label(row, "label");
        if label.is_empty() && field_type != FieldType::Calculate {
            refuse(
                "label",
                "",
                "label kosong: pertanyaan perlu label".into(),
                "the label is empty: a question needs one".into(),
            );
        }
        let calculation = table.get(row, "calculation");
        if field_type == FieldType::Calculate && calculation.is_empty() {
            refuse(
                "calculation",
                "",
                "calculate tanpa calculation".into(),
                "a calculate without a calculation".into(),
            );
        }
        let field = Field {
            name,
            kind: field_type,
            label,
            hint: table.label(row, "hint"),
            list,
            required: yes_no(&table.get(row, "required")),
            required_message: table.label(row, "required_message"),
            relevant: table.get(row, "relevant"),
            constraint: table.get(row, "constraint"),
            constraint_message: table.label(row, "constraint_message"),
            calculation,
            default: table.get(row, "default"),
            read_only: yes_no(&table.get(row, "read_only")),
            choice_filter: table.get(row, "choice_filter"),
            appearance: table.get(row, "appearance"),
        };
        push(&mut stack, &mut top, Item::Field(Box::new(field)));
    }
    for open in stack.into_iter().rev() {
        problems.push(Problem::at(
            table.name,
            open.row,
            &table.letter("type"),
            &format!("begin {}", open.kind),
            &format!("begin {} tanpa end {}", open.kind, open.kind),
            &format!("begin {} without end {}", open.kind, open.kind),
        ));
    }
    top
}

fn push(stack: &mut [Open], top: &mut Vec<Item>, item: Item) {
    match stack.last_mut() {
        Some(open) => open.group.items.push(item),
        None => top.push(item),
    }
}

/// `yes`, `true`, `true()`: always; `no`, `false`, empty: never; else an expression.
pub(super) fn yes_no(text: &str) -> String {
    match text.trim().to_lowercase().as_str() {
        "yes" | "true" | "true()" | "1" | "ya" => "true()".to_owned(),
        "no" | "false" | "false()" | "0" | "" | "tidak" => String::new(),
        _ => text.trim().to_owned(),
    }
}

pub(super) fn is_name(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
}
