// The foundation slice through the real release build in Chromium: add a household, find it
// again after a reload and after the browser is closed and reopened, see what is wrong with a
// bad family card number, and get a readable screen when storage cannot be opened.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { freshProfileDir, launch, phonePage, removeProfileDir, withBrowser } from './support/browser.mjs';
import { HouseholdList, serveReleaseForFile } from './support/app.mjs';

const server = serveReleaseForFile();

const SITI = { nama_kepala_keluarga: 'SITI AMINAH', nomor_kk: '3513141203150007', alamat: 'Dusun Krajan RT 003 RW 001' };

test('a household typed in is saved, listed, and opens with its values after a reload', async () => {
  await withBrowser(async (chromium) => {
    const page = await phonePage(chromium.context);
    const list = await new HouseholdList(page, server.url).open();
    assert.equal(await list.count(), 0);
    assert.match(await page.locator('.empty').innerText(), /Belum ada keluarga/);

    const form = await list.add();
    assert.match(page.url(), /\/keluarga.html#baru$/);
    for (const [field, value] of Object.entries(SITI)) {
      // Every input carries its field id as name and has a visible label.
      const input = form.input(field);
      const label = page.locator(`label[for="${await input.getAttribute('id')}"]`);
      assert.ok(await label.isVisible(), `label of ${field}`);
      await form.fill(field, value);
    }
    await form.waitSaved();
    const id = await form.recordId();
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.ok(page.url().endsWith(`/keluarga.html#${id}`), `the URL names the saved household: ${page.url()}`);

    await page.reload();
    await form.waitOpen();
    for (const [field, value] of Object.entries(SITI)) {
      assert.equal(await form.value(field), value, `${field} after reload`);
    }

    const back = await form.backToList(server.url);
    assert.equal(await back.count(), 1);
    assert.deepEqual(await back.names(), ['SITI AMINAH']);
    await page.reload();
    await page.getByTestId('household-count').waitFor();
    assert.equal(await back.count(), 1, 'no duplicate after a reload');
    const reopened = await back.openRow(0);
    assert.equal(await reopened.recordId(), id);
    assert.equal(await reopened.value('alamat'), SITI.alamat);
  });
});

test('closing and reopening the browser keeps every household, newest first', async () => {
  const profile = freshProfileDir();
  try {
    let chromium = await launch(profile);
    let page = await phonePage(chromium.context);
    let list = await new HouseholdList(page, server.url).open();
    for (const name of ['BUDI SANTOSO', 'WAYAN SUDARMA']) {
      const form = await list.add();
      await form.fill('nama_kepala_keluarga', name);
      await form.waitSaved();
      list = await form.backToList(server.url);
    }
    await chromium.close();

    chromium = await launch(profile);
    page = await phonePage(chromium.context);
    list = await new HouseholdList(page, server.url).open();
    assert.equal(await list.count(), 2);
    assert.deepEqual(await list.names(), ['WAYAN SUDARMA', 'BUDI SANTOSO']);
    await chromium.close();
  } finally {
    removeProfileDir(profile);
  }
});

test('a bad family card number is explained beside the field, in the chosen language', async () => {
  await withBrowser(async (chromium) => {
    const page = await phonePage(chromium.context);
    const form = await (await new HouseholdList(page, server.url).open()).add();
    assert.equal(await form.input('nomor_kk').getAttribute('inputmode'), 'numeric');

    await form.fill('nomor_kk', '35131412031');
    assert.match(await form.issues('nomor_kk').innerText(), /16 angka/);
    await form.fill('nomor_kk', '3513141203150000');
    assert.match(await form.issues('nomor_kk').innerText(), /0000/);
    await form.fill('nama_kepala_keluarga', 'BUDI 2');
    assert.match(await form.issues('nama_kepala_keluarga').innerText(), /huruf/);

    await page.getByTestId('lang-toggle').click();
    assert.match(await form.issues('nama_kepala_keluarga').innerText(), /letters/);
    assert.match(await page.locator('label[for="f-nomor_kk"]').innerText(), /Family card number/);
    assert.equal(await form.value('nomor_kk'), '3513141203150000', 'switching language keeps answers');
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');

    await form.fill('nomor_kk', '3513141203150007');
    assert.equal(await form.issues('nomor_kk').innerText(), '');
    await form.waitSaved();
    await page.reload();
    await form.waitOpen();
    assert.match(await page.locator('label[for="f-nomor_kk"]').innerText(), /Family card number/, 'language remembered');
  });
});

test('storage that cannot be opened shows a readable error and changes nothing', async () => {
  await withBrowser(async (chromium) => {
    const page = await phonePage(chromium.context);
    // A database left by a newer app version: this build must refuse it, not damage it.
    await page.goto(`${server.url}/favicon.svg`);
    await page.evaluate(() => new Promise((resolve, reject) => {
      const open = indexedDB.open('verval', 999);
      open.onupgradeneeded = () => open.result.createObjectStore('from_the_future');
      open.onsuccess = () => { open.result.close(); resolve(); };
      open.onerror = () => reject(open.error);
    }));

    await page.goto(`${server.url}/`);
    const fatal = page.getByTestId('fatal-error');
    await fatal.waitFor();
    const text = await fatal.innerText();
    assert.match(text, /Penyimpanan tidak dapat dibuka/);
    assert.match(text, /versi Verval yang lebih baru/);
    assert.match(text, /newer version of Verval/);

    const stores = await page.evaluate(() => new Promise((resolve, reject) => {
      const open = indexedDB.open('verval');
      open.onsuccess = () => {
        const db = open.result;
        resolve({ version: db.version, names: [...db.objectStoreNames] });
        db.close();
      };
      open.onerror = () => reject(open.error);
    }));
    assert.deepEqual(stores, { version: 999, names: ['from_the_future'] });
  });
});
