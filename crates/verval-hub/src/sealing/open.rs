//! Opening sealed batches with the district's key: each batch read again, opened off the
//! async workers, checked against its manifest, and its households stored as any batch's,
//! then its village meetings taken, then marked opened (a batch whose meetings could not be
//! taken keeps waiting: the next opening stores nothing twice and takes them). A batch at fault is quarantined with the
//! reason and nothing of it is stored; a batch the key does not open keeps waiting.

use super::store::{self, QUARANTINED, WAITING};
use crate::audit::Actor;
use crate::db::Db;
use crate::ingest::{self, IngestError};
use verval_core::aid::meeting_book::MusdesAnswer;
use verval_core::export::{read_incoming, Incoming, Limits, OpenError};
use verval_core::seal::Identity;

/// What became of one sealed batch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Opening {
    /// Opened: its households are stored, and the village meetings it carried taken (the
    /// hub's answer to them; `None` when it carried none).
    Opened(Option<MusdesAnswer>),
    /// Its content is at fault: set aside with the reason.
    Quarantined(String),
    /// The key given does not open it: it keeps waiting, with the reason.
    NotOpened(String),
    /// No longer waiting (opened meanwhile by another request).
    Gone,
}

/// How many of the waiting batches were opened, quarantined, or left waiting.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub opened: usize,
    pub quarantined: usize,
    pub not_opened: usize,
}

/// Opens every waiting sealed batch with `identities`, oldest first.
pub async fn open_waiting(
    db: &Db,
    hub_name: &str,
    identities: &[Identity],
    limits: &Limits,
    by: &Actor,
) -> Result<Report, IngestError> {
    let mut report = Report::default();
    if identities.is_empty() {
        return Ok(report);
    }
    for batch_id in store::waiting_ids(db).await? {
        match open_one(db, hub_name, &batch_id, identities, limits, by).await? {
            Opening::Opened(_) => report.opened += 1,
            Opening::Quarantined(_) => report.quarantined += 1,
            Opening::NotOpened(_) => report.not_opened += 1,
            Opening::Gone => {}
        }
    }
    Ok(report)
}

/// Opens one waiting sealed batch.
pub async fn open_one(
    db: &Db,
    hub_name: &str,
    batch_id: &str,
    identities: &[Identity],
    limits: &Limits,
    by: &Actor,
) -> Result<Opening, IngestError> {
    let Some(waiting) = store::waiting(db, batch_id).await? else {
        return Ok(Opening::Gone);
    };
    let (bytes, keys, limits) = (waiting.bytes.clone(), identities.to_vec(), *limits);
    let known = crate::forms::known(db).await?;
    let opened = crate::heavy::run(move || match read_incoming(&bytes, &limits, &known) {
        Ok(Incoming::Sealed(sealed)) => sealed.open(&keys, &limits, &known),
        Ok(Incoming::Plain(_)) => Err(OpenError::Contradicts(
            "stored as sealed, but not sealed".to_owned(),
        )),
        Err(e) => Err(OpenError::Content(e)),
    })
    .await
    .map_err(|_| IngestError::Busy)?;
    let (batch, inner) = match opened {
        Ok(opened) => opened,
        Err(e) if !e.is_the_batch() => {
            let reason = e.to_string();
            store::set_aside(db, batch_id, WAITING, &reason).await?;
            return Ok(Opening::NotOpened(reason));
        }
        Err(e) => return quarantine(db, batch_id, e.to_string()).await,
    };
    match ingest::store_opened(db, hub_name, &waiting, &batch, &inner, by).await {
        Ok(meetings) => Ok(Opening::Opened(meetings)),
        // The households cannot be stored as they are (a record moving village, a batch id
        // another batch has): the batch is at fault, as with a plain batch refused.
        Err(e) if e.is_the_batch() => quarantine(db, batch_id, e.to_string()).await,
        Err(e) => Err(e),
    }
}

async fn quarantine(db: &Db, batch_id: &str, reason: String) -> Result<Opening, IngestError> {
    store::set_aside(db, batch_id, QUARANTINED, &reason).await?;
    Ok(Opening::Quarantined(reason))
}
