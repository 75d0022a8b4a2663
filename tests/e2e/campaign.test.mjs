// A verification campaign end to end (issue #7), with the real hub binary serving the
// release app: the district imports its P3KE prelist, the phone takes its assignment (as a
// file first — a broken file refused — then downloaded once enrolled), visits three
// families (one confirmed, one corrected, one moved), adds a family not on the list, and
// the campaign page's progress and village recap say exactly that. The batch then carries,
// per listed value, what the list said beside what was found; a family the district sends
// back is counted in the village's progress once a sync round brings the decision.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { phonePage, withBrowser } from './support/browser.mjs';
import { HouseholdForm } from './support/app.mjs';
import { fillCompleteFamily } from './support/fill.mjs';
import { ADMIN, signIn as signInAt, startHub } from './support/hub.mjs';
import { decide, syncRound } from './support/review.mjs';
import { listedFamily, openCampaign as openCampaignAt, openVisit } from './support/campaign.mjs';
import { batchText, storedZip } from './support/batches.mjs';
import { parseCsv } from '../../scripts/make-regions.mjs';

const DESA = '35.13.14.2001';

// The regional template's layout: a title row above the names; a family's own cells only
// on its first member's row (merged cells); dates as Excel users type them.
const PRELIST = [
  'DAFTAR VERVAL P3KE KAB. PROBOLINGGO;;;;;;;;;;;',
  'ID_keluarga_P3KE;kode_kemdagri;alamat;RT;RW;nomor_KK;NIK;nama;hubungan_dengan_KK;jenis_kelamin;tanggal_lahir;jenis_atap',
  // P-1: the family as it really is (the example family of every test).
  'P-1;3513142001;Dusun Krajan RT 001 RW 003, dekat masjid;001;003;3513141203150007;3513141203580001;Slamet Riyadi;Kepala Keluarga;Laki-laki;12/03/1958;Seng',
  ';;;;;;3513144507960002;Sumiati;Istri;Perempuan;05/07/1996;',
  ';;;;;;3513141501230003;Andi Prasetyo;Anak;Laki-laki;15/01/2023;',
  ';;;;;;3513144109120004;Dewi Lestari;Anak;Perempuan;01/09/2012;',
  // P-2: the same family listed again with an old KK, a wrong head NIK and a short address.
  'P-2;3513142001;Krajan;001;003;3513141203150099;3513141203580009;Slamet Riyadi;Kepala Keluarga;Laki-laki;12/03/1958;Genteng',
  ';;;;;;3513144507960002;Sumiati;Istri;Perempuan;05/07/1996',
  ';;;;;;3513141501230003;Andi Prasetyo;Anak;Laki-laki;15/01/2023',
  ';;;;;;3513144109120004;Dewi Lestari;Anak;Perempuan;01/09/2012',
  // P-3 has moved away; P-4 is not visited; P-9 is another village's.
  'P-3;3513142001;Dusun Krajan;002;003;3513141203150031;3513140101700031;Budi Santoso;Kepala Keluarga;Laki-laki;01/01/1970',
  'P-4;3513142001;Dusun Krajan;004;003;3513141203150041;3513144101800041;Wati;Kepala Keluarga;Perempuan;01/01/1980',
  'P-9;3513142002;Dusun Lor;001;001;3513141203150091;3513140101800091;Joko;Kepala Keluarga;Laki-laki;01/01/1980',
].join('\r\n');

let hub;
before(async () => {
  hub = await startHub();
});
after(async () => {
  await hub?.stop();
});

const family = listedFamily;
const openCampaign = (page) => openCampaignAt(page, hub.url);
const visit = openVisit;

async function finalize(page, form) {
  await page.getByTestId('finalize').click();
  await page.getByTestId('confirm-finalize').click();
  await page.locator('[data-testid=record-status][data-final=true]').waitFor();
  await form.waitSaved();
}

test('a campaign: assignment, three visits and a new family, progress, recap and the prelist in the export', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'verval-campaign-'));
  const prelist = join(dir, 'prelist.csv');
  writeFileSync(prelist, PRELIST);
  assert.match(hub.cli('prelist', 'import', prelist), /: 5 new,/);
  const added = hub.cli('enumerator', 'add', '--name', 'Siti Aminah', '--desa', DESA);
  const [enumeratorId] = added.split('\t');
  const code = added.match(/enrolment code\): (\S+)/)[1];

  await withBrowser(async (chromium) => {
    const page = await phonePage(chromium.context);
    // Reached from the household list.
    await page.goto(`${hub.url}/`);
    await page.getByTestId('open-campaign').click();
    await page.getByTestId('no-assignment').waitFor();

    // A file that is not an assignment is refused, and nothing changes.
    const input = page.getByTestId('import-assignment');
    await input.setInputFiles({ name: 'penugasan.json', mimeType: 'application/json', buffer: Buffer.from('{"hub":"x"}') });
    await page.getByTestId('error-notice').waitFor();
    assert.match(await page.getByTestId('error-notice').innerText(), /bukan berkas penugasan|not a Verval assignment/);
    assert.equal(await page.getByTestId('no-assignment').isVisible(), true);

    // The district hands the assignment over as a file (its enumerators page).
    const signIn = await page.request.post(`${hub.url}/admin/masuk`, { form: { ...ADMIN } });
    assert.equal(signIn.status(), 200);
    const file = await page.request.get(`${hub.url}/admin/petugas/${enumeratorId}/penugasan.json`);
    assert.equal(file.status(), 200);
    await input.setInputFiles({ name: 'penugasan.json', mimeType: 'application/json', buffer: await file.body() });
    await page.getByTestId('assignment-notice').waitFor();
    assert.match(await page.getByTestId('assignment-notice').innerText(), /4 keluarga baru|4 new families/);
    await page.getByTestId('campaign-family').nth(3).waitFor();
    assert.equal(await page.getByTestId('campaign-family').count(), 4, "the other village's family is not this phone's");
    // The assignment's province becomes the phone's work area: its region table is kept.
    await page.waitForFunction(() => /35 JAWA TIMUR/i.test(document.querySelector('[data-testid=work-area-provinces]')?.textContent));
    // The village is chosen by its name, not its code alone (issue #28).
    await page.waitForFunction(
      (desa) => document.querySelector(`[data-testid=choose-village] option[value="${desa}"]`)?.textContent === `${desa} Kregenan`,
      DESA,
    );
    const progress = page.getByTestId('village-progress');
    assert.deepEqual(
      await Promise.all(['data-listed', 'data-belum', 'data-selesai'].map((a) => progress.getAttribute(a))),
      ['4', '4', '0'],
    );
    // The same NIKs in P-1 and P-2: a hint on both, offline.
    assert.equal(await family(page, 'P-1').getAttribute('data-duplicate'), 'true');
    assert.equal(await family(page, 'P-2').getAttribute('data-duplicate'), 'true');
    assert.equal(await family(page, 'P-3').getAttribute('data-duplicate'), 'false');
    // Named as the enumerator knows the other family: its head and card, never an id.
    assert.match(await family(page, 'P-2').getByTestId('duplicate-hint').first().innerText(), /Slamet Riyadi \(KK 3513141203150007\)/i);
    // Search by a KK, a name, a prelist id.
    await page.getByTestId('search-campaign').fill('3513141203150099');
    await page.locator('[data-testid=campaign-family]:only-child').waitFor();
    assert.equal(await family(page, 'P-2').isVisible(), true);
    await page.getByTestId('search-campaign').fill('budi sant');
    await family(page, 'P-1').waitFor({ state: 'detached' });
    assert.equal(await page.getByTestId('campaign-family').count(), 1);
    assert.equal(await family(page, 'P-3').isVisible(), true);
    await page.getByTestId('search-campaign').fill('');

    // Enrolled by the QR, the campaign page downloads the assignment itself.
    await page.goto(`${hub.url}/?daftar=${code}`);
    await page.waitForURL(/ekspor\.html\?daftar=/);
    await page.getByTestId('enrol').click();
    await page.getByTestId('sync-enrolled').waitFor();
    await openCampaign(page);
    await page.locator('[data-testid=assignment-info]:text-matches("diunduh|downloaded")').waitFor();
    assert.match(await page.getByTestId('assignment-notice').innerText(), /4 tetap|4 unchanged/);

    // P-1: everything as listed — confirmed.
    let form = await visit(page, 'P-1');
    assert.equal(await form.input('nama_kepala_keluarga').inputValue(), 'SLAMET RIYADI', 'prefilled from the list');
    assert.equal(await form.input('prelist_id').inputValue(), 'P-1');
    assert.equal(await form.input('prelist_id').getAttribute('readonly'), '', "the list's id stays");
    await form.section('D');
    assert.equal(await page.getByTestId('row-art').count(), 4, 'the listed members are there');
    await form.section('A');
    await fillCompleteFamily(page, form, chromium.context, hub.url, { prefilled: true, status: '1' });
    await finalize(page, form);

    // P-2: found, the KK, the head's NIK and the address corrected.
    await openCampaign(page);
    await family(page, 'P-1').and(page.locator('[data-state=selesai]')).waitFor();
    form = await visit(page, 'P-2');
    const corrected = await form.recordId();
    await fillCompleteFamily(page, form, chromium.context, hub.url, { prefilled: true, status: '2' });
    await finalize(page, form);

    // P-3: moved out of the village; sections D–G are skipped.
    await openCampaign(page);
    form = await visit(page, 'P-3');
    await form.section('B');
    await form.answer([
      ['date', 'tanggal_kunjungan', '2026-11-20'],
      ['fill', 'nama_petugas', 'SITI AMINAH'],
      ['choose', 'peran_petugas', '1'],
      ['choose', 'hasil_wawancara', '1'],
      ['fill', 'nama_responden', 'SUPARMI'],
      ['choose', 'hubungan_responden', '9'],
    ]);
    await form.section('C');
    await form.answer([['choose', 'status_verifikasi', '4']]);
    await page.locator('[data-testid=section-D].skipped').waitFor();
    await form.section('A');
    await form.answer([['choose', 'status_kk', '2']]);
    await form.section('H');
    await form.answer([
      ['choose', 'memenuhi_kriteria_p3ke', '2'],
      ['tick', 'alasan_tidak_memenuhi', ['4']],
      ['choose', 'status_kesejahteraan_usulan', '3'],
      ['choose', 'rekomendasi', '3'],
    ]);
    await form.section('I');
    await form.answer([['choose', 'persetujuan', '1']]);
    await finalize(page, form);

    // A family the list does not have: status 10, in the chosen village.
    await openCampaign(page);
    await page.getByTestId('add-new-family').click();
    await page.waitForURL(/keluarga\.html#/);
    form = new HouseholdForm(page);
    await form.waitOpen();
    // The village is chosen already (its options load with the region tables).
    await page.waitForFunction((desa) => document.querySelector('[name=kode_desa]')?.value === desa, DESA);
    await fillCompleteFamily(page, form, chromium.context, hub.url, { listed: false, status: '10' });
    await finalize(page, form);

    // Progress and recap.
    await openCampaign(page);
    await page.getByTestId('new-family').waitFor();
    assert.deepEqual(
      await Promise.all(
        ['data-listed', 'data-selesai', 'data-sedang', 'data-belum', 'data-baru'].map((a) => progress.getAttribute(a)),
      ),
      ['4', '3', '0', '1', '1'],
    );
    const states = {};
    for (const id of ['P-1', 'P-2', 'P-3', 'P-4']) states[id] = await family(page, id).getAttribute('data-state');
    assert.deepEqual(states, { 'P-1': 'selesai', 'P-2': 'selesai', 'P-3': 'selesai', 'P-4': 'belum' });
    const lines = {};
    for (const line of await page.getByTestId('recap-line').all()) {
      lines[`${await line.getAttribute('data-group')}=${await line.getAttribute('data-code')}`] = Number(await line.getAttribute('data-count'));
    }
    assert.deepEqual(lines, {
      'status_verifikasi=1': 1,
      'status_verifikasi=2': 1,
      'status_verifikasi=4': 1,
      'status_verifikasi=10': 1,
      'rekomendasi=2': 3,
      'rekomendasi=3': 1,
    });
    // Printed, the page is the recap alone.
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.getByTestId('village-recap').isVisible(), true);
    assert.equal(await page.getByTestId('campaign-list').isVisible(), false);
    assert.equal(await page.getByTestId('print-recap').isVisible(), false);
    await page.emulateMedia({ media: 'screen' });

    // The export: every listed value beside the one found.
    await page.goto(`${hub.url}/ekspor.html`);
    await page.locator('label[for=isi-semua]').click();
    await page.getByTestId('make-batch').click();
    const made = page.getByTestId('batch-made');
    await made.waitFor();
    const zip = await storedZip(page, await made.getAttribute('data-file'));
    const [header, ...rows] = parseCsv(batchText(zip, 'prelist.csv'));
    const col = (name) => header.indexOf(name);
    const of = (id) => rows.filter((r) => r[col('prelist_id')] === id);
    const outcome = (id, field, member = '') =>
      of(id).find((r) => r[col('field')] === field && r[col('no_urut')] === member)?.slice(col('nilai_prelist'));
    assert.ok(of('P-1').length >= 6 + 4 * 5, 'every listed value of P-1 checked');
    assert.deepEqual([...new Set(of('P-1').map((r) => r[col('hasil')]))], ['sesuai'], 'P-1 confirmed throughout');
    assert.deepEqual(outcome('P-2', 'nomor_kk'), ['3513141203150099', '3513141203150007', 'diperbaiki']);
    assert.deepEqual(outcome('P-2', 'nik', '1'), ['3513141203580009', '3513141203580001', 'diperbaiki']);
    assert.deepEqual(outcome('P-2', 'alamat'), ['Krajan', 'Dusun Krajan RT 001 RW 003, dekat masjid', 'diperbaiki']);
    assert.deepEqual(outcome('P-2', 'nik', '2'), ['3513144507960002', '3513144507960002', 'sesuai']);
    assert.deepEqual(outcome('P-2', 'tanggal_lahir', '1'), ['12/03/1958', '1958-03-12', 'sesuai']);
    // The house as listed: P-1's roof confirmed (among its all-sesuai rows), P-2's corrected.
    assert.deepEqual(outcome('P-1', 'jenis_atap'), ['Seng', '3', 'sesuai']);
    assert.deepEqual(outcome('P-2', 'jenis_atap'), ['Genteng', '3', 'diperbaiki']);
    assert.deepEqual([...new Set(of('P-3').map((r) => r[col('hasil')]))], ['tidak_diverifikasi'], 'the moved family confirms nothing');
    assert.equal(of('P-4').length, 0, 'not visited, not exported');
    assert.equal(of('').length, 0, 'the new family has no list to compare with');

    // The district sends P-2 back: once a sync round brings it, the village's progress counts
    // it as to correct (issue #20).
    await waitForSent(page);
    const staff = await chromium.context.newPage();
    await signInAt(staff, hub.url);
    await decide(staff, hub.url, corrected, 'perlu_perbaikan', { note: 'Foto rumah buram' });
    await syncRound(page, hub.url);
    await openCampaign(page);
    const reviewed = page.getByTestId('review-progress');
    await reviewed.waitFor();
    assert.deepEqual(
      await Promise.all(['data-sent-back', 'data-corrected', 'data-approved', 'data-rejected'].map((a) => reviewed.getAttribute(a))),
      ['1', '0', '0', '0'],
    );
  });
});

test('a second enumerator given the village sees which families were already visited', async () => {
  // The first test's phone visited P-1 to P-3. The village is held: shared only when told how.
  assert.throws(
    () => hub.cli('enumerator', 'add', '--name', 'Budi Santoso', '--desa', DESA),
    (e) => /sudah ditugaskan/.test(String(e.stderr)),
  );
  const added = hub.cli('enumerator', 'add', '--name', 'Budi Santoso', '--desa', DESA, '--bagi', 'bersama');
  const [enumeratorId] = added.split('\t');
  await withBrowser(async (chromium) => {
    const page = await phonePage(chromium.context);
    await page.goto(`${hub.url}/`);
    await page.getByTestId('open-campaign').click();
    await page.getByTestId('no-assignment').waitFor();
    const signIn = await page.request.post(`${hub.url}/admin/masuk`, { form: { ...ADMIN } });
    assert.equal(signIn.status(), 200);
    const file = await page.request.get(`${hub.url}/admin/petugas/${enumeratorId}/penugasan.json`);
    assert.equal(file.status(), 200);
    await page.getByTestId('import-assignment').setInputFiles({ name: 'penugasan.json', mimeType: 'application/json', buffer: await file.body() });
    await page.getByTestId('campaign-family').nth(3).waitFor();
    const marked = await page.getByTestId('campaign-family').evaluateAll((families) =>
      families.map((f) => [f.dataset.prelistId, f.dataset.visitedElsewhere]).sort());
    assert.deepEqual(marked, [['P-1', 'true'], ['P-2', 'true'], ['P-3', 'true'], ['P-4', 'false']]);
    assert.match(await family(page, 'P-1').getByTestId('visited-elsewhere').innerText(), /Sudah dikunjungi|Already visited/);
  });
});

/** Waits until the phone holds no household the hub has not received. */
async function waitForSent(page) {
  await page.goto(`${hub.url}/ekspor.html`);
  await page.locator('[data-testid=sync-counts][data-unsent="0"]').waitFor({ timeout: 60_000 });
}

test('without a hub: a prelist file read on the phone, its columns mapped by hand, bad NIKs refused', async () => {
  await withBrowser(async (chromium) => {
    const page = await phonePage(chromium.context);
    await openCampaign(page);
    await page.getByTestId('no-assignment').waitFor();
    const input = page.getByTestId('import-prelist');

    // The P3KE template with a NIK Excel already destroyed: its columns are recognised,
    // the list is refused with the row and column, and nothing is saved.
    const ruined = PRELIST.replace('3513144507960002', '3.51314E+15');
    await input.setInputFiles({ name: 'p3ke.csv', mimeType: 'text/csv', buffer: Buffer.from(ruined) });
    await page.getByTestId('prelist-mapping').waitFor();
    assert.equal(await page.locator('select[name=baris_judul]').inputValue(), '2', 'the header row under the title');
    assert.equal(await page.locator('select[name=kolom_nik]').inputValue(), '6', 'NIK found in column G');
    await page.getByTestId('save-prelist').click();
    await page.getByTestId('prelist-problem').first().waitFor();
    assert.match(await page.getByTestId('prelist-problem').first().innerText(), /baris 4, kolom G \(NIK\)/);
    assert.equal(await page.getByTestId('no-assignment').isVisible(), true, 'nothing saved');

    // A village's own list, in its own words: nothing is recognised, the user maps it.
    const own = ['Daftar warga miskin Desa Sumberan', 'No;Kartu Keluarga;Nomor Induk;Nama Warga', '1;3513141203150055;3513140101700055;Karto', '2;;3513144101750056;Sarinah'].join('\n');
    await input.setInputFiles({ name: 'desa.csv', mimeType: 'text/csv', buffer: Buffer.from(own) });
    await page.getByTestId('prelist-mapping').waitFor();
    await page.locator('select[name=baris_judul]').selectOption('2');
    await page.locator('select[name=kolom_nomor_kk]').selectOption({ label: 'B · Kartu Keluarga' });
    await page.locator('select[name=kolom_nik]').selectOption({ label: 'C · Nomor Induk' });
    await page.locator('select[name=kolom_nama]').selectOption({ label: 'D · Nama Warga' });
    await page.getByTestId('save-prelist').click();
    // Without village codes it asks for the village.
    await page.getByTestId('prelist-problem').first().waitFor();
    assert.match(await page.getByTestId('prelist-problem').first().innerText(), /kode desa/);
    await page.locator('input[name=kode_desa_bawaan]').fill(DESA);
    await page.getByTestId('save-prelist').click();
    await page.getByTestId('prelist-notice').waitFor();
    assert.match(await page.getByTestId('prelist-notice').innerText(), /1 keluarga|1 families/);
    await family(page, 'KK-3513141203150055').waitFor();
    assert.match(await family(page, 'KK-3513141203150055').innerText(), /KARTO[\s\S]*2 anggota|KARTO[\s\S]*2 members/);
    assert.match(await page.getByTestId('assignment-info').innerText(), /desa\.csv/);
  });
});
