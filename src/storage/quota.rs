//! The browser's storage manager: whether our data may be evicted, and how much room is left.

use verval_core::quota::StorageHealth;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::StorageManager;

fn manager() -> Option<StorageManager> {
    let navigator = web_sys::window()?.navigator();
    let present = js_sys::Reflect::has(&navigator, &JsValue::from_str("storage")).unwrap_or(false);
    present.then(|| navigator.storage())
}

async fn ask_bool(promise: Result<js_sys::Promise, JsValue>) -> Option<bool> {
    JsFuture::from(promise.ok()?).await.ok()?.as_bool()
}

/// Asks the browser not to evict our data when the device runs short of space. Chromium
/// grants it by its own rules (installed app, engagement); the answer is shown to the user.
pub async fn request_persistence() -> Option<bool> {
    let manager = manager()?;
    if ask_bool(manager.persisted()).await == Some(true) {
        return Some(true);
    }
    ask_bool(manager.persist()).await
}

/// Persistence, usage and quota as the browser reports them; unknown parts are `None`.
pub async fn storage_health() -> StorageHealth {
    let Some(manager) = manager() else {
        return StorageHealth::default();
    };
    let persisted = ask_bool(manager.persisted()).await;
    let estimate = match manager.estimate() {
        Ok(promise) => JsFuture::from(promise).await.ok(),
        Err(_) => None,
    };
    // A dictionary, not a class: there is nothing to check with instanceof.
    let estimate: Option<web_sys::StorageEstimate> = estimate.map(JsCast::unchecked_into);
    StorageHealth {
        persisted,
        usage_bytes: estimate.as_ref().and_then(|e| e.get_usage()),
        quota_bytes: estimate.as_ref().and_then(|e| e.get_quota()),
    }
}
