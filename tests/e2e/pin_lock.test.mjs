// The PIN lock end to end (issue #23), with the real hub and its district key: a phone
// enrolled with the district's keys opens no page before a PIN is set; then every page is
// behind it;
// "Kunci" locks, a wrong PIN is refused, the right one goes back to the page that was
// locked; a tab left idle locks itself; a forgotten PIN comes back through the district's
// staff (the code read out on the phone, typed on the hub's page) and no family is lost; a
// new phone restores the old one's backup, moved by staff on the hub's Segel page.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, test } from 'node:test';
import { launch, phonePage, withBrowser } from './support/browser.mjs';
import { HouseholdList, setFirstPin, storedMeta, storeRequest } from './support/app.mjs';
import { fillCompleteFamily } from './support/fill.mjs';
import { exampleFamily, storeFinalFamilies } from './support/families.mjs';
import { generateKey, signIn, startHub, unlockDistrictKey } from './support/hub.mjs';

const PASSPHRASE = 'kunci dinas sosial uji';
const PIN = '482915';
const NEW_PIN = '593017';

let hub;
let keyDir;
let key;
before(async () => {
  keyDir = mkdtempSync(join(tmpdir(), 'verval-keys-'));
  key = generateKey(join(keyDir, 'dinsos'), 'Dinsos Uji', PASSPHRASE);
  const spare = generateKey(join(keyDir, 'bappeda'), 'Bappeda Uji', PASSPHRASE);
  hub = await startHub({ keyFile: key.keyFile });
  hub.cli('key', 'add', key.recipient, '--label', 'Dinsos Uji');
  hub.cli('key', 'add', spare.recipient, '--label', 'Bappeda Uji');
});
after(async () => {
  await hub?.stop();
  if (keyDir) rmSync(keyDir, { recursive: true, force: true });
});

/** Types a PIN (and its repeat, when the screen asks for one) and submits with `button`. */
async function typePin(page, pin, button, again = pin) {
  await page.locator('input[name=pin]').fill(pin);
  if (await page.locator('input[name=pin_ulang]').count()) await page.locator('input[name=pin_ulang]').fill(again);
  await page.getByTestId(button).click();
}

/** Waits until a sync round that began after `since` has ended and no worker holds the
 * sync lease: the test then leaves the page with no round of its own still running. */
async function roundEnded(page, since) {
  for (let tries = 0; tries < 240; tries += 1) {
    const at = Number((await storedMeta(page, 'sync_state'))?.last_try_at ?? 0);
    if (at > since && !(await storedMeta(page, 'sync_lease'))) return;
    await page.waitForTimeout(250);
  }
  throw new Error('no sync round ended');
}

/** Every identity number and name of a family as the app stores it. */
function secretsOf(family) {
  const members = family.repeats.art ?? [];
  return [family.answers.nomor_kk, family.answers.nama_kepala_keluarga, ...members.flatMap((row) => [row.answers.nik, row.answers.nama])].filter(
    (value) => value,
  );
}

/** The secrets found anywhere the app keeps data on the phone, as the browser keeps it:
 * every IndexedDB store's values (sealed bytes and stored files read as text too),
 * localStorage and sessionStorage. What a phone found on the road gives up. */
function readableSecrets(page, secrets) {
  return page.evaluate(async (secrets) => {
    const values = await new Promise((resolve, reject) => {
      const open = indexedDB.open('verval');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const stores = [...open.result.objectStoreNames];
        const tx = open.result.transaction(stores);
        const found = [];
        for (const name of stores) {
          tx.objectStore(name).getAll().onsuccess = (event) => found.push(...event.target.result);
        }
        tx.oncomplete = () => {
          open.result.close();
          resolve(found);
        };
      };
    });
    const latin1 = new TextDecoder('latin1');
    const texts = [];
    async function collect(value) {
      if (value instanceof Blob) texts.push(latin1.decode(await value.arrayBuffer()));
      else if (value instanceof Uint8Array) texts.push(latin1.decode(value));
      else if (value && typeof value === 'object') for (const inner of Object.values(value)) await collect(inner);
      else texts.push(String(value));
    }
    for (const value of values) await collect(value);
    for (const storage of [localStorage, sessionStorage]) {
      for (let i = 0; i < storage.length; i += 1) texts.push(storage.key(i), storage.getItem(storage.key(i)));
    }
    return secrets.filter((secret) => texts.some((text) => text.includes(secret)));
  }, secrets);
}

async function onLockPage(page) {
  await page.waitForURL(/kunci\.html/);
  await page.getByTestId('lock-page').waitFor();
}

test('a PIN set once the phone has the keys locks every page; a forgotten one comes back through the district', async () => {
  const added = hub.cli('enumerator', 'add', '--name', 'Sari Dewi', '--desa', '35.13.14.2001');
  const code = added.match(/enrolment code\): (\S+)/)[1];
  const family = exampleFamily();
  await withBrowser(async (chromium) => {
    const page = await phonePage(chromium.context);
    const list = new HouseholdList(page, hub.url);
    await list.open();
    assert.doesNotMatch(page.url(), /kunci\.html/, 'no PIN is asked for before the keys');
    await page.goto(`${hub.url}/?daftar=${code}`);
    await page.waitForURL(/ekspor\.html\?daftar=/);
    await page.getByTestId('enrol').click();
    await page.getByTestId('key-fingerprint').nth(1).waitFor();
    await storeFinalFamilies(page, family, 1, 1);

    // With the district's keys no page opens before a PIN is set: the list sends the phone
    // to the lock page, which says why.
    await page.goto(`${hub.url}/`);
    await onLockPage(page);
    await page.getByTestId('pin-needed').waitFor();
    assert.equal(await page.getByTestId('household-count').count(), 0);
    // Marked for the form page's prerendered screen, which cannot seal: not shown from now on.
    assert.equal(await page.evaluate(() => localStorage.getItem('verval.pin.verval')), 'kunci');
    await typePin(page, PIN, 'set-pin', '482916');
    await page.getByTestId('error-notice').filter({ hasText: 'tidak sama' }).waitFor();
    await typePin(page, '123456', 'set-pin');
    await page.getByTestId('error-notice').filter({ hasText: 'mudah ditebak' }).waitFor();
    const secrets = secretsOf(family);
    assert.ok((await readableSecrets(page, secrets)).length > 0, 'plain before the PIN');
    await typePin(page, PIN, 'set-pin');
    await page.getByTestId('household-count').waitFor();
    assert.equal(await list.count(), 1);
    await page.getByTestId('lock-now').waitFor();
    // The family stored before the PIN is sealed behind the page, and still listed.
    let left = secrets;
    for (let tries = 0; tries < 40 && left.length > 0; tries += 1) {
      left = await readableSecrets(page, secrets);
      if (left.length > 0) await page.waitForTimeout(250);
    }
    assert.deepEqual(left, [], 'no name or number readable in the stores');
    assert.match(await page.getByTestId('household-row').first().innerText(), new RegExp(family.answers.nama_kepala_keluarga, 'i'));

    // The escrow reaches the hub with the list page's next sync round.
    let escrow;
    for (let tries = 0; tries < 120 && !escrow?.sent_to; tries += 1) {
      escrow = await storedMeta(page, 'vault_escrow');
      if (!escrow?.sent_to) await page.waitForTimeout(250);
    }
    assert.equal(escrow?.sent_to, hub.url, 'the data key is escrowed to the district');

    // "Kunci": locked, no family on screen; every page leads to the lock page.
    await page.getByTestId('lock-now').click();
    await onLockPage(page);
    for (const path of ['/', '/keluarga.html#baru', '/ekspor.html', '/kampanye.html']) {
      await page.goto(`${hub.url}${path}`);
      await onLockPage(page);
      assert.equal(await page.getByText(family.answers.nama_kepala_keluarga).count(), 0, path);
    }
    // The form it was sent from comes back once unlocked; a wrong PIN first.
    await typePin(page, '000111', 'unlock');
    await page.getByTestId('error-notice').filter({ hasText: 'PIN salah' }).waitFor();
    await typePin(page, PIN, 'unlock');
    await page.waitForURL(/kampanye\.html$/);
    await page.getByTestId('lock-now').waitFor();

    // Unlocked, a family filled and finalized through the form is sealed as it is saved,
    // and the sync worker (holding the page's session) batches and sends it.
    const listOpened = Date.now();
    await list.open();
    await roundEnded(page, listOpened);
    // The prerendered new-household screen, which cannot seal what is typed into the
    // journal, is not shown on a phone with a PIN: the app draws the form itself.
    await page.addInitScript(() =>
      document.addEventListener('DOMContentLoaded', () => {
        window.prerendered = Boolean(document.getElementById('prerender'));
      }),
    );
    const form = await list.add();
    assert.equal(await page.evaluate(() => window.prerendered), false, 'no prerendered screen');
    await fillCompleteFamily(page, form, chromium.context, hub.url);
    await page.getByTestId('finalize').click();
    await page.getByTestId('confirm-finalize').click();
    await page.locator('[data-testid=record-status][data-final=true]').waitFor();
    await form.waitSaved();
    const typed = await storeRequest(page, 'households', 'count');
    assert.equal(typed, 2);
    assert.deepEqual(await readableSecrets(page, ['SLAMET RIYADI', '3513141203150007', '3513141203580001']), []);
    const finalized = Date.now();
    await list.open();
    await roundEnded(page, finalized);
    assert.equal(await storeRequest(page, 'batches', 'count'), 2, 'the second family went into a sealed batch of its own');

    // A tab whose last touch lies beyond the idle time locks itself when looked at.
    await page.evaluate(() => {
      const item = 'verval.kunci.verval';
      const [, ...rest] = sessionStorage.getItem(item).split('.');
      sessionStorage.setItem(item, [Date.now() - 11 * 60 * 1000, ...rest].join('.'));
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await onLockPage(page);

    // Forgotten: the phone shows a code and asks the hub.
    await page.getByTestId('forgot-pin').click();
    const fingerprint = (await page.getByTestId('reset-fingerprint').innerText()).trim();
    await page.getByTestId('lock-note').filter({ hasText: 'terkirim' }).waitFor();
    await page.getByTestId('check-answer').click();
    await page.getByTestId('lock-note').filter({ hasText: 'belum menjawab' }).waitFor();

    // District staff unlock their key and type the code the enumerator reads out.
    const staff = await chromium.context.newPage();
    await signIn(staff, hub.url);
    await staff.getByTestId('nav-segel').click();
    await staff.locator('input[name=kata_sandi]').fill(PASSPHRASE);
    await staff.getByTestId('unlock-key').click();
    await staff.locator('[data-testid=key-state][data-state=terbuka]').waitFor();
    await staff.goto(`${hub.url}/admin/segel/pin`);
    const request = staff.getByTestId('pin-reset').filter({ hasText: 'Sari Dewi' });
    await request.locator('input[name=kode]').fill(fingerprint.toLowerCase());
    await request.getByTestId('answer-pin-reset').click();
    await staff.getByTestId('no-pin-resets').waitFor();
    await staff.close();
    // With the key unlocked the hub opened both families' sealed batches.
    let current = 0;
    for (let tries = 0; tries < 40 && current < 2; tries += 1) {
      current = hub.households();
      if (current < 2) await page.waitForTimeout(250);
    }
    assert.equal(current, 2, 'both families reached the district');

    // The phone takes the answer and a new PIN; both families are still there.
    await page.getByTestId('check-answer').click();
    await assert.doesNotReject(() =>
      page.waitForFunction(() => document.querySelector('textarea[name=jawaban]')?.value.length > 40),
    );
    await typePin(page, NEW_PIN, 'finish-reset');
    await page.getByTestId('household-count').waitFor();
    assert.equal(await list.count(), 2);

    // The old PIN no longer opens; the new one does.
    await page.getByTestId('lock-now').click();
    await onLockPage(page);
    await typePin(page, PIN, 'unlock');
    await page.getByTestId('error-notice').filter({ hasText: 'PIN salah' }).waitFor();
    await typePin(page, NEW_PIN, 'unlock');
    await page.getByTestId('household-count').waitFor();
  });
});

/** Stores `count` draft households as an older version left them: plain, no search entry. */
function storePlainDrafts(page, family, count) {
  return page.evaluate(
    ({ family, count }) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('verval');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('households', 'readwrite');
          for (let i = 0; i < count; i++) {
            const id = `0d0d0d0d-0d0d-4d0d-8d0d-${i.toString(16).padStart(12, '0')}`;
            tx.objectStore('households').put({ ...family, id, status: 'draft', updated_at: family.updated_at + i });
          }
          tx.oncomplete = () => {
            open.result.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    { family, count },
  );
}

/** How many stored households are sealed, and how many in all, as the browser keeps them. */
function sealedHouseholds(page) {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('verval');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const all = open.result.transaction('households').objectStore('households').getAll();
          all.onsuccess = () => {
            open.result.close();
            resolve([all.result.filter((h) => h.vv1 instanceof Uint8Array).length, all.result.length]);
          };
          all.onerror = () => reject(all.error);
        };
      }),
  );
}

test('a browser killed while the first unlock seals the phone loses no family and leaves none plain', async () => {
  const COUNT = 1500;
  const added = hub.cli('enumerator', 'add', '--name', 'Rina Kader', '--desa', '35.13.14.2002');
  const code = added.match(/enrolment code\): (\S+)/)[1];
  const family = exampleFamily();
  const secrets = secretsOf(family);
  await withBrowser(async (first, profile) => {
    let page = await phonePage(first.context);
    await new HouseholdList(page, hub.url).open();
    await storePlainDrafts(page, family, COUNT);
    await page.goto(`${hub.url}/?daftar=${code}`);
    await page.waitForURL(/ekspor\.html\?daftar=/);
    await page.getByTestId('enrol').click();
    await page.getByTestId('key-fingerprint').nth(1).waitFor();
    await page.goto(`${hub.url}/`);
    await onLockPage(page);
    await typePin(page, PIN, 'set-pin');
    // Killed as soon as the sealing behind the list has begun.
    let sealed = 0;
    for (let tries = 0; tries < 400 && sealed === 0; tries += 1) {
      [sealed] = await sealedHouseholds(page).catch(() => [0]);
    }
    await first.kill();
    assert.ok(sealed > 0, 'the sealing had begun');

    const again = await launch(profile);
    try {
      page = await phonePage(again.context);
      await page.goto(`${hub.url}/`);
      await onLockPage(page);
      const [between, all] = await sealedHouseholds(page);
      assert.equal(all, COUNT, 'every household is still stored');
      assert.ok(between > 0 && between < COUNT, `the kill came mid-way: ${between} of ${COUNT} sealed`);
      await typePin(page, PIN, 'unlock');
      await page.getByTestId('household-count').waitFor();
      let round;
      // The round `seal_plain` is (SEALING_ROUND in src/storage/sealing/migration.rs).
      for (let tries = 0; tries < 600 && round !== 4; tries += 1) {
        round = await storedMeta(page, 'vault_sealed');
        if (round !== 4) await page.waitForTimeout(250);
      }
      assert.equal(round, 4, 'the sealing ran to its end after the next unlock');
      assert.deepEqual(await sealedHouseholds(page), [COUNT, COUNT]);
      assert.deepEqual(await readableSecrets(page, secrets), []);
      assert.equal(await new HouseholdList(page, hub.url).count(), COUNT);
    } finally {
      await again.close();
    }
  });
});

test('a new phone restores every draft of the old one through the district, and keeps its own', async () => {
  const added = hub.cli('enumerator', 'add', '--name', 'Dewi Kader', '--desa', '35.13.14.2003');
  const code = added.match(/enrolment code\): (\S+)/)[1];
  const family = exampleFamily();
  const secrets = secretsOf(family);
  const backupFile = join(keyDir, 'cadangan.age');
  // The old phone: enrolled (it seals to the district's keys), three drafts of ten days ago.
  await withBrowser(async (old) => {
    const page = await phonePage(old.context);
    const list = new HouseholdList(page, hub.url);
    await list.open();
    await storePlainDrafts(page, { ...family, updated_at: Date.now() - 10 * 86_400_000 }, 3);
    await page.goto(`${hub.url}/?daftar=${code}`);
    await page.waitForURL(/ekspor\.html\?daftar=/);
    await page.getByTestId('enrol').click();
    await page.getByTestId('key-fingerprint').nth(1).waitFor();
    // Ten days of drafts never backed up: once its PIN is set, the list reminds, and leads
    // to the backup panel.
    await page.goto(`${hub.url}/`);
    await setFirstPin(page, PIN);
    await list.open();
    await page.getByTestId('backup-reminder').waitFor();
    await page.getByTestId('open-backup').click();
    await page.waitForURL(/ekspor\.html#cadangan$/);
    await page.getByTestId('no-backup').waitFor();
    await page.getByTestId('backup-device').click();
    await page.locator('[data-testid=last-backup][data-households="3"]').waitFor();
    assert.equal(await page.getByTestId('backup-old').isVisible(), false, 'a backup made now is not old');
    const download = page.waitForEvent('download');
    await page.getByTestId('download-backup').click();
    const file = await download;
    assert.match(file.suggestedFilename(), /^verval-cadangan-[0-9a-f]{8}-\d{8}-\d{4}\.age$/);
    await file.saveAs(backupFile);
    await list.open();
    assert.equal(await page.getByTestId('backup-reminder').count(), 0, 'backed up today: no reminder');
  });
  const sealed = readFileSync(backupFile);
  assert.ok(sealed.subarray(0, 21).toString() === 'age-encryption.org/v1', 'an age file');
  assert.deepEqual(secrets.filter((s) => sealed.includes(s)), [], 'no name or number readable in the file');

  // The new phone, a fresh profile, has one family of its own; it prepares a restore key.
  await withBrowser(async (fresh) => {
    const page = await phonePage(fresh.context);
    const list = new HouseholdList(page, hub.url);
    await list.open();
    const form = await list.add();
    await form.fill('nama_kepala_keluarga', 'KELUARGA BARU');
    await form.waitSaved();
    await page.goto(`${hub.url}/ekspor.html`);
    await page.getByTestId('prepare-restore').click();
    const restoreKey = (await page.getByTestId('restore-key').inputValue()).trim();
    assert.match(restoreKey, /^age1[0-9a-z]+$/);
    const restoreCode = (await page.getByTestId('restore-code').locator('strong').innerText()).trim();
    assert.match(restoreCode, /^([0-9A-F]{4}-){4}[0-9A-F]{4}$/);

    // The district, its key unlocked, seals the old phone's backup again for this phone
    // alone on the Segel page: the key came in writing, the code is read out by telephone.
    const answer = join(keyDir, 'jawaban.age');
    const staff = await fresh.context.newPage();
    await signIn(staff, hub.url);
    await unlockDistrictKey(staff, hub.url, PASSPHRASE);
    await staff.getByTestId('backup-move-link').click();
    await staff.locator('input[name=cadangan]').setInputFiles(backupFile);
    await staff.locator('textarea[name=kunci_hp]').fill(restoreKey);
    await staff.locator('input[name=kode]').fill(restoreCode.toLowerCase().replaceAll('-', ' '));
    const moved = staff.waitForEvent('download');
    await staff.getByTestId('move-backup').click();
    const download = await moved;
    assert.equal(download.suggestedFilename(), `untuk-hp-baru-${basename(backupFile)}`);
    await download.saveAs(answer);
    // Who moved it, from which phone and how many families: in the audit trail, by name
    // of the staff member and never of a family.
    await staff.goto(`${hub.url}/admin/audit?aksi=cadangan_hp_dipindah`);
    const moves = staff.locator('tr[data-action=cadangan_hp_dipindah]');
    assert.equal(await moves.count(), 1);
    const trail = await moves.innerText();
    assert.match(trail, /keluarga: 3\b/);
    assert.match(trail, /draf: 3\b/);
    assert.match(trail, new RegExp(restoreCode));
    assert.equal(await staff.getByText(family.answers.nama_kepala_keluarga).count(), 0);
    await staff.close();

    await page.getByTestId('restore-file').setInputFiles(answer);
    await page.getByTestId('restored').filter({ hasText: '3 keluarga baru, 0 diperbarui' }).waitFor();
    // Done: the one-time key is gone, and a second restore would need a new one.
    await page.getByTestId('prepare-restore').waitFor();
    await list.open();
    assert.equal(await list.count(), 4, 'three restored drafts and its own family');
  });
});

test('a phone with no hub asks for its forgotten PIN in writing and gets it back through staff', async () => {
  const family = exampleFamily();
  await withBrowser(async (chromium) => {
    // The district's keys from the Segel page's link, as its QR hands them to a phone that
    // never enrolls; confirmed after comparing fingerprints.
    const staff = await chromium.context.newPage();
    await signIn(staff, hub.url);
    await staff.getByTestId('nav-segel').click();
    const address = await staff.getByTestId('keys-address').textContent();
    const page = await phonePage(chromium.context);
    const list = new HouseholdList(page, hub.url);
    await list.open();
    await storeFinalFamilies(page, family, 1, 7);
    await page.goto('about:blank');
    await page.goto(address);
    await page.getByTestId('confirm-keys').click();
    await page.getByTestId('key-fingerprint').nth(1).waitFor();
    await page.goto(`${hub.url}/`);
    await setFirstPin(page, PIN);
    assert.equal(await list.count(), 1);

    // Locked and forgotten: no hub to ask, so the phone shows the request in writing.
    await page.getByTestId('lock-now').click();
    await onLockPage(page);
    await page.getByTestId('forgot-pin').click();
    await page.getByTestId('lock-note').filter({ hasText: 'belum terdaftar' }).waitFor();
    const code = (await page.getByTestId('reset-fingerprint').innerText()).trim();
    const request = await page.getByTestId('reset-request').inputValue();
    assert.match(request, /^verval-lupa-pin-1\.age1/);
    assert.deepEqual(
      secretsOf(family).filter((secret) => request.includes(secret)),
      [],
      'no name or number in the request',
    );

    // Staff, their key unlocked, paste it (a chat app folded the line) and type the code
    // heard over the telephone; the answer is shown to send back.
    await unlockDistrictKey(staff, hub.url, PASSPHRASE);
    await staff.getByTestId('pin-reset-link').click();
    const form = staff.getByTestId('written-pin-reset');
    await form.locator('textarea[name=permintaan]').fill(`${request.slice(0, 60)}\n${request.slice(60)}`);
    await form.locator('input[name=kode]').fill('0000-0000-0000-0000-0000');
    await form.getByTestId('answer-written-pin-reset').click();
    await staff.getByTestId('problem').filter({ hasText: 'kode tidak cocok' }).waitFor();
    await staff.goto(`${hub.url}/admin/segel/pin`);
    await form.locator('textarea[name=permintaan]').fill(request);
    await form.locator('input[name=kode]').fill(code.toLowerCase());
    await form.getByTestId('answer-written-pin-reset').click();
    const answer = await staff.getByTestId('written-answer').inputValue();
    await staff.close();

    // The phone takes the pasted answer and a new PIN; its family is still there.
    await page.locator('textarea[name=jawaban]').fill(answer);
    await typePin(page, NEW_PIN, 'finish-reset');
    await page.getByTestId('household-count').waitFor();
    assert.equal(await list.count(), 1);
    await page.getByTestId('lock-now').click();
    await onLockPage(page);
    await typePin(page, NEW_PIN, 'unlock');
    await page.getByTestId('household-count').waitFor();
  });
});
