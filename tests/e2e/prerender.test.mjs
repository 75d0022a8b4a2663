// The form page's prerendered first screen (keluarga.html, written by scripts/prerender.mjs;
// taken over by src/prerender.rs): it is the app's own markup, what is typed on it before the
// app starts is kept, and it shows only where it belongs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { phonePage, withBrowser } from './support/browser.mjs';
import { HouseholdForm, HouseholdList, serveReleaseForFile } from './support/app.mjs';
import { appStarted, firstScreenOutline } from '../../scripts/app-markup.mjs';

const server = serveReleaseForFile();

/** Holds the app's module until the returned function is called. */
async function holdTheApp(page) {
  let release;
  const released = new Promise((ok) => (release = ok));
  await page.route('**/*_bg.wasm', async (route) => {
    await released;
    await route.continue();
  });
  return release;
}

test('the prerendered first screen is the markup the app draws for a new household', async () => {
  await withBrowser(async (chromium) => {
    const before = await phonePage(chromium.context);
    // The app never starts here: the page shows only what its HTML holds.
    await before.route('**/*_bg.wasm', (route) => route.abort());
    await before.goto(`${server.url}/keluarga.html#baru`);
    const prerendered = await firstScreenOutline(before, '#prerender');
    await before.close();

    const page = await phonePage(chromium.context);
    await page.goto(`${server.url}/keluarga.html#baru`);
    await appStarted(page);
    assert.ok(prerendered.some((line) => line.includes('name="alamat"')), 'the prerendered screen holds section A');
    assert.deepEqual(
      prerendered,
      await firstScreenOutline(page),
      'keluarga.html is out of date: run `node scripts/prerender.mjs` after a build, then build again',
    );
  });
});

test('what is typed on the first screen before the app starts is saved, and the focus stays in its field', async () => {
  await withBrowser(async (chromium) => {
    const page = await phonePage(chromium.context);
    const release = await holdTheApp(page);
    await page.goto(`${server.url}/keluarga.html#baru`);
    const early = (name) => page.locator(`#prerender [name="${name}"]`);
    await early('alamat').fill('Dusun Krajan RT 002 RW 001');
    await early('prelist_source').and(page.locator('[value="1"]')).check();
    await early('nama_kepala_keluarga').fill('SITI AMINAH');
    // Enter in a field sends nothing away; the photo waits for the app.
    await early('rt').fill('002');
    await early('rt').press('Enter');
    assert.ok(page.url().endsWith('/keluarga.html#baru'), `still the new household's page: ${page.url()}`);
    assert.equal(await early('foto_kk').isDisabled(), true, 'no photo before the app runs');
    await early('nama_kepala_keluarga').focus();
    await early('nama_kepala_keluarga').evaluate((input) => input.setSelectionRange(4, 4));
    assert.equal(await page.locator('[data-testid=household-form][data-id]').count(), 0, 'the app has not started');

    release();
    const form = new HouseholdForm(page);
    await form.waitOpen();
    await form.waitSaved();
    assert.equal(await page.locator('#prerender').count(), 0, 'the app took the screen over');
    assert.equal(await form.value('alamat'), 'Dusun Krajan RT 002 RW 001');
    assert.equal(await form.value('nama_kepala_keluarga'), 'SITI AMINAH');
    assert.equal(await form.value('rt'), '002');
    assert.equal(await page.locator('[name=prelist_source][value="1"]').isChecked(), true);
    assert.equal(await form.input('foto_kk').isDisabled(), false, 'the photo works once the app runs');
    const focus = await page.evaluate(() => [document.activeElement?.name, document.activeElement?.selectionStart]);
    assert.deepEqual(focus, ['nama_kepala_keluarga', 4], 'the caret is where it was');

    // Saved as a household: after a reload (now at the household's own address) it is there.
    const id = await form.recordId();
    assert.ok(page.url().endsWith(`#${id}`), page.url());
    await page.reload();
    await form.waitOpen();
    assert.equal(await form.value('alamat'), 'Dusun Krajan RT 002 RW 001');
    assert.equal(await form.value('nama_kepala_keluarga'), 'SITI AMINAH');
    const list = await new HouseholdList(page, server.url).open();
    assert.equal(await list.count(), 1, 'one household, not two');
  });
});

test('the first screen shows only for a new household in Bahasa Indonesia, and a new form left untouched is not saved', async () => {
  await withBrowser(async (chromium) => {
    const page = await phonePage(chromium.context);
    // The app never starts (and registers no service worker): what shows is the page's own doing.
    await page.route('**/*_bg.wasm', (route) => route.abort());
    const shown = async () => {
      assert.equal(await page.locator('[data-testid=household-form][data-id]').count(), 0, 'the app did not start');
      return page.locator('#prerender [name=alamat]').count();
    };
    await page.goto(`${server.url}/keluarga.html#00000000-0000-4000-8000-000000000001`);
    assert.equal(await shown(), 0, "not over a stored household's page");
    await page.evaluate(() => localStorage.setItem('verval.lang', 'en'));
    await page.goto(`${server.url}/keluarga.html#baru`);
    assert.equal(await shown(), 0, 'not for someone who chose English');
    await page.evaluate(() => localStorage.removeItem('verval.lang'));
    await page.reload();
    assert.equal(await shown(), 1, 'there for a new household');
    // The app does not start here: the screen says that nothing typed on it is saved yet.
    await page.locator('#prerender [data-testid=save-status][data-state=failed]').waitFor({ timeout: 15_000 });
    assert.match(await page.locator('#prerender [data-testid=save-status]').innerText(), /belum tersimpan/);

    await page.unroute('**/*_bg.wasm');
    await page.reload();
    const form = new HouseholdForm(page);
    await form.waitOpen();
    assert.equal(await page.locator('#prerender').count(), 0, 'the app took the screen over');
    const list = await new HouseholdList(page, server.url).open();
    assert.equal(await list.count(), 0, 'opening a new form stores nothing');
  });
});
