// From verification to aid (issue #24), at the hub in Chromium: a desa's verified families
// read at its Musdes (the documents printed to PDF by the browser and read back by
// pdftotext), the meeting's decisions, SIKS-NG entry held back by a missing PLN id until the
// phone's correction arrives, SIKS-NG's results imported from a spreadsheet, and the recap
// naming the extremely poor families still without aid until aid is delivered.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { withBrowser } from './support/browser.mjs';
import { signIn, startHub, uploadBatch } from './support/hub.mjs';

const CHAIN = new URL('../../target/debug/examples/aid_chain', import.meta.url).pathname;
const DESA = '35.13.14.2001';
const HEADS = ['SITI AMINAH', 'BUDI HARTONO', 'SLAMET RIYADI'];

let hub;
before(async () => {
  hub = await startHub();
});
after(async () => {
  await hub?.stop();
});

/** The household page of the family headed by `head`, from the hub's household list. */
async function openFamily(page, head) {
  await page.getByTestId('nav-keluarga').click();
  await page.locator('[data-testid=records] a', { hasText: head }).first().click();
  await page.getByTestId('siks-status').waitFor();
}

/** Records the family's entry in SIKS-NG with `usulanId`. */
async function markEntered(page, usulanId) {
  await page.locator('select[name=status]').selectOption('diinput');
  await page.locator('input[name=operator]').fill('Rina Operator');
  await page.locator('input[name=usulan_id]').fill(usulanId);
  await page.getByTestId('siks-save').click();
  await page.locator('[data-testid=siks-status][data-status=diinput]').waitFor();
}

/** The heads the desa's recap names as extremely poor with no aid at all. */
async function unserved(page) {
  await page.goto(`${hub.url}/admin/bantuan?wilayah=${DESA}`);
  if (await page.getByTestId('unserved-none').count()) return [];
  const names = await page.locator('[data-testid=unserved] tr[data-record] td:first-child').allInnerTexts();
  return names.map((n) => n.trim()).sort();
}

test('a desa goes from its Musdes through SIKS-NG to the aid it receives', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'verval-aid-'));
  execFileSync(CHAIN, [dir]);

  await withBrowser(async (chromium) => {
    const page = await chromium.context.newPage();
    await signIn(page, hub.url);
    await page.waitForURL(/\/admin$/);
    await uploadBatch(page, join(dir, 'first.zip'));
    assert.deepEqual(await unserved(page), ['BUDI HARTONO', 'SITI AMINAH']);

    // The Musdes: the meeting recorded, its families read by name.
    await page.getByTestId('nav-musdes').click();
    await page.locator('select[name=kode_desa]').selectOption(DESA);
    await page.locator('input[name=periode]').fill('Musdesus Oktober 2026');
    await page.locator('input[name=nomor_ba]').fill('140/07/BA/2026');
    await page.locator('input[name=tanggal_musdes]').fill('2026-10-14');
    await page.locator('input[name=tempat]').fill('Balai Desa Kregenan');
    await page.locator('input[name=pimpinan]').fill('Sutrisno');
    await page.getByTestId('musdes-add').click();
    await page.getByTestId('musdes-list').waitFor();
    const meeting = page.url();
    assert.equal(await page.locator('[data-testid=musdes-list] tr[data-record]').count(), 3);

    // Printed by the browser: the Berita Acara, SPTJM and attendance sheet name the families.
    await page.getByTestId('musdes-print').click();
    await page.getByTestId('berita-acara').waitFor();
    const pdf = join(dir, 'musdes.pdf');
    await page.pdf({ path: pdf, format: 'A4' });
    const text = execFileSync('pdftotext', ['-layout', pdf, '-']).toString();
    // A name may wrap within its cell: its words in order, any white space between.
    for (const head of HEADS) assert.match(text, new RegExp(head.split(' ').join('\\s+')), `${head} on the printed list`);
    for (const title of ['BERITA ACARA', 'SURAT PERNYATAAN TANGGUNG JAWAB MUTLAK', 'DAFTAR HADIR']) {
      assert.match(text, new RegExp(title));
    }
    assert.doesNotMatch(text, /3513141203150101/, 'no KK number on the Musdes documents');

    // The meeting's decisions: the two extremely poor families agreed, the third postponed.
    await page.goto(meeting);
    const decide = async (head, decision) => {
      const row = page.locator('[data-testid=musdes-list] tr[data-record]', { hasText: head });
      await row.locator('select[name=keputusan_musdes]').selectOption(decision);
    };
    await decide('SITI AMINAH', 'disetujui');
    await decide('BUDI HARTONO', 'disetujui');
    await decide('SLAMET RIYADI', 'ditunda');
    await page.getByTestId('musdes-save').click();
    await page.locator('[data-testid=musdes-tally][data-agreed="2"][data-postponed="1"]').waitFor();
    assert.equal(await page.locator('[data-channel=siks-ng]').getAttribute('data-families'), '2');

    // SIKS-NG: Budi's family lacks the PLN customer id, and cannot be marked entered ...
    await openFamily(page, 'BUDI HARTONO');
    await page.locator('[data-testid=siks-missing] li[data-siks-field=id_pelanggan_pln]').waitFor();
    assert.equal(await page.getByTestId('siks-save').isDisabled(), true);
    // ... until the phone's correction comes in.
    await uploadBatch(page, join(dir, 'second.zip'));
    await openFamily(page, 'BUDI HARTONO');
    await page.getByTestId('siks-ready').waitFor();
    await markEntered(page, 'USL-2');
    await openFamily(page, 'SITI AMINAH');
    await markEntered(page, 'USL-1');

    // SIKS-NG's answers, imported back from a spreadsheet.
    await page.getByTestId('nav-bantuan').click();
    const listed = page.waitForEvent('download');
    await page.getByTestId('siks-results-list').click();
    assert.match((await listed).suggestedFilename(), /^hasil-siks-ng-.*\.xlsx$/);
    const results = join(dir, 'hasil.csv');
    writeFileSync(results, 'id_usulan,hasil,desil,alasan\nUSL-1,diterima,1,\nUSL-2,ditolak,,NIK tidak padan Dukcapil\n');
    await page.locator('input[name=hasil]').setInputFiles(results);
    await page.getByTestId('siks-results-import').click();
    const imported = page.getByTestId('siks-results-imported');
    await imported.waitFor();
    assert.equal(await imported.getAttribute('data-accepted'), '1');
    assert.equal(await imported.getAttribute('data-refused'), '1');
    await openFamily(page, 'BUDI HARTONO');
    assert.equal(await page.getByTestId('siks-status').getAttribute('data-status'), 'ditolak');

    // Aid delivered to Siti's family: the recap now names only Budi's as without aid.
    assert.deepEqual(await unserved(page), ['BUDI HARTONO', 'SITI AMINAH']);
    await openFamily(page, 'SITI AMINAH');
    await page.locator('select[name=program]').selectOption('PKH');
    await page.locator('input[name=tanggal_salur]').fill('2026-11-20');
    await page.getByTestId('record-delivery').click();
    await page.locator('[data-testid=deliveries] tr[data-programme=PKH]').waitFor();
    assert.deepEqual(await unserved(page), ['BUDI HARTONO']);
  });
});
