//! A form as data, filled (issue #25): a [`FormDef`] imported from an XLSForm, run over a
//! record — which questions are asked, what the calculations give, which choices a filter
//! leaves, how many rows a repeat has, and what stops the record from being finalized.
//!
//! Records of data forms are [`HouseholdRecord`]s like the household form's: answers by
//! field name, repeat rows by repeat name with keys that are never reused, the form's id and
//! version on the record. So everything downstream of a record (storage, revisions, batches,
//! sync) carries them unchanged.
//!
//! Semantics are ODK's where Verval's records allow it:
//! - `${name}` inside a repeat reads the same row first, as pyxform does; from outside the
//!   repeat it reads every row (`count()`, `sum()`).
//! - Calculations run in [`FormDef::calculation_order`], never in sheet order. A calculation
//!   of a question that is not asked is empty.
//! - What is not asked is neither checked nor required; its answer is kept (an answer is
//!   never dropped because a skip rule changed) and not exported.
//! - A `repeat_count` adds rows up to the count and removes only empty rows above it; a row
//!   with answers above the count is an issue for the enumerator, never deleted.
//! - Expressions read answers as stored, including answers of questions no longer asked
//!   (ODK reads those as empty): a form's skip logic should not rely on the difference.

mod check;
mod env;
pub mod export;
mod fill;
mod place;
mod shelf;

#[cfg(test)]
mod tests;

pub use check::{DataIssue, IssueWhat};
pub use fill::MAX_ROWS;
pub use place::{DataForm, DataFormError, Place, RepeatPlace};
pub use shelf::{ready, FormShelf};

use crate::record::HouseholdRecord;
use crate::xlsform::{Field, FieldType, FormDef};

/// What a form's expressions read from the device: the time, and regular expressions (the
/// browser's `RegExp` in the app, the regex crate at the hub).
pub trait Host {
    /// Milliseconds since 1970-01-01T00:00Z.
    fn now_ms(&self) -> i64;
    /// The time zone's offset from UTC, in minutes (WIB is +420).
    fn utc_offset_minutes(&self) -> i32;
    /// Whether `pattern` (a JavaScript regular expression) matches `text`.
    fn regex(&self, text: &str, pattern: &str) -> Result<bool, String>;
}

/// Where a question is answered: the record itself, or a row of a repeat (its index among
/// the repeat's rows, from 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum At {
    Top,
    Row(usize),
}

/// Whether the phone answers this `image` question by a drawing pad (appearance `signature`
/// or `draw`) rather than the camera. Both are stored as JPEG under a photo key, so a batch,
/// a backup and the tables treat them alike. `annotate` (drawing over a picture) is taken
/// with the camera: the picture is kept, the drawing over it is not offered (docs/forms.md).
pub fn drawn_on_pad(field: &Field) -> bool {
    field.kind == FieldType::Image
        && field
            .appearance
            .split_whitespace()
            .any(|a| a == "signature" || a == "draw")
}

/// The answer of a household section's record that names its household (a column of its
/// tables, after `kode_desa`; no question may take the name).
pub const HOUSEHOLD_LINK: &str = "record_id_keluarga";

/// The id of `household`'s record of the section form `form_id`: the same on every phone
/// and in every tab, so a household never gets two (a second opening finds the first, and
/// two phones' copies meet at the hub as revisions of one record).
pub fn section_record_id(household: &crate::RecordId, form_id: &str) -> crate::RecordId {
    // The household's id with a mask of the form's: one-to-one for each form, so two
    // households never share a section record; random ids make two forms' masks meet
    // nowhere that matters. FNV-1a (128 bits), not SHA-256: the forms page does not carry
    // a hash function for this alone.
    const PRIME: u128 = 0x0000000001000000000000000000013B;
    let mut mask: u128 = 0x6c62272e07bb014262b821756295c58d;
    for byte in "verval/bagian-keluarga\0".bytes().chain(form_id.bytes()) {
        mask ^= u128::from(byte);
        mask = mask.wrapping_mul(PRIME);
    }
    let hex: String = household.as_str().chars().filter(|c| *c != '-').collect();
    let own = u128::from_str_radix(&hex, 16).unwrap_or_default();
    // Never the household's own id, whatever the form's name.
    let mask = if mask == 0 { 1 << 64 } else { mask };
    crate::RecordId::from_random_bytes((own ^ mask).to_be_bytes())
}

/// A stored photo's key as the phone makes it: `foto-<uuid>`.
pub fn is_photo_key(text: &str) -> bool {
    text.strip_prefix("foto-")
        .is_some_and(|id| crate::RecordId::parse(id).is_ok_and(|parsed| parsed.as_str() == id))
}

/// A photo a district form's record names: the field, the row's key in a repeat, the key
/// the photo is stored under.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhotoAnswer<'r> {
    pub field: &'r str,
    pub row: Option<u32>,
    pub key: &'r str,
}

/// The photos a district form's record names, read from its answers alone (an answer that
/// holds a photo key), so that a batch, a backup or a deleted draft finds them without the
/// form's definition. None for a household record: its form names its photo questions.
pub fn photo_answers(record: &HouseholdRecord) -> Vec<PhotoAnswer<'_>> {
    if record.is_household_form() {
        return Vec::new();
    }
    let mut found: Vec<PhotoAnswer<'_>> = record
        .answers
        .iter()
        .filter(|(_, value)| is_photo_key(value))
        .map(|(field, key)| PhotoAnswer {
            field,
            row: None,
            key,
        })
        .collect();
    for (_, rows) in record.repeats.iter() {
        for row in rows {
            found.extend(
                row.answers
                    .iter()
                    .filter(|(_, value)| is_photo_key(value))
                    .map(|(field, key)| PhotoAnswer {
                        field,
                        row: Some(row.key),
                        key,
                    }),
            );
        }
    }
    found
}

/// The keys of every stored photo and drawing a record names, whichever its form: what a
/// batch, a backup or a deleted draft takes along.
pub fn record_photo_keys(record: &HouseholdRecord) -> Vec<&str> {
    match record.is_household_form() {
        true => crate::form::default::DEFAULT_FORM
            .photo_keys(&record.answers)
            .collect(),
        false => photo_answers(record).into_iter().map(|p| p.key).collect(),
    }
}

/// Where a batch keeps a district form's photo: `foto/<record-id>_<key>.jpg`, the key's `-`
/// written `_` (a batch's photo names hold lowercase letters, digits and `_`). Named by its
/// key, not its field: a photo in a repeat's row has one too.
pub fn photo_path(record_id: &str, key: &str) -> String {
    format!("foto/{record_id}_{}.jpg", key.replace('-', "_"))
}

/// The photo key [`photo_path`] wrote into `path` for this record, if it is one of its paths
/// (a key's only `-` are its own, so `_` turns back into them).
pub fn photo_key_of_path(record_id: &str, path: &str) -> Option<String> {
    let key = path
        .strip_prefix("foto/")?
        .strip_prefix(record_id)?
        .strip_prefix('_')?
        .strip_suffix(".jpg")?
        .replace('_', "-");
    is_photo_key(&key).then_some(key)
}

/// Whether `record` was filled with `def` (this id and this version).
pub fn is_record_of(def: &FormDef, record: &HouseholdRecord) -> bool {
    record.form_id == def.id && record.form_version == def.version
}
