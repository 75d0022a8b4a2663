//! One tab per draft: a record open for editing in one tab opens read-only in any other, so
//! two tabs can never save over each other (enketo/enketo#942 produced duplicates that way).
//! The browser side lives in `browser.js`.

use verval_core::RecordId;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(module = "/src/browser.js")]
extern "C" {
    #[wasm_bindgen(js_name = claimDraftLock)]
    fn claim_draft_lock(name: &str) -> js_sys::Promise;
}

/// Held while a record is open for editing in this tab; dropping it lets another tab edit.
pub struct DraftLock {
    release: js_sys::Function,
}

impl Drop for DraftLock {
    fn drop(&mut self) {
        let _ = self.release.call0(&JsValue::NULL);
    }
}

/// Claims the right to edit `id` in this tab; `None` when another tab is editing it.
pub async fn claim(id: &RecordId) -> Option<DraftLock> {
    let answer = JsFuture::from(claim_draft_lock(&format!("verval-draft-{id}")))
        .await
        .ok()?;
    answer
        .dyn_into::<js_sys::Function>()
        .ok()
        .map(|release| DraftLock { release })
}
