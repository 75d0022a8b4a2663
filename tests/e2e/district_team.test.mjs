// The district team in Chromium (issue #19): the admin gives a kecamatan supervisor an
// account; the supervisor signs in with the one-time password, chooses their own, sees only
// their kecamatan and reviews a household there; the admin finds both in the audit trail.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { withBrowser } from './support/browser.mjs';
import { signIn, startHub, uploadBatch } from './support/hub.mjs';

const SAMPLE = new URL('../../target/debug/examples/batch_sample', import.meta.url).pathname;

let hub;
before(async () => {
  hub = await startHub();
});
after(async () => {
  await hub?.stop();
});

test('an admin gives a supervisor their kecamatan; both are in the audit trail', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'verval-team-'));
  const batch = join(dir, 'batch.zip');
  // Two families in kecamatan 35.13.14, one next door in 35.13.15.
  execFileSync(SAMPLE, [batch, '--last-family-in', '35.13.15.2001']);

  await withBrowser(async (chromium) => {
    const page = await chromium.context.newPage();
    await signIn(page, hub.url);
    await page.waitForURL(/\/admin$/);
    await uploadBatch(page, batch);

    // The admin adds the supervisor; the one-time password is shown once.
    await page.getByTestId('nav-akun').click();
    await page.getByLabel('Nama pengguna').fill('korcam.dringu');
    await page.getByLabel('Nama lengkap').fill('Sri Wahyuni');
    await page.locator('select[name=peran]').selectOption('supervisor');
    await page.locator('input[name=wilayah]').fill('35.13.14');
    await page.getByTestId('add-account').click();
    const oneTime = (await page.getByTestId('one-time-password').innerText()).trim();
    assert.match(oneTime, /^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{2}$/);
    await page.getByTestId('sign-out').click();
    await page.waitForURL(/\/admin\/masuk$/);

    // The supervisor's first sign-in asks for their own password before anything else.
    await signIn(page, hub.url, { username: 'korcam.dringu', password: oneTime });
    await page.waitForURL(/\/admin\/sandi$/);
    await page.getByTestId('must-change-password').waitFor();
    await page.locator('input[name=sandi_lama]').fill(oneTime);
    await page.locator('input[name=sandi_baru]').fill('sandi-sri-wahyuni');
    await page.locator('input[name=sandi_ulang]').fill('sandi-sri-wahyuni');
    await page.getByTestId('change-password').click();
    await page.waitForURL(/\/admin$/);

    // Only their kecamatan, on the progress page, in the list and in every count; only the
    // pages their role opens.
    assert.deepEqual(
      await page.locator('[data-testid=area]').evaluateAll((rows) => rows.map((r) => r.dataset.code)),
      ['35.13.14'],
    );
    await page.goto(`${hub.url}/admin/keluarga`);
    assert.match(await page.getByTestId('matching').innerText(), /^2 keluarga/);
    const villages = await page.getByTestId('villages').innerText();
    assert.match(villages, /35\.13\.14\.2001/);
    assert.doesNotMatch(villages, /35\.13\.15/);
    for (const hidden of ['nav-akun', 'nav-audit', 'nav-unggah', 'nav-petugas']) {
      assert.equal(await page.getByTestId(hidden).count(), 0, hidden);
    }
    const refused = await page.goto(`${hub.url}/admin/audit`);
    assert.equal(refused.status(), 403);

    // A household of theirs, reviewed.
    await page.goto(`${hub.url}/admin/keluarga`);
    await page.locator('[data-testid=records] a').first().click();
    await page.locator('[data-field=nomor_kk]').waitFor();
    await page.locator('select[name=review]').selectOption('perlu_perbaikan');
    await page.locator('textarea[name=note]').fill('Foto KK buram');
    await page.getByTestId('save-review').click();
    await page.waitForLoadState();
    assert.equal(await page.locator('select[name=review]').inputValue(), 'perlu_perbaikan');
    await page.getByTestId('sign-out').click();
    await page.waitForURL(/\/admin\/masuk$/);

    // The admin's audit page shows who made the account and who reviewed what.
    await signIn(page, hub.url);
    await page.waitForURL(/\/admin$/);
    await page.getByTestId('nav-audit').click();
    const added = page.locator('[data-testid=audit-events] tr[data-action=akun_ditambah]');
    assert.match(await added.first().innerText(), /admin[\s\S]*korcam\.dringu/);
    await page.locator('input[name=orang]').fill('korcam.dringu');
    await page.locator('select[name=aksi]').selectOption('tinjauan');
    await page.getByTestId('audit-filter').click();
    await page.waitForURL(/orang=korcam\.dringu/);
    assert.match(await page.getByTestId('audit-matching').innerText(), /^1 kejadian/);
    const review = page.locator('[data-testid=audit-events] tr[data-action=tinjauan]');
    const row = await review.innerText();
    assert.match(row, /korcam\.dringu/);
    assert.match(row, /tinjauan: perlu_perbaikan/);
    assert.match(row, /catatan: Foto KK buram/);
  });
});
