//! The PIN lock's keeping (issue #23): the data key wrapped by a key derived from the
//! enumerator's PIN (the core's `PinWrap`), the data key's id (which escrow and backups name),
//! and the wrong tries in a row with the time of the last, all in the meta store under
//! `vault`. The data key itself is never stored: it exists only while the phone is unlocked.
//!
//! The derivation (WebCrypto, `crate::webcrypto`) runs before any transaction opens: a
//! WebCrypto call inside one would let IndexedDB commit it early. What is read is read again
//! inside the writing transaction, so two tabs counting wrong PINs at once both count.
//!
//! Wrong PINs cost growing waits (`verval_core::vault::pin::wait_after`), never a wipe.

use super::{decode, IdbStore, StoreError};
use crate::device::fill_random;
use crate::webcrypto::{pbkdf2_sha256, CryptoError};
use serde::{Deserialize, Serialize};
use verval_core::record::Timestamp;
use verval_core::seal::entropy_len;
use verval_core::sync::api::EscrowUpload;
use verval_core::text::Message;
use verval_core::vault::envelope::NONCE_LEN;
use verval_core::vault::escrow::{key_id, seal_key, to_text};
use verval_core::vault::pin::{check_new, wait_after, PinWrap, ITERATIONS, SALT_LEN};
use verval_core::vault::{DataKey, VaultError, KEY_LEN};
use wasm_bindgen::JsValue;

pub(super) const VAULT: &str = "vault";
const ESCROW: &str = "vault_escrow";

/// What the meta store keeps of the PIN lock.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VaultMeta {
    pub wrap: PinWrap,
    /// `verval_core::vault::escrow::key_id` of the data key.
    pub key_id: String,
    /// Wrong PINs in a row.
    #[serde(default)]
    pub failures: u32,
    #[serde(default)]
    pub last_failure_at: Option<Timestamp>,
    /// When this PIN was set.
    pub pin_set_at: Timestamp,
}

/// The data key sealed to the district's keys, as the hub takes it (`/api/v1/escrow`), so a
/// forgotten PIN loses nothing; kept under its own meta key, which the sync worker reads field
/// by field (it carries no serde code for the lock's types). Made when the PIN is set and
/// again at an unlock when the district's keys are not the ones it names; none while the
/// phone has no district keys.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KeptEscrow {
    pub upload: EscrowUpload,
    /// The hub (its address) that took it.
    #[serde(default)]
    pub sent_to: Option<String>,
}

impl VaultMeta {
    /// How long, at `now`, the next try must still wait (0: it may go ahead).
    /// Never more than the whole wait: a phone whose clock was set back (or ran ahead when
    /// the last wrong PIN was typed) is not locked out until that time comes round again.
    pub fn wait_ms(&self, now: Timestamp) -> u64 {
        let Some(last) = self.last_failure_at else {
            return 0;
        };
        let whole = wait_after(self.failures);
        let until = last.0.saturating_add(i64::try_from(whole).unwrap_or(i64::MAX));
        u64::try_from(until.saturating_sub(now.0)).unwrap_or(0).min(whole)
    }
}

/// Why the lock did not open or take a PIN.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum LockError {
    #[error("{0}")]
    Store(#[from] StoreError),
    /// A PIN refused by its shape, a wrong PIN, stored settings that do not check.
    #[error("{0}")]
    Vault(#[from] VaultError),
    #[error("{0}")]
    Crypto(#[from] CryptoError),
    #[error("kunci tidak dapat dititipkan ke dinas (the key could not be escrowed to the district): {0}")]
    Escrow(String),
    #[error("angka acak browser tidak tersedia (the browser's random numbers are not available): {0}")]
    Random(String),
    /// Too many wrong PINs in a row: the next try waits this long.
    #[error("terlalu banyak PIN salah; coba lagi dalam {} detik (too many wrong PINs; try again in {} s)", .ms.div_ceil(1000), .ms.div_ceil(1000))]
    Wait { ms: u64 },
    /// This phone has no PIN yet.
    #[error("perangkat ini belum punya PIN (this device has no PIN yet)")]
    NoPin,
    /// A forgotten PIN's answer came, but no reset was started here (or it was finished).
    #[error("tidak ada permintaan lupa PIN yang menunggu di perangkat ini (no forgotten-PIN request is waiting on this device)")]
    NoReset,
    /// A PIN is already set (another tab set one): change it instead.
    #[error("perangkat ini sudah punya PIN (this device already has a PIN)")]
    PinAlreadySet,
}

impl LockError {
    /// In words for the enumerator: each text already says it in Indonesian, then English.
    pub fn message(&self) -> Message {
        match self {
            LockError::Store(e) => e.message(),
            other => Message::new(other.to_string(), other.to_string()),
        }
    }
}

pub(super) fn random<const N: usize>() -> Result<[u8; N], LockError> {
    let mut bytes = [0u8; N];
    fill_random(&mut bytes).map_err(|e| LockError::Random(e.to_string()))?;
    Ok(bytes)
}

/// Wraps `key` under a new PIN: derived first, outside any transaction.
async fn wrap(key: &DataKey, pin: &str) -> Result<PinWrap, LockError> {
    check_new(pin)?;
    let salt: [u8; SALT_LEN] = random()?;
    let derived = pbkdf2_sha256(pin, &salt, ITERATIONS).await?;
    Ok(PinWrap::new(key, derived, salt, random::<NONCE_LEN>()?))
}

impl IdbStore {
    /// The data key sealed to the district's pinned keys; none while the phone has none.
    /// Sealed before any write transaction opens.
    async fn escrow_of(&self, key: &DataKey) -> Result<Option<EscrowUpload>, LockError> {
        let pin = self.key_pin().await?;
        let recipients = match pin.seal_to() {
            Ok(Some(recipients)) => recipients,
            Ok(None) => return Ok(None),
            Err(e) => return Err(LockError::Escrow(e.to_string())),
        };
        let mut entropy = vec![0u8; entropy_len(recipients.len())];
        fill_random(&mut entropy).map_err(|e| LockError::Random(e.to_string()))?;
        let sealed = seal_key(key, &recipients, &entropy).map_err(|e| LockError::Escrow(e.to_string()))?;
        entropy.fill(0);
        Ok(Some(EscrowUpload {
            key_id: key_id(key),
            district_keys: pin.pinned.iter().map(|k| k.fingerprint.clone()).collect(),
            escrow: to_text(&sealed),
        }))
    }

    /// Escrows the key again when there is none or the district's keys changed since (or
    /// came after the PIN was set); made before the write, kept unsent.
    async fn renew_escrow(&self, key: &DataKey) -> Result<(), LockError> {
        let pinned: Vec<String> = self
            .key_pin()
            .await?
            .pinned
            .iter()
            .map(|k| k.fingerprint.clone())
            .collect();
        let kept = self.escrow().await?;
        let current = kept
            .as_ref()
            .map(|k| (k.upload.key_id.as_str(), k.upload.district_keys.as_slice()));
        if current == Some((key_id(key).as_str(), pinned.as_slice())) {
            return Ok(());
        }
        if let Some(upload) = self.escrow_of(key).await? {
            let kept = KeptEscrow {
                upload,
                sent_to: None,
            };
            self.meta_put(ESCROW, Some(&kept)).await?;
        }
        Ok(())
    }

    /// The escrow as kept.
    pub async fn escrow(&self) -> Result<Option<KeptEscrow>, StoreError> {
        self.meta_get(ESCROW).await
    }

    /// The escrow's request body (JSON) when `hub` has not taken it yet. Needs no PIN: the
    /// escrow is sealed to the district.
    pub async fn escrow_to_send(&self, hub: &str) -> Result<Option<String>, StoreError> {
        let Some(kept) = self.meta_raw(ESCROW).await? else {
            return Ok(None);
        };
        if decode::text(&kept, "sent_to") == hub {
            return Ok(None);
        }
        Ok(body_of(&kept))
    }

    /// The escrow's text (base64url) when it holds the key named `key_id`, read by field name
    /// (the lock page carries no reader of the kept escrow's type).
    pub(super) async fn escrow_text_of(&self, key_id: &str) -> Result<Option<String>, StoreError> {
        let Some(kept) = self.meta_raw(ESCROW).await? else {
            return Ok(None);
        };
        let upload = decode::field(&kept, "upload");
        let escrow = decode::text(&upload, "escrow");
        Ok((decode::text(&upload, "key_id") == key_id && !escrow.is_empty()).then_some(escrow))
    }

    /// `hub` took the escrow sent as `body` (unless it was made again meanwhile: that one
    /// still goes).
    pub async fn escrow_taken(&self, hub: &str, body: &str) -> Result<(), StoreError> {
        self.meta_change_raw(ESCROW, |found| {
            let taken = found
                .filter(|kept| body_of(kept).as_deref() == Some(body))
                .and_then(|kept| {
                    js_sys::Reflect::set(&kept, &JsValue::from_str("sent_to"), &JsValue::from_str(hub))
                        .ok()
                        .map(|_| kept)
                });
            Ok((taken, ()))
        })
        .await
    }

    /// The PIN lock as stored, unread (whether there is one: every page asks at start).
    pub(super) async fn vault_raw(&self) -> Result<Option<JsValue>, StoreError> {
        self.meta_raw(VAULT).await
    }

    /// The PIN lock as kept (none before a PIN was set).
    pub async fn vault(&self) -> Result<Option<VaultMeta>, StoreError> {
        self.meta_get(VAULT).await
    }

    /// Sets the first PIN: a new random data key, wrapped by it. Refused when a PIN is
    /// already set (by another tab meanwhile too): one data key per phone.
    pub async fn set_first_pin(&self, pin: &str, now: Timestamp) -> Result<DataKey, LockError> {
        let key = DataKey::from_random(random::<KEY_LEN>()?);
        let escrow = self.escrow_of(&key).await?;
        let meta = VaultMeta {
            wrap: wrap(&key, pin).await?,
            key_id: key_id(&key),
            failures: 0,
            last_failure_at: None,
            pin_set_at: now,
        };
        let set = self
            .meta_change(VAULT, |found: Option<VaultMeta>| match found {
                Some(_) => (None, false),
                None => (Some(meta), true),
            })
            .await?;
        if !set {
            return Err(LockError::PinAlreadySet);
        }
        self.mark_pin_set();
        // After the PIN: a phone killed in between has no escrow, and its next unlock makes it.
        if let Some(upload) = escrow {
            self.meta_put(
                ESCROW,
                Some(&KeptEscrow {
                    upload,
                    sent_to: None,
                }),
            )
            .await?;
        }
        Ok(key)
    }

    /// Opens the lock with `pin`: the data key. A wrong PIN is counted (`VaultError::WrongPin`);
    /// after a few, tries wait (`LockError::Wait`) — checked before deriving, so waiting
    /// costs no work. Nothing is ever deleted.
    pub async fn unlock(&self, pin: &str, now: Timestamp) -> Result<DataKey, LockError> {
        let meta = self.vault().await?.ok_or(LockError::NoPin)?;
        let ms = meta.wait_ms(now);
        if ms > 0 {
            return Err(LockError::Wait { ms });
        }
        let (salt, rounds) = meta.wrap.derivation()?;
        let derived = pbkdf2_sha256(pin, &salt, rounds).await?;
        match meta.wrap.unwrap(derived) {
            Ok(key) => {
                if meta.failures > 0 {
                    self.meta_change(VAULT, |found: Option<VaultMeta>| {
                        let reset = found.map(|m| VaultMeta {
                            failures: 0,
                            last_failure_at: None,
                            ..m
                        });
                        (reset, ())
                    })
                    .await?;
                }
                // Unlocked whatever becomes of the escrow: it is tried again next time.
                let _ = self.renew_escrow(&key).await;
                Ok(key)
            }
            Err(VaultError::WrongPin) => {
                self.meta_change(VAULT, |found: Option<VaultMeta>| {
                    let counted = found.map(|m| VaultMeta {
                        failures: m.failures.saturating_add(1),
                        last_failure_at: Some(now),
                        ..m
                    });
                    (counted, ())
                })
                .await?;
                Err(VaultError::WrongPin.into())
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Wraps the data key (the phone is unlocked, or a forgotten PIN's answer gave it back)
    /// under a new PIN; the wrong tries start again. Refused when `key` is not this phone's.
    pub async fn change_pin(&self, key: &DataKey, pin: &str, now: Timestamp) -> Result<(), LockError> {
        let wrap = wrap(key, pin).await?;
        let id = key_id(key);
        let changed = self
            .meta_change(VAULT, |found: Option<VaultMeta>| match found {
                Some(m) if m.key_id == id => (
                    Some(VaultMeta {
                        wrap,
                        failures: 0,
                        last_failure_at: None,
                        pin_set_at: now,
                        ..m
                    }),
                    Ok(()),
                ),
                Some(_) => (
                    None,
                    Err(LockError::Vault(VaultError::Damaged(
                        "kunci ini bukan kunci perangkat ini (not this device's key)".to_owned(),
                    ))),
                ),
                None => (None, Err(LockError::NoPin)),
            })
            .await?;
        changed
    }
}

/// The request body of a kept escrow: its `upload` as JSON, written by the browser.
fn body_of(kept: &JsValue) -> Option<String> {
    js_sys::JSON::stringify(&decode::field(kept, "upload"))
        .ok()
        .and_then(|text| text.as_string())
}
