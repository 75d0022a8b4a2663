// The few browser APIs the app reaches through plain JavaScript, one file so every page
// loads one snippet: Web Locks and draft locks (src/draft_lock.rs, src/sync/lease.rs) and
// the offline readiness question (src/offline.rs).

// A named Web Lock, held until the release function it resolves to is called. The browser
// itself lets it go when the tab or worker holding it closes, crashes or is left: a lease
// kept in storage cannot know that and must wait for its expiry. Resolves to null when
// another holder has the name, to undefined when this browser has no Web Locks, and to
// 'failed' when it has them but refused the request.
export function claimWebLock(name) {
  if (!(navigator.locks && typeof navigator.locks.request === 'function')) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    navigator.locks
      .request(name, { ifAvailable: true }, (lock) => {
        if (!lock) {
          resolve(null);
          return undefined;
        }
        // Held until the returned promise settles, i.e. until release() is called.
        return new Promise((release) => resolve(release));
      })
      .catch(() => resolve('failed'));
  });
}

// Resolves once no one holds the Web Lock `name` (it takes it and lets it go at once);
// never, when the browser has no Web Locks: the caller's own timeout decides then.
export function webLockFree(name) {
  if (!(navigator.locks && typeof navigator.locks.request === 'function')) return new Promise(() => {});
  return navigator.locks.request(name, () => undefined).then(
    () => undefined,
    () => new Promise(() => {}),
  );
}

// One tab per draft: claims a named lock for as long as a record is open for editing.
// Resolves to a release function, or to null when another tab holds the lock already.
//
// A Web Lock where the browser has one. Otherwise a BroadcastChannel handshake: ask
// whether any tab holds the name, wait briefly for an answer, and from then on answer for it.

const CHANNEL = 'verval-draft-locks';
const ANSWER_WAIT_MS = 150;

export async function claimDraftLock(name) {
  const held = await claimWebLock(name);
  // Refused by a browser that has Web Locks: other tabs hold drafts by Web Lock and would
  // not answer a handshake, so the draft opens read-only rather than twice.
  if (held === 'failed') return null;
  if (held !== undefined) return held;
  if (typeof BroadcastChannel !== 'function') {
    // Nothing to coordinate with: a browser this old has one tab's worth of features anyway.
    return () => {};
  }
  return new Promise((resolve) => {
    const channel = new BroadcastChannel(CHANNEL);
    let heldElsewhere = false;
    channel.onmessage = (event) => {
      if (event.data && event.data.name === name && event.data.kind === 'held') heldElsewhere = true;
    };
    channel.postMessage({ kind: 'who', name });
    setTimeout(() => {
      if (heldElsewhere) {
        channel.close();
        resolve(null);
        return;
      }
      channel.onmessage = (event) => {
        if (event.data && event.data.name === name && event.data.kind === 'who') {
          channel.postMessage({ kind: 'held', name });
        }
      };
      resolve(() => channel.close());
    }, ANSWER_WAIT_MS);
  });
}

// Offline readiness: asks the service worker (sw/service-worker.js, `readiness`) whether
// this phone can work with no signal. The region tables it must hold are the province list
// `list` and each province of `area` (comma-separated), each the file `${dir}${table}.json`;
// the worker fetches those it lacks while it can. On a first visit this waits until the
// worker has stored the app. Resolves to a state's number in verval_core::offline::Readiness.
const NO_APP = 2;
export async function offlineReadiness(dir, list, area) {
  const worker = navigator.serviceWorker && (await navigator.serviceWorker.ready).active;
  if (!worker) return NO_APP;
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event) => resolve(event.data);
    worker.postMessage({ type: 'READINESS', dir, list, area }, [channel.port2]);
  });
}
