// Sync with the district hub, end to end: the real hub binary serving the release app, a
// phone enrolled by the QR's address, a family filled and finalized through the UI arriving
// at the hub; then 120 more with the network switched off while syncing and back on —
// everything arrives exactly once. A receipt file from a file handover marks a batch
// received; a revoked phone stops and asks to be enrolled again.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { phonePage, withBrowser } from './support/browser.mjs';
import { HouseholdList } from './support/app.mjs';
import { fillCompleteFamily } from './support/fill.mjs';
import { exampleFamily, storeFinalFamilies } from './support/families.mjs';
import { ADMIN, startHub } from './support/hub.mjs';

let hub;
before(async () => {
  hub = await startHub();
});
after(async () => {
  await hub?.stop();
});

async function counts(page) {
  const line = page.getByTestId('sync-counts');
  await line.waitFor();
  return { unsent: Number(await line.getAttribute('data-unsent')), sent: Number(await line.getAttribute('data-sent')) };
}

async function waitForCounts(page, expected) {
  await page.locator(`[data-testid=sync-counts][data-unsent="${expected.unsent}"][data-sent="${expected.sent}"]`).waitFor({ timeout: 60_000 });
}

test('a phone enrolled with the hub sends its families once, across a lost connection', async () => {
  const added = hub.cli('enumerator', 'add', '--name', 'Siti Aminah', '--desa', '35.13.14.2001');
  const [enumeratorId] = added.split('\t');
  const code = added.match(/enrolment code\): (\S+)/)[1];

  await withBrowser(async (chromium) => {
    const page = await phonePage(chromium.context);
    // A family filled and finalized through the form, before the phone ever met the hub.
    const list = await new HouseholdList(page, hub.url).open();
    const form = await list.add();
    await fillCompleteFamily(page, form, chromium.context, hub.url);
    await page.getByTestId('finalize').click();
    await page.getByTestId('confirm-finalize').click();
    await page.locator('[data-testid=record-status][data-final=true]').waitFor();
    await form.waitSaved();

    // Scanning the QR opens the hub's address with the code: the app takes it to the
    // enrolment form, filled in.
    await page.goto(`${hub.url}/?daftar=${code}`);
    await page.waitForURL(/ekspor\.html\?daftar=/);
    assert.equal(await page.locator('input[name=kode_pendaftaran]').inputValue(), code);
    assert.equal(await page.locator('input[name=hub_url]').inputValue(), hub.url);
    await page.getByTestId('enrol').click();
    await page.getByTestId('sync-enrolled').waitFor();
    assert.match(await page.getByTestId('sync-enrolled').innerText(), /SITI AMINAH|Siti Aminah/);
    // Enrolled: the waiting family goes out by itself.
    await waitForCounts(page, { unsent: 0, sent: 1 });
    assert.equal(hub.households(), 1);
    const synced = page.locator('[data-testid=batch][data-sync=received]');
    assert.equal(await synced.count(), 1);
    assert.match(await synced.getByTestId('batch-status').innerText(), /Terkirim|Sent/);
    // Per household: the choose list says it reached the district.
    await page.locator('label[for=isi-pilih]').click();
    assert.match(await page.getByTestId('record-received').first().innerText(), /Terkirim|Sent/);

    // The round ends by telling the hub what the phone holds: the district's progress shows
    // it begun and finalized on the phone (issue #21).
    const staff = await chromium.context.newPage();
    assert.equal((await staff.request.post(`${hub.url}/admin/masuk`, { form: { ...ADMIN } })).status(), 200);
    let reported = '';
    for (let tries = 0; tries < 30 && !/: 1 dimulai, 1 selesai/.test(reported); tries++) {
      if (tries) await staff.waitForTimeout(500);
      await staff.goto(`${hub.url}/admin`);
      reported = await staff.getByTestId('phones-total').innerText();
    }
    assert.match(reported, /: 1 dimulai, 1 selesai/);
    await staff.close();

    // 120 more, and the network goes away while they are being sent (the batches are
    // being made when it drops; the uploads fail).
    await storeFinalFamilies(page, exampleFamily(), 120, 1000);
    await page.getByTestId('sync-now').click();
    await chromium.context.setOffline(true);
    await page.getByTestId('sync-error').waitFor({ timeout: 60_000 });
    assert.match(await page.getByTestId('sync-error').innerText(), /Tidak tersambung|Cannot reach/);
    const cut = await counts(page);
    assert.ok(cut.unsent > 0, 'something was cut off');
    assert.equal(cut.unsent + cut.sent, 121, 'nothing counted as sent without a receipt, nothing lost');
    assert.equal(await page.getByTestId('sync-next').isVisible(), true, 'the next try is shown');
    // Offline, the app still opens (service worker), and still waits to send.
    await page.reload();
    assert.equal((await counts(page)).unsent, cut.unsent);
    // Back online: the worker tries again at once, without a tap.
    await chromium.context.setOffline(false);
    await waitForCounts(page, { unsent: 0, sent: 121 });
    assert.equal(hub.households(), 121, 'every family at the hub, each once');
    assert.equal(await page.getByTestId('sync-error').count(), 0);

    // A family of a village this enumerator does not cover, among two good ones: the hub
    // refuses it for good; it is set aside with the reason, and the other two still go.
    const family = exampleFamily();
    await storeFinalFamilies(page, { ...family, answers: { ...family.answers, kode_desa: '35.13.14.2002' } }, 1, 7000);
    await storeFinalFamilies(page, family, 2, 7100);
    await page.getByTestId('sync-now').click();
    await page.getByTestId('quarantined').waitFor({ timeout: 60_000 });
    assert.match(await page.getByTestId('quarantined').innerText(), /35\.13\.14\.2002/);
    await waitForCounts(page, { unsent: 0, sent: 123 });
    assert.equal(hub.households(), 123);
  });

  // A file handover: a batch file made on a second phone, imported at the hub, its receipt
  // file imported back into that phone.
  await withBrowser(async (chromium) => {
    const page = await phonePage(chromium.context);
    await new HouseholdList(page, hub.url).open();
    await storeFinalFamilies(page, exampleFamily(), 2, 5000);
    await page.goto(`${hub.url}/ekspor.html`);
    await page.locator('label[for=isi-baru]').click();
    await page.getByTestId('make-batch').click();
    const made = page.getByTestId('batch-made');
    await made.waitFor();
    const fileName = await made.getAttribute('data-file');
    const download = page.waitForEvent('download');
    await page.getByTestId('download-batch').click();
    const dir = mkdtempSync(join(tmpdir(), 'verval-handover-'));
    const zipPath = join(dir, fileName);
    await (await download).saveAs(zipPath);
    const imported = hub.cli('import', zipPath);
    assert.match(imported, /^OK .*: 2 records; receipt /);
    const receiptName = readdirSync(dir).find((n) => n.startsWith('tanda-terima-'));
    await page.getByTestId('import-receipt').setInputFiles(join(dir, receiptName));
    await page.getByTestId('sync-notice').waitFor();
    assert.match(await page.getByTestId('sync-notice').innerText(), /^2 keluarga ditandai Diterima kabupaten/);
    const row = page.locator(`[data-testid=batch][data-file="${fileName}"][data-sync=received]`);
    await row.waitFor();
    assert.match(await row.getByTestId('batch-status').innerText(), /Diterima kabupaten|Received by the district/);
    // A receipt for a batch this phone never made is refused, and marks nothing.
    const stranger = JSON.parse(readFileSync(join(dir, receiptName), 'utf8'));
    stranger.batch_id = '00000000-0000-4000-8000-000000000000';
    const strangerPath = join(dir, 'tanda-terima-asing.json');
    writeFileSync(strangerPath, JSON.stringify(stranger));
    await page.getByTestId('import-receipt').setInputFiles(strangerPath);
    await page.getByTestId('error-notice').waitFor();
    assert.match(await page.getByTestId('error-notice').innerText(), /tidak dibuat di perangkat ini|not made on this device/);
  });

  // Revoked at the district: the phone stops, says why, and offers enrolment again.
  hub.cli('enumerator', 'revoke', enumeratorId);
  await withBrowser(async (chromium) => {
    const page = await phonePage(chromium.context);
    await new HouseholdList(page, hub.url).open();
    const code2 = hub.cli('enumerator', 'code', enumeratorId).match(/enrolment code\): (\S+)/)[1];
    await page.goto(`${hub.url}/ekspor.html?daftar=${code2}`);
    await page.getByTestId('enrol').click();
    await page.getByTestId('sync-enrolled').waitFor();
    hub.cli('enumerator', 'revoke', enumeratorId);
    await storeFinalFamilies(page, exampleFamily(), 1, 6000);
    // Opening the page starts a round by itself; the hub refuses the token.
    await page.reload();
    await page.getByTestId('sync-error').waitFor({ timeout: 60_000 });
    assert.match(await page.getByTestId('sync-error').innerText(), /didaftarkan ulang|enrolled again/);
    await page.getByTestId('enrol-form').waitFor();
    assert.equal(await page.getByTestId('sync-now').isVisible(), false, 'no retrying a refused token');
    assert.equal((await counts(page)).unsent, 1, 'still waiting, not lost');
  });
});
