//! The household record: one family (one Kartu Keluarga) visit, as stored on the device.
//!
//! A record is created with an id that never changes, carries the schema version of its stored
//! shape and the form version it was filled with, and keeps answers exactly as typed. Answers
//! for fields this version does not know are kept, never dropped: a record written by another
//! form version must come back out whole.

use crate::campaign::PrelistLink;
use crate::date::Date;
use crate::fields::{ALAMAT, NAMA_KEPALA_KELUARGA, NOMOR_KK};
use crate::ids::RecordId;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The stored shape of a record. Raise it (and add a storage upgrade step) whenever a change
/// would make older stored records read differently.
///
/// - 1: answers only.
/// - 2: adds repeat rows (members, aid received, electricity meters). A version 1 record reads
///   as a version 2 record without rows; an app that knows only version 1 must refuse a
///   version 2 record rather than drop its rows on the next save.
/// - 3: adds the prelist family a record was prefilled from (campaigns, issue #7), kept so
///   the export can set what the list said beside what the enumerator found. A version 2
///   record reads as a version 3 record that did not come from a prelist.
pub const SCHEMA_VERSION: u32 = 3;

/// The version of the form definition records are filled with.
pub const FORM_VERSION: &str = "verval-keluarga-2026.11.0";

/// Milliseconds since 1970-01-01 UTC, as the browser's `Date.now()` gives them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

const MS_PER_MINUTE: i64 = 60_000;
const MS_PER_DAY: i64 = 86_400_000;

impl Timestamp {
    /// The local calendar date, `utc_offset_minutes` east of UTC (WIB is +420).
    pub fn local_date(self, utc_offset_minutes: i32) -> Date {
        let local = self.0 + i64::from(utc_offset_minutes) * MS_PER_MINUTE;
        Date::from_days_since_epoch(local.div_euclid(MS_PER_DAY))
    }

    /// `DD-MM-YYYY HH:MM` in local time: how dates are written in Indonesia.
    pub fn format_local(self, utc_offset_minutes: i32) -> String {
        let local = self.0 + i64::from(utc_offset_minutes) * MS_PER_MINUTE;
        let date = Date::from_days_since_epoch(local.div_euclid(MS_PER_DAY));
        let minute_of_day = local.rem_euclid(MS_PER_DAY) / MS_PER_MINUTE;
        format!(
            "{:02}-{:02}-{:04} {:02}:{:02}",
            date.day,
            date.month,
            date.year,
            minute_of_day / 60,
            minute_of_day % 60
        )
    }
}

/// Where a record is in its life.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordStatus {
    /// Being filled in; every change is saved.
    #[default]
    Draft,
    /// Validated and locked; a correction makes a new revision.
    Final,
}

impl RecordStatus {
    pub const ALL: [RecordStatus; 2] = [RecordStatus::Draft, RecordStatus::Final];

    /// The stored name (serde's), for readers that take records apart without serde.
    pub fn tag(self) -> &'static str {
        match self {
            RecordStatus::Draft => "draft",
            RecordStatus::Final => "final",
        }
    }

    /// The status stored under this name.
    pub fn from_tag(tag: &str) -> Option<RecordStatus> {
        RecordStatus::ALL.into_iter().find(|s| s.tag() == tag)
    }
}

/// Answers by field id, exactly as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Answers(BTreeMap<String, String>);

impl Answers {
    /// The answer, or `""` when the field was never answered.
    pub fn get(&self, field: impl AsRef<str>) -> &str {
        self.0.get(field.as_ref()).map(String::as_str).unwrap_or("")
    }

    /// Sets an answer; returns whether it changed. An empty answer is removed so that
    /// "cleared" and "never answered" are one state.
    pub fn set(&mut self, field: impl AsRef<str>, value: &str) -> bool {
        let field = field.as_ref();
        if self.get(field) == value {
            return false;
        }
        if value.is_empty() {
            self.0.remove(field);
        } else {
            self.0.insert(field.to_owned(), value.to_owned());
        }
        true
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Every stored answer, including fields this version of the form does not know.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Sets an answer by raw key: for restoring, fixtures and forward-compatible data.
    pub fn insert_raw(&mut self, key: &str, value: &str) {
        self.0.insert(key.to_owned(), value.to_owned());
    }
}

/// One row of a repeat (a family member, an aid programme, an electricity meter).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    /// Identifies the row within its repeat for as long as the record lives: never reused
    /// after a removal, so a reference to a member (the aid beneficiary) cannot silently
    /// move to another person.
    pub key: u32,
    pub answers: Answers,
}

/// The rows of every repeat, by repeat id, in the order they were added.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Repeats(BTreeMap<String, Vec<Row>>);

impl Repeats {
    pub fn rows(&self, repeat: impl AsRef<str>) -> &[Row] {
        self.0.get(repeat.as_ref()).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn is_empty(&self) -> bool {
        self.0.values().all(Vec::is_empty)
    }

    /// Every repeat stored, including ones this version of the form does not know.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[Row])> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_slice()))
    }

    pub fn rows_mut(&mut self, repeat: impl AsRef<str>) -> &mut Vec<Row> {
        self.0.entry(repeat.as_ref().to_owned()).or_default()
    }

    fn row_mut(&mut self, repeat: impl AsRef<str>, key: u32) -> Option<&mut Row> {
        self.0.get_mut(repeat.as_ref())?.iter_mut().find(|r| r.key == key)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HouseholdRecord {
    pub id: RecordId,
    pub schema_version: u32,
    /// The form the record is filled with. Absent in the stored shape for the built-in
    /// household form, so a household record reads, hashes and exports as it always has.
    #[serde(default = "household_form_id", skip_serializing_if = "is_household_form")]
    pub form_id: String,
    pub form_version: String,
    /// 1 for a new record; raised by each correction after finalizing.
    pub revision: u32,
    pub status: RecordStatus,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub answers: Answers,
    /// Absent in schema 1 records, which had no rows.
    #[serde(default, skip_serializing_if = "Repeats::is_empty")]
    pub repeats: Repeats,
    /// The prelist family this record was prefilled from, as the list gave it; absent for
    /// a family not on a list and in records before schema 3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prelist: Option<PrelistLink>,
}

fn household_form_id() -> String {
    crate::form::default::FORM_ID.to_owned()
}

fn is_household_form(id: &str) -> bool {
    id == crate::form::default::FORM_ID
}

/// Why a stored record cannot be used by this version of the app.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RestoreError {
    #[error(
        "record {id} was written by a newer version of Verval (schema {found}, this app knows up to {known})"
    )]
    NewerSchema { id: RecordId, found: u32, known: u32 },
    #[error("record {id} has schema version 0, which no version of Verval writes")]
    ZeroSchema { id: RecordId },
    #[error("record {id} has revision 0; revisions start at 1")]
    ZeroRevision { id: RecordId },
}

impl HouseholdRecord {
    /// Whether the record is of the built-in household form, rather than a form as data.
    pub fn is_household_form(&self) -> bool {
        is_household_form(&self.form_id)
    }

    /// A new, empty draft.
    pub fn new(id: RecordId, now: Timestamp) -> HouseholdRecord {
        HouseholdRecord {
            id,
            schema_version: SCHEMA_VERSION,
            form_id: household_form_id(),
            form_version: FORM_VERSION.to_owned(),
            revision: 1,
            status: RecordStatus::Draft,
            created_at: now,
            updated_at: now,
            answers: Answers::default(),
            repeats: Repeats::default(),
            prelist: None,
        }
    }

    /// Adds an empty row at the end of `repeat` and returns its key.
    pub fn add_row(&mut self, repeat: impl AsRef<str>, now: Timestamp) -> u32 {
        let rows = self.repeats.rows_mut(repeat);
        let key = rows.iter().map(|r| r.key).max().map_or(1, |k| k + 1);
        rows.push(Row {
            key,
            answers: Answers::default(),
        });
        self.touch(now);
        key
    }

    /// Removes a row; returns whether it was there.
    pub fn remove_row(&mut self, repeat: impl AsRef<str>, key: u32, now: Timestamp) -> bool {
        let rows = self.repeats.rows_mut(repeat);
        let before = rows.len();
        rows.retain(|r| r.key != key);
        let removed = rows.len() != before;
        if removed {
            self.touch(now);
        }
        removed
    }

    /// Records an answer in a row. Returns whether anything changed (false too when the row
    /// does not exist).
    pub fn set_row_answer(
        &mut self,
        repeat: impl AsRef<str>,
        key: u32,
        field: impl AsRef<str>,
        value: &str,
        now: Timestamp,
    ) -> bool {
        let changed = self
            .repeats
            .row_mut(repeat, key)
            .is_some_and(|row| row.answers.set(field, value));
        if changed {
            self.touch(now);
        }
        changed
    }

    /// Locks the record: from now on it is what the enumerator handed in. Validation is the
    /// caller's business (finalize only when no error blocks it).
    pub fn finalize(&mut self, now: Timestamp) {
        self.status = RecordStatus::Final;
        self.touch(now);
    }

    /// Starts a correction of a finalized record: the next revision, a draft again. The
    /// caller keeps the finalized revision first; nothing is edited in place after finalize.
    pub fn start_correction(&mut self, now: Timestamp) {
        if self.status == RecordStatus::Final {
            self.revision += 1;
            self.status = RecordStatus::Draft;
            self.touch(now);
        }
    }

    fn touch(&mut self, now: Timestamp) {
        self.updated_at = self.updated_at.max(now);
    }

    /// Records an answer. Returns whether anything changed; only a change moves `updated_at`,
    /// which never goes backwards even when the device clock does.
    pub fn set_answer(&mut self, field: impl AsRef<str>, value: &str, now: Timestamp) -> bool {
        let changed = self.answers.set(field, value);
        if changed {
            self.touch(now);
        }
        changed
    }

    /// Checks a record read back from storage before the app uses it: persisted data is
    /// untrusted input (another version, another tab, a broken upgrade may have written it).
    pub fn check_restored(&self) -> Result<(), RestoreError> {
        let id = self.id.clone();
        if self.schema_version == 0 {
            return Err(RestoreError::ZeroSchema { id });
        }
        if self.schema_version > SCHEMA_VERSION {
            return Err(RestoreError::NewerSchema {
                id,
                found: self.schema_version,
                known: SCHEMA_VERSION,
            });
        }
        if self.revision == 0 {
            return Err(RestoreError::ZeroRevision { id });
        }
        Ok(())
    }

    /// Checks a stored record and brings its shape up to [`SCHEMA_VERSION`], one version
    /// step at a time, so the rest of the app only ever sees the current shape.
    pub fn into_current(mut self) -> Result<HouseholdRecord, RestoreError> {
        self.check_restored()?;
        // 1 → 2: records gained repeat rows; a version 1 record has none, which is what
        // deserialising it already gave.
        if self.schema_version == 1 {
            self.schema_version = 2;
        }
        // 2 → 3: records gained their prelist link; a version 2 record has none.
        if self.schema_version == 2 {
            self.schema_version = 3;
        }
        Ok(self)
    }

    /// What the household list shows.
    pub fn summary(&self) -> HouseholdSummary {
        HouseholdSummary {
            id: self.id.clone(),
            nama_kepala_keluarga: self.answers.get(NAMA_KEPALA_KELUARGA).to_owned(),
            nomor_kk: self.answers.get(NOMOR_KK).to_owned(),
            alamat: self.answers.get(ALAMAT).to_owned(),
            status: self.status,
            revision: self.revision,
            updated_at: self.updated_at,
        }
    }
}

/// One line of the household list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HouseholdSummary {
    pub id: RecordId,
    pub nama_kepala_keluarga: String,
    pub nomor_kk: String,
    pub alamat: String,
    pub status: RecordStatus,
    /// Which revision the phone holds: with the status, where it stands with the district.
    pub revision: u32,
    pub updated_at: Timestamp,
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_status_tag_is_its_stored_name() {
        for status in super::RecordStatus::ALL {
            let stored = serde_json::to_string(&status).unwrap();
            assert_eq!(stored, format!("\"{}\"", status.tag()));
            assert_eq!(super::RecordStatus::from_tag(status.tag()), Some(status));
        }
        assert_eq!(super::RecordStatus::from_tag("Final"), None);
    }

    use super::*;
    use crate::ids::FieldId;

    fn id(n: u8) -> RecordId {
        RecordId::from_random_bytes([n; 16])
    }

    #[test]
    fn a_new_record_is_an_empty_first_draft_of_the_current_versions() {
        let r = HouseholdRecord::new(id(1), Timestamp(1_000));
        assert_eq!(
            (r.revision, r.status, r.schema_version),
            (1, RecordStatus::Draft, SCHEMA_VERSION)
        );
        assert_eq!(r.form_version, FORM_VERSION);
        assert_eq!((r.created_at, r.updated_at), (Timestamp(1_000), Timestamp(1_000)));
        assert!(r.answers.is_empty());
        assert_eq!(r.check_restored(), Ok(()));
    }

    #[test]
    fn set_answer_moves_updated_at_only_on_change_and_never_back() {
        let mut r = HouseholdRecord::new(id(1), Timestamp(1_000));
        assert!(r.set_answer(NOMOR_KK, "35", Timestamp(2_000)));
        assert_eq!(r.updated_at, Timestamp(2_000));
        assert!(!r.set_answer(NOMOR_KK, "35", Timestamp(3_000)));
        assert_eq!(r.updated_at, Timestamp(2_000));
        assert!(r.set_answer(NOMOR_KK, "351", Timestamp(1_500)), "clock went back");
        assert_eq!(r.updated_at, Timestamp(2_000));
        assert_eq!(r.created_at, Timestamp(1_000));
    }

    #[test]
    fn clearing_an_answer_removes_it() {
        let mut a = Answers::default();
        assert!(a.set(ALAMAT, "Jl. Mawar"));
        assert!(a.set(ALAMAT, ""));
        assert!(a.is_empty());
        assert!(!a.set(ALAMAT, ""));
    }

    #[test]
    fn json_shape_is_stable_and_keeps_unknown_answers() {
        let mut r = HouseholdRecord::new(id(0), Timestamp(1_700_000_000_000));
        r.set_answer(NAMA_KEPALA_KELUARGA, "SITI", Timestamp(1_700_000_000_001));
        r.answers.insert_raw("field_from_a_newer_form", "x");
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(
            json,
            r#"{"id":"00000000-0000-4000-8000-000000000000","schema_version":3,"form_version":"verval-keluarga-2026.11.0","revision":1,"status":"draft","created_at":1700000000000,"updated_at":1700000000001,"answers":{"field_from_a_newer_form":"x","nama_kepala_keluarga":"SITI"}}"#
        );
        let back: HouseholdRecord = serde_json::from_str(&json).unwrap();
        assert_eq!(back, r);
    }

    #[test]
    fn rows_keep_their_keys_and_are_never_renumbered() {
        const ART: FieldId = FieldId::new("art");
        const NAMA: FieldId = FieldId::new("nama");
        let mut r = HouseholdRecord::new(id(4), Timestamp(0));
        let first = r.add_row(ART, Timestamp(1));
        let second = r.add_row(ART, Timestamp(2));
        assert_eq!((first, second), (1, 2));
        assert!(r.set_row_answer(ART, second, NAMA, "ANI", Timestamp(3)));
        assert!(!r.set_row_answer(ART, second, NAMA, "ANI", Timestamp(4)));
        assert!(!r.set_row_answer(ART, 9, NAMA, "X", Timestamp(5)), "no such row");
        assert_eq!(r.updated_at, Timestamp(3));
        assert!(r.remove_row(ART, first, Timestamp(6)));
        assert!(!r.remove_row(ART, first, Timestamp(7)));
        assert_eq!(r.add_row(ART, Timestamp(8)), 3, "a removed key is not reused");
        let rows = r.repeats.rows(ART);
        assert_eq!(rows.iter().map(|r| r.key).collect::<Vec<_>>(), [2, 3]);
        assert_eq!(rows[0].answers.get(NAMA), "ANI");
        let json = serde_json::to_string(&r).unwrap();
        assert!(
            json.contains(r#""repeats":{"art":[{"key":2,"answers":{"nama":"ANI"}},{"key":3,"answers":{}}]}"#),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<HouseholdRecord>(&json).unwrap(), r);
    }

    #[test]
    fn a_correction_is_a_new_revision_of_a_finalized_record() {
        let mut r = HouseholdRecord::new(id(5), Timestamp(1));
        r.start_correction(Timestamp(2));
        assert_eq!(
            (r.revision, r.status),
            (1, RecordStatus::Draft),
            "a draft is simply edited"
        );
        r.finalize(Timestamp(3));
        assert_eq!(
            (r.revision, r.status, r.updated_at),
            (1, RecordStatus::Final, Timestamp(3))
        );
        let kept = r.clone();
        r.start_correction(Timestamp(4));
        assert_eq!(
            (r.revision, r.status, r.updated_at),
            (2, RecordStatus::Draft, Timestamp(4))
        );
        assert_eq!(
            (kept.revision, kept.status),
            (1, RecordStatus::Final),
            "the finalized one is untouched"
        );
        assert_eq!(r.id, kept.id);
    }

    /// A record as version 1 of the app stored it (the JSON the schema 1 code wrote).
    const SCHEMA_1_RECORD: &str = r#"{"id":"00000000-0000-4000-8000-000000000000","schema_version":1,"form_version":"verval-keluarga-2026.11.0","revision":1,"status":"draft","created_at":1700000000000,"updated_at":1700000000001,"answers":{"nama_kepala_keluarga":"SITI","nomor_kk":"3513141203150007"}}"#;

    #[test]
    fn a_schema_1_record_comes_up_to_the_current_shape_whole() {
        let old: HouseholdRecord = serde_json::from_str(SCHEMA_1_RECORD).unwrap();
        let current = old.clone().into_current().unwrap();
        assert_eq!(current.schema_version, SCHEMA_VERSION);
        assert_eq!(current.answers, old.answers);
        assert!(current.repeats.is_empty());
        assert_eq!(
            (current.id, current.revision, current.updated_at),
            (old.id, 1, old.updated_at)
        );
    }

    #[test]
    fn restore_refuses_what_this_version_cannot_read() {
        let mut r = HouseholdRecord::new(id(2), Timestamp(0));
        r.schema_version = SCHEMA_VERSION + 1;
        assert!(
            matches!(r.check_restored(), Err(RestoreError::NewerSchema { found, .. }) if found == SCHEMA_VERSION + 1)
        );
        r.schema_version = 0;
        assert!(matches!(r.check_restored(), Err(RestoreError::ZeroSchema { .. })));
        r.schema_version = SCHEMA_VERSION;
        r.revision = 0;
        assert!(matches!(
            r.check_restored(),
            Err(RestoreError::ZeroRevision { .. })
        ));
    }

    #[test]
    fn summary_carries_the_list_columns() {
        let mut r = HouseholdRecord::new(id(3), Timestamp(5));
        r.set_answer(NAMA_KEPALA_KELUARGA, "BUDI", Timestamp(6));
        r.set_answer(NOMOR_KK, "3513141203150007", Timestamp(7));
        let s = r.summary();
        assert_eq!(
            (
                s.nama_kepala_keluarga.as_str(),
                s.nomor_kk.as_str(),
                s.alamat.as_str()
            ),
            ("BUDI", "3513141203150007", "")
        );
        assert_eq!(
            (s.id, s.updated_at, s.status),
            (id(3), Timestamp(7), RecordStatus::Draft)
        );
    }

    #[test]
    fn local_time_uses_the_offset() {
        // 2026-11-22 16:30 UTC is 23:30 WIB and 00:30 the next day WITA.
        let t = Timestamp(
            Date::new(2026, 11, 22).unwrap().days_since_epoch() * MS_PER_DAY + (16 * 60 + 30) * MS_PER_MINUTE,
        );
        assert_eq!(t.format_local(0), "22-11-2026 16:30");
        assert_eq!(t.format_local(420), "22-11-2026 23:30");
        assert_eq!(t.format_local(480), "23-11-2026 00:30");
        assert_eq!(t.local_date(480), Date::new(2026, 11, 23).unwrap());
        assert_eq!(Timestamp(-1).format_local(0), "31-12-1969 23:59");
    }
}
