// New versions of the release build, for the tests of updates: a copy of dist/ with a marker
// in its pages and a service worker of its own, and the waits around the worker.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeServiceWorker } from '../../../scripts/make-sw.mjs';
import { serviceWorkerActivated } from './browser.mjs';
import { DIST } from './app.mjs';

/** A build named `name`: the same app with `<meta name=verval-build content=NAME>` in its
 * pages, and its own service worker (so the browser sees a new version). Returns its folder. */
export function buildVersion(name) {
  const dir = mkdtempSync(join(tmpdir(), `verval-${name}-`));
  cpSync(DIST, dir, { recursive: true });
  for (const page of ['index.html', 'keluarga.html']) {
    const path = join(dir, page);
    const html = readFileSync(path, 'utf8').replace('<title>', `<meta name=verval-build content=${name}><title>`);
    assert.notEqual(html, readFileSync(path, 'utf8'), `the ${name} marker went into ${page}`);
    writeFileSync(path, html);
  }
  makeServiceWorker(dir);
  return dir;
}

/** The build the page runs: its marker, or `v1` for dist/ itself. */
export function buildOf(page) {
  return page.evaluate(() => document.querySelector('meta[name=verval-build]')?.content ?? 'v1');
}

/** Waits until a service worker controls the page. The app registers its worker once the
 * page is on screen; the first visit's worker claims the pages open when it activates, but a
 * page whose navigation was under way at that moment is not claimed (the browser's rule,
 * harmless for the app: the next load is controlled), so such a page is reloaded. Fails
 * within a minute, with the worker's state, instead of waiting for ever. */
export async function controlled(page) {
  await serviceWorkerActivated(page);
  if (!(await page.evaluate(() => Boolean(navigator.serviceWorker.controller)))) await page.reload();
  await page.waitForFunction(() => Boolean(navigator.serviceWorker.controller), null, { timeout: 30_000 });
}

/** Checks for a new version of the service worker, failing after a minute instead of hanging. */
export function checkForUpdate(page) {
  return page.evaluate(() =>
    Promise.race([
      navigator.serviceWorker.getRegistration().then((r) => r.update()),
      new Promise((_, reject) => setTimeout(() => reject(new Error('the update check did not finish in 60 s')), 60_000)),
    ]).then(() => true),
  );
}
