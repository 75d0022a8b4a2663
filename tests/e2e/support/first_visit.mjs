// What a phone downloads on its first visit to the app, as Chromium itself counts it: the
// page's own requests and those of the service worker that installs the app for offline use
// (Resource Timing in both; `transferSize` is 0 for what came from the HTTP cache).
import { serviceWorkerActivated } from './browser.mjs';

/** One request's entry, by path. */
function entries() {
  return performance
    .getEntriesByType('navigation')
    .concat(performance.getEntriesByType('resource'))
    .map((e) => ({
      path: new URL(e.name).pathname,
      transfer: e.transferSize,
      encoded: e.encodedBodySize,
      decoded: e.decodedBodySize,
    }));
}

/**
 * Opens `url` in a new page of `context` (a fresh profile), waits for the service worker to
 * be activated (the whole app precached) and returns `{ page, worker, pageRequests,
 * workerRequests, encodings, transfer }`: each request with its transferred, encoded and
 * decoded bytes; each response's `Content-Encoding` by path as the page saw it; and the sum
 * of bytes transferred.
 */
export async function firstVisit(context, url) {
  const page = await context.newPage();
  const encodings = new Map();
  page.on('response', async (response) => {
    const headers = await response.allHeaders().catch(() => ({}));
    encodings.set(new URL(response.url()).pathname, headers['content-encoding'] ?? 'identity');
  });
  await page.goto(url);
  await serviceWorkerActivated(page);
  const worker =
    context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 30_000 }));
  // Resource Timing entries are queued after each response ends; on a busy machine the
  // page's own may lag behind the worker's activation, so wait for every file the document
  // links to (its stylesheet, module and wasm preload) to have one.
  await page.waitForFunction(
    () => {
      const linked = [...document.querySelectorAll('link[href]')]
        .filter((l) => /^(stylesheet|modulepreload|preload)$/.test(l.rel))
        .map((l) => new URL(l.href).pathname);
      const seen = new Set(performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname));
      return linked.every((path) => seen.has(path));
    },
    null,
    { timeout: 30_000 },
  );
  const pageRequests = await page.evaluate(entries);
  const workerRequests = await worker.evaluate(entries);
  const transfer = [...pageRequests, ...workerRequests].reduce((sum, e) => sum + e.transfer, 0);
  return { page, worker, pageRequests, workerRequests, encodings, transfer };
}
