// Accessibility in the suite (issue #28): axe-core on every page state of the app and every
// page of the hub, failing on any violation of WCAG 2.1 A/AA or the target-size rule, and on
// any page wider than a 360 px phone.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { check, smallTargets } from './support/axe.mjs';
import { phonePage, withBrowser } from './support/browser.mjs';
import { HouseholdList, putMeta, serveReleaseForFile } from './support/app.mjs';
import { fillCompleteFamily } from './support/fill.mjs';
import { signIn, startHub, uploadBatch } from './support/hub.mjs';

const server = serveReleaseForFile();

// Interactive elements of the app allowed under 48×48 px, each with its reason.
const SMALL_ALLOWED = {};

/** axe, the 360 px width and the app's 48 px touch targets on one page state. */
async function checkApp(page, name, found) {
  await check(page, name, found);
  for (const small of await smallTargets(page, SMALL_ALLOWED)) found.push(`${name}: touch target ${small}`);
}
const SAMPLE = new URL('../../target/debug/examples/batch_sample', import.meta.url).pathname;

test('every page state of the app passes axe, fits 360 px and has 48 px touch targets', async () => {
  await withBrowser(async (chromium) => {
    const page = await phonePage(chromium.context);
    const found = [];
    const list = await new HouseholdList(page, server.url).open();
    await checkApp(page, 'list, empty', found);

    const form = await list.add();
    await checkApp(page, 'form, new', found);
    // The error summary, as "Selesai & kunci" on an empty family shows it.
    await page.getByTestId('finalize').click();
    await page.getByTestId('issue-summary').waitFor();
    await checkApp(page, 'form, error summary', found);
    await fillCompleteFamily(page, form, chromium.context, server.url);
    for (const letter of 'ABCDEFGHI') {
      await form.section(letter);
      await checkApp(page, `form, section ${letter}`, found);
    }
    await form.section('D');
    await form.openRow('art', 0);
    await checkApp(page, 'form, an open member row', found);
    await form.waitSaved();

    await list.open();
    await checkApp(page, 'list, with a family', found);
    await page.goto(`${server.url}/ekspor.html`);
    await page.getByTestId('make-batch').waitFor();
    await checkApp(page, 'export', found);
    await page.goto(`${server.url}/kampanye.html`);
    await page.getByTestId('no-assignment').waitFor();
    await checkApp(page, 'campaign', found);
    // A village's own list, whose columns the enumerator maps by hand.
    const own = ['Daftar warga miskin', 'No;Kartu Keluarga;Nomor Induk;Nama Warga', '1;3513141203150055;3513140101700055;Karto'].join('\n');
    await page.getByTestId('import-prelist').setInputFiles({ name: 'desa.csv', mimeType: 'text/csv', buffer: Buffer.from(own) });
    await page.getByTestId('prelist-mapping').waitFor();
    await checkApp(page, 'campaign, mapping the columns', found);

    // The lock page (issue #23): before the district's keys; then locked (a PIN kept as the
    // phone keeps it), and a forgotten PIN's screen.
    await page.goto(`${server.url}/kunci.html`);
    await page.getByTestId('pin-needs-keys').waitFor();
    await checkApp(page, 'lock page, no keys yet', found);
    await putMeta(page, 'vault', {
      wrap: { kdf: 'pbkdf2-sha256', iterations: 600000, salt: 'AAAAAAAAAAAAAAAAAAAAAA', wrapped: 'A'.repeat(80) },
      key_id: '0123456789abcdef0123456789abcdef',
      failures: 0,
      pin_set_at: Date.now(),
    });
    await page.goto(`${server.url}/`);
    await page.waitForURL(/kunci\.html/);
    await page.getByTestId('unlock').waitFor();
    await checkApp(page, 'lock page, locked', found);
    await page.getByTestId('forgot-pin').click();
    await page.getByTestId('lock-note').waitFor();
    await checkApp(page, 'lock page, forgotten PIN', found);
    assert.deepEqual(found, []);
  });
});

test('every page of the hub passes axe', async () => {
  const hub = await startHub();
  try {
    const dir = mkdtempSync(join(tmpdir(), 'verval-axe-'));
    const batch = join(dir, 'batch.zip');
    execFileSync(SAMPLE, [batch]);
    await withBrowser(async (chromium) => {
      const page = await chromium.context.newPage();
      await page.setViewportSize({ width: 360, height: 740 });
      const found = [];
      await page.goto(`${hub.url}/admin/masuk`);
      await check(page, 'sign-in', found);
      await signIn(page, hub.url);
      await page.waitForURL(/\/admin$/);
      await uploadBatch(page, batch);
      await check(page, 'upload, done', found);
      const pages = await page.locator('header nav a[data-testid^=nav-]').evaluateAll((links) => links.map((a) => a.href));
      for (const href of pages) {
        await page.goto(href);
        await check(page, new URL(href).pathname, found);
      }
      await page.goto(`${hub.url}/admin/keluarga`);
      await page.locator('a[href^="/admin/keluarga/"]').first().click();
      await check(page, 'a household', found);
      // Pages reached from another page, not from the menu.
      for (const [path, name] of [
        ['/admin?wilayah=35.13.14.2001', 'progress of a village'],
        ['/admin/bukti?wilayah=35.13.14', 'flagged households'],
        ['/admin/peta?wilayah=35.13.14', 'map of visits'],
        ['/admin/bantuan?wilayah=35.13.14.2001', 'aid recap of a village, naming who has none'],
        ['/admin/segel/pin', 'forgotten PINs'],
        ['/admin/segel/cadangan-hp', "a phone's backup moved to a new phone"],
      ]) {
        await page.goto(`${hub.url}${path}`);
        await check(page, name, found);
      }
      // A village meeting: its list with a decision per family, and its print.
      await page.goto(`${hub.url}/admin/musdes`);
      await page.selectOption('#kode_desa', '35.13.14.2001');
      await page.fill('#periode', 'Musdesus Oktober 2026');
      await page.fill('#nomor_ba', '140/07/BA/2026');
      await page.fill('#tanggal_musdes', '2026-10-14');
      await page.getByTestId('musdes-add').click();
      await page.getByTestId('musdes-decisions').waitFor();
      await check(page, 'a village meeting and its decisions', found);
      await page.getByTestId('musdes-print').click();
      await page.getByTestId('daftar-hadir').waitFor();
      await check(page, 'the meeting\'s documents to print', found);
      await page.goto(`${hub.url}/admin/sandi`);
      await page.getByTestId('change-password').waitFor();
      await check(page, 'own password', found);
      await page.goto(`${hub.url}/admin/petugas`);
      await page.fill('#nama', 'Siti Aminah');
      await page.fill('#desa', '35.13.14.2001');
      await page.getByTestId('add-enumerator').click();
      await page.getByTestId('enrolment-code').waitFor();
      await check(page, 'an enumerator added: its enrolment code', found);
      await page.goto(`${hub.url}/admin/akun`);
      await page.fill('#username', 'korcam.dringu');
      await page.fill('#nama', 'Korcam Dringu');
      await page.selectOption('#peran', 'supervisor');
      await page.fill('#wilayah', '35.13.14');
      await page.getByTestId('add-account').click();
      await page.getByTestId('one-time-password').waitFor();
      await check(page, 'an account added: its one-time password', found);
      assert.deepEqual(found, []);
    });
  } finally {
    await hub.stop();
  }
});
