//! One sync round: make sync batches for what the outbox holds, upload every batch still
//! waiting for an answer (oldest first, the same bytes and batch id each time), keep the
//! receipts, set aside what the hub refuses for good, take the district's new decisions on
//! this phone's households, and note how it went.

use super::client::{report_progress, reviews, send_meetings, upload, upload_escrow, SyncError};
use super::lease::Lease;
use super::review_feed::take_reviews;
use crate::device::now;
use crate::export_job::make::{make_batch, MakeError};
use crate::storage::{HubLink, IdbStore, Leaving, StoreError, SyncState};
use verval_core::export::canonical::sha256_hex;
use verval_core::export::Profile;
use verval_core::seal::published::Channel;
use verval_core::sync::api::{ErrorCode, PhoneProgress};
use verval_core::sync::outbox::to_batch;
use verval_core::sync::retry::retry_delay_ms;
use verval_core::sync::split::{split, UploadLimits};
use verval_core::text::Message;
use verval_core::RecordId;

/// Households per sync batch: with their photos (a few hundred KB each) an upload stays a
/// few MB, which a weak link (50 KB/s) carries within the request timeout. A batch too big
/// to ever finish in time would be retried for ever: held back, which we promise never to do.
const RECORDS_PER_UPLOAD: usize = 10;

/// How a round ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Round {
    /// Not enrolled with a hub: nothing to do.
    NotEnrolled,
    /// Another tab is syncing.
    Busy,
    /// The hub no longer accepts this phone (token revoked or unknown).
    Blocked,
    /// Everything waiting was answered (sent, or set aside).
    Done,
    /// A try failed; the next one is due in `wait_ms`.
    Failed { wait_ms: u64 },
}

enum Stop {
    Store(StoreError),
    Failed(Message),
    Blocked(Message),
    /// The hub does not know the keys this phone seals to (these fingerprints).
    KeysRefused(Message, Vec<String>),
}

impl From<StoreError> for Stop {
    fn from(e: StoreError) -> Stop {
        Stop::Store(e)
    }
}

/// Runs one round as `owner` (a worker's id for a stored lease).
pub async fn sync_once(store: &IdbStore, owner: &str) -> Result<Round, StoreError> {
    let Some(link) = store.hub_link().await? else {
        return Ok(Round::NotEnrolled);
    };
    let mut state = store.sync_state().await?;
    if state.blocked {
        return Ok(Round::Blocked);
    }
    let Some(lease) = Lease::claim(store, owner).await? else {
        return Ok(Round::Busy);
    };
    let outcome = match rounds(store, &link, &lease, &state.refused_keys).await {
        // A locked phone (issue #23) cannot merge the district's reviews into its sealed
        // families: they wait for the next round while it is unlocked.
        Ok(()) if store.locked() => Ok(()),
        Ok(()) => {
            let reviewed = fetch_reviews(store, &link).await;
            send_meetings_to(store, &link).await;
            reviewed
        }
        failed => failed,
    };
    if outcome.is_ok() {
        report_progress_to(store, &link).await;
        escrow_to(store, &link).await;
    }
    let _ = lease.release(store).await;
    let at = now();
    state.last_try_at = Some(at);
    let round = match outcome {
        Ok(()) => {
            state = SyncState {
                last_try_at: Some(at),
                last_ok_at: Some(at),
                ..SyncState::default()
            };
            Round::Done
        }
        Err(Stop::Store(e)) => return Err(e),
        Err(Stop::Blocked(message)) => {
            state.blocked = true;
            state.last_error = Some((message.id, message.en));
            Round::Blocked
        }
        Err(Stop::KeysRefused(message, keys)) => {
            state.refused_keys = keys;
            retry_later(&mut state, at, message)
        }
        Err(Stop::Failed(message)) => retry_later(&mut state, at, message),
    };
    store.set_sync_state(&state).await?;
    Ok(round)
}

/// Notes a failed try and when the next is due.
fn retry_later(state: &mut SyncState, at: verval_core::Timestamp, message: Message) -> Round {
    state.failures = state.failures.saturating_add(1);
    let random = (js_sys::Math::random() * f64::from(u32::MAX)) as u32;
    let wait_ms = retry_delay_ms(state.failures, random);
    state.next_try_at = Some(verval_core::Timestamp(at.0 + wait_ms as i64));
    state.last_error = Some((message.id, message.en));
    Round::Failed { wait_ms }
}

async fn rounds(
    store: &IdbStore,
    link: &HubLink,
    lease: &Lease,
    refused_keys: &[String],
) -> Result<(), Stop> {
    // Still sealing to keys the hub refused while its own keys wait for confirmation: any
    // batch would be refused again (and each kept, set aside, with its photos). Nothing is
    // made until they are confirmed. Once the hub lists this phone's keys after all (the
    // district added one it had left out), its reviews clear the waiting keys and the round
    // goes on.
    let pinned = pinned_keys(store).await?;
    if !refused_keys.is_empty() && refused_keys == pinned.as_slice() {
        let _ = fetch_reviews(store, link).await;
        if !store.key_pin().await?.offered.is_empty() {
            return Err(keys_refused(
                "Server kabupaten tidak mengenal kunci dinas di perangkat ini (the district server does not know this device's district keys).",
                pinned,
            ));
        }
    }
    // A refusal puts records back into the outbox (alone, or without the refused one):
    // they go out again in the same round.
    for _ in 0..4 {
        // A plain batch made before the phone had the district's keys never goes out plain
        // after: its households are batched again, sealed.
        store.withdraw_plain_batches(now()).await?;
        // Locked, the worker cannot open the families to batch them: it sends what is made.
        if !store.locked() {
            make_sync_batches(store).await?;
        }
        let mut refused = false;
        for info in store.batches_to_send().await? {
            lease.renew(store).await?;
            let sent = store.batch_records(&info.batch_id).await?;
            let blob = match store.leaving_file(&info.batch_id).await? {
                Leaving::File(blob) => blob,
                Leaving::Deleted => {
                    store
                        .reject_batch(
                            &info.batch_id,
                            "berkas batch sudah dihapus dari perangkat",
                            None,
                            now(),
                        )
                        .await?;
                    refused = true;
                    continue;
                }
                // Keys confirmed since this round withdrew the plain batches.
                Leaving::PlainBeforeKeys => {
                    refused = true;
                    continue;
                }
            };
            let bytes = blob_bytes(&blob).await?;
            match upload(&link.url, &link.token, &bytes).await {
                Ok(receipt) => {
                    let sent_refs: Vec<(&str, u32)> = sent.iter().map(|(id, r)| (id.as_str(), *r)).collect();
                    let matches = receipt.acknowledges_records(&info.batch_id, &sent_refs).is_ok()
                        && receipt.batch_sha256 == sha256_hex(&bytes);
                    if !matches {
                        return Err(Stop::Failed(Message::new(
                            "Tanda terima dari server tidak cocok dengan batch yang dikirim. Dicoba lagi nanti.".to_owned(),
                            "The server's receipt does not match the batch sent. Will try again.".to_owned(),
                        )));
                    }
                    store.store_receipt(&receipt, "sync", now()).await?;
                }
                Err(
                    e @ SyncError::Refused {
                        code: ErrorCode::Unauthorized | ErrorCode::TokenRevoked,
                        ..
                    },
                ) => return Err(stop_for(e)),
                Err(SyncError::Refused {
                    code: ErrorCode::UnknownKeys,
                    message,
                    ..
                }) => {
                    // Sealed to keys the hub does not know: nothing is wrong with the
                    // records. They leave this batch to be sealed again, none set aside; the
                    // hub's own keys come with its reviews (offered for confirmation), and
                    // the round stops until someone confirms them.
                    store.reject_batch(&info.batch_id, &message, None, now()).await?;
                    let _ = fetch_reviews(store, link).await;
                    return Err(keys_refused(&message, pinned));
                }
                Err(SyncError::Refused {
                    message, record_id, ..
                }) => {
                    // The record the hub named; a batch of one is about its only record.
                    let record = match record_id {
                        Some(id) => sent.iter().find(|(r, _)| *r == id).cloned(),
                        None if sent.len() == 1 => sent.first().cloned(),
                        None => None,
                    };
                    store
                        .reject_batch(&info.batch_id, &message, record, now())
                        .await?;
                    refused = true;
                }
                Err(e @ SyncError::Transient(_)) => return Err(stop_for(e)),
            }
        }
        if !refused {
            return Ok(());
        }
    }
    Ok(())
}

/// The fingerprints of the keys this phone seals to.
async fn pinned_keys(store: &IdbStore) -> Result<Vec<String>, StoreError> {
    Ok(store
        .key_pin()
        .await?
        .pinned
        .into_iter()
        .map(|k| k.fingerprint)
        .collect())
}

/// The round stops on keys the hub does not know, pointing to where they are confirmed.
fn keys_refused(message: &str, keys: Vec<String>) -> Stop {
    Stop::KeysRefused(
        Message::new(
            format!("{message} Buka halaman Kirim dan ekspor, bagian Kunci dinas."),
            format!("{message} Open the Send and export page, District keys."),
        ),
        keys,
    )
}

/// Asks for the decisions after the phone's cursor and takes them (issue #20). Sent after
/// the uploads, so a correction just sent is not shown as still to correct for a round.
async fn fetch_reviews(store: &IdbStore, link: &HubLink) -> Result<(), Stop> {
    let since = store.review_cursor().await?;
    match reviews(&link.url, &link.token, since).await {
        Ok(bytes) => take_reviews(store, &bytes, Channel::Hub)
            .await
            .map(|_| ())
            .map_err(Stop::Failed),
        Err(e) => Err(stop_for(e)),
    }
}

/// Sends the village meetings changed on the phone (issue #24) and keeps the hub's answer
/// for the campaign page to take. A failure fails nothing else: what was not taken stays
/// unsent (the campaign page says so) and goes again next round. Sent after the batches, so the households the
/// decisions are on have arrived.
async fn send_meetings_to(store: &IdbStore, link: &HubLink) {
    let Ok(Some(upload)) = store.meetings_to_send().await else {
        return;
    };
    if let Ok(answer) = send_meetings(&link.url, &link.token, &upload).await {
        let _ = store.keep_meetings_answer(&upload, &answer).await;
    }
}

/// Tells the hub what the phone holds per village, for the district's progress. Only a
/// count: the households themselves went (or wait) in batches, so a report that fails
/// loses nothing and does not fail the round; the next round reports again.
async fn report_progress_to(store: &IdbStore, link: &HubLink) {
    let Ok(households) = store.households_by_village().await else {
        return;
    };
    // Only the villages the hub gave this phone: any other could never upload either.
    let progress = PhoneProgress::count(
        households
            .iter()
            .filter(|(village, _)| link.villages.contains(village))
            .map(|(village, finalized)| (village.as_str(), *finalized)),
    );
    let _ = report_progress(&link.url, &link.token, &progress).await;
}

/// Gives the hub this phone's data key sealed to the district (issue #23), once per escrow
/// and hub. It needs no PIN: the worker sends it while the app is locked. A failure fails
/// nothing else; the next round tries again (`KeptEscrow::sent_to` says whether the
/// hub took it).
async fn escrow_to(store: &IdbStore, link: &HubLink) {
    let Ok(Some(escrow)) = store.escrow_to_send(&link.url).await else {
        return;
    };
    if upload_escrow(&link.url, &link.token, &escrow).await.is_ok() {
        let _ = store.escrow_taken(&link.url, &escrow).await;
    }
}

/// What a failed request stops the round with: a revoked or unknown token waits for a new
/// enrolment; anything else is tried again later.
fn stop_for(error: SyncError) -> Stop {
    match error {
        SyncError::Refused {
            code: ErrorCode::Unauthorized | ErrorCode::TokenRevoked,
            message,
            ..
        } => Stop::Blocked(Message::new(
            format!("Perangkat ini perlu didaftarkan ulang: {message}"),
            format!("This device needs to be enrolled again: {message}"),
        )),
        other => Stop::Failed(other.message()),
    }
}

/// Makes a sync batch for each group of households the outbox holds that is not already in
/// one waiting for an answer.
async fn make_sync_batches(store: &IdbStore) -> Result<(), Stop> {
    let state = store.outbox_state().await?;
    let (together, alone) = to_batch(&state);
    let limits = UploadLimits {
        max_records: RECORDS_PER_UPLOAD,
        max_bytes: u64::MAX,
    };
    let mut groups = split(together.into_iter().map(|id| (id, 1)).collect(), limits);
    groups.extend(alone.into_iter().map(|id| vec![id]));
    for group in groups {
        let ids: Vec<RecordId> = group.iter().filter_map(|id| RecordId::parse(id).ok()).collect();
        // A group is a few households, far below a part: never cut.
        match make_batch(store, &ids, Profile::Lengkap, true, u64::MAX, &|_| {}).await {
            // Every one of them became a draft again (a correction): nothing to send yet.
            Ok(_) | Err(MakeError::NothingToExport) => {}
            Err(MakeError::Store(e)) => return Err(Stop::Store(e)),
            Err(e) => return Err(Stop::Failed(e.message())),
        }
    }
    Ok(())
}

async fn blob_bytes(blob: &web_sys::Blob) -> Result<Vec<u8>, StoreError> {
    crate::blob::blob_bytes(blob)
        .await
        .map_err(|e| StoreError::Unreadable(format!("batch file: {e:?}")))
}
