//! The `lengkap` profile: every field id of the form as a column, one table per level —
//! families (`keluarga`), members (`anggota`), aid received (`bantuan`) — joined by record id.
//!
//! Only answers the enumerator was asked are written: an answer that skip logic made
//! irrelevant stays in the draft but is not exported (spec §1.11 rule 3). A member chosen
//! for an aid is written as the member's line number (`no_urut`), not the internal row key.

use super::column::ColumnKind;
use crate::date::Date;
use crate::form::scope::Scope;
use crate::form::validate::{is_relevant, is_repeat_relevant, is_section_relevant};
use crate::form::{Form, Kind, Question, Repeat, SectionItem, Values};
use crate::record::{HouseholdRecord, Row};
use std::borrow::Cow;

/// One table of the export. Serialized when a page hands tables to the export's worker to
/// write as files (a district form's records, issue #25).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Table {
    /// The file or sheet name: `keluarga`, `anggota`, `bantuan`; a form as data's own
    /// tables are named after the form and its repeats.
    pub name: Cow<'static, str>,
    /// Column names: field ids, after the joining columns.
    pub header: Vec<String>,
    /// A label per column for people (the spreadsheet's first header row), in Indonesian.
    pub labels: Vec<String>,
    /// What each column holds, for files meant for people.
    pub kinds: Vec<ColumnKind>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// An empty table of these columns: `(field id, label, kind)`.
    pub fn new(name: impl Into<Cow<'static, str>>, columns: &[(&str, &str, ColumnKind)]) -> Table {
        Table {
            name: name.into(),
            header: columns.iter().map(|(id, _, _)| (*id).to_owned()).collect(),
            labels: columns.iter().map(|(_, label, _)| (*label).to_owned()).collect(),
            kinds: columns.iter().map(|(_, _, kind)| *kind).collect(),
            rows: Vec::new(),
        }
    }
}

/// Columns every family row starts with, with their labels.
const FAMILY_KEYS: [(&str, &str, ColumnKind); 6] = [
    ("record_id", "ID rekaman", ColumnKind::Text),
    ("revision", "Revisi", ColumnKind::Number),
    ("status", "Status rekaman", ColumnKind::Text),
    ("form_version", "Versi formulir", ColumnKind::Text),
    ("created_at", "Dibuat (UTC)", ColumnKind::Timestamp),
    ("updated_at", "Diubah (UTC)", ColumnKind::Timestamp),
];

/// Where a photo or drawing of a record lies in the batch: `foto/<record-id>_<field>.jpg`
/// (a drawing is a PNG). The tables carry this path, not the phone's internal photo key.
pub fn photo_path(record: &str, question: &Question) -> String {
    let extension = if matches!(question.kind, Kind::Drawing) {
        "png"
    } else {
        "jpg"
    };
    format!("foto/{record}_{}.{extension}", question.id)
}

/// The three tables of the `lengkap` profile for these records, in their order. `today`
/// is only used to decide relevance the same way validation does.
pub fn tables(form: &Form, records: &[HouseholdRecord], today: Date) -> Vec<Table> {
    // Each question and repeat with the index of its section, whose relevance is decided
    // once per record.
    let family_questions: Vec<(usize, &Question)> = form
        .sections
        .iter()
        .enumerate()
        .flat_map(|(i, s)| s.items.iter().map(move |item| (i, item)))
        .filter_map(|(i, item)| match item {
            SectionItem::Question(q) if !matches!(q.kind, Kind::Note) => Some((i, q)),
            _ => None,
        })
        .collect();
    let repeats: Vec<(usize, &Repeat)> = form
        .sections
        .iter()
        .enumerate()
        .flat_map(|(i, s)| s.items.iter().map(move |item| (i, item)))
        .filter_map(|(i, item)| match item {
            SectionItem::Repeat(r) => Some((i, r)),
            _ => None,
        })
        .collect();

    let mut family = Table::new("keluarga", &FAMILY_KEYS);
    family.extend_with(family_questions.iter().map(|(_, q)| *q));
    let mut repeat_tables: Vec<Table> = repeats
        .iter()
        .map(|(_, r)| {
            let line = format!("{}_baris", r.id);
            let line_label = format!("Baris {}", r.label.id);
            let mut table = Table::new(
                table_name(r),
                &[
                    ("record_id", "ID rekaman", ColumnKind::Text),
                    (&line, &line_label, ColumnKind::Number),
                ],
            );
            table.extend_with(r.questions.iter().filter(|q| !matches!(q.kind, Kind::Note)));
            table
        })
        .collect();

    for record in records {
        let scope = Scope::family(record, today);
        let section_asked: Vec<bool> = form
            .sections
            .iter()
            .map(|s| is_section_relevant(s, &scope))
            .collect();
        let mut row = vec![
            record.id.to_string(),
            record.revision.to_string(),
            match record.status {
                crate::record::RecordStatus::Draft => "draft".to_owned(),
                crate::record::RecordStatus::Final => "final".to_owned(),
            },
            record.form_version.clone(),
            record.created_at.0.to_string(),
            record.updated_at.0.to_string(),
        ];
        for (section, q) in &family_questions {
            let asked = section_asked[*section] && is_relevant(q, &scope);
            row.push(if asked {
                exported(q, &scope, record)
            } else {
                String::new()
            });
        }
        family.rows.push(row);

        for ((section, repeat), table) in repeats.iter().zip(repeat_tables.iter_mut()) {
            let asked = section_asked[*section] && is_repeat_relevant(repeat, &scope);
            if !asked {
                continue;
            }
            for (index, member) in record.repeats.rows(repeat.id).iter().enumerate() {
                let row_scope = scope.in_row(member, index + 1);
                let mut row = vec![record.id.to_string(), (index + 1).to_string()];
                for q in repeat.questions.iter().filter(|q| !matches!(q.kind, Kind::Note)) {
                    row.push(if is_relevant(q, &row_scope) {
                        exported(q, &row_scope, record)
                    } else {
                        String::new()
                    });
                }
                table.rows.push(row);
            }
        }
    }
    let mut all = vec![family];
    // Members and aid are the tables districts expect; the meter rows travel too.
    all.extend(repeat_tables);
    all
}

impl Table {
    /// Adds a column per question, named by its field id.
    fn extend_with<'a>(&mut self, questions: impl Iterator<Item = &'a Question>) {
        for q in questions {
            self.header.push(q.id.to_string());
            self.labels.push(q.label.id.to_owned());
            self.kinds.push(ColumnKind::of(q));
        }
    }
}

/// `art` → `anggota`, `bantuan` → `bantuan`, others by their id.
fn table_name(repeat: &Repeat) -> &'static str {
    match repeat.id.as_str() {
        "art" => "anggota",
        other => other,
    }
}

/// The answer as it leaves the phone: a member reference as the member's line number, a
/// photo as its path in the batch.
fn exported(question: &Question, scope: &Scope<'_>, record: &HouseholdRecord) -> String {
    let value = scope.value(question.id).trim();
    match question.kind {
        Kind::RowOf(repeat) => line_number(record.repeats.rows(repeat), value),
        Kind::Photo | Kind::Drawing if !value.is_empty() => photo_path(record.id.as_str(), question),
        _ => value.to_owned(),
    }
}

fn line_number(rows: &[Row], key: &str) -> String {
    rows.iter()
        .position(|r| r.key.to_string() == key)
        .map(|i| (i + 1).to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::csv;
    use crate::form::default::example::{example_family, EXAMPLE_TODAY};
    use crate::form::default::*;
    use crate::ids::RecordId;
    use crate::record::Timestamp;

    fn family() -> HouseholdRecord {
        example_family(RecordId::from_random_bytes([7; 16]))
    }

    fn column(table: &Table, name: &str) -> Vec<String> {
        let i = table
            .header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name}"));
        table.rows.iter().map(|r| r[i].clone()).collect()
    }

    #[test]
    fn one_row_per_family_member_and_aid_with_every_field_id_as_a_column() {
        let t = tables(&DEFAULT_FORM, &[family()], EXAMPLE_TODAY);
        let names: Vec<&str> = t.iter().map(|t| t.name.as_ref()).collect();
        assert_eq!(names, ["keluarga", "anggota", "daya_listrik", "bantuan"]);
        assert_eq!(t[0].rows.len(), 1);
        assert_eq!(t[1].rows.len(), 4);
        assert_eq!(t[3].rows.len(), 2);
        for q in DEFAULT_FORM.questions().map(|(_, q)| q) {
            assert!(
                t.iter()
                    .any(|table| table.header.iter().any(|h| h == q.id.as_str())),
                "{} has a column",
                q.id
            );
        }
        assert_eq!(
            column(&t[1], "nik"),
            [
                "3513141203580001",
                "3513144507960002",
                "3513141501230003",
                "3513144109120004"
            ]
        );
        assert_eq!(column(&t[0], "nomor_kk"), ["3513141203150007"]);
        assert_eq!(
            column(&t[1], "umur"),
            ["68", "30", "3", "14"],
            "calculated answers travel"
        );
        let ids = column(&t[1], "record_id");
        assert!(
            ids.iter().all(|id| *id == t[0].rows[0][0]),
            "members join their family by record id"
        );
    }

    #[test]
    fn the_beneficiary_is_the_members_line_number() {
        let mut r = family();
        // Remove the wife: the head stays line 1; keys no longer match line numbers.
        let wife = r.repeats.rows(ART)[1].key;
        r.remove_row(ART, wife, Timestamp(9));
        let head = r.repeats.rows(ART)[0].key;
        let pbi = r.repeats.rows(BANTUAN)[1].key;
        let daughter = r.repeats.rows(ART)[2].key;
        r.set_row_answer(BANTUAN, pbi, PENERIMA_ART, &daughter.to_string(), Timestamp(10));
        let t = tables(&DEFAULT_FORM, &[r], EXAMPLE_TODAY);
        assert_eq!(
            column(&t[3], "penerima_art"),
            ["", "3"],
            "the daughter is now line 3 (key {daughter}, head key {head})"
        );
    }

    #[test]
    fn answers_skip_logic_made_irrelevant_are_not_exported() {
        let mut r = family();
        // The family moved away: sections D–G are skipped; their answers stay in the record.
        r.set_answer(STATUS_VERIFIKASI, "4", Timestamp(9));
        let t = tables(&DEFAULT_FORM, &[r.clone()], EXAMPLE_TODAY);
        assert_eq!(column(&t[0], "luas_lantai"), [""]);
        assert!(
            t[1].rows.is_empty() && t[3].rows.is_empty(),
            "no member or aid rows"
        );
        assert_eq!(
            column(&t[0], "lokasi_rumah"),
            [""],
            "no house location for a family that moved away"
        );
        assert_eq!(r.answers.get(LUAS_LANTAI), "36", "kept in the record");
        // A member question not asked (pregnancy of a man) is empty even if answered.
        let mut r = family();
        let head = r.repeats.rows(ART)[0].key;
        r.set_row_answer(ART, head, HAMIL, "1", Timestamp(9));
        let t = tables(&DEFAULT_FORM, &[r], EXAMPLE_TODAY);
        assert_eq!(column(&t[1], "hamil"), ["", "1", "", ""]);
    }

    #[test]
    fn csv_of_the_tables_keeps_16_digit_numbers_as_text() {
        let t = tables(
            &DEFAULT_FORM,
            &[family(), example_family(RecordId::from_random_bytes([8; 16]))],
            EXAMPLE_TODAY,
        );
        let text = csv::write(&t[1]);
        let first = text.lines().next().unwrap();
        assert!(
            first.starts_with("record_id,art_baris,no_urut,nama,nik,"),
            "{first}"
        );
        assert_eq!(text.lines().count(), 1 + 8);
        assert!(text.contains(",3513144507960002,"));
        assert!(text.ends_with("\r\n"));
    }
}
