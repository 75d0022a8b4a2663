// One phone, two lists (issue #16: nothing the enumerator entered is ever lost). The
// enumerator reads the village's prelist on the phone and starts a visit; then the phone is
// enrolled with the district hub and the campaign page, opened online, downloads the
// district's assignment: every family of the phone's own list is still there, and the panel
// says what changed. Then the district drops two families from its prelist: the phone shows
// both withdrawn, kept — the visited one with its draft, the other until the enumerator
// removes it.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { phonePage, withBrowser } from './support/browser.mjs';
import { HouseholdForm } from './support/app.mjs';
import { startHub } from './support/hub.mjs';
import { listedFamily, openCampaign as openCampaignAt, openVisit } from './support/campaign.mjs';

const DESA = '35.13.14.2001';
const HEADER = 'ID_keluarga_P3KE;kode_kemdagri;alamat;RT;RW;nomor_KK;NIK;nama;hubungan_dengan_KK;jenis_kelamin;tanggal_lahir';
const row = (id, kk, nik, nama, alamat = 'Dusun Krajan') =>
  `${id};3513142001;${alamat};001;003;${kk};${nik};${nama};Kepala Keluarga;Laki-laki;01/01/1970`;

// The district's prelist: P-1 to P-4.
const DISTRICT = [
  HEADER,
  row('P-1', '3513141203150101', '3513140101700101', 'Slamet'),
  row('P-2', '3513141203150102', '3513140101700102', 'Budi'),
  row('P-3', '3513141203150103', '3513140101700103', 'Joko'),
  row('P-4', '3513141203150104', '3513140101700104', 'Karto', 'Krajan (kabupaten)'),
];
// The village's own list, read on the phone: L-1 to L-3, and P-4 as the village wrote it.
const VILLAGE = [
  HEADER,
  row('L-1', '3513141203150201', '3513140101700201', 'Sarinah'),
  row('L-2', '3513141203150202', '3513140101700202', 'Painem'),
  row('L-3', '3513141203150203', '3513140101700203', 'Tukiyem'),
  row('P-4', '3513141203150104', '3513140101700104', 'Karto', 'Krajan (desa)'),
].join('\r\n');

let hub;
let dir;
before(async () => {
  hub = await startHub();
  dir = mkdtempSync(join(tmpdir(), 'verval-sources-'));
});
after(async () => {
  await hub?.stop();
});

/** Imports a prelist at the hub, as district staff do. */
function districtImports(lines, name) {
  const file = join(dir, name);
  writeFileSync(file, lines.join('\r\n'));
  return hub.cli('prelist', 'import', file);
}

const family = listedFamily;
const openCampaign = (page) => openCampaignAt(page, hub.url);

async function attrs(page, id, names) {
  return Promise.all(names.map((n) => family(page, id).getAttribute(n)));
}

/** Starts a listed family's visit (a draft saved before the form opens), then goes back. */
async function startVisit(page, id) {
  await openVisit(page, id);
  await openCampaign(page);
}

test('one phone, both lists: the hub adds to the phone’s own list, withdraws only its own families, keeps visits', async () => {
  districtImports(DISTRICT, 'p3ke-1.csv');
  const added = hub.cli('enumerator', 'add', '--name', 'Siti Aminah', '--desa', DESA);
  const code = added.match(/enrolment code\): (\S+)/)[1];

  await withBrowser(async (chromium) => {
    const page = await phonePage(chromium.context);
    await openCampaign(page);
    await page.getByTestId('no-assignment').waitFor();

    // The village's list read on the phone, its P3KE columns recognised.
    await page.getByTestId('import-prelist').setInputFiles({ name: 'desa.csv', mimeType: 'text/csv', buffer: Buffer.from(VILLAGE) });
    await page.getByTestId('prelist-mapping').waitFor();
    await page.getByTestId('save-prelist').click();
    await page.getByTestId('prelist-notice').waitFor();
    assert.match(await page.getByTestId('prelist-notice').innerText(), /4 keluarga baru|4 new families/);
    await family(page, 'L-3').waitFor();
    // L-1's visit started on the phone.
    await startVisit(page, 'L-1');
    await family(page, 'L-1').and(page.locator('[data-state=sedang]')).waitFor();

    // Enrolled by the QR; the campaign page, opened online, downloads the district's list.
    await page.goto(`${hub.url}/?daftar=${code}`);
    await page.waitForURL(/ekspor\.html\?daftar=/);
    await page.getByTestId('enrol').click();
    await page.getByTestId('sync-enrolled').waitFor();
    await openCampaign(page);
    const notice = page.getByTestId('assignment-notice');
    await notice.waitFor();
    const said = await notice.innerText();
    assert.match(said, /3 keluarga baru|3 new families/);
    assert.match(said, /0 ditarik dari daftar|0 withdrawn/);
    assert.match(said, /1 keluarga juga ada di daftar yang diimpor di perangkat|1 families are also on the list imported on this phone/);
    assert.match(said, /3 keluarga dari daftar yang diimpor di perangkat tidak diubah|3 families from the list imported on this phone were left untouched/);
    // Every family of both lists, each once, with where it is listed.
    await family(page, 'P-1').waitFor();
    assert.equal(await page.getByTestId('campaign-family').count(), 7);
    for (const id of ['L-1', 'L-2', 'L-3']) {
      assert.deepEqual(await attrs(page, id, ['data-source', 'data-withdrawn']), ['local', 'false'], id);
    }
    assert.equal(await family(page, 'L-1').getAttribute('data-state'), 'sedang', 'its draft still counts');
    assert.deepEqual(await attrs(page, 'P-4', ['data-source', 'data-withdrawn']), ['hub', 'false'], "P-4: the district's");
    assert.match(await family(page, 'P-4').innerText(), /Krajan \(kabupaten\)/);
    // Both lists are named.
    assert.match(await page.locator('[data-testid=assignment-info][data-source=hub]').innerText(), /diunduh|downloaded/);
    assert.match(await page.locator('[data-testid=assignment-info][data-source=local]').innerText(), /desa\.csv/);

    // P-3's visit started; then the district drops P-2 and P-3 from its prelist.
    await startVisit(page, 'P-3');
    await family(page, 'P-3').and(page.locator('[data-state=sedang]')).waitFor();
    assert.match(districtImports([DISTRICT[0], DISTRICT[1], DISTRICT[4]], 'p3ke-2.csv'), /: 0 new,/);
    await openCampaign(page);
    await page.locator('[data-testid=assignment-notice]:text-matches("2 ditarik dari daftar|2 withdrawn")').waitFor();
    // P-4 moved up two rows in the district's file (a listed member keeps its row): updated.
    assert.match(
      await notice.innerText(),
      /0 keluarga baru, 1 diperbarui, 1 tetap, 2 ditarik|0 new families, 1 updated, 1 unchanged, 2 withdrawn/,
    );
    // The list redraws after the notice: wait for its rows before counting them.
    await page.getByTestId('campaign-family').nth(6).waitFor();
    assert.equal(await page.getByTestId('campaign-family').count(), 7, 'nothing deleted');
    for (const id of ['P-2', 'P-3']) {
      // The rows may still be the ones drawn before the download: wait for the new state.
      await family(page, id).and(page.locator('[data-withdrawn=true]')).waitFor();
      assert.equal(await family(page, id).getByTestId('withdrawn').isVisible(), true, id);
    }
    assert.equal(await family(page, 'P-3').getAttribute('data-state'), 'sedang', 'kept with its visit');
    assert.equal(await family(page, 'P-3').getByTestId('remove-withdrawn').count(), 0, 'a visited family stays');
    for (const id of ['L-1', 'L-2', 'L-3', 'P-1', 'P-4']) {
      assert.equal(await family(page, id).getAttribute('data-withdrawn'), 'false', id);
    }
    // Progress counts the withdrawn family only because it was visited.
    assert.equal(await page.getByTestId('village-progress').getAttribute('data-listed'), '6');

    // The enumerator decides: P-2, never visited, off the list.
    await family(page, 'P-2').getByTestId('remove-withdrawn').click();
    await family(page, 'P-2').waitFor({ state: 'detached' });
    await openCampaign(page);
    await family(page, 'P-3').waitFor();
    assert.equal(await family(page, 'P-2').count(), 0);
    assert.equal(await family(page, 'P-3').getAttribute('data-withdrawn'), 'true');
    assert.equal(await family(page, 'L-1').getAttribute('data-state'), 'sedang');
    // The visit still opens from the withdrawn family: the same draft.
    await family(page, 'P-3').getByTestId('visit-family').click();
    await page.waitForURL(/keluarga\.html#/);
    const form = new HouseholdForm(page);
    await form.waitOpen();
    assert.equal(await form.input('prelist_id').inputValue(), 'P-3');
  });
});
