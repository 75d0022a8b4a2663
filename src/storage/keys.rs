//! The district's public keys this phone seals to (issue #22): the core's `KeyPin` — the
//! pinned keys and any different list waiting for confirmation — in the meta store, read and
//! changed in one transaction.

use super::error::Operation;
use super::schema::v3;
use super::write::write_tx;
use super::{put_keyed, IdbStore, StoreError};
use indexed_db_futures::prelude::*;
use verval_core::seal::published::{Channel, KeyPin, Offer, PublishedKey};
use verval_core::seal::SealError;
use wasm_bindgen::JsValue;

const DISTRICT_KEYS: &str = "district_keys";

impl IdbStore {
    /// The keys this phone seals to (none before it ever got any).
    pub async fn key_pin(&self) -> Result<KeyPin, StoreError> {
        Ok(self.meta_get(DISTRICT_KEYS).await?.unwrap_or_default())
    }

    /// Takes the keys a hub or a file hands out (`KeyPin::offer`). The inner error: the list
    /// did not check, and nothing changed.
    pub async fn offer_keys(
        &self,
        keys: &[PublishedKey],
        channel: Channel,
    ) -> Result<Result<Offer, SealError>, StoreError> {
        self.change_pin(|pin| pin.offer(keys, channel)).await
    }

    /// The district confirmed the offered keys on this phone. `false`: nothing was offered.
    pub async fn confirm_keys(&self) -> Result<bool, StoreError> {
        Ok(self
            .change_pin(|pin| Ok::<_, SealError>(pin.confirm()))
            .await?
            .unwrap_or(false))
    }

    async fn change_pin<T>(
        &self,
        change: impl FnOnce(&mut KeyPin) -> Result<T, SealError>,
    ) -> Result<Result<T, SealError>, StoreError> {
        let fail = |e| StoreError::from_idb(Operation::Save, e);
        let tx = write_tx(&self.db, v3::META, Operation::Save)?;
        let store = tx.object_store(v3::META).map_err(fail)?;
        let found: Option<JsValue> = store
            .get(DISTRICT_KEYS)
            .primitive()
            .map_err(fail)?
            .await
            .map_err(fail)?;
        let mut pin: KeyPin = found
            .map(|v| serde_wasm_bindgen::from_value(v).map_err(|e| StoreError::Unreadable(e.to_string())))
            .transpose()?
            .unwrap_or_default();
        let outcome = change(&mut pin);
        if outcome.is_ok() {
            let value =
                serde_wasm_bindgen::to_value(&pin).map_err(|e| StoreError::Unreadable(e.to_string()))?;
            put_keyed(&store, DISTRICT_KEYS, value, fail).await?;
        }
        tx.commit().await?;
        Ok(outcome)
    }
}
