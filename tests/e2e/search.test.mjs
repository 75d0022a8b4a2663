// Finding a household in the list (by name, NIK or KK, and by status), and a family card
// number already used by another family on this phone shown as a warning naming that family.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { phonePage, withBrowser } from './support/browser.mjs';
import { HouseholdList, serveReleaseForFile } from './support/app.mjs';

const server = serveReleaseForFile();

async function addFamily(page, name, kk) {
  const form = await (await new HouseholdList(page, server.url).open()).add();
  await form.fill('nama_kepala_keluarga', name);
  await form.fill('nomor_kk', kk);
  await form.waitSaved();
  return form;
}

async function found(page) {
  await page.waitForTimeout(300);
  return page.locator('[data-testid=household-row] .household-name').allInnerTexts();
}

test('the list finds a family by a name, by the start of a KK, and by status', async () => {
  await withBrowser(async (chromium) => {
    const page = await phonePage(chromium.context);
    await addFamily(page, 'SITI AMINAH', '3513141203150007');
    await addFamily(page, 'BUDI SANTOSO', '3513140101100001');
    await addFamily(page, 'SITI RAHAYU', '3513141505170003');
    const list = await new HouseholdList(page, server.url).open();
    assert.equal(await list.count(), 3);

    const search = page.getByTestId('search-households');
    await search.fill('siti');
    assert.deepEqual((await found(page)).sort(), ['SITI AMINAH', 'SITI RAHAYU']);
    await search.fill('siti ami');
    assert.deepEqual(await found(page), ['SITI AMINAH']);
    await search.fill('rahayu');
    assert.deepEqual(await found(page), ['SITI RAHAYU'], 'any word of the name');
    await search.fill('35131401');
    assert.deepEqual(await found(page), ['BUDI SANTOSO'], 'the start of a KK');
    await search.fill('tidak ada');
    assert.deepEqual(await found(page), []);
    assert.equal(await page.getByTestId('found-count').getAttribute('data-count'), '0');

    await search.fill('');
    await page.getByTestId('filter-status').selectOption('final');
    assert.deepEqual(await found(page), [], 'nothing is final yet');
    await page.getByTestId('filter-status').selectOption('draft');
    assert.equal((await found(page)).length, 3);
    assert.equal(await list.count(), 3, 'the total stays the number stored');
  });
});

test('a family card number already on this phone is flagged, naming the other family', async () => {
  await withBrowser(async (chromium) => {
    const page = await phonePage(chromium.context);
    await addFamily(page, 'SITI AMINAH', '3513141203150007');
    const second = await addFamily(page, 'SITI AMINAH', '3513141203150007');
    const issues = second.issues('nomor_kk');
    await issues.filter({ hasText: 'juga tercatat di keluarga lain' }).waitFor();
    assert.match(await issues.innerText(), /SITI AMINAH \(KK 3513141203150007\)/, 'the other family is named');
    await second.fill('nomor_kk', '3513141203150015');
    await page.waitForFunction(() => document.querySelector('[data-testid=issues-nomor_kk]').innerText === '');
  });
});
