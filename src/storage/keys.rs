//! The district's public keys this phone seals to (issue #22): the core's `KeyPin` — the
//! pinned keys and any different list waiting for confirmation — in the meta store, read and
//! changed in one transaction.

use super::{IdbStore, StoreError};
use verval_core::seal::published::{Channel, KeyPin, Offer, PublishedKey};
use verval_core::seal::SealError;

pub(super) const DISTRICT_KEYS: &str = "district_keys";

impl IdbStore {
    /// The keys this phone seals to (none before it ever got any).
    pub async fn key_pin(&self) -> Result<KeyPin, StoreError> {
        Ok(self.meta_get(DISTRICT_KEYS).await?.unwrap_or_default())
    }

    /// Whether batches leave this phone sealed: it has pinned keys. A pinned list that does
    /// not check counts too (making a batch then fails with its reason, closed).
    pub async fn phone_seals(&self) -> Result<bool, StoreError> {
        Ok(!self.key_pin().await?.pinned.is_empty())
    }

    /// Takes the keys a hub or a file hands out (`KeyPin::offer`). The inner error: the list
    /// did not check, and nothing changed.
    pub async fn offer_keys(
        &self,
        keys: &[PublishedKey],
        channel: Channel,
    ) -> Result<Result<Offer, SealError>, StoreError> {
        self.change_keys(|pin| pin.offer(keys, channel)).await
    }

    /// The district confirmed the offered keys on this phone. `false`: nothing was offered.
    pub async fn confirm_keys(&self) -> Result<bool, StoreError> {
        Ok(self
            .change_keys(|pin| Ok::<_, SealError>(pin.confirm()))
            .await?
            .unwrap_or(false))
    }

    async fn change_keys<T>(
        &self,
        change: impl FnOnce(&mut KeyPin) -> Result<T, SealError>,
    ) -> Result<Result<T, SealError>, StoreError> {
        self.meta_change(DISTRICT_KEYS, |found: Option<KeyPin>| {
            let mut pin = found.unwrap_or_default();
            let outcome = change(&mut pin);
            (outcome.is_ok().then_some(pin), outcome)
        })
        .await
    }
}
