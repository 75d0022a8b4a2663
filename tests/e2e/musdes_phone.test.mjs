// The village meeting on the phone (issue #24), end to end in Chromium with the real hub: a
// village's families verified on the phone reach the hub; at the Musdes the enumerator
// records the meeting and a decision per family on the campaign page with no signal, prints
// the Berita Acara, SPTJM and attendance sheet (PDF by the browser, read back by
// pdftotext) and downloads the list as XLSX (read back by calamine); the next sync round takes the meeting to the hub, whose Musdes page shows the
// decisions; a decision district staff change there comes back to the phone with the
// assignment. A phone with no hub hands its meetings over in its batch files: with its
// households first, then alone after a change, each imported at the hub.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { phonePage, serviceWorkerActivated, withBrowser } from './support/browser.mjs';
import { HouseholdList } from './support/app.mjs';
import { openCampaign } from './support/campaign.mjs';
import { exampleFamily, storeFinalFamilies } from './support/families.mjs';
import { signIn, startHub } from './support/hub.mjs';
import { syncRound } from './support/review.mjs';
import { VERIFY } from './support/batches.mjs';

const DESA = '35.13.14.2001';
const HEADS = ['SITI AMINAH', 'BUDI HARTONO', 'SLAMET RIYADI'];
const PERIOD = 'Musdesus Desember 2026';

let hub;
before(async () => {
  hub = await startHub();
});
after(async () => {
  await hub?.stop();
});

/** The phone's card of the family headed by `head` in the open meeting. */
function phoneFamily(page, head) {
  return page.locator('[data-testid=musdes-family]', { hasText: head });
}

test('a Musdes recorded on the phone reaches the hub, and the district’s change comes back', async () => {
  const added = hub.cli('enumerator', 'add', '--name', 'Siti Aminah', '--desa', DESA);
  const code = added.match(/enrolment code\): (\S+)/)[1];
  const dir = mkdtempSync(join(tmpdir(), 'verval-musdes-phone-'));

  await withBrowser(async (chromium) => {
    const page = await phonePage(chromium.context);
    await new HouseholdList(page, hub.url).open();
    // Three families of the village, verified on this phone.
    const family = exampleFamily();
    for (const [i, head] of HEADS.entries()) {
      await storeFinalFamilies(page, { ...family, answers: { ...family.answers, kode_desa: DESA, nama_kepala_keluarga: head } }, 1, 100 + i);
    }
    // Enrolled, the phone sends them and takes its assignment (the village, no prelist).
    await page.goto(`${hub.url}/?daftar=${code}`);
    await page.waitForURL(/ekspor\.html\?daftar=/);
    await page.getByTestId('enrol').click();
    await page.getByTestId('sync-enrolled').waitFor();
    await page.locator('[data-testid=sync-counts][data-unsent="0"][data-sent="3"]').waitFor({ timeout: 60_000 });
    await openCampaign(page, hub.url);
    await page.getByTestId('download-assignment').click();
    await page.getByTestId('assignment-notice').waitFor();

    // At the meeting, with no signal.
    await serviceWorkerActivated(page);
    await chromium.context.setOffline(true);
    await openCampaign(page, hub.url);
    await page.getByTestId('musdes-new').click();
    await page.getByTestId('musdes-form').waitFor();
    assert.equal(await page.getByTestId('musdes-family').count(), 3, 'the three families verified here');
    await page.locator('input[name=periode]').fill(PERIOD);
    await page.locator('input[name=nomor_ba]').fill('140/12/BA/2026');
    await page.locator('input[name=tanggal_musdes]').fill('2026-12-01');
    await page.locator('input[name=tempat]').fill('Balai Desa Kregenan');
    await page.locator('input[name=pimpinan]').fill('Sutrisno');
    // A decision left without its day would be refused, each problem named.
    await page.locator('input[name=tanggal_musdes]').fill('');
    await page.getByTestId('musdes-save').click();
    await page.getByTestId('musdes-problems').waitFor();
    assert.match(await page.getByTestId('musdes-problems').innerText(), /tanggal musyawarah/);
    await page.locator('input[name=tanggal_musdes]').fill('2026-12-01');
    const decide = async (head, decision, note = '') => {
      await phoneFamily(page, head).locator('select[name=keputusan_musdes]').selectOption(decision);
      await phoneFamily(page, head).locator('input[name=catatan_musdes]').fill(note);
      await phoneFamily(page, head).locator('input[name=catatan_musdes]').blur();
    };
    await decide('SITI AMINAH', 'disetujui');
    await decide('BUDI HARTONO', 'tidak_disetujui', 'sudah pindah ke kota');
    await decide('SLAMET RIYADI', 'ditunda');
    await page.getByTestId('musdes-save').click();
    await page.getByTestId('musdes-saved').waitFor();
    await page.locator(`[data-testid=musdes-meeting][data-period="${PERIOD}"][data-unsent=true]`).waitFor();

    // Printed by the browser: the three documents, with the families by name.
    await page.evaluate(() => document.body.classList.add('printing-musdes'));
    const pdf = join(dir, 'musdes-hp.pdf');
    await page.pdf({ path: pdf, format: 'A4' });
    await page.evaluate(() => document.body.classList.remove('printing-musdes'));
    const text = execFileSync('pdftotext', ['-layout', pdf, '-']).toString();
    for (const head of HEADS) assert.match(text, new RegExp(head.split(' ').join('\\s+')), `${head} on the printed list`);
    for (const title of ['BERITA ACARA MUSDESUS DESEMBER 2026', 'SURAT PERNYATAAN TANGGUNG JAWAB MUTLAK', 'DAFTAR HADIR']) {
      assert.match(text, new RegExp(title));
    }
    assert.match(text, /1\s+disetujui,\s+1\s+tidak\s+disetujui,\s+1\s+ditunda/);
    assert.doesNotMatch(text, /Sinkronisasi|Daftar kunjungan|Rekap verifikasi/, 'the documents alone');

    // The list as XLSX, written by the export's worker, read back by a spreadsheet reader.
    const download = page.waitForEvent('download');
    await page.getByTestId('musdes-xlsx').click();
    const file = await download;
    assert.equal(file.suggestedFilename(), 'musdes-3513142001-musdesus-desember-2026.xlsx');
    const xlsx = join(dir, file.suggestedFilename());
    await file.saveAs(xlsx);
    const rows = execFileSync(VERIFY, ['--xlsx', 'musdes', xlsx], { encoding: 'utf8' }).trim().split('\n').map((r) => r.split('\t'));
    const decisionAt = rows[1].indexOf('keputusan_musdes');
    assert.ok(decisionAt > 0, `the column ids in the second header row: ${rows[1]}`);
    const byHead = Object.fromEntries(rows.slice(2).map((r) => [r[1], [r[decisionAt], r[decisionAt + 1] ?? '']]));
    assert.deepEqual(byHead, {
      'SITI AMINAH': ['Disetujui', ''],
      'BUDI HARTONO': ['Tidak disetujui', 'sudah pindah ke kota'],
      'SLAMET RIYADI': ['Ditunda', ''],
    });

    // Back in signal: the sync round takes the meeting to the hub.
    await chromium.context.setOffline(false);
    await syncRound(page, hub.url);
    await openCampaign(page, hub.url);
    await page.locator(`[data-testid=musdes-meeting][data-period="${PERIOD}"][data-unsent=false]`).waitFor();

    const staff = await chromium.context.newPage();
    await signIn(staff, hub.url);
    await staff.goto(`${hub.url}/admin/musdes`);
    await staff.locator('[data-testid=musdes-meeting]', { hasText: PERIOD }).click();
    await staff.locator('[data-testid=musdes-tally][data-agreed="1"][data-not-agreed="1"][data-postponed="1"]').waitFor();
    const hubRow = (head) => staff.locator('[data-testid=musdes-list] tr[data-record]', { hasText: head });
    assert.equal(await hubRow('BUDI HARTONO').locator('input[name=catatan_musdes]').inputValue(), 'sudah pindah ke kota');

    // The district decides the postponed family; the phone hears it with the assignment.
    await hubRow('SLAMET RIYADI').locator('select[name=keputusan_musdes]').selectOption('disetujui');
    await staff.getByTestId('musdes-save').click();
    await staff.locator('[data-testid=musdes-tally][data-agreed="2"][data-postponed="0"]').waitFor();
    await page.getByTestId('download-assignment').click();
    await page.getByTestId('assignment-notice').waitFor();
    await page.locator(`[data-testid=musdes-meeting][data-period="${PERIOD}"]`).getByTestId('musdes-open').click();
    await page.getByTestId('musdes-form').waitFor();
    assert.equal(await phoneFamily(page, 'SLAMET RIYADI').locator('select[name=keputusan_musdes]').inputValue(), 'disetujui');
    assert.equal(await phoneFamily(page, 'BUDI HARTONO').locator('input[name=catatan_musdes]').inputValue(), 'sudah pindah ke kota');
  });
});

/** Records a meeting's decisions on the open form and saves it. */
async function decideOnPhone(page, decisions) {
  for (const [head, decision] of Object.entries(decisions)) {
    await phoneFamily(page, head).locator('select[name=keputusan_musdes]').selectOption(decision);
  }
  await page.getByTestId('musdes-save').click();
  await page.getByTestId('musdes-saved').waitFor();
}

/** Makes the next batch file on the export page, downloads it, and returns its path and households. */
async function batchFile(page, dir, changed) {
  await page.goto(`${hub.url}/ekspor.html`);
  await page.locator(`[data-testid=musdes-for-batch][data-changed=${changed}]`).waitFor();
  await page.getByTestId('make-batch').click();
  const made = page.getByTestId('batch-made');
  await made.waitFor({ timeout: 60_000 });
  const download = page.waitForEvent('download');
  await page.getByTestId('download-batch').click();
  const file = await download;
  const path = join(dir, file.suggestedFilename());
  await file.saveAs(path);
  return { path, count: Number(await made.getAttribute('data-count')), text: await made.innerText() };
}

test('a phone with no hub hands its Musdes over in its batch files', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'verval-musdes-file-'));
  const heads = ['SARINAH', 'PAINEM'];
  await withBrowser(async (chromium) => {
    const page = await phonePage(chromium.context);
    await new HouseholdList(page, hub.url).open();
    const family = exampleFamily();
    for (const [i, head] of heads.entries()) {
      await storeFinalFamilies(page, { ...family, answers: { ...family.answers, kode_desa: DESA, nama_kepala_keluarga: head } }, 1, 300 + i);
    }
    // The village's list read on the phone: its campaign page, with no hub.
    await openCampaign(page, hub.url);
    const list = 'ID_keluarga_P3KE;kode_kemdagri;alamat;RT;RW;nomor_KK;NIK;nama;hubungan_dengan_KK;jenis_kelamin;tanggal_lahir\r\n'
      + 'P-9;3513142001;Dusun Krajan;001;003;3513141203150901;3513140101700901;Tukiyem;Kepala Keluarga;Perempuan;01/01/1960';
    await page.getByTestId('import-prelist').setInputFiles({ name: 'desa.csv', mimeType: 'text/csv', buffer: Buffer.from(list) });
    await page.getByTestId('prelist-mapping').waitFor();
    await page.getByTestId('save-prelist').click();
    await page.getByTestId('prelist-notice').waitFor();

    const period = 'Musdesus Januari 2027';
    await page.getByTestId('musdes-new').click();
    await page.getByTestId('musdes-form').waitFor();
    await page.locator('input[name=periode]').fill(period);
    await page.locator('input[name=nomor_ba]').fill('141/01/BA/2027');
    await page.locator('input[name=tanggal_musdes]').fill('2026-12-01');
    await page.locator('input[name=tempat]').fill('Balai Desa Kregenan');
    await page.locator('input[name=pimpinan]').fill('Sutrisno');
    await decideOnPhone(page, { SARINAH: 'disetujui', PAINEM: 'ditunda' });

    // The batch file carries the households and the meeting; the hub imports both.
    const first = await batchFile(page, dir, true);
    assert.equal(first.count, 2);
    assert.match(first.text, /musyawarah desa|village meetings/);
    const imported = hub.cli('import', first.path);
    assert.match(imported, new RegExp(`musyawarah desa ${DESA.replaceAll('.', '\\.')} "${period}": diterima`), imported);
    const staff = await chromium.context.newPage();
    await signIn(staff, hub.url);
    const tally = async (agreed, postponed) => {
      await staff.goto(`${hub.url}/admin/musdes`);
      await staff.locator('[data-testid=musdes-meeting]', { hasText: period }).click();
      await staff.locator(`[data-testid=musdes-tally][data-agreed="${agreed}"][data-postponed="${postponed}"]`).waitFor();
    };
    await tally(1, 1);

    // Carried by that batch: said so, and a batch of nothing new is still refused.
    await page.goto(`${hub.url}/ekspor.html`);
    await page.locator('[data-testid=musdes-for-batch][data-changed=false]').waitFor();
    await page.getByTestId('make-batch').click();
    await page.getByTestId('error-notice').waitFor();

    // The postponed family decided a week later: a batch of the meeting alone.
    await openCampaign(page, hub.url);
    await page.locator(`[data-testid=musdes-meeting][data-period="${period}"]`).getByTestId('musdes-open').click();
    await page.getByTestId('musdes-form').waitFor();
    await decideOnPhone(page, { PAINEM: 'disetujui' });
    const alone = await batchFile(page, dir, true);
    assert.equal(alone.count, 0);
    assert.match(alone.path, /verval-musdes-/);
    const receipt = hub.cli('import', alone.path).match(/OK .*: 0 records; receipt (\S+)/);
    assert.ok(receipt, 'the batch of meetings alone is taken, with its receipt');
    await tally(2, 0);
    // Its receipt, given back to the phone, marks it received though it held no household.
    await page.goto(`${hub.url}/ekspor.html`);
    await page.getByTestId('import-receipt').setInputFiles(receipt[1]);
    const name = alone.path.split('/').pop();
    await page.locator(`[data-testid=batch][data-file="${name}"][data-sync=received]`).waitFor();
  });
});
