//! The region tables the build writes under `verval_core::offline::REGION_TABLES`: one list
//! of provinces, and one file per province with its regencies, districts and villages.
//! Fetched when first needed; the service worker keeps them for use with no signal.

use serde::de::DeserializeOwned;
use serde::Deserialize;
use verval_core::offline::{table_file, PROVINCE_LIST};
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

async fn fetch_json<T: DeserializeOwned>(url: &str) -> Option<T> {
    let window = web_sys::window()?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(url))
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    if !response.ok() {
        return None;
    }
    let json = JsFuture::from(response.json().ok()?).await.ok()?;
    serde_wasm_bindgen::from_value(json).ok()
}
