//! The village meetings recorded on this phone and those the hub handed it (issue #24): one
//! `verval_core::aid::meeting_book::MeetingBook` under one meta key, changed in one
//! transaction with what the next sync round sends (`OUTBOX`) and the hub's last answer
//! (`ANSWER`) taken. Their notes may name a family's circumstances, so on a phone with a PIN
//! each is sealed under the data key like a household (`{ sealed }`); before a PIN it is kept
//! as its JSON (`{ plain }`), sealed by the first unlock (`sealing::migration`).

use super::error::Operation;
use super::schema::v3;
use super::write::write_tx;
use super::{decode, put_keyed, read_one, sealing, IdbStore, StoreError};
use indexed_db_futures::object_store::ObjectStore;
use indexed_db_futures::prelude::*;
use verval_core::aid::meeting_book::{MeetingBook, MusdesAnswer, MusdesUpload};
use verval_core::vault::envelope::Place;
use wasm_bindgen::JsValue;

/// The meta store's key of the book.
const MEETINGS: &str = "musdes";
/// What the next sync round sends (`MeetingBook::to_send`'s JSON), written with the book: the
/// sync worker sends it as it is, without the book's reader, which its download would pay
/// for (~11 KB).
const OUTBOX: &str = "musdes_outbox";
/// The hub's answer the sync worker kept, with what it answers (`{"sent", "answer"}`), for
/// the next change of the book to take (`MeetingBook::take_answer`).
const ANSWER: &str = "musdes_answer";
/// The last batch file that carried the meetings and the outbox as it carried it
/// (`<batch id>\n<outbox>`): a phone with no hub hands its meetings over in its batches, and
/// the export page offers a batch of meetings alone while no batch that can still leave the
/// phone carries the outbox as it is.
const BATCHED: &str = "musdes_batched";
/// The meetings of a backup restored onto this phone (the book's JSON as the old phone kept
/// it), for the next change of the book to take (`MeetingBook::restore`): the export worker
/// that restores carries no reader of them.
const RESTORED: &str = "musdes_restored";
/// Every key above, each `{ sealed }` on a phone with a PIN, `{ plain }` before it.
pub(super) const KEYS: [&str; 5] = [MEETINGS, OUTBOX, ANSWER, BATCHED, RESTORED];

const fn place(key: &'static str) -> Place<'static> {
    Place { store: v3::META, key }
}

const SEALED: &str = "sealed";
const PLAIN: &str = "plain";

fn unreadable(why: impl std::fmt::Display) -> StoreError {
    StoreError::Unreadable(format!("musyawarah desa (village meetings): {why}"))
}

/// The hub's answer and what it answers, as the worker kept them.
#[derive(serde::Deserialize)]
struct Answered {
    sent: MusdesUpload,
    answer: MusdesAnswer,
}

impl IdbStore {
    /// A text kept under `key` (`None`: none).
    fn text_of(&self, key: &'static str, stored: Option<JsValue>) -> Result<Option<String>, StoreError> {
        let Some(stored) = stored.filter(|v| !v.is_undefined() && !v.is_null()) else {
            return Ok(None);
        };
        let sealed = decode::field(&stored, SEALED);
        if sealed.is_undefined() {
            return Ok(Some(decode::text(&stored, PLAIN)));
        }
        let bytes = self.open_bytes(place(key), &js_sys::Uint8Array::new(&sealed).to_vec())?;
        String::from_utf8(bytes.to_vec()).map(Some).map_err(unreadable)
    }

    /// `text` as it is kept under `key`: sealed when the store holds the data key.
    fn text_to_store(&self, key: &'static str, text: &str) -> Result<JsValue, StoreError> {
        Ok(match self.seal_bytes(place(key), text.as_bytes())? {
            Some(sealed) => kept_as(SEALED, sealing::numbers(&sealed)),
            None => kept_as(PLAIN, JsValue::from_str(text)),
        })
    }

    /// Reads the book in the caller's transaction, takes an answer the sync worker kept,
    /// lets `change` change it, and writes it back with what the next round sends.
    async fn change_in<R>(
        &self,
        meta: &ObjectStore<'_>,
        change: impl FnOnce(&mut MeetingBook) -> R,
    ) -> Result<R, StoreError> {
        let fail = |e| StoreError::from_idb(Operation::Save, e);
        let mut book: MeetingBook = match self.text_of(MEETINGS, read_one(meta, MEETINGS, fail).await?)? {
            Some(json) => serde_json::from_str(&json).map_err(unreadable)?,
            None => MeetingBook::default(),
        };
        if let Some(json) = self.text_of(ANSWER, read_one(meta, ANSWER, fail).await?)? {
            // An answer that does not read (a WiFi login page answering for the hub) is let
            // go: what it would have settled stays unsent and goes again.
            if let Ok(answered) = serde_json::from_str::<Answered>(&json) {
                book.take_answer(&answered.sent, &answered.answer);
            }
            meta.delete(ANSWER)
                .primitive()
                .map_err(fail)?
                .await
                .map_err(fail)?;
        }
        if let Some(json) = self.text_of(RESTORED, read_one(meta, RESTORED, fail).await?)? {
            // Checked by the district when it sealed the backup to this phone: one that
            // does not read stays kept, and the error is shown, rather than lost.
            for line in json.lines().filter(|l| !l.trim().is_empty()) {
                let old_phone: MeetingBook = serde_json::from_str(line).map_err(unreadable)?;
                book.restore(old_phone);
            }
            meta.delete(RESTORED)
                .primitive()
                .map_err(fail)?
                .await
                .map_err(fail)?;
        }
        let outcome = change(&mut book);
        let json = serde_json::to_string(&book).map_err(unreadable)?;
        put_keyed(meta, MEETINGS, self.text_to_store(MEETINGS, &json)?, fail).await?;
        match book.to_send() {
            Some(upload) => {
                let json = serde_json::to_string(&upload).map_err(unreadable)?;
                put_keyed(meta, OUTBOX, self.text_to_store(OUTBOX, &json)?, fail).await?;
            }
            None => meta
                .delete(OUTBOX)
                .primitive()
                .map_err(fail)?
                .await
                .map_err(fail)?,
        }
        Ok(outcome)
    }

    /// Changes the book in one transaction (an answer the sync worker kept taken first).
    pub async fn change_meeting_book<R>(
        &self,
        change: impl FnOnce(&mut MeetingBook) -> R,
    ) -> Result<R, StoreError> {
        let fail = |e| StoreError::from_idb(Operation::Save, e);
        let tx = write_tx(&self.db, v3::META, Operation::Save)?;
        let meta = tx.object_store(v3::META).map_err(fail)?;
        let outcome = self.change_in(&meta, change).await?;
        tx.commit().await?;
        Ok(outcome)
    }

    /// The phone's meetings, with the hub's latest answer taken.
    pub async fn meeting_book(&self) -> Result<MeetingBook, StoreError> {
        self.change_meeting_book(|book| book.clone()).await
    }

    /// [`Self::change_meeting_book`] inside the caller's transaction on the meta store (the
    /// assignment's).
    pub(super) async fn change_meeting_book_in(
        &self,
        meta: &ObjectStore<'_>,
        change: impl FnOnce(&mut MeetingBook),
    ) -> Result<(), StoreError> {
        self.change_in(meta, change).await
    }

    /// The meetings the next sync round sends, as JSON (`MusdesUpload`); `None` when none.
    pub async fn meetings_to_send(&self) -> Result<Option<String>, StoreError> {
        let stored = self.meta_raw(OUTBOX).await?;
        self.text_of(OUTBOX, stored)
    }

    /// Keeps the hub's answer to `sent` (both JSON, as sent and received) for the book's
    /// next change to take.
    pub async fn keep_meetings_answer(&self, sent: &str, answer: &str) -> Result<(), StoreError> {
        let value = self.text_to_store(ANSWER, &format!("{{\"sent\":{sent},\"answer\":{answer}}}"))?;
        self.meta_change_raw(ANSWER, |_| Ok((Some(value), ()))).await
    }

    /// Whether the next batch file carries meetings (every meeting the hub has not taken
    /// goes in each), and whether they changed since one of `batches` (the phone's, as the
    /// export page reads them; `seals`: the phone seals its batches) carried them: a batch
    /// the user deleted, or a plain one that may not leave a phone which seals, carries
    /// nothing any more. `None`: no meeting to carry.
    pub async fn meetings_for_batch(
        &self,
        batches: &[super::BatchInfo],
        seals: bool,
    ) -> Result<Option<bool>, StoreError> {
        let Some(outbox) = self.meetings_to_send().await? else {
            return Ok(None);
        };
        let batched = self.text_of(BATCHED, self.meta_raw(BATCHED).await?)?;
        let carried_by = batched
            .as_deref()
            .and_then(|b| b.split_once('\n'))
            .filter(|(_, carried)| *carried == outbox)
            .map(|(batch_id, _)| batch_id);
        let leaves = |batch_id: &str| {
            batches.iter().any(|b| {
                b.batch_id == batch_id
                    && b.deleted_at.is_none()
                    && b.replaced_at.is_none()
                    && (b.sealed || !seals)
            })
        };
        Ok(Some(!carried_by.is_some_and(leaves)))
    }

    /// Notes the meetings the batch `batch_id` just carried (what
    /// [`Self::meetings_to_send`] gave).
    pub async fn meetings_batched(&self, batch_id: &str, carried: &str) -> Result<(), StoreError> {
        let value = self.text_to_store(BATCHED, &format!("{batch_id}\n{carried}"))?;
        self.meta_change_raw(BATCHED, |_| Ok((Some(value), ()))).await
    }

    /// The old phone's meetings, as a restored backup holds them, for the campaign page's
    /// next reading of the book to take: one book a line, so a second backup restored
    /// before then adds to the first.
    pub async fn keep_restored_meetings(&self, book_json: &str) -> Result<(), StoreError> {
        // On one line, whatever its spacing: the browser's JSON, as the worker has no reader
        // of the book.
        let line = js_sys::JSON::parse(book_json)
            .ok()
            .and_then(|v| js_sys::JSON::stringify(&v).ok())
            .and_then(|s| s.as_string())
            .ok_or_else(|| unreadable("the backup's meetings are not JSON"))?;
        let kept = self.text_of(RESTORED, self.meta_raw(RESTORED).await?)?;
        let books = match kept {
            Some(kept) => format!("{kept}\n{line}"),
            None => line,
        };
        let value = self.text_to_store(RESTORED, &books)?;
        self.meta_change_raw(RESTORED, |_| Ok((Some(value), ()))).await
    }

    /// The book as kept, its JSON unread (for a backup, made in the export worker).
    pub async fn meeting_book_json(&self) -> Result<Option<String>, StoreError> {
        let stored = self.meta_raw(MEETINGS).await?;
        self.text_of(MEETINGS, stored)
    }

    /// Seals what of the meetings was kept plain before the phone had a PIN; how many
    /// values it sealed. Sealed as they are, unread: every page runs this, and none but the
    /// campaign page carries the book's reader.
    pub(super) async fn seal_plain_meetings(&self) -> Result<u32, StoreError> {
        let mut sealed = 0;
        for key in KEYS {
            sealed += u32::from(self.seal_plain_text(place(key), PLAIN, &[]).await?);
        }
        Ok(sealed)
    }
}

/// `{ field: value }`, as the meta store keeps a text of the meetings.
fn kept_as(field: &str, value: JsValue) -> JsValue {
    let kept = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&kept, &field.into(), &value);
    kept.into()
}
