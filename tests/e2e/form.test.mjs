// The whole questionnaire through the UI: a complete family of four with two aid rows, the
// house location from (emulated) GPS and a photo, finalized and reloaded; an invalid NIK
// blocking finalizing with the field named; the language switch keeping every answer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { phonePage, withBrowser } from './support/browser.mjs';
import { HouseholdList, serveReleaseForFile } from './support/app.mjs';
import * as family from './support/family.mjs';
import { bigJpeg, fillCompleteFamily } from './support/fill.mjs';

const server = serveReleaseForFile();

/** The stored photo's size in pixels, read back from IndexedDB. */
function storedPhotoSize(page, key) {
  return page.evaluate(
    (key) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('verval');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction('photos').objectStore('photos').get(key);
          get.onsuccess = async () => {
            const bitmap = await createImageBitmap(get.result);
            resolve({ width: bitmap.width, height: bitmap.height, type: get.result.type });
          };
        };
      }),
    key,
  );
}

test('a complete family is filled, finalized, and comes back whole after a reload', async () => {
  await withBrowser(async (chromium) => {
    const page = await phonePage(chromium.context);
    const form = await (await new HouseholdList(page, server.url).open()).add();
    await fillCompleteFamily(page, form, chromium.context, server.url);

    // Calculated answers follow what was typed.
    await form.section('A');
    assert.equal(await page.locator('output[name=jumlah_art]').innerText(), '4');
    assert.equal(await page.locator('[data-testid=geopoint-lokasi_rumah]').innerText(), '-7.754300, 113.215900 (± 12 m)');
    await form.section('E');
    assert.equal(await page.locator('output[name=luas_lantai_per_kapita]').innerText(), '9.0');
    // A derived flag reads as words, not 0/1 (issue #28).
    assert.match(await page.locator('output[name=bangunan_layak]').innerText(), /^(Ya|Tidak)$/);

    await page.getByTestId('finalize').click();
    await page.getByTestId('confirm-finalize').click();
    await page.locator('[data-testid=record-status][data-final=true]').waitFor();
    assert.equal(await page.getByTestId('issue-summary').isHidden(), true, 'nothing blocks it');
    for (const letter of 'ABCDEFGHI') {
      assert.match(await page.getByTestId(`section-${letter}`).getAttribute('class'), /\bdone\b/, `section ${letter} done`);
    }
    await form.waitSaved();

    await page.reload();
    await form.waitOpen();
    await page.locator('[data-testid=record-status][data-final=true]').waitFor();
    // Every answer typed is there, section by section and row by row.
    await form.expectAnswers([...family.SECTION_A, ...family.SECTION_A_FOUND], assert);
    await form.section('B');
    await form.expectAnswers(family.SECTION_B, assert);
    await form.section('C');
    await form.expectAnswers(family.SECTION_C, assert);
    await form.section('D');
    assert.equal(await page.getByTestId('row-art').count(), 4);
    for (const [index, member] of family.MEMBERS.entries()) {
      await form.openRow('art', index);
      await form.expectAnswers(member, assert);
    }
    assert.equal(await page.locator('input[name=umur]').inputValue(), await ageOn('2012-09-01', page), 'age derived');
    await form.section('E');
    await form.expectAnswers([...family.SECTION_E, ...family.SECTION_E_AFTER_METER], assert);
    await form.openRow('daya_listrik', 0);
    await form.expectAnswers(family.METER, assert);
    await form.section('F');
    await form.expectAnswers(family.SECTION_F, assert);
    await form.section('G');
    await form.expectAnswers(family.SECTION_G, assert);
    assert.equal(await page.getByTestId('row-bantuan').count(), 2);
    for (const [index, aid] of family.AID.entries()) {
      await form.openRow('bantuan', index);
      await form.expectAnswers(aid, assert);
    }
    await form.section('H');
    await form.expectAnswers(family.SECTION_H, assert);
    await form.section('I');
    await form.expectAnswers(family.SECTION_I, assert);
    // The size is read from IndexedDB after the section shows: wait for it (empty until
    // then), and fail if it never reads as a size.
    const sizeShown = page.locator('[data-testid=photo-size-foto_rumah_depan]');
    await sizeShown.filter({ hasText: /^\d+ KB$/ }).waitFor({ timeout: 10000 });
    assert.match(await sizeShown.innerText(), /^\d+ KB$/);
    const key = await page.evaluate(async () => {
      const db = await new Promise((ok) => { const o = indexedDB.open('verval'); o.onsuccess = () => ok(o.result); });
      return new Promise((ok) => {
        const keys = db.transaction('photos').objectStore('photos').getAllKeys();
        keys.onsuccess = () => ok(keys.result[0]);
      });
    });
    const stored = await storedPhotoSize(page, key);
    assert.deepEqual(stored, { width: 1280, height: 960, type: 'image/jpeg' }, 'downscaled on the phone to 1280 px');
    // Finalized means locked: inputs are read-only, choices disabled, until a correction.
    assert.equal(await page.locator('[name=catatan]').count(), 1);
    assert.equal(await page.locator('[name=catatan]').isEditable(), false, 'notes are locked');
    const refused = page.locator('input[name=persetujuan][value="2"]');
    assert.equal(await refused.getAttribute('aria-disabled'), 'true', 'choices are locked');
    await refused.click({ force: true });
    assert.equal(await refused.isChecked(), false, 'a tap on a locked choice changes nothing');
    assert.ok(await page.locator('input[name=persetujuan][value="1"]').isChecked());

    // The next family starts with this enumerator (issue #28: asked again for every
    // family), and, once anything is typed, with today as the visit date.
    const next = await (await new HouseholdList(page, server.url).open()).add();
    await next.fill('nama_kepala_keluarga', 'KELUARGA BERIKUTNYA');
    await next.section('B');
    assert.equal(await next.value('nama_petugas'), 'SITI AMINAH');
    assert.equal(await page.locator('select[name=peran_petugas]').inputValue(), '1');
    const today = await page.evaluate(() => {
      const d = new Date();
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    });
    assert.equal(await next.value('tanggal_kunjungan'), today);
  });
});

/** Waits (up to 10 s) until `check` holds. */
async function until(check, what) {
  for (let i = 0; i < 100; i += 1) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting: ${what}`);
}

/** Whole years from a birth date to the browser's today, as the app counts them. */
function ageOn(birth, page) {
  return page.evaluate((birth) => {
    const [y, m, d] = birth.split('-').map(Number);
    const now = new Date();
    const before = now.getMonth() + 1 < m || (now.getMonth() + 1 === m && now.getDate() < d);
    return String(now.getFullYear() - y - (before ? 1 : 0));
  }, birth);
}

test('an invalid NIK blocks finalizing, the summary names the field, and a correction is a new revision', async () => {
  await withBrowser(async (chromium) => {
    const page = await phonePage(chromium.context);
    const form = await (await new HouseholdList(page, server.url).open()).add();
    await fillCompleteFamily(page, form, chromium.context, server.url);
    await form.section('D');
    await page.getByTestId('row-art').nth(0).locator('.row-title').click();
    // A complete member reopens as its blocks' headings, each folded and done (issue #28).
    const blocks = page.getByTestId('row-art').nth(0).getByTestId('row-block');
    assert.equal(await blocks.count(), 5);
    for (const block of await blocks.all()) {
      if (await block.isHidden()) continue;
      assert.equal(await block.getAttribute('data-state'), 'done');
      assert.equal(await block.evaluate((d) => d.open), false, 'folded');
      assert.match(await block.locator('summary').innerText(), /selesai/);
    }
    await form.fill('nik', '3513141203580');
    assert.equal(await blocks.first().getAttribute('data-state'), 'errors');
    await page.getByTestId('finalize').click();
    const summary = page.getByTestId('issue-summary');
    await summary.waitFor();
    // Folded again by hand, the block opens when the summary's entry jumps to its field.
    await blocks.first().locator('summary').click();
    assert.equal(await blocks.first().evaluate((d) => d.open), false);
    await page.locator('[data-testid=issue-link][data-field=nik]').click();
    await page.locator('input[name=nik]:focus').waitFor();
    assert.equal(await blocks.first().evaluate((d) => d.open), true);
    assert.match(await page.getByTestId('section-D').getAttribute('class'), /\berrors\b/, 'the navigator marks D');
    const text = await summary.innerText();
    assert.match(text, /NIK #1/, `the summary names the field and the member: ${text}`);
    assert.match(text, /16 angka/);
    assert.equal(await page.locator('[data-testid=record-status]').getAttribute('data-final'), 'false');
    // The entry jumps to the field.
    await form.section('I');
    await page.locator('[data-testid=issue-link][data-field=nik]').click();
    await page.locator('input[name=nik]:focus').waitFor();
    await form.fill('nik', '3513141203580001');
    // Locking is asked once more (issue #28); "Batal" leaves the family open.
    await page.getByTestId('finalize').click();
    await page.getByTestId('cancel-confirm').click();
    assert.equal(await page.getByTestId('confirm-finalize').isVisible(), false);
    assert.equal(await page.locator('[data-testid=record-status]').getAttribute('data-final'), 'false', 'not locked by a first tap');
    await page.getByTestId('finalize').click();
    await page.getByTestId('confirm-finalize').click();
    await page.locator('[data-testid=record-status][data-final=true]').waitFor();

    // Correcting a finalized family keeps revision 1 and edits revision 2.
    await page.getByTestId('new-revision').click();
    await page.getByTestId('confirm-new-revision').click();
    await page.locator('[data-testid=record-status][data-final=false]').waitFor();
    assert.match(await page.getByTestId('record-status').innerText(), /revisi 2/);
    const kept = await page.evaluate(
      () =>
        new Promise((resolve) => {
          const open = indexedDB.open('verval');
          open.onsuccess = () => {
            const all = open.result.transaction('revisions').objectStore('revisions').getAll();
            all.onsuccess = () => resolve(all.result.map((r) => [r.revision, r.status]));
          };
        }),
    );
    assert.deepEqual(kept, [[1, 'final']]);

    // Revision 2 is a draft: its photo can be replaced and deleted, and the finalized revision
    // kept beside it still has its own photo (a new key for the new photo; deleting clears
    // the answer and keeps the image revision 1 names).
    await form.section('I');
    const photos = () =>
      page.evaluate(
        () =>
          new Promise((resolve) => {
            const open = indexedDB.open('verval');
            open.onsuccess = () => {
              const keys = open.result.transaction('photos').objectStore('photos').getAllKeys();
              keys.onsuccess = () => resolve(keys.result.length);
            };
          }),
      );
    assert.equal(await photos(), 1);
    await page.locator('input[name=foto_rumah_depan]').setInputFiles({ name: 'lagi.jpg', mimeType: 'image/jpeg', buffer: await bigJpeg(page) });
    // (The size shown is the old photo's until the new one is stored: wait for the store.)
    await until(async () => (await photos()) === 2, 'the new photo stored beside the one revision 1 keeps');
    await page.getByTestId('delete-photo-foto_rumah_depan').click();
    await until(async () => (await page.getByTestId('photo-size-foto_rumah_depan').innerText()) === '', 'the answer cleared, no size shown');
    const keptPhoto = await page.evaluate(
      () =>
        new Promise((resolve) => {
          const open = indexedDB.open('verval');
          open.onsuccess = () => {
            const tx = open.result.transaction(['revisions', 'photos']);
            const all = tx.objectStore('revisions').getAll();
            all.onsuccess = () => {
              const photo = tx.objectStore('photos').get(all.result[0].answers.foto_rumah_depan);
              photo.onsuccess = () => resolve(photo.result?.type ?? null);
            };
          };
        }),
    );
    assert.equal(keptPhoto, 'image/jpeg', 'the finalized revision still shows its photo');
    await page.getByTestId('finalize').click();
    await page.locator('[data-testid=issue-link][data-field=foto_rumah_depan]').waitFor();
    assert.equal(await page.locator('[data-testid=record-status]').getAttribute('data-final'), 'false', 'the front photo is required');
  });
});

test('switching language keeps every answer', async () => {
  await withBrowser(async (chromium) => {
    const page = await phonePage(chromium.context);
    const form = await (await new HouseholdList(page, server.url).open()).add();
    assert.match(await page.getByTestId('section-A').getAttribute('class'), /\bopen\b/, 'a new form is open, not red');
    await form.answer(family.SECTION_A);
    await form.section('D');
    await form.addRow('art');
    await form.answer(family.MEMBERS[1]);
    await form.waitSaved();
    await page.getByTestId('lang-toggle').click();
    await page.locator('label:text-is("Full name")').waitFor();
    assert.equal(await form.value('nama'), 'SUMIATI');
    assert.ok(await page.locator('input[name=hamil][value="1"]').isChecked());
    await form.section('A');
    assert.equal(await form.value('alamat'), 'Dusun Krajan RT 001 RW 003, dekat masjid');
    assert.equal(await page.locator('select[name=kode_kecamatan]').inputValue(), '35.13.14');
    await page.getByTestId('lang-toggle').click();
    await page.locator('label:text-is("Nama kepala keluarga")').waitFor();
    assert.equal(await form.value('nama_kepala_keluarga'), 'SLAMET RIYADI');
  });
});

// Issue #28, what a new enumerator tripped on: wrong data typed in, and a tab that said
// "done" on an empty form.
test('an age is typed whole when the birth date is unknown, a lone tick or a chosen answer comes off, numbers keep their thousands, and an empty section is not done', async () => {
  await withBrowser(async (chromium) => {
    const page = await phonePage(chromium.context);
    const form = await (await new HouseholdList(page, server.url).open()).add();
    // Section I only asks optional questions until the visit's outcome is known: not "done".
    const tabI = page.getByTestId('section-I');
    assert.equal(await tabI.getAttribute('data-state'), 'not-started');
    assert.match(await tabI.getAttribute('aria-label'), /^I\. .*: belum diisi$/);

    await form.section('D');
    await form.addRow('art');
    await form.answer([
      ['fill', 'nama', 'SUKARNI'],
      ['choose', 'status_keberadaan_art', '1'],
      ['partial-date', 'tanggal_lahir', '1950-98-98'],
    ]);
    // Typed key by key, as on a phone: the age stays editable and whole.
    const umur = form.input('umur');
    await umur.click();
    await umur.pressSequentially('76', { delay: 50 });
    assert.equal(await umur.inputValue(), '76');
    assert.equal(await umur.isEditable(), true);
    // "Belum/tidak memiliki NIK" ticked by mistake comes off again.
    const noNik = page.locator('input[name=nik_tidak_ada]');
    assert.equal(await noNik.getAttribute('type'), 'checkbox');
    await noNik.check();
    assert.equal(await noNik.isChecked(), true);
    await noNik.uncheck();
    assert.equal(await noNik.isChecked(), false);

    // An optional answer chosen by mistake is taken back; a required one offers no way to
    // leave it empty.
    await form.section('A');
    await form.fill('prelist_id', 'P3KE-3513142001-0001');
    await form.choose('prelist_padan_dukcapil', '1');
    const padan = page.locator('[data-field=prelist_padan_dukcapil]');
    assert.equal(await padan.locator('input[value="1"]').isChecked(), true);
    await padan.getByTestId('clear-choice').click();
    assert.equal(await padan.locator('input:checked').count(), 0);
    assert.equal(await padan.getByTestId('clear-choice').isVisible(), false, 'nothing left to clear');
    await form.choose('status_kk', '1');
    assert.equal(await page.locator('[data-field=status_kk] [data-testid=clear-choice]').count(), 0);
    await form.waitSaved();

    // Money as it is written: 300.000 is three hundred thousand, kept without the dots.
    await form.section('H');
    const income = form.input('pendapatan_perkapita');
    await income.click();
    await income.pressSequentially('300.000', { delay: 30 });
    await income.press('Tab');
    assert.equal(await income.inputValue(), '300000');
    assert.equal(await form.issues('pendapatan_perkapita').locator('li').count(), 0);
    // And a decimal with its thousands and a decimal comma: 1.250,5 grams.
    await form.section('F');
    const gold = form.input('aset_emas_gram');
    await gold.click();
    await gold.pressSequentially('1.250,5', { delay: 30 });
    await gold.press('Tab');
    assert.equal(await gold.inputValue(), '1250,5');
    assert.equal(await form.issues('aset_emas_gram').locator('li').count(), 0);
    await form.waitSaved();

    // After a reload the answers are as typed.
    await page.reload();
    await form.waitOpen();
    await form.section('D');
    await form.openRow('art', 0);
    assert.equal(await form.input('umur').inputValue(), '76');
    assert.equal(await page.locator('input[name=nik_tidak_ada]').isChecked(), false);
    await form.section('H');
    assert.equal(await form.input('pendapatan_perkapita').inputValue(), '300000');
    await form.section('F');
    assert.equal(await form.input('aset_emas_gram').inputValue(), '1250,5');
    await form.section('A');
    assert.equal(await page.locator('[data-field=prelist_padan_dukcapil] input:checked').count(), 0);
  });
});

test('each section opens at its top, a field jumped to shows below the header, the summary comes into view, and errors are tied to their fields', async () => {
  await withBrowser(async (chromium) => {
    const page = await phonePage(chromium.context);
    const form = await (await new HouseholdList(page, server.url).open()).add();
    const navBottom = () => page.evaluate(() => document.querySelector('.section-nav').getBoundingClientRect().bottom);
    const top = (selector) => page.evaluate((s) => document.querySelector(s).getBoundingClientRect().top, selector);

    // A KK number that is too short: the input says it is invalid and names its message.
    await form.fill('nomor_kk', '3513');
    const kk = page.locator('input[name=nomor_kk]');
    await page.locator('input[name=nomor_kk][aria-invalid=true]').waitFor();
    const describedBy = (await kk.getAttribute('aria-describedby')).split(' ');
    assert.ok(describedBy.includes('f-nomor_kk-issues'), describedBy.join(' '));
    for (const id of describedBy) {
      assert.equal(await page.locator(`[id="${id}"]`).count(), 1, `${id} exists`);
    }
    assert.match(await page.locator('#f-nomor_kk-issues').innerText(), /16/);

    // "Berikutnya" from the bottom of section A opens B at its top, below the section tabs.
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    assert.ok((await page.evaluate(() => window.scrollY)) > 400, 'section A is longer than a screen');
    await page.getByTestId('next-section').click();
    await page.locator('[data-testid=section-title]', { hasText: 'B.' }).waitFor();
    await page.waitForFunction(() => window.scrollY < 400);
    const title = await top('[data-testid=section-title]');
    assert.ok(title >= (await navBottom()) - 1, `the heading (${title}) is not under the tabs`);

    // "Selesai & kunci" on an unfinished family brings what blocks it into view.
    await page.getByTestId('finalize').click();
    await page.waitForFunction(() => document.activeElement?.id === 'issue-summary');
    const summary = await top('#issue-summary');
    const height = await page.evaluate(() => window.innerHeight);
    assert.ok(summary >= 0 && summary < height, `the summary (${summary}) is on the screen (${height})`);

    // Its entry puts the field, label included, below the sticky header and tabs.
    await page.locator('[data-testid=issue-link][data-field=nomor_kk]').click();
    await page.locator('input[name=nomor_kk]:focus').waitFor();
    const label = await top('label[for=f-nomor_kk]');
    assert.ok(label >= (await navBottom()) - 1, `the label (${label}) is not under the tabs (${await navBottom()})`);

    // The birth date's parts are a group named by the question's label.
    await form.section('D');
    await form.addRow('art');
    const group = page.locator('.date-parts[role=group]').first();
    const labelledBy = await group.getAttribute('aria-labelledby');
    assert.match(await page.locator(`[id="${labelledBy}"]`).innerText(), /lahir/i);
  });
});

test('a new member row opens its blocks as they are asked, and a NIK gives the birth date and sex on one tap', async () => {
  await withBrowser(async (chromium) => {
    const page = await phonePage(chromium.context);
    const form = await (await new HouseholdList(page, server.url).open()).add();
    await form.section('D');
    await form.addRow('art');
    const row = page.getByTestId('row-art').nth(0);
    const blocks = row.getByTestId('row-block');
    const shown = async () => (await Promise.all((await blocks.all()).map((b) => b.isVisible()))).filter(Boolean).length;
    assert.equal(await shown(), 1, 'until the member is known to live here, only identity is asked');
    assert.equal(await blocks.first().getAttribute('data-state'), 'open');
    assert.match(await blocks.first().locator('summary').innerText(), /Identitas dan keberadaan\s+belum lengkap/);
    await form.fill('nama', 'Siti Aminah');
    await form.choose('status_keberadaan_art', '1');
    assert.equal(await shown(), 3, 'schooling and work wait for the age');

    const offer = page.getByTestId('offer-nik');
    assert.equal(await offer.isVisible(), false, 'nothing to offer without a NIK');
    await form.fill('nik', '3513144503680002');
    await offer.click();
    assert.equal(await page.locator('select[name=tanggal_lahir_hari]').inputValue(), '05');
    assert.equal(await page.locator('select[name=tanggal_lahir_bulan]').inputValue(), '03');
    assert.equal(await page.locator('input[name=tanggal_lahir]').inputValue(), '1968');
    assert.ok(await page.locator('input[name=jenis_kelamin][value="2"]').isChecked(), 'a woman: day 45');
    const now = new Date();
    const age = now.getFullYear() - 1968 - (now.getMonth() * 100 + now.getDate() < 2 * 100 + 5 ? 1 : 0);
    assert.equal(await form.value('umur'), String(age), 'the age follows');
    assert.equal(await shown(), 5, 'an adult is asked about schooling and work');
    for (const block of await blocks.all()) assert.equal(await block.evaluate((d) => d.open), true, 'a new block opens');
    await offer.waitFor({ state: 'hidden' });
    // A sex entered otherwise is offered back.
    await form.choose('jenis_kelamin', '1');
    await offer.waitFor();
  });
});

test('a draft started by mistake is deleted after a second tap, and a locked family cannot be', async () => {
  await withBrowser(async (chromium) => {
    const page = await phonePage(chromium.context);
    const list = new HouseholdList(page, server.url);
    const form = await (await list.open()).add();
    await form.fill('nama_kepala_keluarga', 'SALAH BUKA');
    await form.waitSaved();
    await list.open();
    assert.deepEqual(await list.names(), ['SALAH BUKA']);

    await list.openRow(0);
    await page.getByTestId('delete-draft').click();
    // The first tap only asks; "Batal" keeps it.
    await page.getByTestId('cancel-confirm').click();
    assert.equal(await page.getByTestId('confirm-delete-draft').isVisible(), false);
    await page.getByTestId('delete-draft').click();
    await page.getByTestId('confirm-delete-draft').click();
    await page.waitForURL((url) => !url.pathname.endsWith('keluarga.html'));
    await page.getByTestId('household-count').waitFor();
    assert.equal(await list.count(), 0, 'gone from the list');
    // Nothing brings it back: not a reload (the journal's replay).
    await list.open();
    assert.equal(await list.count(), 0);
    assert.equal(
      await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('verval.journal')).length),
      0,
      'no journal entry left',
    );

    // A locked family has no delete button: locked revisions are kept for good.
    const second = await list.add();
    await fillCompleteFamily(page, second, chromium.context, server.url);
    await page.getByTestId('finalize').click();
    await page.getByTestId('confirm-finalize').click();
    await page.locator('[data-testid=record-status][data-final=true]').waitFor();
    assert.equal(await page.getByTestId('delete-draft').isVisible(), false);
  });
});
