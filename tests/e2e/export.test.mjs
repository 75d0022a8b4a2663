// Batch export through the UI: a family filled and finalized as an enumerator would, a draft
// beside it; the batch made on the export page, its zip (read back from IndexedDB, the same
// Blob the download hands over) verified by the core's verifier; the ledger, re-export and
// deleting a file after the receipt.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { phonePage, withBrowser } from './support/browser.mjs';
import { HouseholdList, serveReleaseForFile } from './support/app.mjs';
import { fillCompleteFamily } from './support/fill.mjs';
import { batchText, storedZip, verify } from './support/batches.mjs';
import { parseCsv } from '../../scripts/make-regions.mjs';

const server = serveReleaseForFile();

async function makeBatch(page, choice) {
  await page.locator(`label[for=${choice}]`).click();
  await page.getByTestId('make-batch').click();
  const made = page.getByTestId('batch-made');
  await made.waitFor();
  return { file: await made.getAttribute('data-file'), count: Number(await made.getAttribute('data-count')) };
}

test('finalized families leave in a verifiable batch; the ledger remembers it', async () => {
  await withBrowser(async (chromium) => {
    const page = await phonePage(chromium.context);
    const list = await new HouseholdList(page, server.url).open();
    const form = await list.add();
    await fillCompleteFamily(page, form, chromium.context, server.url);
    await page.getByTestId('finalize').click();
    await page.getByTestId('confirm-finalize').click();
    await page.locator('[data-testid=record-status][data-final=true]').waitFor();
    await form.waitSaved();
    // A second family still a draft: it must be named as left out, never silently dropped.
    await list.open();
    const draft = await list.add();
    await draft.fill('nama_kepala_keluarga', 'DRAF SAJA');
    await draft.waitSaved();

    await list.open();
    const status = page.getByTestId('export-status');
    assert.equal(await status.getAttribute('data-pending'), '1');
    assert.equal(await status.getAttribute('data-nudge'), 'false', 'finalized just now');
    await page.getByTestId('open-export').click();

    await page.getByTestId('pending-count').waitFor();
    assert.equal(await page.getByTestId('pending-count').getAttribute('data-count'), '1');
    assert.equal(await page.getByTestId('draft-count').getAttribute('data-count'), '1');
    assert.equal(await page.getByTestId('draft-count').isVisible(), true);
    await page.getByTestId('export-profile').selectOption('p3ke');
    const first = await makeBatch(page, 'isi-baru');
    assert.equal(first.count, 1);
    assert.match(first.file, /^verval-3513142001-siti_aminah-\d{8}-001\.zip$/);

    // The file is what the core's verifier accepts, photo and all: records.jsonl, five
    // CSVs of the lengkap and p3ke tables, prelist.csv, rekap.csv, verval.xlsx and the
    // house photo.
    const report = verify(await storedZip(page, first.file));
    assert.match(report, /^OK .*: batch [0-9a-f-]{36} by SITI AMINAH \(35\.13\.14\.2001\), 1 records, 10 files, 0 photos missing$/);
    // The workbook names each region beside its code, from the tables the phone keeps
    // (issue #28); the machine's CSVs keep the codes alone.
    const [header, ids, family] = batchText(await storedZip(page, first.file), 'verval.xlsx:keluarga')
      .split('\n')
      .map((line) => line.split('\t'));
    const at = (id) => ids.indexOf(id);
    assert.equal(family[at('kode_desa')], '35.13.14.2001');
    assert.equal(ids[at('kode_desa') + 1], 'kode_desa_nama', header.join(' | '));
    assert.equal(family[at('kode_desa_nama')], 'Kregenan');
    assert.equal(family[at('kode_kecamatan_nama')], 'Kraksaan');
    assert.match(family[at('kode_provinsi_nama')], /JAWA TIMUR/i);
    // The P3KE sheet as the template has it (issue #27): the regions by name, from the same
    // tables, and the answers in its words, not the form's codes.
    const [p3keHeader, p3keRow] = parseCsv(batchText(await storedZip(page, first.file), 'p3ke.csv'));
    const p3ke = (name) => p3keRow[p3keHeader.indexOf(name)];
    assert.match(p3ke('provinsi'), /JAWA TIMUR/i);
    assert.equal(p3ke('kecamatan'), 'Kraksaan');
    assert.equal(p3ke('kelurahan'), 'Kregenan');
    assert.equal(p3ke('hubungan_dengan_KK'), 'Kepala keluarga');
    assert.match(p3ke('jenis_kelamin'), /^(Laki-laki|Perempuan)$/);

    // Not handed over until downloaded; then it is.
    const row = page.locator(`[data-testid=batch][data-file="${first.file}"]`);
    assert.equal(await row.getAttribute('data-handed-over'), 'false');
    await page.getByTestId('download-batch').click();
    await page.locator(`[data-testid=batch][data-file="${first.file}"][data-handed-over=true]`).waitFor();

    // Nothing waits any more; a reload (the ledger is in IndexedDB) agrees.
    await page.reload();
    await page.getByTestId('pending-count').waitFor();
    assert.equal(await page.getByTestId('pending-count').getAttribute('data-count'), '0');

    // A re-export of every finalized family is a new batch with the next number.
    const again = await makeBatch(page, 'isi-semua');
    assert.match(again.file, /-002\.zip$/);
    assert.equal(again.count, 1);
    // The ledger's list re-renders after the batch is stored: wait for its second row.
    await page.getByTestId('batch').nth(1).waitFor();
    assert.equal(await page.getByTestId('batch').count(), 2);
    // Each record shows the batches it went out in.
    await page.locator('label[for=isi-pilih]').click();
    await page.getByTestId('record-batches').filter({ hasText: again.file }).waitFor();
    const batches = await page.getByTestId('record-batches').innerText();
    assert.ok(batches.includes(first.file) && batches.includes(again.file), batches);

    // Deleting a file after the receipt keeps the ledger.
    page.once('dialog', (dialog) => dialog.accept());
    await page.locator(`[data-testid=batch][data-file="${first.file}"] [data-testid=delete-batch]`).click();
    await page.locator(`[data-testid=batch][data-file="${first.file}"][data-deleted=true]`).waitFor();
    assert.ok((await page.getByTestId('record-batches').innerText()).includes(first.file));

    await list.open();
    assert.equal(await page.getByTestId('export-status').getAttribute('data-pending'), '0');
    assert.match(await page.getByTestId('last-export').innerText(), /hari ini|today/);
  });
});

test('the export page does not jump while it loads (issue #28: the enrolment form pushed it 350 px down)', async () => {
  await withBrowser(async (chromium) => {
    const page = await phonePage(chromium.context);
    // Every layout shift the user did not cause, summed (Cumulative Layout Shift).
    await page.addInitScript(() => {
      window.__shifts = [];
      new PerformanceObserver((list) => {
        for (const shift of list.getEntries()) if (!shift.hadRecentInput) window.__shifts.push(shift.value);
      }).observe({ type: 'layout-shift', buffered: true });
    });
    await new HouseholdList(page, server.url).open();
    await page.goto(`${server.url}/ekspor.html`);
    await page.getByTestId('enrol-form').waitFor();
    await page.getByTestId('export-profile').waitFor();
    // Two frames for any late shift to be reported.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const shifts = await page.evaluate(() => window.__shifts);
    const cls = shifts.reduce((a, b) => a + b, 0);
    assert.ok(cls < 0.1, `layout shift ${cls.toFixed(3)} (${shifts.join(', ')})`);
  });
});
