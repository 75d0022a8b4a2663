//! A forgotten PIN, the phone's side (issue #23). The phone makes a one-time key pair and asks
//! the district (`PinResetRequest`, sent by the sync worker); the enumerator reads the one-time
//! key's fingerprint out to district staff, who answer only when it matches (the hub's
//! `/admin/segel/pin` or `verval-hub pin answer`) with the escrowed data key sealed to that
//! key alone. The phone opens the answer, checks it holds its own key, and sets a new PIN.
//! The plaintext data key never travels. A phone with no hub (or out of its reach) asks in
//! writing instead: the request carries the phone's escrow (sealed to the district) and goes
//! by any channel; staff answer it by the same code, and the answer is pasted.
//!
//! The one-time private key waits in the meta store until the answer came: it opens nothing
//! but that answer, which staff give only after hearing its fingerprint from the enumerator.

use super::vault::{random, LockError};
use super::IdbStore;
use serde::{Deserialize, Serialize};
use verval_core::record::Timestamp;
use verval_core::seal::Identity;
use verval_core::sync::api::PinResetRequest;
use verval_core::vault::escrow::{from_text, open_answer, written_text};
use verval_core::vault::pin::check_new;
use verval_core::vault::{DataKey, VaultError};

const PIN_RESET: &str = "vault_pin_reset";

/// A reset waiting for the district's answer.
#[derive(Serialize, Deserialize)]
struct Pending {
    /// `AGE-SECRET-KEY-1…`
    identity: String,
    key_id: String,
    started_at: Timestamp,
}

/// What a started reset shows and sends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResetAsked {
    /// For the hub (`PIN_RESET_PATH`).
    pub request: PinResetRequest,
    /// Read out to district staff, who answer only when it is the one they see.
    pub fingerprint: String,
    /// The same request in writing (`WrittenRequest`), for a phone with no hub: none when the
    /// phone holds no escrow of its key (it never had the district's keys since its PIN).
    pub written: Option<String>,
    pub started_at: Timestamp,
}

impl Pending {
    /// What this reset shows and sends; `escrow`: the text of the phone's escrow of this
    /// reset's key, written into the request.
    fn asked(&self, escrow: Option<String>) -> Result<ResetAsked, LockError> {
        let one_time = Identity::parse(&self.identity)
            .map_err(|e| LockError::Vault(VaultError::Seal(e)))?
            .recipient();
        let written = escrow.map(|escrow| written_text(&one_time.encode(), &self.key_id, &escrow));
        Ok(ResetAsked {
            written,
            request: PinResetRequest {
                key_id: self.key_id.clone(),
                one_time: one_time.encode(),
            },
            fingerprint: one_time.fingerprint(),
            started_at: self.started_at,
        })
    }
}

impl IdbStore {
    /// Starts a reset with a new one-time key, replacing one still waiting (its answer, if
    /// any comes, will not open here: the hub keeps only the newest request too).
    pub async fn start_pin_reset(&self, now: Timestamp) -> Result<ResetAsked, LockError> {
        let vault = self.vault().await?.ok_or(LockError::NoPin)?;
        let pending = Pending {
            identity: Identity::from_random(random()?).encode(),
            key_id: vault.key_id,
            started_at: now,
        };
        let asked = pending.asked(self.escrow_text_of(&pending.key_id).await?)?;
        self.meta_put(PIN_RESET, Some(&pending)).await?;
        Ok(asked)
    }

    /// The reset waiting for its answer, if any.
    pub async fn pin_reset(&self) -> Result<Option<ResetAsked>, LockError> {
        let pending: Option<Pending> = self.meta_get(PIN_RESET).await?;
        match pending {
            Some(pending) => Ok(Some(pending.asked(self.escrow_text_of(&pending.key_id).await?)?)),
            None => Ok(None),
        }
    }

    /// Finishes a reset: opens the district's `answer` (unpadded base64url, as the hub gives
    /// it) with the one-time key, checks it is this phone's data key, and wraps that key
    /// under `new_pin`. The wrong tries start again; the one-time key is forgotten.
    pub async fn finish_pin_reset(
        &self,
        answer: &str,
        new_pin: &str,
        now: Timestamp,
    ) -> Result<DataKey, LockError> {
        check_new(new_pin)?;
        let pending: Pending = self.meta_get(PIN_RESET).await?.ok_or(LockError::NoReset)?;
        let identity =
            Identity::parse(&pending.identity).map_err(|e| LockError::Vault(VaultError::Seal(e)))?;
        let sealed = from_text(answer)?;
        let key = open_answer(&sealed, &identity, &pending.key_id)?;
        self.change_pin(&key, new_pin, now).await?;
        self.meta_put::<Pending>(PIN_RESET, None).await?;
        Ok(key)
    }
}
