// Sealed batches end to end (issue #22): a district with two keys made by `verval-hub key
// generate`; a phone enrolled with the hub pins both keys and shows their fingerprints; its
// sync upload and a batch file it makes are both sealed (no NIK, KK or name in the bytes),
// the standard `age` tool opens the file with the break-glass key's recovery sheet; the hub
// keeps them sealed, an admin unlocks the key on the Segel page, and the households appear; a
// phone's data key escrowed under its PIN (issue #23) reaches the hub sealed the same way.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { phonePage, withBrowser } from './support/browser.mjs';
import { HouseholdList, putMeta, setFirstPin, storedMeta, storeRequest } from './support/app.mjs';
import { storedZip } from './support/batches.mjs';
import { exampleFamily, storeFinalFamilies } from './support/families.mjs';
import { generateKey, signIn, startHub } from './support/hub.mjs';

const PASSPHRASE = 'kunci dinas sosial uji';
/** A phone with the district's keys opens no page before its PIN is set (issue #23). */
const PIN = '482915';

let hub;
let keys;
let keyDir;
before(async () => {
  keyDir = mkdtempSync(join(tmpdir(), 'verval-keys-'));
  keys = [generateKey(join(keyDir, 'dinsos'), 'Dinsos Uji', PASSPHRASE), generateKey(join(keyDir, 'bappeda'), 'Bappeda Uji', PASSPHRASE)];
  hub = await startHub({ keyFile: keys[0].keyFile });
  hub.cli('key', 'add', keys[0].recipient, '--label', 'Dinsos Uji');
  hub.cli('key', 'add', keys[1].recipient, '--label', 'Bappeda Uji');
});
after(async () => {
  await hub?.stop();
  if (keyDir) rmSync(keyDir, { recursive: true, force: true });
});

/** Every identity number and name of a family as the app stores it. */
function secretsOf(family) {
  const members = family.repeats.art ?? [];
  return [
    family.answers.nomor_kk,
    family.answers.nama_kepala_keluarga,
    ...members.flatMap((row) => [row.answers.nik, row.answers.nama]),
  ].filter((value) => value);
}

/** Waits until a sync round that began after `since` has ended (its state is stored after
 * the lease is let go). */
async function syncRoundEnded(page, since) {
  for (let tries = 0; tries < 240; tries += 1) {
    const at = Number((await storedMeta(page, 'sync_state'))?.last_try_at ?? 0);
    if (at > since) return;
    await page.waitForTimeout(250);
  }
  throw new Error('no sync round ended');
}

/** The standard `age` tool (Debian's), with nothing but the break-glass key's recovery
 * sheet, opens the app's sealed batch: its records are there, in the v1 zip. */
function assertAgeOpens(batchFile, key, family) {
  const dir = mkdtempSync(join(tmpdir(), 'verval-age-'));
  try {
    const identity = join(dir, 'kunci.txt');
    const secret = readFileSync(key.sheet, 'utf8')
      .split('\n')
      .find((line) => line.startsWith('AGE-SECRET-KEY-1'));
    assert.ok(secret, 'the recovery sheet holds the private key');
    writeFileSync(identity, `${secret}\n`, { mode: 0o600 });
    const sealed = join(dir, 'batch.zip.age');
    const inner = join(dir, 'batch.zip');
    execFileSync('python3', ['-c', UNZIP_ONE, batchFile, 'batch.zip.age', sealed]);
    execFileSync('age', ['-d', '-i', identity, '-o', inner, sealed]);
    execFileSync('python3', ['-c', UNZIP_ONE, inner, 'records.jsonl', join(dir, 'records.jsonl')]);
    const records = readFileSync(join(dir, 'records.jsonl'), 'utf8');
    assert.ok(records.includes(family.answers.nomor_kk), 'age opened the records');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Python's zipfile, a reader of its own, copies one member out of a zip. */
const UNZIP_ONE = 'import sys, zipfile; open(sys.argv[3], "wb").write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))';

function assertNothingReadable(bytes, secrets, what) {
  assert.ok(secrets.length >= 4, `the family has numbers and names: ${secrets}`);
  for (const secret of secrets) {
    assert.equal(bytes.includes(Buffer.from(secret)), false, `${what}: ${secret} is readable`);
  }
}

test('a phone with the district keys seals its upload and its file; the hub opens them once unlocked', async () => {
  const added = hub.cli('enumerator', 'add', '--name', 'Siti Aminah', '--desa', '35.13.14.2001');
  const code = added.match(/enrolment code\): (\S+)/)[1];
  const family = exampleFamily();
  const secrets = secretsOf(family);

  await withBrowser(async (chromium) => {
    const page = await phonePage(chromium.context);
    await new HouseholdList(page, hub.url).open();

    // Enrolled: both keys pinned, their fingerprints shown to compare with the key book.
    await enrol(page, code);
    await page.getByTestId('key-fingerprint').nth(1).waitFor();
    const shown = await page.getByTestId('key-fingerprint').evaluateAll((items) => items.map((i) => i.dataset.fingerprint));
    assert.deepEqual(shown.sort(), keys.map((k) => k.fingerprint).sort());
    await page.goto(`${hub.url}/`);
    await setFirstPin(page, PIN);
    await page.getByTestId('household-count').waitFor();
    await page.goto(`${hub.url}/ekspor.html`);

    // Out of signal, a family is finalized: its sync batch is made sealed and waits.
    await chromium.context.setOffline(true);
    await storeFinalFamilies(page, family, 1, 1);
    await page.reload();
    await page.getByTestId('sync-now').click();
    const waiting = page.locator('[data-testid=batch][data-sync=waiting]');
    await waiting.waitFor({ timeout: 60_000 });
    assert.equal(await waiting.getAttribute('data-sealed'), 'true');
    const syncFile = await waiting.getAttribute('data-file');
    assert.match(syncFile, /-segel\.zip$/);
    assertNothingReadable(await storedZip(page, syncFile), secrets, 'the sync upload');

    // A second family, and both leave as a file (the sync has them waiting, so "all"):
    // sealed too, whatever hands it on.
    await storeFinalFamilies(page, family, 1, 2);
    // The list page indexes households stored behind its back; the export page lists them.
    // Its sync round is let finish first: a page left mid-round holds the sync lease until
    // it expires.
    const since = Date.now();
    await new HouseholdList(page, hub.url).open();
    await syncRoundEnded(page, since);
    await page.goto(`${hub.url}/ekspor.html`);
    await page.locator('label[for=isi-semua]').click();
    await page.getByTestId('make-batch').click();
    const made = page.getByTestId('batch-made');
    await made.waitFor();
    const file = await made.getAttribute('data-file');
    assert.match(file, /^verval-3513142001-\d{8}-\d{3}-segel\.zip$/, 'no one is named in the file name');
    const bytes = await storedZip(page, file);
    assertNothingReadable(bytes, secrets, 'the batch file');
    const path = join(mkdtempSync(join(tmpdir(), 'verval-sealed-')), file);
    writeFileSync(path, bytes);
    assertAgeOpens(path, keys[1], family);
    assert.match(hub.cli('import', path), /menunggu kunci/);

    // Back in signal: the upload goes, is answered with a receipt, and is held sealed.
    await chromium.context.setOffline(false);
    await page.getByTestId('sync-now').click();
    await page.locator(`[data-testid=batch][data-file="${syncFile}"][data-sync=received]`).waitFor({ timeout: 60_000 });
    assert.equal(hub.households(), 0, 'nothing is current before the key is unlocked');

    // The district: both wait on the Segel page until an admin unlocks the key.
    const staff = await chromium.context.newPage();
    await signIn(staff, hub.url);
    await staff.getByTestId('nav-segel').click();
    await staff.locator('[data-testid=key-state][data-state=terkunci]').waitFor();
    assert.ok((await staff.getByTestId('sealed-household').count()) >= 2);
    assert.equal(await staff.getByText(family.answers.nama_kepala_keluarga).count(), 0, 'no name while sealed');
    await staff.locator('input[name=kata_sandi]').fill(PASSPHRASE);
    await staff.getByTestId('unlock-key').click();
    await staff.locator('[data-testid=key-state][data-state=terbuka]').waitFor();
    assert.equal(await staff.getByTestId('sealed-household').count(), 0);
    assert.equal(hub.households(), 2, 'both families are current at the hub');
  });
});

test("a phone without a hub takes the district's keys from the Segel page's QR", async () => {
  await withBrowser(async (chromium) => {
    // The district: the QR beside the keys' table. Debian's zbarimg reads what it holds.
    const staff = await chromium.context.newPage();
    await signIn(staff, hub.url);
    await staff.getByTestId('nav-segel').click();
    const address = await staff.getByTestId('keys-address').textContent();
    assert.ok(address.startsWith(`${hub.url}/ekspor.html#kunci=`), `the app's export page: ${address}`);
    const dir = mkdtempSync(join(tmpdir(), 'verval-qr-'));
    const picture = join(dir, 'qr.png');
    await staff.getByTestId('keys-qr').screenshot({ path: picture });
    const scanned = execFileSync('zbarimg', ['--quiet', '--raw', picture], { encoding: 'utf8' }).trim();
    rmSync(dir, { recursive: true, force: true });
    assert.equal(scanned, address, 'the QR holds the address shown');

    // A phone that never enrolled: the camera opens the address; the keys wait, their
    // fingerprints shown to compare (anyone can forward a link), and the address no longer
    // carries them. Nothing is sealed to them until someone confirms.
    const phone = await phonePage(chromium.context);
    await new HouseholdList(phone, hub.url).open();
    // Before any keys, a batch file is made plain.
    await storeFinalFamilies(phone, exampleFamily(), 1, 60);
    await phone.goto(`${hub.url}/ekspor.html`);
    await phone.getByTestId('make-batch').click();
    await phone.getByTestId('batch-made').waitFor();
    const plain = phone.getByTestId('batch').first();
    assert.equal(await plain.getAttribute('data-sealed'), 'false');
    assert.equal(await plain.getByTestId('redownload-batch').isVisible(), true);
    await phone.goto('about:blank');
    await phone.goto(scanned);
    await phone.getByTestId('sync-notice').waitFor();
    await phone.getByTestId('keys-to-check').waitFor();
    const offered = await phone.getByTestId('key-offered').evaluateAll((items) => items.map((i) => i.dataset.fingerprint));
    assert.deepEqual(offered.sort(), keys.map((k) => k.fingerprint).sort());
    assert.equal(await phone.getByTestId('key-fingerprint').count(), 0, 'not used before the check');
    assert.equal((await storedMeta(phone, 'district_keys')).pinned.length, 0);
    assert.equal(new URL(phone.url()).hash, '', 'the keys are taken out of the address');
    assert.equal(await phone.getByTestId('sync-enrolled').count(), 0, 'no hub was needed');
    // Checked with the district: now every batch is sealed to them.
    await phone.getByTestId('confirm-keys').click();
    await phone.getByTestId('key-fingerprint').nth(1).waitFor();
    const shown = await phone.getByTestId('key-fingerprint').evaluateAll((items) => items.map((i) => i.dataset.fingerprint));
    assert.deepEqual(shown.sort(), keys.map((k) => k.fingerprint).sort());
    // The plain file made before stays on the phone: never handed over again, and says so.
    const before = phone.getByTestId('batch').first();
    await before.getByTestId('batch-plain').waitFor();
    assert.equal(await before.getByTestId('redownload-batch').isVisible(), false);
    // With the keys, no page opens before a PIN is set.
    await phone.goto(`${hub.url}/`);
    await setFirstPin(phone, PIN);

    // A damaged link changes nothing, and says why. (Opened fresh, as a camera opens a link:
    // a fragment changed on the open page loads nothing.)
    await phone.goto('about:blank');
    await phone.goto(`${hub.url}/ekspor.html#kunci=${Buffer.from('[{"recipient":"age1x"}]').toString('base64url')}`);
    await phone.locator('[data-testid=sync-panel] [data-testid=error-notice]').waitFor();
    const still = await phone.getByTestId('key-fingerprint').evaluateAll((items) => items.map((i) => i.dataset.fingerprint));
    assert.deepEqual(still.sort(), shown);
  });
});

/** A stranger's public key as a hub would list it: Debian's age-keygen makes it, the
 * fingerprint is the first 80 bits of its text's SHA-256 in five groups (docs/kunci.md). */
function strangerKey(label) {
  const made = execFileSync('age-keygen', { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const recipient = made.match(/# public key: (age1\S+)/)[1];
  const hex = createHash('sha256').update(recipient).digest('hex').slice(0, 20).toUpperCase();
  return { recipient, fingerprint: hex.match(/.{4}/g).join('-'), label };
}

/** How many records the phone has set aside (its quarantine store). */
function quarantined(page) {
  return storeRequest(page, 'quarantine', 'count');
}

test("a phone that confirmed a stranger's keys is refused by the hub, keeps its family, and sends it once it confirms the district's", async () => {
  const added = hub.cli('enumerator', 'add', '--name', 'Budi Santoso', '--desa', '35.13.14.2001', '--bagi', 'bersama');
  const code = added.match(/enrolment code\): (\S+)/)[1];
  const stranger = [strangerKey('Dinsos palsu'), strangerKey('Bappeda palsu')];
  const link = `kunci=${Buffer.from(JSON.stringify(stranger)).toString('base64url')}`;

  await withBrowser(async (chromium) => {
    const page = await phonePage(chromium.context);
    await new HouseholdList(page, hub.url).open();
    // Someone confirms a forwarded link's keys without comparing them.
    await page.goto('about:blank');
    await page.goto(`${hub.url}/ekspor.html#${link}`);
    await page.getByTestId('keys-to-check').waitFor();
    await page.getByTestId('confirm-keys').click();
    await page.getByTestId('key-fingerprint').nth(1).waitFor();
    await page.goto(`${hub.url}/`);
    await setFirstPin(page, PIN);

    // Enrolled afterwards: the hub's own keys differ, so they wait for confirmation.
    await enrol(page, code);
    await page.getByTestId('keys-changed').waitFor();

    // Its upload, sealed to the stranger's keys, is refused: the batch is set aside, the
    // family is not, and the round says where to look.
    const family = exampleFamily();
    await storeFinalFamilies(page, family, 1, 40);
    await page.reload();
    await page.getByTestId('sync-now').click();
    await page.locator('[data-testid=batch][data-sync=rejected]').first().waitFor({ timeout: 60_000 });
    await page.getByTestId('sync-error').waitFor();
    assert.match(await page.getByTestId('sync-error').textContent(), /kunci|keys/);
    assert.equal(await quarantined(page), 0, 'no family set aside');
    // Trying again before the keys are confirmed makes no new batch for the hub to refuse
    // (each would be kept, set aside, with its photos).
    const batches = await storeRequest(page, 'batches', 'count');
    const since = Date.now();
    await page.getByTestId('sync-now').click();
    await syncRoundEnded(page, since);
    assert.equal(await storeRequest(page, 'batches', 'count'), batches);
    assert.match(await page.getByTestId('sync-error').textContent(), /kunci|keys/);
    const before = hub.households();

    // Confirmed with the district: the family goes again, sealed to the district's keys.
    await page.getByTestId('confirm-keys').click();
    await page.locator('[data-testid=keys-changed]').waitFor({ state: 'detached' });
    const shown = await page.getByTestId('key-fingerprint').evaluateAll((items) => items.map((i) => i.dataset.fingerprint));
    assert.deepEqual(shown.sort(), keys.map((k) => k.fingerprint).sort());
    await page.getByTestId('sync-now').click();
    await page.locator('[data-testid=batch][data-sync=received]').first().waitFor({ timeout: 60_000 });
    const received = page.locator('[data-testid=batch][data-sync=received]');
    assert.equal(await received.first().getAttribute('data-sealed'), 'true');
    assert.equal(await quarantined(page), 0);
    // The hub (its key unlocked by the first test) opened it: the family is current.
    for (let tries = 0; tries < 40 && hub.households() === before; tries += 1) await page.waitForTimeout(250);
    assert.equal(hub.households(), before + 1);
  });
});

test('the keys in an assignment file wait on a phone without a hub until their fingerprints are checked', async () => {
  const added = hub.cli('enumerator', 'add', '--name', 'Dewi Lestari', '--desa', '35.13.14.2001', '--bagi', 'bersama');
  const [enumeratorId] = added.split('\t');

  await withBrowser(async (chromium) => {
    const page = await phonePage(chromium.context);
    await page.goto(`${hub.url}/`);
    await page.getByTestId('open-campaign').click();
    await page.getByTestId('no-assignment').waitFor();

    // The district hands the assignment over as a file: anyone could have made one.
    const staff = await chromium.context.newPage();
    await signIn(staff, hub.url);
    const file = await page.request.get(`${hub.url}/admin/petugas/${enumeratorId}/penugasan.json`);
    assert.equal(file.status(), 200);
    const assignment = await file.body();
    assert.deepEqual(JSON.parse(assignment).district_keys.map((k) => k.fingerprint).sort(), keys.map((k) => k.fingerprint).sort());
    await page.getByTestId('import-assignment').setInputFiles({ name: 'penugasan.json', mimeType: 'application/json', buffer: assignment });
    await page.getByTestId('assignment-notice').waitFor();
    assert.match(await page.getByTestId('assignment-notice').innerText(), /belum dipakai|not used yet/);

    // The export page lists them to compare; nothing is sealed to them yet.
    await page.goto(`${hub.url}/ekspor.html`);
    await page.getByTestId('keys-to-check').waitFor();
    const offered = await page.getByTestId('key-offered').evaluateAll((items) => items.map((i) => i.dataset.fingerprint));
    assert.deepEqual(offered.sort(), keys.map((k) => k.fingerprint).sort());
    assert.equal(await page.getByTestId('key-fingerprint').count(), 0);
    assert.equal((await storedMeta(page, 'district_keys')).pinned.length, 0);
  });
});

test("a phone's data key escrowed under its PIN reaches the hub sealed to the district's keys, sent by the sync worker", async () => {
  const added = hub.cli('enumerator', 'add', '--name', 'Sari Dewi', '--desa', '35.13.14.2001', '--bagi', 'bersama');
  const code = added.match(/enrolment code\): (\S+)/)[1];
  await withBrowser(async (chromium) => {
    const page = await phonePage(chromium.context);
    await new HouseholdList(page, hub.url).open();
    await enrol(page, code);
    await page.getByTestId('key-fingerprint').nth(1).waitFor();

    // The PIN lock as the phone keeps it once a PIN is set (storage/vault.rs): its data key
    // escrowed to both district keys — here sealed by Debian's `age`, the format the phone
    // writes — and not yet sent.
    const key = randomBytes(32);
    const keyId = createHash('sha256').update('verval-vault key id v1\n').update(key).digest('hex').slice(0, 32);
    const sealed = execFileSync('age', keys.flatMap((k) => ['-r', k.recipient]), { input: key });
    await putMeta(page, 'vault', {
      wrap: { kdf: 'pbkdf2-sha256', iterations: 600000, salt: randomBytes(16).toString('base64url'), wrapped: randomBytes(60).toString('base64url') },
      key_id: keyId,
      failures: 0,
      pin_set_at: Date.now(),
    });
    await putMeta(page, 'vault_escrow', {
      upload: { key_id: keyId, district_keys: keys.map((k) => k.fingerprint), escrow: sealed.toString('base64url') },
    });

    // The next round gives it to the hub, which (its key unlocked by the first test) checks
    // that it holds the key it names; the phone notes the hub took it.
    const since = Date.now();
    await page.getByTestId('sync-now').click();
    await syncRoundEnded(page, since);
    let kept;
    for (let tries = 0; tries < 40 && !kept?.sent_to; tries += 1) {
      kept = await storedMeta(page, 'vault_escrow');
      if (!kept.sent_to) await page.waitForTimeout(250);
    }
    assert.equal(kept.sent_to, hub.url);
    const held = execFileSync('python3', ['-c', ESCROWS, join(hub.dir, 'hub.sqlite')], { encoding: 'utf8' });
    // (The phones of the tests before set real PINs and escrowed their own keys too.)
    assert.deepEqual(
      JSON.parse(held).filter(([id]) => id === keyId),
      [[keyId, sealed.toString('base64url')]],
    );
    assert.equal(held.includes(key.toString('hex')), false, 'the data key itself never reaches the hub');
  });
});

/** The escrows the hub holds (Python's sqlite3 reading the hub's file). */
const ESCROWS = 'import json, sqlite3, sys; print(json.dumps(sqlite3.connect(sys.argv[1]).execute("SELECT key_id, escrow FROM device_escrows").fetchall()))';

/** Enrols the phone with the code's QR address, as an enumerator scanning it would. */
async function enrol(page, code) {
  await page.goto(`${hub.url}/?daftar=${code}`);
  await page.waitForURL(/ekspor\.html\?daftar=/);
  await page.getByTestId('enrol').click();
  await page.getByTestId('sync-enrolled').waitFor();
}
