//! What changed between the revision a reviewer decided on and a newer one: every answer
//! of the household and of each member row, matched by field id and row key (a row's key
//! lives as long as the record, so a removed member never pairs with the next one).

use super::RowRef;
use crate::record::{Answers, HouseholdRecord, Row};
use std::collections::BTreeSet;

/// One answer that differs. An answer that was never given or was cleared is `""`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub field: String,
    /// The member (or other repeat) row, `None` for the household's own answers.
    pub row: Option<RowRef>,
    pub before: String,
    pub after: String,
}

/// The changes from `before` to `after`, household answers first, then each repeat's rows
/// in the newer revision's order (rows only in `before` last), fields by id.
pub fn changes(before: &HouseholdRecord, after: &HouseholdRecord) -> Vec<Change> {
    let mut found = answer_changes(&before.answers, &after.answers, None);
    let repeats: BTreeSet<&str> = before
        .repeats
        .iter()
        .chain(after.repeats.iter())
        .map(|(repeat, _)| repeat)
        .collect();
    for repeat in repeats {
        let old_rows = rows_of(before, repeat);
        let new_rows = rows_of(after, repeat);
        let empty = Answers::default();
        for (place, row) in new_rows.iter().enumerate() {
            let old = old_rows.iter().find(|r| r.key == row.key);
            let at = row_ref(repeat, row.key, place);
            found.extend(answer_changes(
                old.map_or(&empty, |r| &r.answers),
                &row.answers,
                Some(at),
            ));
        }
        for (place, row) in old_rows.iter().enumerate() {
            if !new_rows.iter().any(|r| r.key == row.key) {
                let at = row_ref(repeat, row.key, place);
                found.extend(answer_changes(&row.answers, &empty, Some(at)));
            }
        }
    }
    found
}

fn rows_of<'a>(record: &'a HouseholdRecord, repeat: &str) -> &'a [Row] {
    record
        .repeats
        .iter()
        .find(|(id, _)| *id == repeat)
        .map_or(&[], |(_, rows)| rows)
}

fn row_ref(repeat: &str, key: u32, place: usize) -> RowRef {
    RowRef {
        repeat: repeat.to_owned(),
        key,
        position: u32::try_from(place + 1).unwrap_or(u32::MAX),
    }
}

fn answer_changes(before: &Answers, after: &Answers, row: Option<RowRef>) -> Vec<Change> {
    let fields: BTreeSet<&str> = before.iter().chain(after.iter()).map(|(f, _)| f).collect();
    let value = |answers: &Answers, field: &str| {
        answers
            .iter()
            .find(|(f, _)| *f == field)
            .map_or(String::new(), |(_, v)| v.to_owned())
    };
    fields
        .into_iter()
        .filter_map(|field| {
            let (old, new) = (value(before, field), value(after, field));
            (old != new).then(|| Change {
                field: field.to_owned(),
                row: row.clone(),
                before: old,
                after: new,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{RecordId, Timestamp};

    fn record() -> HouseholdRecord {
        let id = RecordId::parse("0f8e2d4a-1b3c-4d5e-8f90-a1b2c3d4e5f6").expect("id");
        let mut r = HouseholdRecord::new(id, Timestamp(1));
        r.answers.insert_raw("nama_kepala_keluarga", "Sutrisno");
        r.answers.insert_raw("jumlah_art", "2");
        r
    }

    fn add_member(r: &mut HouseholdRecord, nik: &str, name: &str) -> u32 {
        let repeat = crate::FieldId::new("anggota");
        let key = r.add_row(repeat, Timestamp(2));
        r.set_row_answer(repeat, key, crate::FieldId::new("nik"), nik, Timestamp(2));
        r.set_row_answer(repeat, key, crate::FieldId::new("nama"), name, Timestamp(2));
        key
    }

    fn change(field: &str, row: Option<(u32, u32)>, before: &str, after: &str) -> Change {
        Change {
            field: field.to_owned(),
            row: row.map(|(key, position)| RowRef {
                repeat: "anggota".to_owned(),
                key,
                position,
            }),
            before: before.to_owned(),
            after: after.to_owned(),
        }
    }

    #[test]
    fn the_same_revision_has_no_changes() {
        let mut r = record();
        add_member(&mut r, "3513140101800001", "Sutrisno");
        assert_eq!(changes(&r, &r.clone()), vec![]);
    }

    #[test]
    fn household_answers_changed_added_and_cleared() {
        let before = record();
        let mut after = record();
        after.answers.insert_raw("jumlah_art", "3");
        after.answers.insert_raw("alamat", "Dusun Krajan");
        after.answers.set(crate::FieldId::new("nama_kepala_keluarga"), "");
        assert_eq!(
            changes(&before, &after),
            vec![
                change("alamat", None, "", "Dusun Krajan"),
                change("jumlah_art", None, "2", "3"),
                change("nama_kepala_keluarga", None, "Sutrisno", ""),
            ]
        );
    }

    #[test]
    fn member_rows_pair_by_key_not_by_place() {
        let mut before = record();
        let first = add_member(&mut before, "3513140101800001", "Sutrisno");
        let second = add_member(&mut before, "3513144101850002", "Sumiati");
        let mut after = before.clone();
        after.remove_row(crate::FieldId::new("anggota"), first, Timestamp(3));
        // The NIK of the member who is now first in the list is corrected.
        after.set_row_answer(
            crate::FieldId::new("anggota"),
            second,
            crate::FieldId::new("nik"),
            "3513144101850003",
            Timestamp(3),
        );
        let third = add_member(&mut after, "3513140101100004", "Budi");
        assert_eq!(
            changes(&before, &after),
            vec![
                change("nik", Some((second, 1)), "3513144101850002", "3513144101850003"),
                change("nama", Some((third, 2)), "", "Budi"),
                change("nik", Some((third, 2)), "", "3513140101100004"),
                change("nama", Some((first, 1)), "Sutrisno", ""),
                change("nik", Some((first, 1)), "3513140101800001", ""),
            ]
        );
    }
}
