// Verval's service worker: makes the app start with no network after one online visit.
//
// scripts/make-sw.mjs prepends two constants when the app is built:
//   VERSION  - a hash of every built file; a new build is a new worker and a new cache
//   PRECACHE - every built file (the app shell), by name relative to the worker's scope
//   HASHED   - the pattern of a name that carries its content's hash (scripts/serve-dist.mjs)
//
// Rules this file keeps:
// - It only ever answers GET requests of its own origin. POST/PUT/PATCH/DELETE are never
//   intercepted (Enketo sent empty bodies on Safari that way, enketo/enketo PR#1584).
// - It never answers for the hub that may serve the app (`/admin`, `/api`): district staff
//   who opened the app in the same browser must still reach the hub's own pages (issue #17).
// - A new version installs in the background and waits. It activates only when the app
//   asks (after saving the open form), never on its own under an open, dirty form.
// - Data files (region tables) are cached when first fetched, in a cache that survives
//   app updates; a page may ask for the work area's tables ahead of need (`readiness`).
/* global VERSION, PRECACHE, HASHED */

const SHELL_CACHE = `verval-shell-${VERSION}`;
const SHELL_PREFIX = 'verval-shell-';
const DATA_CACHE = 'verval-data-v1';
const DATA_PATH = '/data/';
/** The hub's own addresses: the network answers them, never the app's shell. */
const HUB_PATHS = ['/admin', '/api'];

const isHubPath = (pathname) =>
  HUB_PATHS.some((root) => pathname === root || pathname.startsWith(`${root}/`));

const scoped = (name) => new URL(name, self.registration.scope).href;

/** A file named by its content's hash (`verval-<16 hex>_bg.wasm`) never changes, so the copy
 * the page itself just downloaded, in the HTTP cache, is the one built: the first visit
 * does not download the start-up page twice, and an update only the files that changed.
 * Any other file (a page, a worker) is fetched past the HTTP cache (`reload`), so the shell
 * cached is the one just built. HASHED is prepended by scripts/make-sw.mjs. */
const cacheMode = (name) => (HASHED.test(name) ? 'default' : 'reload');

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(SHELL_CACHE).then((cache) =>
      cache.addAll(PRECACHE.map((name) => new Request(scoped(name), { cache: cacheMode(name) }))),
    ),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(SHELL_PREFIX) && name !== SHELL_CACHE) await caches.delete(name);
      }
      // Take over pages opened before this worker existed (the first visit), so they work
      // offline too. Pages react to the change themselves (see src/update.rs).
      await self.clients.claim();
    })(),
  );
});

/** A page asks whether the phone can work with no signal (src/browser.js). */
const READINESS = 'READINESS';
/** The answers: verval_core::offline::Readiness by number (tests/build/offline.test.mjs). */
const READY = 1;
const NO_APP = 2;
const NO_WORK_AREA = 3;
const NO_TABLES = 4;

self.addEventListener('message', (event) => {
  if (event.data === 'SKIP_WAITING') {
    self.skipWaiting();
  } else if (event.data?.type === READINESS && event.ports[0]) {
    const port = event.ports[0];
    event.waitUntil(readiness(event.data).then((state) => port.postMessage(state)));
  }
});

/**
 * Whether this phone can work with no signal, as the first thing it lacks: the app's own
 * files, a work area, or a region table. The tables are the province list `list` and each
 * province of `area` (comma-separated), each the file `${dir}${table}.json` relative to the
 * scope; any not stored is fetched now if it can be, and kept in the data cache as if the
 * form had asked for it.
 */
async function readiness({ dir, list, area }) {
  const shell = await caches.open(SHELL_CACHE);
  if ((await shell.keys()).length < PRECACHE.length) return NO_APP;
  const data = await caches.open(DATA_CACHE);
  let missing = 0;
  for (const table of [list, ...area.split(',').filter(Boolean)]) {
    const request = new Request(scoped(`${dir}${table}.json`));
    if (await data.match(request)) continue;
    try {
      const response = await fetch(request);
      if (response.ok) {
        await data.put(request, response);
        continue;
      }
    } catch {
      // No signal: counted as missing.
    }
    missing += 1;
  }
  if (!area) return NO_WORK_AREA;
  return missing ? NO_TABLES : READY;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (isHubPath(url.pathname)) return;

  if (request.mode === 'navigate') {
    // A page of the app (keluarga.html) by its own name; any other address gets the list.
    const page = url.pathname.split('/').pop();
    const known = page.endsWith('.html') && PRECACHE.includes(page);
    event.respondWith(shellFirst(scoped(known ? page : 'index.html'), request));
  } else if (url.pathname.startsWith(DATA_PATH)) {
    event.respondWith(dataFirst(request));
  } else {
    event.respondWith(shellFirst(request, request));
  }
});

/** The cached shell file, else the network. */
async function shellFirst(key, request) {
  const cache = await caches.open(SHELL_CACHE);
  const hit = await cache.match(key, { ignoreSearch: true });
  return hit ?? fetch(request);
}

/** A cached data file, else the network, keeping a good answer for next time offline. */
async function dataFirst(request) {
  const cache = await caches.open(DATA_CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}
