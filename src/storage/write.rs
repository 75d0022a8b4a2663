//! The one way data is written: every read-write transaction is begun and committed here, so
//! each gets relaxed durability and a full disk is always reported as such.

use super::error::Operation;
use super::StoreError;
use indexed_db_futures::database::{Database, ObjectStoreName};
use indexed_db_futures::internals::SystemRepr;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{
    Transaction, TransactionDurability, TransactionMode, TransactionOptions,
};
use std::ops::Deref;

/// Relaxed durability: a write counts as done once the browser has handed it to the
/// operating system, which keeps it through a killed tab or browser (on phones the common way
/// to lose work) and writes it to flash within seconds. Strict durability waits for an fsync
/// on every save; on a busy or cheap disk that took over a second (measured under write
/// pressure, tests/e2e/crash.test.mjs), long enough for a killed browser to take the
/// enumerator's last typing with it. What relaxed gives up is the last few seconds before a
/// sudden power loss.
fn durability() -> TransactionOptions {
    TransactionOptions::new().with_durability(TransactionDurability::Relaxed)
}

/// A read-write transaction under way. Requests are placed through it like through the
/// transaction itself (it derefs to one); nothing is written until [`Write::commit`].
pub(super) struct Write<'db> {
    tx: Transaction<'db>,
    /// The same transaction as the browser sees it: a full disk's abort reason is only here.
    raw: web_sys::IdbTransaction,
    operation: Operation,
}

/// Begins a write over `stores` for `operation` (whose words a failure is reported in).
pub(super) fn write_tx<S: ObjectStoreName>(
    db: &Database,
    stores: S,
    operation: Operation,
) -> Result<Write<'_>, StoreError> {
    let tx = db
        .transaction(stores)
        .with_mode(TransactionMode::Readwrite)
        .with_options(durability())
        .build()
        .map_err(|e| StoreError::from_idb(operation, e))?;
    let raw: web_sys::IdbTransaction = tx.as_sys().clone().into();
    Ok(Write { tx, raw, operation })
}

impl<'db> Write<'db> {
    /// Maps a failed request of this write to the user's words.
    pub(super) fn fail(&self) -> impl Fn(indexed_db_futures::error::Error) -> StoreError + Copy {
        let operation = self.operation;
        move |e| StoreError::from_idb(operation, e)
    }

    /// Commits everything placed. A full disk aborts the transaction at commit, and the
    /// reason (a quota error the user must be told about) is only on the raw transaction,
    /// not on the error the commit returns.
    pub(super) async fn commit(self) -> Result<(), StoreError> {
        let operation = self.operation;
        match self.tx.commit().await {
            Ok(()) => Ok(()),
            Err(error) => Err(self
                .raw
                .error()
                .map_or_else(|| StoreError::from_idb(operation, error), StoreError::from_abort)),
        }
    }
}

impl<'db> Deref for Write<'db> {
    type Target = Transaction<'db>;

    fn deref(&self) -> &Transaction<'db> {
        &self.tx
    }
}
