//! The district's review on the phone (issue #20): the latest decision per household and the
//! cursor the next sync round asks from. A feed (a sync answer or a review file) is taken in
//! one transaction with the cursor, so a killed tab leaves it taken whole or not at all, and
//! taking it again changes nothing (`verval_core::review::book`).
//!
//! The list and campaign pages read decisions field by field (`decode`), as they read
//! summaries: they need where each household stands, not the notes.

use super::decode::{field, revision, text};
use super::error::Operation;
use super::schema::{v3, v6};
use super::write::write_tx;
use super::{read_one, IdbStore, StoreError};
use indexed_db_futures::prelude::*;
use std::collections::BTreeMap;
use verval_core::record::{HouseholdSummary, RecordStatus};
use verval_core::review::book::{Merged, ReviewBook, Standing};
use verval_core::review::feed::{ReviewFeed, ReviewMessage};
use verval_core::review::{Decision, DuplicateOf};
use verval_core::RecordId;
use wasm_bindgen::JsValue;

/// The meta store's key of the cursor.
const META_CURSOR: &str = "review_cursor";

fn unreadable(e: impl std::fmt::Display) -> StoreError {
    StoreError::Unreadable(format!("a stored review: {e}"))
}

/// What a list needs of a stored decision.
struct Mark {
    record_id: String,
    revision: u32,
    decision: Decision,
    duplicate_of: Option<DuplicateOf>,
}

impl Mark {
    fn read(stored: &JsValue) -> Result<Mark, StoreError> {
        let revision = revision(stored).ok_or_else(|| unreadable("no revision"))?;
        let decision = Decision::parse(&text(stored, "decision")).ok_or_else(|| unreadable("no decision"))?;
        let duplicate = field(stored, "duplicate_of");
        let duplicate_of = duplicate.is_object().then(|| DuplicateOf {
            record_id: text(&duplicate, "record_id"),
            name: text(&duplicate, "name"),
        });
        Ok(Mark {
            record_id: text(stored, "record_id"),
            revision,
            decision,
            duplicate_of,
        })
    }
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
            let stored: Option<ReviewMessage> = reviews
                .get(review.record_id.as_str())
                .serde()
                .map_err(fail)?
                .await
                .map_err(fail)?;
            if let Some(stored) = stored {
                latest.insert(review.record_id.clone(), stored);
            }
        }
        let before = latest.clone();
        let mut book = ReviewBook { cursor, latest };
        let merged = book.merge(feed);
        for (id, review) in &book.latest {
            if before.get(id) != Some(review) {
                reviews.put(review).serde().map_err(fail)?.await.map_err(fail)?;
            }
        }
        if book.cursor != cursor {
            // A cursor stays far below 2^53: one per decision the district makes.
            meta.put(JsValue::from_f64(book.cursor as f64))
                .with_key(META_CURSOR)
                .primitive()
                .map_err(fail)?
                .await
                .map_err(fail)?;
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
        reviews
            .get(id.as_str())
            .serde()
            .map_err(fail)?
            .await
            .map_err(fail)
    }

    /// Every household on this phone the district has decided on, with where it stands
    /// now: the list's "Perlu perbaikan (n)" and the campaign page's progress. A decision on
    /// a household no longer on the phone is left out.
    pub async fn standings(&self) -> Result<Vec<(HouseholdSummary, Standing)>, StoreError> {
        let fail = |e| StoreError::from_idb(Operation::List, e);
        let stored: Vec<JsValue> = {
            let tx = self.db.transaction(v6::REVIEWS).build().map_err(fail)?;
            let reviews = tx.object_store(v6::REVIEWS).map_err(fail)?;
            reviews
                .get_all()
                .primitive()
                .map_err(fail)?
                .await
                .map_err(fail)?
                .collect::<Result<_, _>>()
                .map_err(fail)?
        };
        let marks: BTreeMap<RecordId, Mark> = stored
            .iter()
            .map(Mark::read)
            .filter_map(|mark| {
                mark.map(|m| RecordId::parse(&m.record_id).ok().map(|id| (id, m)))
                    .transpose()
            })
            .collect::<Result<_, _>>()?;
        let ids: Vec<RecordId> = marks.keys().cloned().collect();
        let summaries = self.summaries(&ids).await?;
        Ok(summaries
            .into_iter()
            .filter_map(|summary| {
                let mark = marks.get(&summary.id)?;
                let standing = Standing::at(
                    mark.decision,
                    mark.revision,
                    mark.duplicate_of.as_ref(),
                    summary.revision,
                    summary.status == RecordStatus::Final,
                );
                Some((summary, standing))
            })
            .collect())
    }
}
