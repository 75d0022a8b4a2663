// Opening the household list with 10 and with 10,000 households stored: time from navigation
// to the list (its count and first page) visible, in headless Chromium with the CPU slowed
// 4× (CDP Emulation.setCPUThrottlingRate) and a 360×740 viewport, fresh profile per size,
// 7 runs each, reported as min / median / max and as a ratio (absolute times on a shared
// machine are noise). Budget (issues #8 and #23): 10,000 ≤ 1.2× 10, plain and sealed. Not a
// test: it reports.
// Then, on the open list, searching: a name word held by a quarter of the households
// ("AMINAH") and the start of one KK number, from typing to the count of found households.
//
// Sealed (issue #23): the same households on a phone enrolled with a hub (the district's
// keys), a PIN set and every household sealed by the app itself. Each run opens a new tab,
// which is locked: timed from the unlock button to the list, and then, the tab unlocked,
// from navigation to the list again as above.
//
//   node bench/list.mjs [DIST] [plain|sealed]   (scripts/build and the debug hub first;
//                                                bench/list does all three)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStaticServer } from '../scripts/serve-dist.mjs';
import { setFirstPin, storedMeta } from '../tests/e2e/support/app.mjs';
import { generateKey, startHub } from '../tests/e2e/support/hub.mjs';
import { throttledPage, withSeededBrowser } from './support.mjs';

const dist = process.argv[2] ?? 'dist';
const kinds = process.argv[3] ? [process.argv[3]] : ['plain', 'sealed'];
const PIN = '482915';
const RUNS = 7;
const SIZES = [10, 10_000];

/** Writes `n` households and their search entries the way the app stores them. */
function seed(page, n) {
  return page.evaluate(async (n) => {
    const db = await new Promise((ok, fail) => {
      const open = indexedDB.open('verval');
      open.onsuccess = () => ok(open.result);
      open.onerror = () => fail(open.error);
    });
    const hex = (i) => i.toString(16).padStart(12, '0');
    const words = ['SITI', 'BUDI', 'AMINAH', 'SANTOSO', 'RAHAYU', 'WAYAN', 'KETUT', 'DEWI'];
    for (let start = 0; start < n; start += 1000) {
      await new Promise((ok, fail) => {
        const tx = db.transaction(['households', 'search'], 'readwrite');
        for (let i = start; i < Math.min(n, start + 1000); i += 1) {
          const id = `00000000-0000-4000-8000-${hex(i)}`;
          const name = `${words[i % 8]} ${words[(i * 7) % 8]} ${i}`;
          const kk = `3513${String(i).padStart(12, '0')}`;
          const updated = 1_790_000_000_000 + i;
          tx.objectStore('households').put({
            id, schema_version: 2, form_version: 'verval-keluarga-2026.11.0', revision: 1, status: 'draft',
            created_at: updated, updated_at: updated,
            answers: { nama_kepala_keluarga: name, nomor_kk: kk, alamat: `Dusun ${i % 50}` },
          });
          tx.objectStore('search').put({ id, status: 'draft', updated_at: updated, words: name.split(' '), numbers: [kk] });
        }
        tx.oncomplete = ok;
        tx.onerror = () => fail(tx.error);
      });
    }
    db.close();
  }, n);
}

/** ms from typing `query` in the search box to the found count shown. */
async function search(page, query) {
  const started = Date.now();
  await page.getByTestId('search-households').fill(query);
  await page.locator('[data-testid=found-count]:not([hidden])').waitFor({ timeout: 120_000 });
  const ms = Date.now() - started;
  await page.getByTestId('search-households').fill('');
  await page.locator('[data-testid=found-count][hidden]').waitFor({ state: 'attached', timeout: 120_000 });
  return ms;
}

/** The list open on `page`: its count says `n` and its first row is shown. */
async function listShown(page, n) {
  await page.locator(`[data-testid=household-count][data-count="${n}"]`).waitFor({ timeout: 120_000 });
  await page.getByTestId('household-row').first().waitFor({ timeout: 120_000 });
}

/** ms from navigating `page` to the list until it shows `n` households. */
async function timedOpen(page, url, n) {
  const started = Date.now();
  await page.goto(`${url}/`);
  await listShown(page, n);
  return Date.now() - started;
}

/** Searches on the open list, adding to `into`'s two series. */
async function searches(page, into) {
  into.byName.push(await search(page, 'AMINAH'));
  // The start of household 7's KK: 3513 and twelve digits.
  into.byNumber.push(await search(page, '351300000000000'));
}

async function measurePlain(url, n) {
  return withSeededBrowser(url, (page) => seed(page, n), async (chromium) => {
    const out = { open: [], byName: [], byNumber: [] };
    for (let run = 0; run < RUNS; run += 1) {
      const page = await throttledPage(chromium);
      out.open.push(await timedOpen(page, url, n));
      await searches(page, out);
      await page.close();
    }
    return out;
  });
}

/**
 * Enrols the seeded phone with `hub` (a village per size), sets the PIN and waits until the
 * app has sealed every household it holds.
 */
async function lockWithPin(page, hub, n) {
  const desa = n === SIZES[0] ? '35.13.14.2001' : '35.13.14.2002';
  const added = hub.cli('enumerator', 'add', '--name', `Bench ${n}`, '--desa', desa);
  const code = added.match(/enrolment code\): (\S+)/)[1];
  await page.goto(`${hub.url}/?daftar=${code}`);
  await page.getByTestId('enrol').click();
  await page.getByTestId('key-fingerprint').nth(1).waitFor();
  // With the district's keys no page opens before the PIN is set: the list sends the tab
  // to the lock page.
  await page.goto(`${hub.url}/`);
  await setFirstPin(page, PIN);
  await listShown(page, n);
  // Sealed record by record behind the list (`seal_all_once`); its round (SEALING_ROUND in
  // src/storage/sealing/migration.rs) stored when done.
  const deadline = Date.now() + 20 * 60_000;
  while ((await storedMeta(page, 'vault_sealed')) !== 3) {
    if (Date.now() > deadline) throw new Error('the sealing did not finish');
    await page.waitForTimeout(1000);
  }
}

async function measureSealed(hub, n) {
  const url = hub.url;
  const seedAndLock = async (page) => {
    await seed(page, n);
    await lockWithPin(page, hub, n);
  };
  return withSeededBrowser(url, seedAndLock, async (chromium) => {
    const out = { unlock: [], open: [], byName: [], byNumber: [] };
    for (let run = 0; run < RUNS; run += 1) {
      const page = await throttledPage(chromium);
      await page.goto(`${url}/`);
      await page.getByTestId('lock-page').waitFor({ timeout: 120_000 });
      await page.locator('input[name=pin]').fill(PIN);
      const unlocking = Date.now();
      await page.getByTestId('unlock').click();
      await listShown(page, n);
      out.unlock.push(Date.now() - unlocking);
      out.open.push(await timedOpen(page, url, n));
      await searches(page, out);
      await page.close();
    }
    return out;
  });
}

const sorted = (t) => [...t].sort((a, b) => a - b);
const median = (t) => sorted(t)[Math.floor(t.length / 2)];
const row = (cells) => `| ${cells.join(' | ')} |`;

function report(kind, results, opens) {
  console.log(`\n### ${kind}\n`);
  console.log('| households | opening | min ms | median ms | max ms |');
  console.log('|---:|---|---:|---:|---:|');
  for (const n of SIZES) {
    for (const [label, key] of opens) {
      const t = sorted(results[n][key]);
      console.log(row([n.toLocaleString('en'), label, t[0], median(t), t[t.length - 1]]));
    }
  }
  console.log('\n| households | search | min ms | median ms | max ms |');
  console.log('|---:|---|---:|---:|---:|');
  for (const n of SIZES) {
    for (const [label, key] of [['name word "AMINAH"', 'byName'], ['KK prefix (15 digits)', 'byNumber']]) {
      const t = sorted(results[n][key]);
      console.log(row([n.toLocaleString('en'), label, t[0], median(t), t[t.length - 1]]));
    }
  }
  for (const [label, key] of opens) {
    const ratio = median(results[SIZES[1]][key]) / median(results[SIZES[0]][key]);
    const verdict = ratio <= 1.2 ? 'within' : 'OVER';
    console.log(`\n${label}: 10,000 / 10 (medians): ${ratio.toFixed(2)} (budget ≤ 1.20: ${verdict})`);
  }
}

if (kinds.includes('plain')) {
  const server = await startStaticServer(dist, 0);
  try {
    const results = {};
    for (const n of SIZES) results[n] = await measurePlain(server.url, n);
    report('plain', results, [['navigation to the list', 'open']]);
  } finally {
    await server.close();
  }
}

if (kinds.includes('sealed')) {
  const keyDir = mkdtempSync(join(tmpdir(), 'verval-bench-keys-'));
  const key = generateKey(join(keyDir, 'dinsos'), 'Dinsos Bench', 'kunci dinas sosial bench');
  // Phones get the district's keys only when it has two (one lost key loses no batch).
  const spare = generateKey(join(keyDir, 'bappeda'), 'Bappeda Bench', 'kunci dinas sosial bench');
  const hub = await startHub({ keyFile: key.keyFile });
  try {
    hub.cli('key', 'add', key.recipient, '--label', 'Dinsos Bench');
    hub.cli('key', 'add', spare.recipient, '--label', 'Bappeda Bench');
    const results = {};
    for (const n of SIZES) results[n] = await measureSealed(hub, n);
    report('sealed, behind a PIN', results, [
      ['unlock to the list', 'unlock'],
      ['navigation to the list, unlocked', 'open'],
    ]);
  } finally {
    await hub.stop();
    rmSync(keyDir, { recursive: true, force: true });
  }
}
