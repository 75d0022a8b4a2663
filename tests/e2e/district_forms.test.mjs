// A district's own form (issue #25), end to end in Chromium with the real hub: an XLSForm
// with every widget Verval draws is imported on the hub's Formulir page and published; a
// phone receives it with its assignment, shows it with its version, and fills a record with
// no signal — skip logic, a constraint's own message, a choice filter, a repeat sized by a
// count with a calculation per row, a total calculated from the rows, a location — then
// finalizes it; the phone writes the form's tables itself (CSV and XLSX, for a phone with
// no hub); the next sync round takes it to the hub, whose export of the form has it with
// the form's field names as columns (both read back by calamine). A second form, marked
// as the household form's section J, is filled once per household from the household's own
// form and comes back in its export joined to the household by its id.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { phonePage, serviceWorkerActivated, withBrowser } from './support/browser.mjs';
import { HouseholdList } from './support/app.mjs';
import { openCampaign } from './support/campaign.mjs';
import { signIn, startHub } from './support/hub.mjs';
import { syncRound } from './support/review.mjs';
import { VERIFY, batchText, storedZip } from './support/batches.mjs';
import { bigJpeg } from './support/fill.mjs';
import * as family from './support/family.mjs';

const WRITE_XLSFORM = new URL('../../target/debug/examples/write_xlsform', import.meta.url).pathname;
const DESA = '35.13.14.2001';
const VERSION = '2026120601';

const COLUMNS = [
  'type', 'name', 'label::Indonesian (id)', 'label::English (en)', 'required', 'required_message::Indonesian (id)',
  'relevant', 'constraint', 'constraint_message::Indonesian (id)', 'calculation', 'default', 'read_only',
  'choice_filter', 'repeat_count', 'appearance',
];

/** A survey row from the cells it sets. */
function row(cells) {
  return COLUMNS.map((column) => cells[column] ?? '');
}

/** The "all supported widgets" form: every type and column Verval draws on the phone. */
const FORM = {
  survey: [
    COLUMNS,
    row({ type: 'note', name: 'pengantar', 'label::Indonesian (id)': 'Cek lapangan keluarga DTSEN', 'label::English (en)': 'DTSEN ground check' }),
    row({ type: 'text', name: 'petugas_lapangan', 'label::Indonesian (id)': 'Petugas', default: 'Kader', read_only: 'yes' }),
    row({ type: 'date', name: 'tanggal_cek', 'label::Indonesian (id)': 'Tanggal cek', required: 'yes', default: 'today()' }),
    row({ type: 'select_one kondisi', name: 'kondisi_rumah', 'label::Indonesian (id)': 'Kondisi rumah', required: 'yes' }),
    row({ type: 'select_one kondisi', name: 'kondisi_dapur', 'label::Indonesian (id)': 'Kondisi dapur' }),
    row({ type: 'text', name: 'catatan_rumah', 'label::Indonesian (id)': 'Catatan kerusakan', relevant: "${kondisi_rumah} = 'rusak'", appearance: 'multiline' }),
    row({ type: 'select_one kec', name: 'kecamatan', 'label::Indonesian (id)': 'Kecamatan', appearance: 'minimal' }),
    row({ type: 'select_one desa_list', name: 'desa_asal', 'label::Indonesian (id)': 'Desa asal', appearance: 'minimal', choice_filter: 'kec=${kecamatan}' }),
    row({ type: 'select_multiple bantuan', name: 'bantuan', 'label::Indonesian (id)': 'Bantuan diterima' }),
    row({ type: 'decimal', name: 'luas_lantai', 'label::Indonesian (id)': 'Luas lantai (m2)', constraint: '. > 0 and . < 1000', 'constraint_message::Indonesian (id)': 'Luas antara 0 dan 1000 m2' }),
    row({ type: 'geopoint', name: 'lokasi', 'label::Indonesian (id)': 'Lokasi rumah' }),
    row({ type: 'integer', name: 'jumlah_anggota', 'label::Indonesian (id)': 'Jumlah anggota', required: 'yes', 'required_message::Indonesian (id)': 'Isi jumlah anggota', constraint: '. >= 1 and . <= 20', 'constraint_message::Indonesian (id)': 'Antara 1 dan 20 orang' }),
    row({ type: 'begin_repeat', name: 'anggota', 'label::Indonesian (id)': 'Anggota keluarga', repeat_count: '${jumlah_anggota}' }),
    row({ type: 'text', name: 'nama_anggota', 'label::Indonesian (id)': 'Nama anggota', required: 'yes' }),
    row({ type: 'integer', name: 'umur', 'label::Indonesian (id)': 'Umur', required: 'yes', constraint: '. < 120' }),
    row({ type: 'calculate', name: 'dewasa', calculation: 'if(${umur} >= 18, 1, 0)' }),
    row({ type: 'text', name: 'pekerjaan', 'label::Indonesian (id)': 'Pekerjaan', relevant: '${umur} >= 15' }),
    row({ type: 'end_repeat' }),
    row({ type: 'calculate', name: 'jumlah_dewasa', 'label::Indonesian (id)': 'Jumlah anggota dewasa', calculation: 'sum(${dewasa})' }),
    row({ type: 'begin_group', name: 'penutup', 'label::Indonesian (id)': 'Penutup', relevant: '${jumlah_anggota} > 0' }),
    row({ type: 'image', name: 'foto_rumah', 'label::Indonesian (id)': 'Foto rumah', required: 'yes' }),
    row({ type: 'image', name: 'tanda_tangan', 'label::Indonesian (id)': 'Tanda tangan kepala keluarga', appearance: 'signature', required: 'yes' }),
    row({ type: 'end_group' }),
  ],
  choices: [
    ['list_name', 'name', 'label::Indonesian (id)', 'label::English (en)', 'kec'],
    ['kondisi', 'layak', 'Layak huni', 'Fit to live in', ''],
    ['kondisi', 'rusak', 'Rusak', 'Damaged', ''],
    ['kec', '10', 'Sumberpucung', '', ''],
    ['kec', '14', 'Kepanjen', '', ''],
    ['desa_list', '2001', 'Kregenan', '', '14'],
    ['desa_list', '2002', 'Sumberlele', '', '14'],
    ['desa_list', '1001', 'Jatiguwi', '', '10'],
    ['bantuan', 'pkh', 'PKH', '', ''],
    ['bantuan', 'bpnt', 'BPNT', '', ''],
    ['bantuan', 'pip', 'PIP', '', ''],
  ],
  settings: [
    ['form_title', 'form_id', 'version', 'default_language'],
    ['Cek lapangan DTSEN', 'cek_lapangan', VERSION, 'Indonesian (id)'],
  ],
};

let hub;
before(async () => {
  hub = await startHub();
});
after(async () => {
  await hub?.stop();
});

/** A sheet of a workbook, a row per line, cells by tabs (calamine, in verify_batch). */
function sheet(path, name) {
  return execFileSync(VERIFY, ['--xlsx', name, path], { encoding: 'utf8' }).trim().split('\n').map((r) => r.split('\t'));
}

/** Staff sign in, import an XLSForm on the Formulir page and publish the version; the
 * signed-in staff page. */
async function importAndPublish(chromium, xlsform, formId, version) {
  const staff = await chromium.context.newPage();
  await signIn(staff, hub.url);
  await staff.goto(`${hub.url}/admin/formulir`);
  await staff.locator('input[name=xlsform]').setInputFiles(xlsform);
  await staff.getByTestId('import-form').click();
  await staff.locator('[data-testid=form-imported][data-new=true]').waitFor();
  await staff.locator(`tr[data-form=${formId}][data-version="${version}"]`).getByTestId('publish-form').click();
  await staff.getByTestId('form-publish-done').waitFor();
  return staff;
}

/** The phone enrolled with `code`, its assignment (and the forms it carries) taken. */
async function enrolAndTakeAssignment(page, code) {
  await new HouseholdList(page, hub.url).open();
  await page.goto(`${hub.url}/?daftar=${code}`);
  await page.waitForURL(/ekspor\.html\?daftar=/);
  await page.getByTestId('enrol').click();
  await page.getByTestId('sync-enrolled').waitFor();
  await openCampaign(page, hub.url);
  await page.getByTestId('download-assignment').click();
  await page.getByTestId('assignment-notice').waitFor();
}

test('a district form imported on the hub is filled offline on a phone and comes back in its export', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'verval-district-form-'));
  const xlsform = join(dir, 'cek-lapangan.xlsx');
  execFileSync(WRITE_XLSFORM, [xlsform], { input: JSON.stringify(FORM) });
  const added = hub.cli('enumerator', 'add', '--name', 'Siti Aminah', '--desa', DESA);
  const code = added.match(/enrolment code\): (\S+)/)[1];

  await withBrowser(async (chromium) => {
    // The district imports the form and publishes it.
    const staff = await importAndPublish(chromium, xlsform, 'cek_lapangan', VERSION);

    // The phone, enrolled, receives it with its assignment.
    const page = await phonePage(chromium.context);
    await chromium.context.grantPermissions(['geolocation'], { origin: hub.url });
    await chromium.context.setGeolocation({ latitude: -8.1311, longitude: 112.5712, accuracy: 9 });
    await enrolAndTakeAssignment(page, code);

    // With no signal: the form is on the phone, with its version.
    await serviceWorkerActivated(page);
    await chromium.context.setOffline(true);
    await page.goto(`${hub.url}/`);
    await page.getByTestId('open-data-forms').click();
    const entry = page.locator(`[data-testid=form-on-phone][data-form=cek_lapangan][data-version="${VERSION}"]`);
    await entry.waitFor();
    assert.match(await entry.innerText(), /Cek lapangan DTSEN[\s\S]*versi 2026120601/);
    await entry.getByTestId('new-form-record').click();
    const form = page.getByTestId('data-form');
    await form.waitFor();

    // Defaults: today's date from `today()`, the read-only enumerator; one village, chosen.
    const today = await page.evaluate(() => {
      const d = new Date();
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    });
    assert.equal(await form.locator('input[name=tanggal_cek]').inputValue(), today);
    assert.equal(await form.locator('input[name=petugas_lapangan]').inputValue(), 'Kader');
    assert.equal(await form.locator('input[name=petugas_lapangan]').getAttribute('readonly'), '');
    assert.equal(await form.locator('select[name=kode_desa]').inputValue(), DESA);

    // Skip logic: the damage note is asked only for a damaged house.
    const note = form.locator('[data-field=catatan_rumah]');
    assert.equal(await note.isVisible(), false);
    await form.locator('[data-field=kondisi_rumah] label.choice:has(input[value=rusak])').click();
    await note.waitFor({ state: 'visible' });
    await form.locator('textarea[name=catatan_rumah]').fill('Atap bocor di dapur');

    // A choice filter: the villages of the district chosen.
    await form.locator('select[name=kecamatan]').selectOption('14');
    const villages = await form.locator('select[name=desa_asal] option').allInnerTexts();
    assert.deepEqual(villages, ['– pilih –', 'Kregenan', 'Sumberlele']);
    await form.locator('select[name=desa_asal]').selectOption('2002');
    // Ticked in any order, stored in the list's (the household form's rule): "pkh pip".
    await form.locator('[data-field=bantuan] label.choice:has(input[value=pip])').click();
    await form.locator('[data-field=bantuan] label.choice:has(input[value=pkh])').click();
    // A required choice offers no way to empty it again.
    assert.equal(await form.locator('[data-field=kondisi_rumah] [data-testid=clear-choice]').count(), 0);
    // One that may stay empty is taken back as on the household form.
    const kitchen = form.locator('[data-field=kondisi_dapur]');
    await kitchen.locator('label.choice:has(input[value=layak])').click();
    await kitchen.getByTestId('clear-choice').click();
    await kitchen.getByTestId('clear-choice').waitFor({ state: 'hidden' });
    assert.equal(await kitchen.locator('input:checked').count(), 0);

    // A constraint refuses with the form's own message, and lets go once the answer fits.
    await form.locator('input[name=luas_lantai]').fill('0');
    await page.getByTestId('issues-luas_lantai').getByText('Luas antara 0 dan 1000 m2').waitFor();
    // The household form's inputs (issue #25): the error is read out with the field.
    const floor = form.locator('input[name=luas_lantai]');
    assert.equal(await floor.getAttribute('aria-invalid'), 'true');
    assert.match(await floor.getAttribute('aria-describedby'), /\bluas_lantai-issues\b/);
    assert.equal(await form.locator('#luas_lantai-issues').getAttribute('data-testid'), 'issues-luas_lantai');
    await form.locator('input[name=luas_lantai]').fill('36.5');
    await page.locator('[data-testid=issues-luas_lantai] li').waitFor({ state: 'detached' });

    await form.locator('[data-field=lokasi]').getByTestId('take-location').click();
    // Shown as the household form shows its house (the same input), stored as ODK writes a
    // geopoint (latitude longitude altitude accuracy; the table below).
    await form.locator('[data-field=lokasi] output').getByText('-8.131100, 112.571200 (± 9 m)').waitFor();

    // A repeat sized by a count; each row's own skip logic and calculation.
    await form.locator('input[name=jumlah_anggota]').fill('2');
    await page.locator('[data-testid=repeat-row]').nth(1).waitFor();
    assert.equal(await page.getByTestId('repeat-row').count(), 2);
    const member = (i) => page.getByTestId('repeat-row').nth(i);
    await member(0).locator('input[name=nama_anggota]').fill('SITI AMINAH');
    await member(0).locator('input[name=umur]').fill('40');
    await member(0).locator('input[name=pekerjaan]').fill('petani');
    await member(1).locator('input[name=nama_anggota]').fill('ANI');
    await member(1).locator('input[name=umur]').fill('9');
    assert.equal(await member(1).locator('[data-field=pekerjaan]').isVisible(), false, 'a child is not asked her work');
    await form.locator('output[name=jumlah_dewasa]').getByText('1', { exact: true }).waitFor();

    // A required photo: finalizing waits for it; taken with the camera, kept small.
    await page.getByTestId('finalize').click();
    await page.locator('[data-testid=issues-foto_rumah] li').first().waitFor();
    await form.locator('input[name=foto_rumah]').setInputFiles({ name: 'rumah.jpg', mimeType: 'image/jpeg', buffer: await bigJpeg(page) });
    await page.locator('[data-testid=photo-size-foto_rumah]:text-matches("KB")').waitFor();
    await page.locator('[data-testid=issues-foto_rumah] li').waitFor({ state: 'detached' });

    // A required signature, drawn with a finger on the pad: stored when the finger lifts.
    await page.locator('[data-testid=issues-tanda_tangan] li').first().waitFor();
    const pad = form.locator('[data-field=tanda_tangan] canvas.drawing-pad');
    await pad.scrollIntoViewIfNeeded();
    const box = await pad.boundingBox();
    await page.mouse.move(box.x + 20, box.y + 40);
    await page.mouse.down();
    await page.mouse.move(box.x + 160, box.y + 100, { steps: 10 });
    await page.mouse.up();
    await page.locator('[data-testid=issues-tanda_tangan] li').waitFor({ state: 'detached' });

    // Finalized, asked once more.
    const recordId = await form.getAttribute('data-id');
    await page.getByTestId('finalize').click();
    await page.getByTestId('confirm-finalize').click();
    await page.locator('[data-testid=record-status][data-final=true]').waitFor();
    await page.getByTestId('back-to-forms').click();
    await page.locator(`[data-testid=form-record][data-status=final][data-version="${VERSION}"]`).waitFor();

    // With no hub, the phone writes the form's tables itself: a CSV per table and the
    // workbook, columns by the form's field names, only what was asked.
    const downloaded = page.waitForEvent('download');
    await page.locator('[data-testid=download-form-tables][data-form=cek_lapangan]').click();
    const file = await downloaded;
    assert.match(file.suggestedFilename(), /^formulir-cek_lapangan-\d{8}\.zip$/);
    const tablesZip = join(dir, 'tabel.zip');
    await file.saveAs(tablesZip);
    const unzip = (name, separator) => execFileSync(VERIFY, ['--unzip', name, tablesZip], { encoding: 'utf8' })
      .trim().split(/\r?\n/).map((line) => line.split(separator));
    const [, fieldNames, filled] = unzip('verval.xlsx:cek_lapangan', '\t');
    assert.equal(filled[fieldNames.indexOf('catatan_rumah')], 'Atap bocor di dapur');
    assert.equal(filled[fieldNames.indexOf('jumlah_dewasa')], '1');
    assert.equal(filled[fieldNames.indexOf('lokasi')], '-8.131100 112.571200 0 9');
    assert.equal(filled[fieldNames.indexOf('kode_desa_nama')], 'Kregenan', 'the village named beside its code');
    // (No answer here holds a comma.)
    const memberCsv = unzip('anggota.csv', ',');
    const column = (name) => memberCsv.slice(1).map((r) => r[memberCsv[0].indexOf(name)]);
    assert.deepEqual(column('umur'), ['40', '9']);
    assert.deepEqual(column('pekerjaan'), ['petani', ''], 'a child was not asked her work');
    // The photo and the signature, at the paths the table names, as JPEG.
    const photoPaths = ['foto_rumah', 'tanda_tangan'].map((name) => filled[fieldNames.indexOf(name)]);
    for (const path of photoPaths) {
      assert.match(path, new RegExp(`^foto/${recordId}_foto_[0-9a-f_]{36}\\.jpg$`));
      const image = execFileSync(VERIFY, ['--unzip', path, tablesZip]);
      assert.deepEqual([...image.subarray(0, 3)], [0xff, 0xd8, 0xff], `${path} is a JPEG`);
      assert.ok(image.length > 500, `${path} holds a picture (${image.length} bytes)`);
    }
    // Not a household: the household form sends it to its own page, the list does not show it.
    await page.goto(`${hub.url}/keluarga.html#${recordId}`);
    await page.waitForURL(new RegExp(`formulir\\.html#${recordId}$`));
    await page.locator('[data-testid=record-status][data-final=true]').waitFor();
    await page.goto(`${hub.url}/`);
    await page.getByTestId('open-data-forms').waitFor();
    assert.equal(await page.locator('[data-testid=household-row]').count(), 0);
    assert.equal(await page.getByTestId('household-count').getAttribute('data-count'), '0', 'nor counts it');

    // A batch file made with no signal carries the record and its photo, by the photo's key
    // (every finalized record: the sync worker has put it in a batch waiting for the hub).
    await page.getByTestId('open-export').click();
    // Counted apart from households, and still in "everything finalized".
    assert.match(await page.locator('label[for=isi-semua]').innerText(), /\(1\)/);
    await page.locator('label[for=isi-semua]').click();
    await page.getByTestId('make-batch').click();
    const made = page.getByTestId('batch-made');
    await made.waitFor();
    // Named for what it is: no household, one district form record (the page is in Indonesian).
    assert.match(await made.innerText(), /: 0 keluarga, 1 rekaman formulir daerah,/);
    const batch = await storedZip(page, await made.getAttribute('data-file'));
    const forms = [`cek_lapangan:${VERSION}`];
    const [line] = batchText(batch, 'records.jsonl', { forms }).trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(line.id, recordId);
    const key = line.answers.foto_rumah;
    assert.match(key, /^foto-[0-9a-f-]{36}$/);
    const photo = batchText(batch, `foto/${recordId}_${key.replaceAll('-', '_')}.jpg`, { forms });
    assert.ok(photo.length > 1000, `the photo in the batch (${photo.length} bytes)`);
    const signature = line.answers.tanda_tangan;
    assert.match(signature, /^foto-[0-9a-f-]{36}$/);
    assert.notEqual(signature, key);
    batchText(batch, `foto/${recordId}_${signature.replaceAll('-', '_')}.jpg`, { forms });
    await page.goto(`${hub.url}/`);

    // Back in signal: the sync round takes it to the hub, and the form's export has it.
    await chromium.context.setOffline(false);
    await syncRound(page, hub.url);
    await staff.goto(`${hub.url}/admin/formulir`);
    await staff.locator('tr[data-form=cek_lapangan] [data-testid=form-record-count]').getByText('1', { exact: true }).waitFor();
    const answer = await staff.request.get(`${hub.url}/admin/formulir/cek_lapangan/ekspor.xlsx`);
    assert.equal(answer.status(), 200);
    const book = join(dir, 'cek_lapangan.xlsx');
    writeFileSync(book, await answer.body());
    const rows = sheet(book, 'cek_lapangan');
    const at = (name) => {
      const i = rows[1].indexOf(name);
      assert.ok(i >= 0, `${name} among the columns: ${rows[1]}`);
      return i;
    };
    const [record] = rows.slice(2);
    const got = Object.fromEntries(
      ['form_version', 'kode_desa', 'kondisi_rumah', 'catatan_rumah', 'desa_asal', 'bantuan', 'luas_lantai', 'jumlah_anggota', 'jumlah_dewasa', 'tanggal_cek']
        .map((name) => [name, record[at(name)]]),
    );
    assert.deepEqual(got, {
      form_version: VERSION,
      kode_desa: DESA,
      kondisi_rumah: 'rusak',
      catatan_rumah: 'Atap bocor di dapur',
      desa_asal: '2002',
      bantuan: 'pkh pip',
      luas_lantai: '36.5',
      jumlah_anggota: '2',
      jumlah_dewasa: '1',
      // A date cell: the spreadsheet's day number (days since 1899-12-30).
      tanggal_cek: String((Date.parse(`${today}T00:00:00Z`) - Date.UTC(1899, 11, 30)) / 86_400_000),
    });
    const members = sheet(book, 'anggota');
    const byName = Object.fromEntries(members.slice(2).map((r) => [r[members[1].indexOf('nama_anggota')], r[members[1].indexOf('pekerjaan')] ?? '']));
    assert.deepEqual(byName, { 'SITI AMINAH': 'petani', ANI: '' });
  });
});

/** A district's section J of the household form: `bagian_dari = keluarga`. */
const SECTION_VERSION = '2026120701';
const SECTION_FORM = {
  survey: [
    COLUMNS,
    row({ type: 'select_one ya_tidak', name: 'punya_jamban', 'label::Indonesian (id)': 'Punya jamban sendiri', required: 'yes' }),
    row({ type: 'integer', name: 'jumlah_ternak', 'label::Indonesian (id)': 'Jumlah ternak', constraint: '. < 100', 'constraint_message::Indonesian (id)': 'Kurang dari 100 ekor' }),
  ],
  choices: [
    ['list_name', 'name', 'label::Indonesian (id)', 'label::English (en)'],
    ['ya_tidak', '1', 'Ya', 'Yes'],
    ['ya_tidak', '2', 'Tidak', 'No'],
  ],
  settings: [
    ['form_title', 'form_id', 'version', 'bagian_dari'],
    ['Pertanyaan daerah Malang', 'malang_j', SECTION_VERSION, 'keluarga'],
  ],
};

test('a district section of the household form is filled once per household and exported with its household', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'verval-district-section-'));
  const xlsform = join(dir, 'bagian-j.xlsx');
  execFileSync(WRITE_XLSFORM, [xlsform], { input: JSON.stringify(SECTION_FORM) });
  const added = hub.cli('enumerator', 'add', '--name', 'Dewi Lestari', '--desa', DESA, '--bagi', 'bersama');
  const code = added.match(/enrolment code\): (\S+)/)[1];

  await withBrowser(async (chromium) => {
    const staff = await importAndPublish(chromium, xlsform, 'malang_j', SECTION_VERSION);

    const page = await phonePage(chromium.context);
    await enrolAndTakeAssignment(page, code);

    // The forms page offers no record of its own for it: it is filled from a household.
    await page.goto(`${hub.url}/formulir.html`);
    const entry = page.locator('[data-testid=form-on-phone][data-form=malang_j]');
    await entry.getByTestId('section-form').waitFor();
    assert.equal(await entry.getByTestId('new-form-record').count(), 0);

    // A household, begun; after its last section, its district questions.
    const form = await (await new HouseholdList(page, hub.url).open()).add();
    await form.answer(family.SECTION_A);
    await form.waitSaved();
    const householdId = await form.recordId();
    await form.section('I');
    await page.getByTestId('open-household-sections').click();
    const section = page.locator('[data-testid=household-section][data-form=malang_j]');
    assert.equal(await section.getAttribute('data-state'), 'none');
    await section.getByTestId('open-section').click();
    const record = page.getByTestId('data-form');
    await record.waitFor();
    const sectionId = await record.getAttribute('data-id');
    assert.notEqual(sectionId, householdId);
    // The household's village is the record's: not asked again.
    assert.equal(await record.locator('select[name=kode_desa]').count(), 0);
    await record.locator('input[name=jumlah_ternak]').fill('120');
    await record.getByText('Kurang dari 100 ekor').waitFor();
    // Thousands grouped as Indonesians write them become the whole number once typed, as
    // on the household form (the same input).
    await record.locator('input[name=jumlah_ternak]').fill('1.500');
    await record.locator('input[name=jumlah_ternak]').press('Tab');
    await page.waitForFunction(() => document.querySelector('input[name=jumlah_ternak]').value === '1500');
    await record.locator('input[name=jumlah_ternak]').fill('3');
    await record.locator('[data-field=punya_jamban] label.choice:has(input[value="1"])').click();
    await page.getByTestId('finalize').click();
    await page.getByTestId('confirm-finalize').click();
    await page.locator('[data-testid=record-status][data-final=true]').waitFor();

    // Back at the household's sections: finalized; opened again, the same record.
    await page.getByTestId('back-to-sections').click();
    await section.and(page.locator('[data-state=final]')).waitFor();
    await section.getByTestId('open-section').click();
    await page.locator('[data-testid=record-status][data-final=true]').waitFor();
    assert.equal(await page.getByTestId('data-form').getAttribute('data-id'), sectionId, 'one record per household');
    await page.getByTestId('back-to-sections').click();
    await page.getByTestId('back-to-household').click();
    await page.waitForURL(new RegExp(`keluarga\\.html#${householdId}$`));
    await form.waitOpen();

    // Synced, it is in the form's export, joined to its household by the household's id.
    await syncRound(page, hub.url);
    await staff.goto(`${hub.url}/admin/formulir`);
    await staff.locator('tr[data-form=malang_j] [data-testid=form-record-count]').getByText('1', { exact: true }).waitFor();
    const answer = await staff.request.get(`${hub.url}/admin/formulir/malang_j/ekspor.xlsx`);
    assert.equal(answer.status(), 200);
    const book = join(dir, 'malang_j.xlsx');
    writeFileSync(book, await answer.body());
    const rows = sheet(book, 'malang_j');
    const [exported] = rows.slice(2);
    const cell = (name) => exported[rows[1].indexOf(name)];
    assert.deepEqual(
      ['record_id', 'record_id_keluarga', 'kode_desa', 'punya_jamban', 'jumlah_ternak'].map(cell),
      [sectionId, householdId, DESA, '1', '3'],
    );
  });
});
