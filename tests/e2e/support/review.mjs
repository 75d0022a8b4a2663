// The district's review in end-to-end tests: a reviewer's decision on the hub's household
// page, and a whole sync round on the phone (uploads, then the decisions).
import { setTimeout as sleep } from 'node:timers/promises';

/** The reviewer's decision on the household's page at the hub at `baseUrl` (signed in on
 * `staff`): `fieldNote` ({ field, member, note }) is put on a member's row. */
export async function decide(staff, baseUrl, id, decision, { note = '', fieldNote } = {}) {
  await staff.goto(`${baseUrl}/admin/keluarga/${id}`);
  await staff.getByTestId('review-form').waitFor();
  await staff.locator('select[name=review]').selectOption(decision);
  await staff.locator('textarea[name=note]').fill(note);
  if (fieldNote) {
    await staff.locator('select[name=isian_1]').selectOption(fieldNote.field);
    const row = await staff.locator('select[name=baris_1] option', { hasText: fieldNote.member }).getAttribute('value');
    await staff.locator('select[name=baris_1]').selectOption(row);
    await staff.locator('input[name=catatan_1]').fill(fieldNote.note);
  }
  await staff.getByTestId('save-review').click();
  await staff.locator(`[data-testid=review-history] tr[data-decision=${decision}]`).last().waitFor();
}

/** Opens the export page and waits for a whole sync round that began after this call (the
 * page starts one when it opens): its uploads, then the district's decisions. */
export async function syncRound(page, baseUrl) {
  const since = Date.now();
  await page.goto(`${baseUrl}/ekspor.html`);
  await page.getByTestId('sync-panel').waitFor();
  const done = page.locator('[data-testid=sync-last-ok]');
  for (let i = 0; i < 120; i += 1) {
    if ((await done.count()) && Number(await done.getAttribute('data-at')) > since) return;
    await sleep(500);
  }
  const problem = await page.getByTestId('sync-error').allInnerTexts();
  throw new Error(`no sync round finished (${problem.join('; ') || 'no error shown'})`);
}

