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
