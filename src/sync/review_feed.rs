//! The district's decisions reaching the phone (issue #20), the one door for both ways they
//! come: the sync round's answer and a review file a district officer handed over. Either
//! is checked whole for this device (`parse_feed`) before any of it is taken. The district's
//! keys ride along, so a key rotated after enrolment reaches the phone.

use crate::device::new_record_id;
use crate::storage::IdbStore;
use verval_core::review::book::Merged;
use verval_core::review::feed::parse_feed;
use verval_core::seal::published::{refused, Channel};
use verval_core::text::Message;

/// Takes a feed's bytes that came by `channel` (the sync round's answer, or a file): how
/// many decisions were new to the phone, and how many it knew.
pub async fn take_reviews(store: &IdbStore, bytes: &[u8], channel: Channel) -> Result<Merged, Message> {
    // The id exists once the phone made a batch; one made now names no feed, so a file
    // for another phone is still refused.
    let fresh = new_record_id().map_err(|e| Message::new(e.to_string(), e.to_string()))?;
    let device_id = store.device_id(fresh).await.map_err(|e| e.message())?;
    let feed = parse_feed(bytes, &device_id).map_err(|e| {
        Message::new(
            format!("Tinjauan kabupaten tidak diambil: {e}"),
            format!("The district's review was not taken: {e}"),
        )
    })?;
    let merged = store.merge_reviews(&feed).await.map_err(|e| e.message())?;
    // A key the district added or rotated since enrolment: pinned if the phone had none and
    // its hub sent them, otherwise held on the export page for the district's confirmation.
    if !feed.district_keys.is_empty() {
        store
            .offer_keys(&feed.district_keys, channel)
            .await
            .map_err(|e| e.message())?
            .map_err(|e| refused(&e))?;
    }
    Ok(merged)
}
