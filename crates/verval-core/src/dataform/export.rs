//! A form as data's records as tables: one row per record in a table named after the form,
//! and one table per repeat with a row per repeat row, joined by `record_id`. Column names
//! are the form's field names. Records of several versions of one form go in one set of
//! tables: the newest version's columns first, then any column only an older version had,
//! each record's answers read with its own version's skip logic.
//!
//! As with the household form, only what the enumerator was asked is written: an answer a
//! skip rule made irrelevant stays in the record and is not exported.

use super::{At, DataForm, Host};
use crate::export::column::ColumnKind;
use crate::export::Table;
use crate::record::HouseholdRecord;
use crate::xlsform::FieldType;

/// The columns every record's row starts with, before the form's own. A form may not name a
/// question after one of them (the importer refuses it), except `kode_desa`, which a form
/// may ask itself.
pub const RECORD_COLUMNS: [(&str, &str, ColumnKind); 8] = [
    ("record_id", "ID rekaman", ColumnKind::Text),
    ("form_id", "ID formulir", ColumnKind::Text),
    ("form_version", "Versi formulir", ColumnKind::Text),
    ("revision", "Revisi", ColumnKind::Number),
    ("status", "Status rekaman", ColumnKind::Text),
    ("created_at", "Dibuat (UTC)", ColumnKind::Timestamp),
    ("updated_at", "Diubah (UTC)", ColumnKind::Timestamp),
    ("kode_desa", "Kode desa", ColumnKind::Region),
];

/// The columns every repeat row starts with.
pub const ROW_COLUMNS: [(&str, &str, ColumnKind); 2] = [
    ("record_id", "ID rekaman", ColumnKind::Text),
    ("row_key", "Kunci baris", ColumnKind::Number),
];

/// The column a household section's table adds after [`RECORD_COLUMNS`]: its household.
pub const HOUSEHOLD_COLUMN: (&str, &str, ColumnKind) =
    (super::HOUSEHOLD_LINK, "ID rekaman keluarga", ColumnKind::Text);

/// Names a form's question may not take: the joining and record columns of its tables.
pub fn is_reserved(name: &str) -> bool {
    name == HOUSEHOLD_COLUMN.0
        || (name != "kode_desa"
            && RECORD_COLUMNS
                .iter()
                .chain(ROW_COLUMNS.iter())
                .any(|(column, _, _)| *column == name))
}

/// A column of the form's own: its field name, label and kind.
struct Column {
    name: String,
    label: String,
    kind: ColumnKind,
}

/// The tables of `records`, all of the form whose versions are `versions` (newest first).
/// A record of a version not given is left out: the caller reads only records it can show.
pub fn tables(versions: &[DataForm], records: &[&HouseholdRecord], host: &dyn Host) -> Vec<Table> {
    let Some(newest) = versions.first() else {
        return Vec::new();
    };
    let form_id = newest.def().id.clone();
    let top = columns(versions, None);
    let mut taken: Vec<String> = Vec::new();
    // A household section's rows name their household, to join them to the household tables.
    let section = versions.iter().any(|v| v.def().household_section);
    let mut keys = RECORD_COLUMNS.to_vec();
    if section {
        keys.push(HOUSEHOLD_COLUMN);
    }
    let mut main = Table::new(sheet_name(&form_id, &mut taken), &header(&keys, &top));
    let repeat_names: Vec<String> = union(
        versions
            .iter()
            .flat_map(|v| v.repeats().iter().map(|r| r.name.clone())),
    );
    let mut repeat_tables: Vec<(String, Vec<Column>, Table)> = repeat_names
        .into_iter()
        .map(|name| {
            let cols = columns(versions, Some(&name));
            let table = Table::new(sheet_name(&name, &mut taken), &header(&ROW_COLUMNS, &cols));
            (name, cols, table)
        })
        .collect();
    for record in records {
        let Some(form) = versions.iter().find(|v| super::is_record_of(v.def(), record)) else {
            continue;
        };
        let mut row = vec![
            record.id.to_string(),
            record.form_id.clone(),
            record.form_version.clone(),
            record.revision.to_string(),
            record.status.tag().to_owned(),
            record.created_at.0.to_string(),
            record.updated_at.0.to_string(),
            record.answers.get("kode_desa").to_owned(),
        ];
        if section {
            row.push(record.answers.get(super::HOUSEHOLD_LINK).to_owned());
        }
        row.extend(top.iter().map(|c| asked(form, record, host, &c.name, At::Top)));
        main.rows.push(row);
        for (repeat, cols, table) in &mut repeat_tables {
            if !form.is_repeat_relevant(record, host, repeat) {
                continue;
            }
            for (i, r) in record.repeats.rows(repeat.as_str()).iter().enumerate() {
                let mut row = vec![record.id.to_string(), r.key.to_string()];
                row.extend(
                    cols.iter()
                        .map(|c| asked(form, record, host, &c.name, At::Row(i))),
                );
                table.rows.push(row);
            }
        }
    }
    std::iter::once(main)
        .chain(repeat_tables.into_iter().map(|(_, _, table)| table))
        .collect()
}

/// The answer where it was asked; empty where it was not, or the version has no such field.
/// A photo is written as its path in the batch and the export's zip, as the household
/// tables write theirs.
fn asked(form: &DataForm, record: &HouseholdRecord, host: &dyn Host, field: &str, at: At) -> String {
    let Some(place) = form.place(field) else {
        return String::new();
    };
    if !form.is_relevant(record, host, field, at) {
        return String::new();
    }
    let answer = form.answer_at(record, field, at);
    match place.field.kind == FieldType::Image && super::is_photo_key(answer) {
        true => super::photo_path(record.id.as_str(), answer),
        false => answer.to_owned(),
    }
}

/// The fields with a column, of the record (`None`) or of a repeat, across the versions.
fn columns(versions: &[DataForm], repeat: Option<&str>) -> Vec<Column> {
    let mut out: Vec<Column> = Vec::new();
    for form in versions {
        for place in form.places() {
            let here = place.repeat.map(|r| form.repeats()[r].name.as_str());
            let name = &place.field.name;
            if here != repeat
                || place.field.kind == FieldType::Note
                || name == "kode_desa"
                || out.iter().any(|c| &c.name == name)
            {
                continue;
            }
            let label = &place.field.label;
            out.push(Column {
                name: name.clone(),
                label: if label.id.is_empty() {
                    label.en.clone()
                } else {
                    label.id.clone()
                },
                kind: match place.field.kind {
                    FieldType::Integer => ColumnKind::Whole,
                    FieldType::Decimal => ColumnKind::Number,
                    FieldType::Date => ColumnKind::Date,
                    _ => ColumnKind::Text,
                },
            });
        }
    }
    out
}

fn header<'a>(
    keys: &'a [(&'a str, &'a str, ColumnKind)],
    columns: &'a [Column],
) -> Vec<(&'a str, &'a str, ColumnKind)> {
    keys.iter()
        .copied()
        .chain(
            columns
                .iter()
                .map(|c| (c.name.as_str(), c.label.as_str(), c.kind)),
        )
        .collect()
}

/// The longest name a spreadsheet's sheet may have.
const SHEET_NAME_MAX: usize = 31;

/// A table's name as a sheet takes it: at most 31 characters, and not one already `taken`
/// in any case (a repeat named like its form): cut, then numbered.
fn sheet_name(name: &str, taken: &mut Vec<String>) -> String {
    let cut = |text: &str, max: usize| text.chars().take(max).collect::<String>();
    let free = |candidate: &str, taken: &[String]| !taken.iter().any(|t| t.eq_ignore_ascii_case(candidate));
    let mut candidate = cut(name, SHEET_NAME_MAX);
    let mut n = 2;
    while !free(&candidate, taken) {
        let suffix = format!("_{n}");
        candidate = format!("{}{suffix}", cut(name, SHEET_NAME_MAX - suffix.len()));
        n += 1;
    }
    taken.push(candidate.clone());
    candidate
}

fn union(names: impl Iterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in names {
        if !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// The photos a form's tables name (a photo question's cell holds its path), by record,
/// each path once: only those of questions asked, as the tables themselves. The hub's zip
/// export and the phone's both carry these.
pub fn photos_named(tables: &[Table]) -> std::collections::BTreeMap<String, Vec<String>> {
    let mut photos: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for table in tables {
        for row in &table.rows {
            let Some(record) = row.first() else {
                continue;
            };
            let own = format!("foto/{record}_");
            for cell in row.iter().filter(|c| c.starts_with(&own) && c.ends_with(".jpg")) {
                let paths = photos.entry(record.clone()).or_default();
                if !paths.contains(cell) {
                    paths.push(cell.clone());
                }
            }
        }
    }
    photos
}
