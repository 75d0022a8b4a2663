// Supervision in Chromium (issue #21): the district's home page is the round's progress. An
// operator sets the round's deadline, reads the regency by kecamatan, drills down to a
// village and to the households an enumerator sent, prints the page without its menus, and
// downloads the progress workbook, which LibreOffice opens with the page's numbers. A reviewer
// then settles a family entered twice (and its pair with the family next door), and the
// dashboard counts it once.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { withBrowser } from './support/browser.mjs';
import { signIn, startHub } from './support/hub.mjs';

const SAMPLE = new URL('../../target/debug/examples/batch_sample', import.meta.url).pathname;

const PRELIST = [
  'DAFTAR KELUARGA P3KE;;;;;',
  'ID_keluarga_P3KE;kode_kemdagri;alamat;nomor_KK;NIK;nama',
  'P-1;3513142001;Krajan 1;3513141203150007;3513140101800001;SLAMET',
  'P-2;3513142001;Krajan 2;3513141203150017;3513140101800011;BUDI',
  'P-3;3513142001;Krajan 3;3513141203150027;3513140101800021;WATI',
  'P-4;3513142001;Krajan 4;3513141203150037;3513140101800031;JOKO',
  '',
].join('\n');

let hub;
let dir;
before(async () => {
  hub = await startHub();
  dir = mkdtempSync(join(tmpdir(), 'verval-supervision-'));
  // Four listed families in 35.13.14.2001; a file with two families there and one next door
  // in kecamatan 35.13.15; an enumerator assigned to the village whose phone never synced.
  writeFileSync(join(dir, 'prelist.csv'), PRELIST);
  hub.cli('prelist', 'import', join(dir, 'prelist.csv'));
  execFileSync(SAMPLE, [join(dir, 'batch.zip'), '--last-family-in', '35.13.15.2001']);
  hub.cli('import', join(dir, 'batch.zip'));
  hub.cli('enumerator', 'add', '--name', 'Budi Santoso', '--desa', '35.13.14.2001');
});
after(async () => {
  await hub?.stop();
});

/** The cells of a table row, as text. */
async function cells(row) {
  return row.locator('td').allInnerTexts();
}

test('a coordinator reads the progress, drills down to the households and takes the workbook', async () => {
  await withBrowser(async (chromium) => {
    const page = await chromium.context.newPage();
    await signIn(page, hub.url);
    await page.waitForURL(/\/admin$/);

    // The round's deadline, set on the page.
    await page.locator('input[name=mulai]').fill('2026-01-01');
    await page.locator('input[name=batas]').fill('2026-02-01');
    await page.getByTestId('save-round').click();
    await page.waitForURL(/\/admin$/);
    assert.match(await page.getByTestId('round').innerText(), /2026-02-01[\s\S]*Batas waktu sudah lewat/);

    // The regency by kecamatan: two families in 35.13.14 against a target of four, behind.
    assert.match(await page.getByTestId('progress-total').innerText(), /^3 dari 4 keluarga/);
    const dringu = page.locator('[data-testid=area][data-code="35.13.14"]');
    const [name, target, begun, finalized, received, , notVisited] = await cells(dringu);
    assert.match(name, /35\.13\.14/);
    assert.deepEqual([target, begun, finalized, received, notVisited], ['4', '0', '0', '2', '4'], 'no phone has reported');
    assert.equal(await dringu.getAttribute('class'), 'flag', 'behind the deadline: highlighted');
    assert.deepEqual(await cells(page.locator('[data-testid=area][data-code="35.13.15"]')).then((c) => c[4]), '1');

    // Down to the village, then to the enumerator's households.
    await dringu.locator('a').first().click();
    await page.waitForURL(/wilayah=35\.13\.14$/);
    await page.locator('[data-testid=area][data-code="35.13.14.2001"] a').first().click();
    await page.waitForURL(/wilayah=35\.13\.14\.2001$/);
    const workers = await page.locator('[data-testid=worker]').allInnerTexts();
    assert.equal(workers.length, 2, 'the one assigned and the one whose file came in');
    // The assigned one's share of the target is the whole village's, none in yet: behind.
    assert.match(workers.join('\n'), /Budi Santoso\t4\t0\t0\t[\s\S]*4 tertinggal/);
    const sender = page.locator('[data-testid=worker]', { hasText: 'SITI AMINAH' });
    assert.match(await sender.innerText(), /dari berkas/);
    await sender.getByTestId('received').click();
    await page.waitForURL(/\/admin\/keluarga\?desa=35\.13\.14\.2001&petugas=SITI/);
    assert.match(await page.getByTestId('matching').innerText(), /^2 keluarga/);
    await page.goto(`${hub.url}/admin?wilayah=35.13.14.2001`);

    // The phone that never synced is named; the file's phone is there too.
    const phones = await page.locator('[data-testid=phone]').allInnerTexts();
    assert.ok(phones.some((p) => /SITI AMINAH[\s\S]*berkas/.test(p)), phones.join('\n'));

    // Proof of visit: the three sample families share one point, so each is flagged; the
    // village's map draws its two houses, ringed, with a scale.
    await page.goto(`${hub.url}/admin`);
    const proof = page.locator('[data-testid=proof-area][data-code="35.13.14"]');
    assert.equal(await proof.locator('td[data-flag=titik_sama]').innerText(), '2');
    await proof.getByRole('link', { name: 'peta' }).click();
    await page.waitForURL(/\/admin\/peta\?wilayah=35\.13\.14$/);
    assert.equal(await page.getByTestId('map-point').count(), 2);
    assert.equal(await page.locator('[data-testid=map-point][data-flagged=true]').count(), 2);
    assert.match(await page.getByTestId('map-scale').textContent(), /\d+ (m|km)/);
    const box = await page.getByTestId('map').boundingBox();
    assert.ok(box && box.width > 300, 'the map is drawn at a readable size');

    // Printed: the table without menus, links' colours or forms.
    await page.goto(`${hub.url}/admin`);
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('header').isVisible(), false);
    assert.equal(await page.getByTestId('progress-xlsx').isVisible(), false);
    assert.equal(await page.getByTestId('save-round').isVisible(), false);
    assert.equal(await page.getByTestId('areas').isVisible(), true);
    await page.emulateMedia({ media: 'screen' });

    // The workbook for the TKPK meeting, opened by LibreOffice: the same numbers.
    const download = page.waitForEvent('download');
    await page.getByTestId('progress-xlsx').click();
    const file = await download;
    assert.match(file.suggestedFilename(), /^kemajuan-semua-\d{8}\.xlsx$/);
    const xlsx = join(dir, 'kemajuan.xlsx');
    await file.saveAs(xlsx);
    execFileSync('soffice', [
      `-env:UserInstallation=file://${join(dir, 'lo-profile')}`,
      '--headless', '--convert-to', 'csv', '--outdir', dir, xlsx,
    ]);
    const rows = readFileSync(join(dir, 'kemajuan.csv'), 'utf8').trim().split('\n').map((line) => line.split(','));
    const ids = rows[1];
    const row = rows.find((r) => r[0] === '35.13.14');
    assert.ok(row, rows.join('\n'));
    assert.equal(row[ids.indexOf('target')], '4');
    assert.equal(row[ids.indexOf('diterima')], '2');
    assert.equal(row[ids.indexOf('belum_dikunjungi')], '4');
    assert.equal(row[ids.indexOf('tertinggal')], '1');
  });
});

test('a reviewer settles a family entered twice, and it is counted once', async () => {
  await withBrowser(async (chromium) => {
    const page = await chromium.context.newPage();
    await signIn(page, hub.url);
    await page.waitForURL(/\/admin$/);
    // The sample's three families carry one family's card and members: two in 35.13.14.2001
    // (also one head), one next door in 35.13.15.
    assert.match(await page.getByTestId('doubtful-total').innerText(), /^3 keluarga diduga ganda/);
    await page.getByTestId('doubtful-total').getByRole('link').click();
    await page.waitForURL(/\/admin\/ganda\?wilayah=$/);
    assert.match(await page.getByTestId('pair-count').innerText(), /^3 pasangan belum diputuskan/);

    // The two in one village are one family: keep the first.
    const twice = page.locator('[data-testid=pair][data-kinds="nik,kk,kepala"]');
    assert.match(await twice.innerText(), /NIK yang sama; Nomor KK yang sama; Nama dan tanggal lahir/);
    await twice.getByLabel(/simpan yang pertama/).check();
    await twice.getByTestId('decide-pair').click();
    await page.waitForURL(/\/admin\/ganda\?wilayah=$/);
    // The pair of the rejected one and the family next door is settled with it.
    assert.match(await page.getByTestId('pair-count').innerText(), /^1 pasangan/);
    const next = page.getByTestId('pair');
    assert.equal(await next.getAttribute('data-kinds'), 'nik,kk');
    await next.getByLabel(/Keluarga berbeda \(tidak ditanyakan lagi\)/).check();
    await next.getByTestId('decide-pair').click();
    await page.waitForURL(/\/admin\/ganda\?wilayah=$/);
    assert.match(await page.getByTestId('pair-count').innerText(), /^0 pasangan/);
    await page.getByTestId('to-decided').click();
    const decisions = await page.getByTestId('pair-decision').evaluateAll((ps) => ps.map((p) => p.dataset.decision).sort());
    assert.deepEqual(decisions, ['berbeda', 'sama']);

    // Counted once on the dashboard; the rejected one is found under its own filter.
    await page.goto(`${hub.url}/admin`);
    assert.match(await page.getByTestId('doubtful-total').innerText(), /^0 keluarga/);
    assert.match(await page.getByTestId('progress-total').innerText(), /^2 dari 4 keluarga/);
    const dringu = page.locator('[data-testid=area][data-code="35.13.14"]');
    assert.equal((await cells(dringu))[4], '1');
    await page.goto(`${hub.url}/admin/keluarga?ganda=ditolak`);
    assert.match(await page.getByTestId('matching').innerText(), /^1 keluarga/);
    await page.getByTestId('records').locator('a[href^="/admin/keluarga/"]').first().click();
    assert.match(await page.getByTestId('review-history').innerText(), /Ganda dari/);
  });
});
