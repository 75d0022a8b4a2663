//! The region tables the build writes under `verval_core::offline::REGION_TABLES`: one list
//! of provinces, and one file per province with its regencies, districts and villages.
//! Fetched when first needed; the service worker keeps them for use with no signal.

use serde::de::DeserializeOwned;
use serde::Deserialize;
use verval_core::offline::{province_of, table_file, PROVINCE_LIST};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Code and name of one region.
pub type Entry = (String, String);

#[derive(Deserialize, Default)]
struct ProvinceList {
    provinces: Vec<Entry>,
}

/// One province's table.
#[derive(Deserialize, Default)]
pub struct ProvinceFile {
    pub regencies: Vec<Entry>,
    pub districts: Vec<Entry>,
    pub villages: Vec<Entry>,
}

/// Every province, in the table's order. `None` when the table cannot be had (no signal
/// and not kept yet, or a broken file).
pub async fn provinces() -> Option<Vec<Entry>> {
    fetch_json::<ProvinceList>(&table_file(PROVINCE_LIST))
        .await
        .map(|list| list.provinces)
}

/// The table of the province `code` (`35`).
pub async fn province(code: &str) -> Option<ProvinceFile> {
    fetch_json(&table_file(code)).await
}

/// The names of these villages (dotted codes) that their provinces' tables hold.
pub async fn village_names(villages: &[String]) -> Vec<Entry> {
    let mut provinces: Vec<&str> = Vec::new();
    for province in villages.iter().filter_map(|v| province_of(v)) {
        if !provinces.contains(&province) {
            provinces.push(province);
        }
    }
    let mut named = Vec::new();
    for province_code in provinces {
        if let Some(table) = province(province_code).await {
            named.extend(
                table
                    .villages
                    .into_iter()
                    .filter(|(code, _)| villages.contains(code)),
            );
        }
    }
    named
}

/// Every `(code, name)` of a table file (`table` is [`PROVINCE_LIST`] or a province), from a
/// page or a worker (the export worker names a batch's regions with them); none when the
/// file cannot be had. Read through the browser's JSON, not a Rust deserialiser: the export
/// worker is kilobytes smaller so.
pub async fn table_entries(table: &str) -> Vec<Entry> {
    let Some(json) = fetch_value(&table_file(table)).await else {
        return Vec::new();
    };
    let text = |entry: &js_sys::Array, at: u32| entry.get(at).as_string();
    let array = |value: wasm_bindgen::JsValue| value.dyn_into::<js_sys::Array>().ok();
    let mut entries = Vec::new();
    for level in ["provinces", "regencies", "districts", "villages"] {
        // A level the file does not have (the province list has only provinces) is skipped.
        let Some(list) = js_sys::Reflect::get(&json, &level.into()).ok().and_then(array) else {
            continue;
        };
        for entry in list.iter().filter_map(array) {
            if let (Some(code), Some(name)) = (text(&entry, 0), text(&entry, 1)) {
                entries.push((code, name));
            }
        }
    }
    entries
}

async fn fetch_json<T: DeserializeOwned>(url: &str) -> Option<T> {
    serde_wasm_bindgen::from_value(fetch_value(url).await?).ok()
}

async fn fetch_value(url: &str) -> Option<wasm_bindgen::JsValue> {
    let response = fetch_ok(url).await?;
    JsFuture::from(response.json().ok()?).await.ok()
}

/// A successful response for `url`, fetched by the page or the worker this runs in.
async fn fetch_ok(url: &str) -> Option<web_sys::Response> {
    let global = js_sys::global();
    let request = match global.dyn_ref::<web_sys::Window>() {
        Some(window) => window.fetch_with_str(url),
        None => global
            .unchecked_ref::<web_sys::WorkerGlobalScope>()
            .fetch_with_str(url),
    };
    let response: web_sys::Response = JsFuture::from(request).await.ok()?.dyn_into().ok()?;
    response.ok().then_some(response)
}
