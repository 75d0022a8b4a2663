// The few browser APIs the app reaches through plain JavaScript, one file so every page
// loads one snippet: draft locks (src/draft_lock.rs) and the offline readiness question
// (src/offline.rs).

// One tab per draft: claims a named lock for as long as a record is open for editing.
// Resolves to a release function, or to null when another tab holds the lock already.
//
// Web Locks where the browser has them: the browser itself releases a lock when its tab
// closes or crashes. Otherwise a BroadcastChannel handshake: ask whether any tab holds the
// name, wait briefly for an answer, and from then on answer for it.

const CHANNEL = 'verval-draft-locks';
const ANSWER_WAIT_MS = 150;

export function claimDraftLock(name) {
  if (navigator.locks && typeof navigator.locks.request === 'function') {
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
        .catch(() => resolve(null));
    });
  }
  if (typeof BroadcastChannel !== 'function') {
    // Nothing to coordinate with: a browser this old has one tab's worth of features anyway.
    return Promise.resolve(() => {});
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
