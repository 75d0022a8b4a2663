// District staff who opened the app in a browser must still reach the hub's own pages in
// that browser: the app's service worker (scope `/`) never answers `/admin` or `/api`
// (issue #17, row 8: it used to answer `/admin` with the app's list, hiding "revoke").
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { serviceWorkerActivated, withBrowser } from './support/browser.mjs';
import { startHub } from './support/hub.mjs';
import { firstVisit } from './support/first_visit.mjs';
import { HASHED } from '../../scripts/serve-dist.mjs';

let hub;
before(async () => {
  hub = await startHub();
});
after(async () => {
  await hub?.stop();
});

test('with the app installed, /admin is still the hub, online and offline', async () => {
  await withBrowser(async (chromium) => {
    const page = await chromium.context.newPage();
    await page.goto(`${hub.url}/`);
    await serviceWorkerActivated(page);
    if (!(await page.evaluate(() => Boolean(navigator.serviceWorker.controller)))) await page.reload();
    await page.waitForFunction(() => Boolean(navigator.serviceWorker.controller), null, { timeout: 30_000 });

    // The app's own page is answered by the worker: this check can fail only if it is not.
    await chromium.context.setOffline(true);
    await page.goto(`${hub.url}/`);
    await page.getByTestId('household-count').waitFor();
    await chromium.context.setOffline(false);

    const admin = await page.goto(`${hub.url}/admin`);
    assert.equal(admin.fromServiceWorker(), false);
    await page.waitForURL(/\/admin\/masuk$/);
    assert.equal(await page.locator('input[name=password]').count(), 1);
    assert.match(await page.title(), /Verval Hub/);

    // Offline, the hub cannot answer: the browser's own error, not the app pretending.
    await chromium.context.setOffline(true);
    const failed = await page.goto(`${hub.url}/admin/petugas`).then(
      () => null,
      (error) => error,
    );
    assert.ok(failed, 'an offline /admin navigation must fail, not show the app');
    assert.equal(await page.getByTestId('household-count').count(), 0);
    await chromium.context.setOffline(false);

    // From the app's own page, which the worker controls, an API call reaches the hub itself.
    await page.goto(`${hub.url}/`);
    await page.getByTestId('household-count').waitFor();
    const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/assignment'));
    const status = await page.evaluate(async () => (await fetch('/api/v1/assignment')).status);
    assert.equal(status, 401, 'the API is answered by the hub');
    assert.equal((await answered).fromServiceWorker(), false);
  });
});

test('the first visit downloads the app compressed, and each file once (issue #26)', async () => {
  await withBrowser(async (chromium) => {
    const visit = await firstVisit(chromium.context, `${hub.url}/`);
    await visit.page.getByTestId('household-count').waitFor();

    // The page's own files came as the hub's build-time copies, and Chromium read them.
    const code = [...visit.encodings].filter(([path]) => path === '/' || /\.(html|js|wasm|css)$/.test(path));
    assert.ok(code.some(([path]) => path.endsWith('_bg.wasm')), 'the start-up module was requested');
    for (const [path, encoding] of code) assert.match(encoding, /^(br|gzip)$/, `${path} went ${encoding}`);

    // The worker precached every file of the app; each big one travelled compressed.
    const fetched = new Map(visit.workerRequests.map((e) => [e.path, e]));
    const modules = [...fetched.values()].filter((e) => e.path.endsWith('.wasm'));
    assert.ok(modules.length >= 6, `the worker fetched ${modules.length} wasm modules`);
    for (const e of modules.filter((e) => e.transfer > 0)) {
      assert.ok(e.encoded < e.decoded * 0.6, `${e.path}: ${e.encoded} bytes for ${e.decoded}`);
    }
    // What the page had already downloaded under a hashed name came from the HTTP cache.
    const hashed = visit.pageRequests.filter((e) => HASHED.test(e.path) && e.transfer > 0);
    assert.ok(
      hashed.length >= 2,
      `the page downloaded its hashed module and script: ${JSON.stringify(visit.pageRequests)}`,
    );
    for (const e of hashed) {
      assert.equal(fetched.get(e.path)?.transfer, 0, `${e.path} was downloaded twice`);
    }
    // And the pages themselves were fetched fresh by the worker, never from the HTTP cache.
    assert.ok(fetched.get('/index.html')?.transfer > 0, 'index.html was precached from the hub');

    const decoded = [...visit.pageRequests, ...visit.workerRequests].reduce((n, e) => n + e.decoded, 0);
    assert.ok(visit.transfer < decoded / 2, `${visit.transfer} bytes transferred for ${decoded}`);
  });
});
