//! CPU work on files from outside (verifying a batch, reading a prelist spreadsheet) runs
//! here: on blocking threads, a few at a time, so that a heavy upload never stalls the async
//! workers that answer every other request. Work that waits too long for a turn is not
//! queued without end: the caller answers "busy, try later" (503).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::LazyLock;
use std::time::Duration;
use tokio::sync::Semaphore;

/// Jobs at once: one per core.
static SLOTS: LazyLock<Semaphore> =
    LazyLock::new(|| Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get())));
/// How long a job waits for a turn (milliseconds; 10 s unless [`set_wait`] says otherwise).
static WAIT_MS: AtomicU64 = AtomicU64::new(10_000);

/// No turn came within the wait.
#[derive(Debug)]
pub struct Busy;

/// Sets how long a job waits for a turn (a test makes it short).
pub fn set_wait(wait: Duration) {
    WAIT_MS.store(
        u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
        Ordering::Relaxed,
    );
}

/// The slots themselves, for a test that takes them all.
pub fn slots() -> &'static Semaphore {
    &SLOTS
}

/// Runs `job` on a blocking thread once a slot is free.
pub async fn run<T: Send + 'static>(job: impl FnOnce() -> T + Send + 'static) -> Result<T, Busy> {
    let wait = Duration::from_millis(WAIT_MS.load(Ordering::Relaxed));
    let _slot = tokio::time::timeout(wait, SLOTS.acquire())
        .await
        .map_err(|_| Busy)?
        .map_err(|_| Busy)?;
    // A panic in the job (a bug) is answered as busy rather than taking the request down.
    tokio::task::spawn_blocking(job).await.map_err(|_| Busy)
}
