// Offline-first behaviour of the release build: cold start with no network, installability,
// the service worker leaving writes alone, and updates that wait for the open form.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { phonePage, withBrowser } from './support/browser.mjs';
import { DIST, HouseholdForm, HouseholdList, serveRelease } from './support/app.mjs';
import { buildOf, buildVersion, checkForUpdate, controlled } from './support/update.mjs';
import { startStaticServer } from '../../scripts/serve-dist.mjs';

const REGIONS_VERSION = JSON.parse(
  readFileSync(new URL('../../node_modules/idn-area-data/package.json', import.meta.url), 'utf8'),
).version;

test('after one online visit, a new tab with the server gone opens the app and every household', async () => {
  const server = await serveRelease();
  try {
    await withBrowser(async (chromium) => {
      const page = await phonePage(chromium.context);
      let list = await new HouseholdList(page, server.url).open();
      const form = await list.add();
      await form.fill('nama_kepala_keluarga', 'SITI AMINAH');
      await form.fill('alamat', 'Dusun Krajan RT 003');
      await form.waitSaved();
      const id = await form.recordId();
      await controlled(page);
      // A region table used online (the enumerator's province) is kept for offline use.
      const regionsUrl = `/data/regions/${REGIONS_VERSION}`;
      const fetchStatus = (p, path) => p.evaluate(async (u) => (await fetch(u).catch(() => null))?.status ?? 'failed', path);
      assert.equal(await fetchStatus(page, `${regionsUrl}/35.json`), 200);
      await page.close();

      await server.close();
      const offline = await phonePage(chromium.context);
      list = await new HouseholdList(offline, server.url).open();
      assert.equal(await list.count(), 1);
      assert.deepEqual(await list.names(), ['SITI AMINAH']);
      assert.equal(await fetchStatus(offline, `${regionsUrl}/35.json`), 200, 'the fetched province works offline');
      assert.equal(await fetchStatus(offline, `${regionsUrl}/36.json`), 'failed', 'an unfetched one was never downloaded');

      await offline.goto(`${server.url}/#/keluarga/${id}`);
      const reopened = new HouseholdForm(offline);
      await reopened.waitOpen();
      assert.equal(await reopened.value('alamat'), 'Dusun Krajan RT 003');
    });
  } finally {
    await server.close();
  }
});

// Issue #28: a phone that opened only the list online could not choose a province offline,
// so it could finalize no family. The list now says whether the phone is ready and what it
// lacks; the work area's region tables are kept ahead of need.
test('the list says what the phone lacks offline, and once ready every region can be chosen with no signal', async () => {
  const server = await serveRelease();
  try {
    await withBrowser(async (chromium) => {
      const page = await phonePage(chromium.context);
      await new HouseholdList(page, server.url).open();
      const ready = page.getByTestId('offline-ready');
      const readyText = (p) => p.getByTestId('offline-ready').innerText();
      const waitReady = (p) =>
        p.waitForFunction(() => document.querySelector('[data-testid=offline-ready]')?.textContent.includes('Siap dipakai tanpa sinyal'));
      await page.waitForFunction(() => document.querySelector('[data-testid=offline-ready]')?.textContent.includes('Belum siap'));
      assert.match(await ready.innerText(), /pilih provinsi di Daftar kunjungan/);

      // The enumerator names the province on the visit list page; its table comes at once.
      await page.getByTestId('open-campaign').click();
      await page.getByTestId('add-work-province').locator('option[value="35"]').waitFor({ state: 'attached' });
      await page.getByTestId('add-work-province').selectOption('35');
      await page.getByTestId('work-area-status').waitFor();
      assert.match(await page.getByTestId('work-area-status').innerText(), /Tabel wilayah 35 JAWA TIMUR tersimpan/i);
      await page.waitForFunction(() => /35 JAWA TIMUR/i.test(document.querySelector('[data-testid=work-area-provinces]')?.textContent));
      await page.goto(`${server.url}/`);
      await waitReady(page);
      assert.match(await readyText(page), /^✓ Siap dipakai tanpa sinyal/);
      await page.close();

      // No signal from here on: a new family gets its whole region cascade.
      await server.close();
      const offline = await phonePage(chromium.context);
      const list = await new HouseholdList(offline, server.url).open();
      await waitReady(offline);
      const form = await list.add();
      for (const [field, code] of [
        ['kode_provinsi', '35'],
        ['kode_kabkota', '35.13'],
        ['kode_kecamatan', '35.13.14'],
        ['kode_desa', '35.13.14.2001'],
      ]) {
        await form.choose(field, code);
      }
      await form.waitSaved();
      assert.equal(await form.value('kode_desa'), '35.13.14.2001');
    });
  } finally {
    await server.close();
  }
});

test('the app is installable and its worker serves the shell but never a write', async () => {
  const server = await serveRelease();
  try {
    await withBrowser(async (chromium) => {
      const page = await phonePage(chromium.context);
      await new HouseholdList(page, server.url).open();
      await controlled(page);

      const cdp = await chromium.context.newCDPSession(page);
      const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
      assert.deepEqual(installabilityErrors, [], 'Chromium lists no reason the app cannot be installed');
      const manifest = await (await page.request.get(`${server.url}/manifest.webmanifest`)).json();
      assert.equal(manifest.name.startsWith('Verval'), true);
      assert.equal(manifest.display, 'standalone');
      const sizes = manifest.icons.map((i) => `${i.sizes} ${i.purpose}`).sort();
      assert.deepEqual(sizes, ['192x192 any', '512x512 any', '512x512 maskable']);

      const seen = [];
      page.on('response', (r) => seen.push({ method: r.request().method(), url: r.url(), sw: r.fromServiceWorker() }));
      await page.reload();
      await page.getByTestId('household-count').waitFor();
      const wasm = seen.find((r) => r.url.endsWith('_bg.wasm'));
      assert.equal(wasm?.sw, true, 'the wasm comes from the service worker cache');

      const status = await page.evaluate(async () => (await fetch('/anything', { method: 'POST', body: 'x' })).status);
      assert.equal(status, 405, 'the POST reached the server');
      const post = seen.find((r) => r.method === 'POST');
      assert.equal(post?.sw, false, 'the POST was not answered by the service worker');
    });
  } finally {
    await server.close();
  }
});

test('an update waits for the user, saves the open draft first, and keeps it', async () => {
  const v1 = mkdtempSync(join(tmpdir(), 'verval-v1-'));
  cpSync(DIST, v1, { recursive: true });
  const v2 = buildVersion('v2');
  const server = await startStaticServer(v1, 0);
  const build = buildOf;
  try {
    await withBrowser(async (chromium) => {
      const page = await phonePage(chromium.context);
      const form = await (await new HouseholdList(page, server.url).open()).add();
      await form.fill('nama_kepala_keluarga', 'WAYAN SUDARMA');
      await form.waitSaved();
      await controlled(page);

      server.setRoot(v2);
      await checkForUpdate(page);
      await page.getByTestId('apply-update').waitFor();
      assert.equal(await build(page), 'v1', 'the new version waits: the page still runs v1');

      // A dirty form: typed, the update applied before the autosave timer fires.
      await form.input('alamat').fill('Banjar Kaja, Desa Sukawati');
      await page.getByTestId('apply-update').click();
      await page.waitForFunction(() => document.querySelector('meta[name=verval-build]'), null, { timeout: 20_000 });
      assert.equal(await build(page), 'v2');

      const reopened = new HouseholdForm(page);
      await reopened.waitOpen();
      assert.equal(await reopened.value('nama_kepala_keluarga'), 'WAYAN SUDARMA');
      assert.equal(await reopened.value('alamat'), 'Banjar Kaja, Desa Sukawati', 'the draft typed just before updating');
      const shells = await page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith('verval-shell-')));
      assert.equal(shells.length, 1, `old shell caches are removed: ${shells}`);
    });
  } finally {
    await server.close();
    rmSync(v1, { recursive: true, force: true });
    rmSync(v2, { recursive: true, force: true });
  }
});

test('another tab applying an update leaves this tab working, told, and its draft saved', async () => {
  const v1 = mkdtempSync(join(tmpdir(), 'verval-v1-'));
  cpSync(DIST, v1, { recursive: true });
  const v2 = buildVersion('v2');
  const server = await startStaticServer(v1, 0);
  try {
    await withBrowser(async (chromium) => {
      const first = await phonePage(chromium.context);
      await new HouseholdList(first, server.url).open();
      await controlled(first);
      const second = await phonePage(chromium.context);
      const draft = await (await new HouseholdList(second, server.url).open()).add();
      await draft.fill('nama_kepala_keluarga', 'KETUT ARSANA');
      await draft.waitSaved();

      server.setRoot(v2);
      await checkForUpdate(first);
      await first.getByTestId('apply-update').click();
      await first.waitForFunction(() => document.querySelector('meta[name=verval-build]'), null, { timeout: 20_000 });

      // The second tab still runs v1, says a new version is active, and keeps saving.
      const banner = second.getByTestId('update-banner');
      await second.getByTestId('reload-page').waitFor();
      assert.match(await banner.innerText(), /Versi baru sudah aktif di tab lain/);
      assert.equal(await second.evaluate(() => document.querySelector('meta[name=verval-build]')), null);
      await draft.fill('alamat', 'Banjar Dinas Kaja');
      await draft.waitSaved();

      await second.getByTestId('reload-page').click();
      await draft.waitOpen();
      await second.waitForFunction(() => document.querySelector('meta[name=verval-build]'));
      assert.equal(await draft.value('nama_kepala_keluarga'), 'KETUT ARSANA');
      assert.equal(await draft.value('alamat'), 'Banjar Dinas Kaja');
    });
  } finally {
    await server.close();
    rmSync(v1, { recursive: true, force: true });
    rmSync(v2, { recursive: true, force: true });
  }
});
