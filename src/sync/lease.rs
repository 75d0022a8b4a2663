//! The sync lease: one round at a time, whatever the number of open tabs, so one writer
//! makes sync batches.
//!
//! A Web Lock where the browser has them: the browser lets it go the moment the worker
//! holding it ends (its page left or killed mid-round), and a worker that found it taken
//! starts as soon as it is free. Otherwise a lease in IndexedDB with an expiry
//! ([`LEASE_MS`]), renewed before each upload: a round cut off by leaving its page holds
//! that one until it expires.

use crate::device::now;
use crate::storage::{IdbStore, StoreError};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// How long a round may hold a stored lease before another tab may take over.
pub const LEASE_MS: i64 = 120_000;
/// The Web Lock's name.
const LOCK_NAME: &str = "verval-sync";

#[wasm_bindgen(module = "/src/browser.js")]
extern "C" {
    #[wasm_bindgen(js_name = claimWebLock)]
    fn claim_web_lock(name: &str) -> js_sys::Promise;
    #[wasm_bindgen(js_name = webLockFree)]
    fn web_lock_free(name: &str) -> js_sys::Promise;
}

/// The lease a round holds.
pub enum Lease {
    /// A Web Lock, let go by calling its release function (or by the worker's end).
    Web(js_sys::Function),
    /// The stored lease, in this owner's name.
    Stored(String),
}

impl Lease {
    /// Claims the lease for `owner`; `None` when another round holds it.
    pub async fn claim(store: &IdbStore, owner: &str) -> Result<Option<Lease>, StoreError> {
        // Rejects only when the browser's Web Locks failed: the stored lease decides then.
        let web = JsFuture::from(claim_web_lock(LOCK_NAME))
            .await
            .unwrap_or(JsValue::UNDEFINED);
        if web.is_null() {
            return Ok(None);
        }
        if let Ok(release) = web.dyn_into::<js_sys::Function>() {
            return Ok(Some(Lease::Web(release)));
        }
        Ok(store
            .claim_sync_lease(owner, now(), LEASE_MS)
            .await?
            .then(|| Lease::Stored(owner.to_owned())))
    }

    /// Before a step that may take long (an upload): a stored lease is renewed.
    pub async fn renew(&self, store: &IdbStore) -> Result<(), StoreError> {
        match self {
            Lease::Web(_) => Ok(()),
            Lease::Stored(owner) => store.claim_sync_lease(owner, now(), LEASE_MS).await.map(|_| ()),
        }
    }

    /// Lets the next round, in any tab, begin.
    pub async fn release(self, store: &IdbStore) -> Result<(), StoreError> {
        match self {
            Lease::Web(release) => {
                let _ = release.call0(&JsValue::NULL);
                Ok(())
            }
            Lease::Stored(owner) => store.release_sync_lease(&owner).await,
        }
    }
}

/// Resolves when a lease found taken may be free: when its Web Lock is let go, or after
/// [`LEASE_MS`] for a stored one (the worker's wait races this with its own timeout).
pub fn freed() -> js_sys::Promise {
    web_lock_free(LOCK_NAME)
}
