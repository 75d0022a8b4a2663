// A drawn signature is kept as drawn (issue #16): no separate save step, each stroke stored
// when the finger lifts; finalizing while a stroke is still being drawn is refused with a
// message, and finalizing right after the finger lifts locks the family with its signature.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { phonePage, withBrowser } from './support/browser.mjs';
import { HouseholdForm, HouseholdList, serveReleaseForFile } from './support/app.mjs';
import { fillCompleteFamily } from './support/fill.mjs';

const server = serveReleaseForFile();

/** The stored image under the signature's answer, as the household record names it. */
function storedSignature(page, id) {
  return page.evaluate(
    (id) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('verval');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction(['households', 'photos']);
          const get = tx.objectStore('households').get(id);
          get.onsuccess = () => {
            const key = get.result?.answers?.tanda_tangan ?? '';
            if (!key) return resolve({ key, type: null, status: get.result?.status });
            const photo = tx.objectStore('photos').get(key);
            photo.onsuccess = () => resolve({ key, type: photo.result?.type ?? null, status: get.result.status });
          };
        };
      }),
    id,
  );
}

test('a signature is stored as drawn, and finalizing waits for it', async () => {
  await withBrowser(async (chromium) => {
    const page = await phonePage(chromium.context);
    const form = await (await new HouseholdList(page, server.url).open()).add();
    await fillCompleteFamily(page, form, chromium.context, server.url);
    const id = await form.recordId();
    await form.section('I');
    assert.equal(await page.getByText('Simpan tanda tangan').count(), 0, 'no separate save step');
    // Section I opens at its top: the pad is further down, and a finger only draws on screen.
    await page.locator('canvas.drawing-pad').scrollIntoViewIfNeeded();
    const pad = await page.locator('canvas.drawing-pad').boundingBox();

    // A finger still on the pad: the signature is not stored, so the family cannot be locked.
    await page.mouse.move(pad.x + 20, pad.y + 40);
    await page.mouse.down();
    await page.mouse.move(pad.x + 120, pad.y + 90, { steps: 8 });
    await page.getByTestId('finalize').dispatchEvent('click');
    await page.getByTestId('confirm-finalize').dispatchEvent('click');
    const refused = page.locator('[data-testid=save-status][data-state=failed]');
    await refused.waitFor({ timeout: 20_000 });
    assert.match(await refused.innerText(), /Tanda tangan atau foto belum tersimpan/);
    assert.equal(await page.getByTestId('record-status').getAttribute('data-final'), 'false', 'not locked');

    // The finger lifts and the enumerator finalizes at once: the stroke is in the lock.
    await page.mouse.move(pad.x + 200, pad.y + 60, { steps: 8 });
    await page.mouse.up();
    await page.getByTestId('finalize').click();
    await page.getByTestId('confirm-finalize').click();
    await page.locator('[data-testid=record-status][data-final=true]').waitFor();
    await form.waitSaved();
    const stored = await storedSignature(page, id);
    assert.equal(stored.status, 'final');
    assert.match(stored.key, /^foto-/, 'the answer names the stored drawing');
    assert.equal(stored.type, 'image/png');

    // After a reload the signature is shown from storage.
    await page.reload();
    const reopened = new HouseholdForm(page);
    await reopened.waitOpen();
    await reopened.section('I');
    await page.locator('.drawing img.photo-preview:not([hidden])').waitFor();
  });
});

test('a stroke drawn just before leaving by the app\'s link is stored; "Ulangi" clears the answer', async () => {
  await withBrowser(async (chromium) => {
    const page = await phonePage(chromium.context);
    const form = await (await new HouseholdList(page, server.url).open()).add();
    await form.fill('nama_kepala_keluarga', 'TANDA TANGAN');
    // The interview took place (section B) and the family was found (section C): consent
    // and the signature apply.
    await form.section('B');
    await form.choose('hasil_wawancara', '1');
    await form.section('C');
    await form.choose('status_verifikasi', '2');
    await form.section('I');
    await form.choose('persetujuan', '1');
    const id = await form.recordId();
    // Section I opens at its top: the pad is further down, and a finger only draws on screen.
    await page.locator('canvas.drawing-pad').scrollIntoViewIfNeeded();
    const pad = await page.locator('canvas.drawing-pad').boundingBox();
    await page.mouse.move(pad.x + 30, pad.y + 30);
    await page.mouse.down();
    await page.mouse.move(pad.x + 150, pad.y + 120, { steps: 6 });
    await page.mouse.up();
    await page.getByTestId('back-to-list').click();
    await page.getByTestId('household-count').waitFor();
    assert.match((await storedSignature(page, id)).key, /^foto-/, 'stored before the page was left');

    await page.goto(`${server.url}/keluarga.html#${id}`);
    await form.waitOpen();
    await form.section('I');
    await page.locator('.drawing img.photo-preview:not([hidden])').waitFor();
    await page.getByTestId('drawing-clear').click();
    let key = null;
    for (let i = 0; i < 50 && key !== ''; i++) {
      await page.waitForTimeout(100);
      key = (await storedSignature(page, id)).key;
    }
    assert.equal(key, '', 'cleared means no signature');
  });
});
