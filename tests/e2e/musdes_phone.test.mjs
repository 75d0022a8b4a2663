// The village meeting on the phone (issue #24), end to end in Chromium with the real hub: a
// village's families verified on the phone reach the hub; at the Musdes the enumerator
// records the meeting and a decision per family on the campaign page with no signal, prints
// the Berita Acara, SPTJM and attendance sheet (PDF by the browser, read back by
// pdftotext) and downloads the list as XLSX (read back by calamine); the next sync round takes the meeting to the hub, whose Musdes page shows the
// decisions; a decision district staff change there comes back to the phone with the
// assignment.

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
