// The district hub's pages in Chromium, as district staff use them: sign in, upload a batch
// file handed over by an enumerator and download its receipt, review a household, copy its
// values for SIKS-NG, read the aid recap, add an enumerator (code and QR), download the
// merged export, sign out.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { withBrowser } from './support/browser.mjs';
import { ADMIN, signIn, startHub } from './support/hub.mjs';

const SAMPLE = new URL('../../target/debug/examples/batch_sample', import.meta.url).pathname;

let hub;
before(async () => {
  hub = await startHub();
});
after(async () => {
  await hub?.stop();
});

test('district staff receive a batch file, review and export at the hub', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'verval-admin-'));
  const batch = join(dir, 'batch.zip');
  execFileSync(SAMPLE, [batch]);

  await withBrowser(async (chromium) => {
    const page = await chromium.context.newPage();
    // Anything the pages' CSP refuses (a script, a style, an image) shows up here.
    const refused = [];
    page.on('console', (message) => {
      if (/Refused|Content Security Policy/.test(message.text())) refused.push(message.text());
    });
    await page.goto(`${hub.url}/admin`);
    await page.waitForURL(/\/admin\/masuk$/);
    await signIn(page, hub.url, { ...ADMIN, password: 'salah sekali' });
    await page.getByTestId('problem').waitFor();
    await signIn(page, hub.url);
    await page.waitForURL(/\/admin$/);
    // The home page is the round's progress: nothing yet.
    assert.match(await page.getByTestId('progress-total').innerText(), /^0 dari 0 keluarga/);

    // The file handover: upload, then the receipt to give back.
    await page.getByTestId('nav-unggah').click();
    await page.locator('input[name=berkas]').setInputFiles(batch);
    await page.getByTestId('upload-batches').click();
    await page.getByTestId('upload-ok').waitFor();
    assert.match(await page.getByTestId('upload-ok').innerText(), /Diterima: 3 keluarga \(3 baru/);
    const download = page.waitForEvent('download');
    await page.getByTestId('receipt-link').click();
    const receiptPath = join(dir, 'receipt.json');
    const receiptFile = await download;
    assert.match(receiptFile.suggestedFilename(), /^tanda-terima-verval-3513142001-.*\.json$/);
    await receiptFile.saveAs(receiptPath);
    const receipt = JSON.parse(readFileSync(receiptPath, 'utf8'));
    assert.equal(receipt.format, 'verval-receipt');
    assert.equal(receipt.records.length, 3);

    // A household, reviewed.
    await page.getByTestId('nav-keluarga').click();
    assert.match(await page.getByTestId('matching').innerText(), /^3 keluarga/);
    await page.locator('[data-testid=records] a').first().click();
    await page.locator('[data-field=nomor_kk]').waitFor();
    await page.locator('select[name=review]').selectOption('disetujui');
    await page.locator('textarea[name=note]').fill('Sesuai musdes');
    await page.getByTestId('save-review').click();
    await page.waitForLoadState();
    assert.equal(await page.locator('select[name=review]').inputValue(), 'disetujui');
    // Each decision is a new entry of the household's review history, with its note.
    assert.match(await page.getByTestId('review-history').innerText(), /Sesuai musdes/);

    // SIKS-NG entry (issue #24): the complete family is ready; a field's copy button puts
    // its value on the clipboard, through the hub's own script under the pages' CSP.
    await chromium.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: hub.url });
    await page.getByTestId('siks-ready').waitFor();
    const kkRow = page.locator('[data-testid=siks-screen] tr[data-siks-field=nomor_kk]');
    const kk = (await kkRow.locator('td').nth(2).innerText()).trim();
    assert.match(kk, /^\d{16}$/);
    await kkRow.getByTestId('copy').click();
    await kkRow.locator('button[data-copied=true]').waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), kk);
    assert.deepEqual(refused, [], 'nothing refused by the pages\' CSP');

    // The TKPK's recap counts the three families.
    await page.getByTestId('nav-bantuan').click();
    assert.equal(await page.getByTestId('aid-total').getAttribute('data-families'), '3');

    // An enumerator with an enrolment code and its QR.
    await page.getByTestId('nav-petugas').click();
    await page.locator('input[name=nama]').fill('Budi Santoso');
    await page.locator('textarea[name=desa]').fill('35.13.14.2001');
    await page.getByTestId('add-enumerator').click();
    await page.getByTestId('enrolment-code').waitFor();
    assert.match(await page.getByTestId('enrolment-code').innerText(), /^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{2}$/);
    assert.equal(await page.locator('[data-testid=enrolment-qr] svg').count(), 1);

    // The merged export for the regency, in the P3KE columns.
    await page.getByTestId('nav-ekspor').click();
    await page.locator('select[name=profil]').selectOption('p3ke');
    await page.locator('input[name=wilayah]').fill('35.13');
    const exported = page.waitForEvent('download');
    await page.getByTestId('export').click();
    const xlsx = await exported;
    assert.match(xlsx.suggestedFilename(), /^verval-p3ke-3513-\d{8}\.xlsx$/);
    const xlsxPath = join(dir, 'export.xlsx');
    await xlsx.saveAs(xlsxPath);
    assert.ok(statSync(xlsxPath).size > 1000);

    await page.getByTestId('sign-out').click();
    await page.waitForURL(/\/admin\/masuk$/);
    await page.goto(`${hub.url}/admin/keluarga`);
    await page.waitForURL(/\/admin\/masuk$/);
  });
});
