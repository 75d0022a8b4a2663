// The district's review reaching the phone and the correction coming back (issue #20), end
// to end with the real hub binary: a family sent back with a note on one member's NIK, seen
// on the phone, corrected and finalized, shown to the reviewer as a change, approved, and
// seen approved on the phone. Once by sync, once with files only (batch file → hub upload →
// review file → app import → corrected batch file); and a family rejected as a duplicate,
// which names the other family and can no longer be corrected.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { phonePage, withBrowser } from './support/browser.mjs';
import { HouseholdForm, HouseholdList, storedMeta } from './support/app.mjs';
import { fillCompleteFamily } from './support/fill.mjs';
import { signIn, startHub } from './support/hub.mjs';
import { decide, syncRound } from './support/review.mjs';

// Member 2 of the example family (tests/e2e/support/family.mjs), and a corrected NIK of hers.
const MEMBER = 'SUMIATI';
const CORRECTED_NIK = '3513144507960005';
const FIELD_NOTE = 'NIK anggota 2 tidak sesuai KK';

let hub;
before(async () => {
  hub = await startHub();
});
after(async () => {
  await hub?.stop();
});

/** A family filled through the form and finalized; returns its record id. */
async function finalizedFamily(page, context) {
  const list = await new HouseholdList(page, hub.url).open();
  const form = await list.add();
  await fillCompleteFamily(page, form, context, hub.url);
  await page.getByTestId('finalize').click();
  await page.getByTestId('confirm-finalize').click();
  await page.locator('[data-testid=record-status][data-final=true]').waitFor();
  await form.waitSaved();
  return form.recordId();
}

/** Opens the family's form and checks where it stands with the district. */
async function expectStanding(page, id, standing) {
  await page.goto(`${hub.url}/keluarga.html#${id}`);
  await new HouseholdForm(page).waitOpen();
  assert.equal(await page.getByTestId('review-banner').getAttribute('data-standing'), standing);
}

/** On the family's form: the sent-back banner, the field note beside member 2's NIK; then the
 * correction typed and finalized. */
async function correctOnPhone(page, id) {
  // The list puts the families to correct first, with their count and a filter.
  await new HouseholdList(page, hub.url).open();
  const filter = page.getByTestId('sent-back-filter');
  assert.equal(await filter.getAttribute('data-count'), '1');
  await filter.click();
  await page.locator('[data-testid=found-count][data-count="1"]').waitFor();
  await page.locator(`[data-testid=household-row][data-id="${id}"]`).click();
  const form = new HouseholdForm(page);
  await form.waitOpen();
  const banner = page.getByTestId('review-banner');
  assert.equal(await banner.getAttribute('data-standing'), 'perlu_perbaikan');
  assert.match(await page.getByTestId('review-note').innerText(), /Periksa data anggota/);
  // The field note names its field and member row, and takes the enumerator there.
  const link = page.locator('[data-testid=review-field-link][data-field=nik]');
  assert.match(await link.innerText(), new RegExp(`NIK.*\\(baris 2\\): ${FIELD_NOTE}`));
  await link.click();
  await page.locator('[data-testid=section-title]:text-matches("^D\\.")').waitFor();
  const memberRow = page.locator('[data-testid=row-art][data-review-note=true]');
  assert.equal(await memberRow.count(), 1, 'only the named member row is marked');
  assert.match(await memberRow.locator('.row-title').innerText(), new RegExp(MEMBER));
  const beside = memberRow.locator('[data-testid=field-review-note][data-field=nik]');
  await beside.waitFor();
  assert.match(await beside.innerText(), new RegExp(FIELD_NOTE));
  // Finalized, so the correction is a new revision.
  await page.getByTestId('new-revision').click();
  await page.getByTestId('confirm-new-revision').click();
  await page.locator('[data-testid=record-status][data-final=false]').waitFor();
  await memberRow.locator('input[name=nik]').fill(CORRECTED_NIK);
  await page.getByTestId('finalize').click();
  await page.getByTestId('confirm-finalize').click();
  await page.locator('[data-testid=record-status][data-final=true]').waitFor();
  await form.waitSaved();
  // Corrected: waiting for the district, the notes no longer beside the fields.
  await page.locator('[data-testid=review-banner][data-standing=diperbaiki]').waitFor();
  assert.equal(await page.getByTestId('field-review-note').count(), 0);
}

/** At the hub: the household waits for another look, with the NIK shown as changed. */
async function seeCorrection(staff, id) {
  await staff.goto(`${hub.url}/admin/keluarga?tinjauan=tinjau_ulang`);
  await staff.locator(`[data-testid=records] a[href$="${id}"]`).waitFor();
  await staff.goto(`${hub.url}/admin/keluarga/${id}`);
  const change = staff.locator('[data-testid=changes] tr[data-field=nik]');
  await change.waitFor();
  assert.match(await change.innerText(), new RegExp(CORRECTED_NIK));
  assert.match(await staff.getByTestId('review-history').innerText(), /Periksa data anggota/);
}

/** The phone's next batch of new finals, downloaded and uploaded on the hub's page. */
async function handOverBatch(page, staff, dir) {
  await page.goto(`${hub.url}/ekspor.html`);
  await page.locator('label[for=isi-baru]').click();
  await page.getByTestId('make-batch').click();
  const made = page.getByTestId('batch-made');
  await made.waitFor();
  const file = join(dir, await made.getAttribute('data-file'));
  const download = page.waitForEvent('download');
  await page.getByTestId('download-batch').click();
  await (await download).saveAs(file);
  await staff.getByTestId('nav-unggah').click();
  await staff.locator('input[name=berkas]').setInputFiles(file);
  await staff.getByTestId('upload-batches').click();
  await staff.getByTestId('upload-ok').waitFor();
}

/** The review file of this phone, from the hub's page, imported on the phone. */
async function importReviewFile(page, staff, dir, name) {
  await staff.getByTestId('nav-tinjauan-hp').click();
  const download = staff.waitForEvent('download');
  await staff.locator(`[data-testid=review-file][href$="/${await storedMeta(page, 'device_id')}"]`).click();
  const path = join(dir, name);
  await (await download).saveAs(path);
  await page.goto(`${hub.url}/ekspor.html`);
  await page.getByTestId('import-reviews').setInputFiles(path);
  await page.getByTestId('sync-notice').waitFor();
  return path;
}

test('sent back by sync, corrected on the phone, approved at the hub', async () => {
  const added = hub.cli('enumerator', 'add', '--name', 'Siti Aminah', '--desa', '35.13.14.2001');
  const code = added.match(/enrolment code\): (\S+)/)[1];
  await withBrowser(async (chromium) => {
    const page = await phonePage(chromium.context);
    const id = await finalizedFamily(page, chromium.context);
    await page.goto(`${hub.url}/ekspor.html?daftar=${code}`);
    await page.getByTestId('enrol').click();
    await page.locator('[data-testid=sync-counts][data-unsent="0"][data-sent="1"]').waitFor({ timeout: 60_000 });

    const staff = await chromium.context.newPage();
    await signIn(staff, hub.url);
    await decide(staff, hub.url, id, 'perlu_perbaikan', {
      note: 'Periksa data anggota',
      fieldNote: { field: 'nik', member: MEMBER, note: FIELD_NOTE },
    });

    // The next round brings the decision.
    await syncRound(page, hub.url);
    await expectStanding(page, id, 'perlu_perbaikan');
    await correctOnPhone(page, id);

    // The corrected revision goes out with the next round.
    await syncRound(page, hub.url);
    await page.locator('[data-testid=sync-counts][data-unsent="0"][data-sent="2"]').waitFor();
    await seeCorrection(staff, id);
    await decide(staff, hub.url, id, 'disetujui', { note: 'Sudah sesuai' });

    await syncRound(page, hub.url);
    await expectStanding(page, id, 'disetujui');
    // Nothing left to correct: the list's count is gone.
    await new HouseholdList(page, hub.url).open();
    assert.equal(await page.getByTestId('sent-back-filter').getAttribute('data-count'), '0');
    assert.equal(await page.getByTestId('sent-back-filter').isVisible(), false);
  });
});

test('the same loop with files only: batch file, review file, corrected batch file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'verval-review-files-'));
  await withBrowser(async (chromium) => {
    const page = await phonePage(chromium.context);
    const id = await finalizedFamily(page, chromium.context);
    const staff = await chromium.context.newPage();
    await signIn(staff, hub.url);

    const handOver = () => handOverBatch(page, staff, dir);
    const reviewFile = (name) => importReviewFile(page, staff, dir, name);

    await handOver();
    await decide(staff, hub.url, id, 'perlu_perbaikan', {
      note: 'Periksa data anggota',
      fieldNote: { field: 'nik', member: MEMBER, note: FIELD_NOTE },
    });
    const first = await reviewFile('tinjauan-1.json');
    assert.match(await page.getByTestId('sync-notice').innerText(), /1 keputusan baru/);
    // The same file again: nothing new, nothing doubled.
    await page.getByTestId('import-reviews').setInputFiles(first);
    await page.locator('[data-testid=sync-notice]:text-matches("0 keputusan baru, 1 sudah ada")').waitFor();
    // The file made for another phone is refused, and takes nothing.
    const other = JSON.parse(readFileSync(first, 'utf8'));
    other.devices = ['00000000-0000-4000-8000-0000000000ff'];
    other.reviews[0].decision = 'disetujui';
    const otherPath = join(dir, 'tinjauan-hp-lain.json');
    writeFileSync(otherPath, JSON.stringify(other));
    await page.getByTestId('import-reviews').setInputFiles(otherPath);
    await page.getByTestId('error-notice').waitFor();
    assert.match(await page.getByTestId('error-notice').innerText(), /untuk HP lain|for another phone/);

    await expectStanding(page, id, 'perlu_perbaikan');
    await correctOnPhone(page, id);
    await handOver();
    await seeCorrection(staff, id);
    await decide(staff, hub.url, id, 'disetujui', { note: 'Sudah sesuai' });
    await reviewFile('tinjauan-2.json');
    assert.match(await page.getByTestId('sync-notice').innerText(), /1 keputusan baru/);
    await expectStanding(page, id, 'disetujui');
  });
});

test('a family rejected as a duplicate names the other family and can no longer be changed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'verval-review-duplicate-'));
  await withBrowser(async (chromium) => {
    const page = await phonePage(chromium.context);
    const kept = await finalizedFamily(page, chromium.context);
    const twice = await finalizedFamily(page, chromium.context);
    const staff = await chromium.context.newPage();
    await signIn(staff, hub.url);
    await handOverBatch(page, staff, dir);
    await staff.goto(`${hub.url}/admin/keluarga/${twice}`);
    await staff.getByTestId('review-form').waitFor();
    await staff.locator('select[name=review]').selectOption('ditolak');
    await staff.locator('textarea[name=note]').fill('Keluarga yang sama didata dua kali');
    await staff.locator('input[name=ganda]').fill(kept);
    await staff.getByTestId('save-review').click();
    await staff.locator('[data-testid=review-history] tr[data-decision=ditolak]').waitFor();
    await importReviewFile(page, staff, dir, 'tinjauan-ganda.json');

    await page.goto(`${hub.url}/keluarga.html#${twice}`);
    await new HouseholdForm(page).waitOpen();
    const banner = page.getByTestId('review-banner');
    assert.equal(await banner.getAttribute('data-standing'), 'ditolak');
    assert.equal(await page.getByTestId('review-duplicate').getAttribute('data-record'), kept);
    assert.match(await page.getByTestId('review-duplicate').innerText(), /SLAMET RIYADI \(KK \d{16}\)/);
    assert.equal(await page.getByTestId('new-revision').isDisabled(), true, 'no correction of a duplicate');
    // Not something to correct: the list does not count it.
    await new HouseholdList(page, hub.url).open();
    assert.equal(await page.getByTestId('sent-back-filter').getAttribute('data-count'), '0');
  });
});
