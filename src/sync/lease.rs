//! The sync lease: one round at a time, whatever the number of open tabs, so one writer
//! makes sync batches.
//!
//! A Web Lock where the browser has them: the browser lets it go the moment the worker
//! holding it ends (its page left or killed mid-round), and a worker that found it taken
//! starts as soon as it is free. Otherwise a lease in IndexedDB with an expiry
//! ([`LEASE_MS`]), renewed before each upload: a round cut off by leaving its page holds
//! that one until it expires.
//!
//! The holder of the Web Lock takes the stored lease too, in a name marked as taken under
//! the lock ([`WEB_LOCK_OWNER`]): a worker without the lock — an older version of the app
//! still open after an update, or one whose Web Locks failed — waits for it, while the next
//! holder of the lock takes it over at once.

use crate::device::now;
use crate::storage::{IdbStore, StoreError, WEB_LOCK_OWNER};
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

/// The lease a round holds: the stored lease in `owner`'s name, and the Web Lock when the
/// browser gave it (let go by calling its release function, or by the worker's end).
pub struct Lease {
    web: Option<js_sys::Function>,
    owner: String,
}

impl Lease {
    /// Claims the lease for `owner`; `None` when another round holds it.
    pub async fn claim(store: &IdbStore, owner: &str) -> Result<Option<Lease>, StoreError> {
        // Resolves to null when another worker holds the lock, to a release function when
        // this one does, to anything else when Web Locks cannot be used here.
        let web = JsFuture::from(claim_web_lock(LOCK_NAME))
            .await
            .unwrap_or(JsValue::UNDEFINED);
        if web.is_null() {
            return Ok(None);
        }
        let lease = match web.dyn_into::<js_sys::Function>() {
            Ok(release) => Lease {
                web: Some(release),
                owner: format!("{WEB_LOCK_OWNER}{owner}"),
            },
            Err(_) => Lease {
                web: None,
                owner: owner.to_owned(),
            },
        };
        if store.claim_sync_lease(&lease.owner, now(), LEASE_MS).await? {
            return Ok(Some(lease));
        }
        // A worker without the lock is syncing.
        lease.release(store).await?;
        Ok(None)
    }

    /// Whether the round holds the Web Lock (a test's question).
    pub fn is_web_lock(&self) -> bool {
        self.web.is_some()
    }

    /// Before a step that may take long (an upload): the stored lease is renewed.
    pub async fn renew(&self, store: &IdbStore) -> Result<(), StoreError> {
        store
            .claim_sync_lease(&self.owner, now(), LEASE_MS)
            .await
            .map(|_| ())
    }

    /// Lets the next round, in any tab, begin.
    pub async fn release(self, store: &IdbStore) -> Result<(), StoreError> {
        let stored = store.release_sync_lease(&self.owner).await;
        if let Some(release) = self.web {
            let _ = release.call0(&JsValue::NULL);
        }
        stored
    }
}

/// Resolves when a Web Lock found taken is let go; never where there are no Web Locks (the
/// worker's wait races this with its own timer of [`LEASE_MS`]).
pub fn freed() -> js_sys::Promise {
    web_lock_free(LOCK_NAME)
}
