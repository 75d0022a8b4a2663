//! The district's review on the phone (issue #20): the latest decision per household and the
//! cursor the next sync round asks from. A feed (a sync answer or a review file) is taken in
//! one transaction with the cursor, so a killed tab leaves it taken whole or not at all, and
//! taking it again changes nothing (`verval_core::review::book`).
//!
//! The pages read decisions field by field (`decode`), as the list reads summaries; the
//! sync worker, which writes them, uses serde. Each decision is sealed at rest
//! (`sealing::REVIEWS`): its notes may quote a family's names and numbers.

use super::decode::{field, items, revision, text};
use super::error::Operation;
use super::schema::{v3, v6};
use super::write::write_tx;
use super::{put_keyed, read_all_raw, read_one, sealing, IdbStore, StoreError};
use indexed_db_futures::prelude::*;
use std::collections::BTreeMap;
use verval_core::record::{HouseholdSummary, RecordStatus};
use verval_core::review::book::{Merged, ReviewBook, Standing};
use verval_core::review::feed::{ReviewFeed, ReviewMessage};
use verval_core::review::{Decision, DuplicateOf, FieldNote, RowRef};
use verval_core::RecordId;
use wasm_bindgen::JsValue;

/// The meta store's key of the cursor.
const META_CURSOR: &str = "review_cursor";

fn unreadable(e: impl std::fmt::Display) -> StoreError {
    StoreError::Unreadable(format!("a stored review: {e}"))
}

/// A stored decision, read field by field (see `decode`): the list, campaign and form
/// pages read decisions without serde's readers, which their downloads would pay for. The
/// store holds what `merge_reviews` wrote, a `ReviewMessage` as serde writes it.
/// Where a stored decision leaves a household at `revision`: [`read_review`] without the
/// notes, which the list page would download the reading of for nothing.
fn standing_of(stored: &JsValue, revision: u32, finalized: bool) -> Option<Standing> {
    let reviewed = super::decode::revision(stored)?;
    if revision > reviewed && finalized {
        return Some(Standing::Corrected);
    }
    Some(match Decision::parse(&text(stored, "decision"))? {
        Decision::PerluPerbaikan => Standing::SentBack,
        Decision::Disetujui => Standing::Approved,
        Decision::Ditolak => Standing::Rejected {
            duplicate: field(stored, "duplicate_of").is_object(),
        },
    })
}

fn read_review(stored: &JsValue) -> Result<ReviewMessage, StoreError> {
    let whole = |object: &JsValue, name: &str| {
        field(object, name)
            .as_f64()
            .filter(|n| n.fract() == 0.0 && *n >= 0.0)
    };
    let decision = Decision::parse(&text(stored, "decision")).ok_or_else(|| unreadable("no decision"))?;
    let fields = items(stored, "fields")
        .iter()
        .map(|note| {
            let row = field(note, "row");
            let row = row.is_object().then(|| RowRef {
                repeat: text(&row, "repeat"),
                key: whole(&row, "key").unwrap_or(0.0) as u32,
                position: whole(&row, "position").unwrap_or(0.0) as u32,
            });
            FieldNote {
                field: text(note, "field"),
                row,
                note: text(note, "note"),
            }
        })
        .collect();
    let duplicate = field(stored, "duplicate_of");
    Ok(ReviewMessage {
        seq: whole(stored, "seq").ok_or_else(|| unreadable("no sequence number"))? as u64,
        record_id: text(stored, "record_id"),
        revision: revision(stored).ok_or_else(|| unreadable("no revision"))?,
        decision,
        note: text(stored, "note"),
        fields,
        duplicate_of: duplicate.is_object().then(|| DuplicateOf {
            record_id: text(&duplicate, "record_id"),
            name: text(&duplicate, "name"),
        }),
        reviewer: text(stored, "reviewer"),
        at: whole(stored, "at").unwrap_or(0.0) as i64,
    })
}

impl IdbStore {
    /// Takes a feed already checked for this device (`parse_feed`): each decision newer than
    /// the one stored for its household replaces it, and the cursor moves up.
    pub async fn merge_reviews(&self, feed: &ReviewFeed) -> Result<Merged, StoreError> {
        let tx = write_tx(&self.db, [v6::REVIEWS, v3::META], Operation::Save)?;
        let fail = tx.fail();
        let reviews = tx.object_store(v6::REVIEWS).map_err(fail)?;
        let meta = tx.object_store(v3::META).map_err(fail)?;
        let cursor = read_one(&meta, META_CURSOR, fail)
            .await?
            .and_then(|v| v.as_f64())
            .map_or(0, |n| n as u64);
        // The book as stored, for the households this feed is about.
        let mut latest = BTreeMap::new();
        for review in &feed.reviews {
            if latest.contains_key(&review.record_id) {
                continue;
            }
            let stored: Option<JsValue> = reviews
                .get(review.record_id.as_str())
                .primitive()
                .map_err(fail)?
                .await
                .map_err(fail)?;
            if let Some(stored) = stored {
                let stored: ReviewMessage = sealing::record_of(self.opened(&sealing::REVIEWS, stored)?)?;
                latest.insert(review.record_id.clone(), stored);
            }
        }
        let before = latest.clone();
        let mut book = ReviewBook { cursor, latest };
        let merged = book.merge(feed);
        for (id, review) in &book.latest {
            if before.get(id) != Some(review) {
                let value = self.sealed_value(&sealing::REVIEWS, review)?;
                reviews
                    .put(&value)
                    .primitive()
                    .map_err(fail)?
                    .await
                    .map_err(fail)?;
            }
        }
        if book.cursor != cursor {
            // A cursor stays far below 2^53: one per decision the district makes.
            put_keyed(&meta, META_CURSOR, JsValue::from_f64(book.cursor as f64), fail).await?;
        }
        tx.commit().await?;
        Ok(merged)
    }

    /// What the next sync round asks from: every decision up to it is on the phone.
    pub async fn review_cursor(&self) -> Result<u64, StoreError> {
        let fail = |e| StoreError::from_idb(Operation::Read, e);
        let tx = self.db.transaction(v3::META).build().map_err(fail)?;
        let meta = tx.object_store(v3::META).map_err(fail)?;
        Ok(read_one(&meta, META_CURSOR, fail)
            .await?
            .and_then(|v| v.as_f64())
            .map_or(0, |n| n as u64))
    }

    /// The district's latest decision on one household, notes and all.
    pub async fn review_of(&self, id: &RecordId) -> Result<Option<ReviewMessage>, StoreError> {
        let fail = |e| StoreError::from_idb(Operation::Read, e);
        let tx = self.db.transaction(v6::REVIEWS).build().map_err(fail)?;
        let reviews = tx.object_store(v6::REVIEWS).map_err(fail)?;
        read_one(&reviews, id.as_str(), fail)
            .await?
            .map(|stored| read_review(&self.opened(&sealing::REVIEWS, stored)?))
            .transpose()
    }

    /// Every household on this phone the district has decided on, with where it stands
    /// now, in record id order: the list's "Perlu perbaikan (n)" and the campaign page's
    /// progress. A decision on a household no longer on the phone is left out.
    pub async fn standings(&self) -> Result<Vec<(HouseholdSummary, Standing)>, StoreError> {
        let fail = |e| StoreError::from_idb(Operation::List, e);
        let stored: Vec<JsValue> = {
            let tx = self.db.transaction(v6::REVIEWS).build().map_err(fail)?;
            read_all_raw(&tx.object_store(v6::REVIEWS).map_err(fail)?, fail).await?
        };
        let stored = stored
            .into_iter()
            .map(|s| self.opened(&sealing::REVIEWS, s))
            .collect::<Result<Vec<_>, _>>()?;
        // Kept in a Vec, not a map: the list page's download pays for every collection it
        // uses, and a phone holds a few hundred decisions at most.
        let mut ids = Vec::with_capacity(stored.len());
        for stored in &stored {
            if let Ok(id) = RecordId::parse(&text(stored, "record_id")) {
                ids.push(id);
            }
        }
        let summaries = self.summaries(&ids).await?;
        Ok(summaries
            .into_iter()
            .filter_map(|summary| {
                // `summaries` leaves out households no longer on the phone.
                let stored = stored
                    .iter()
                    .find(|s| text(s, "record_id") == summary.id.as_str())?;
                let standing = standing_of(stored, summary.revision, summary.status == RecordStatus::Final)?;
                Some((summary, standing))
            })
            .collect())
    }
}
