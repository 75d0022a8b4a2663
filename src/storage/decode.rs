//! Reading stored objects field by field (`js_sys::Reflect`) for the household list: its
//! summaries and search entries. serde_wasm_bindgen's reader carries float formatting for its
//! error messages (serde's `Unexpected::Float`, ~11 KB of wasm), which the list page's
//! start-up download cannot spare for a few strings and numbers. A missing field reads as
//! empty, as `#[serde(default)]` did; a missing or broken id, status or time is an error.

use super::StoreError;
use verval_core::fields::{ALAMAT, NAMA_KEPALA_KELUARGA, NOMOR_KK};
use verval_core::record::{HouseholdSummary, RecordStatus, Timestamp};
use verval_core::RecordId;
use wasm_bindgen::JsValue;

/// `object[name]`, or `undefined` (also when `object` is not an object).
pub(super) fn field(object: &JsValue, name: &str) -> JsValue {
    if !object.is_object() {
        return JsValue::UNDEFINED;
    }
    js_sys::Reflect::get(object, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// A text field, `""` when absent.
pub(super) fn text(object: &JsValue, name: &str) -> String {
    field(object, name).as_string().unwrap_or_default()
}

/// Whether a stored (opened) record is of the built-in household form: one of a form as
/// data (issue #25) names its form, and is neither listed nor counted as a household.
pub(super) fn is_household(stored: &JsValue) -> bool {
    let form = text(stored, "form_id");
    form.is_empty() || form == verval_core::form::default::FORM_ID
}

/// The items of an array field, none when absent.
pub(super) fn items(object: &JsValue, name: &str) -> Vec<JsValue> {
    let value = field(object, name);
    if js_sys::Array::is_array(&value) {
        js_sys::Array::from(&value).iter().collect()
    } else {
        Vec::new()
    }
}

/// The texts of an array field.
pub(super) fn texts(object: &JsValue, name: &str) -> Vec<String> {
    items(object, name)
        .iter()
        .filter_map(JsValue::as_string)
        .collect()
}

fn unreadable(what: &str) -> StoreError {
    StoreError::Unreadable(format!("a stored household has no valid {what}"))
}

pub(super) fn id(object: &JsValue) -> Result<RecordId, StoreError> {
    RecordId::parse(&text(object, "id")).map_err(|_| unreadable("id"))
}

fn status(object: &JsValue) -> Result<RecordStatus, StoreError> {
    RecordStatus::from_tag(&text(object, "status")).ok_or_else(|| unreadable("status"))
}

/// A revision number (a whole number from 1), `None` when absent or not one.
pub(super) fn revision(object: &JsValue) -> Option<u32> {
    field(object, "revision")
        .as_f64()
        .filter(|n| n.fract() == 0.0 && *n >= 1.0 && *n <= f64::from(u32::MAX))
        .map(|n| n as u32)
}

fn updated_at(object: &JsValue) -> Result<Timestamp, StoreError> {
    field(object, "updated_at")
        .as_f64()
        .filter(|ms| ms.is_finite())
        .map(|ms| Timestamp(ms as i64))
        .ok_or_else(|| unreadable("time of change"))
}

/// The id, status and time of change every stored household and search entry carries.
pub(super) fn identity(stored: &JsValue) -> Result<(RecordId, RecordStatus, Timestamp), StoreError> {
    Ok((id(stored)?, status(stored)?, updated_at(stored)?))
}

/// The list line of a stored household: only the parts the list shows, so listing never
/// reads whole records. The answer names are the core's field ids; the conformance suite
/// checks the result against `HouseholdRecord::summary`.
pub(super) fn summary(stored: &JsValue) -> Result<HouseholdSummary, StoreError> {
    let (id, status, updated_at) = identity(stored)?;
    let answers = field(stored, "answers");
    Ok(HouseholdSummary {
        id,
        nama_kepala_keluarga: text(&answers, NAMA_KEPALA_KELUARGA.as_str()),
        nomor_kk: text(&answers, NOMOR_KK.as_str()),
        alamat: text(&answers, ALAMAT.as_str()),
        status,
        revision: revision(stored).ok_or_else(|| unreadable("revision"))?,
        updated_at,
    })
}
