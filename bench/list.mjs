// Opening the household list with 10 and with 10,000 households stored: time from navigation
// to the list (its count and first page) visible, in headless Chromium with the CPU slowed
// 4× (CDP Emulation.setCPUThrottlingRate) and a 360×740 viewport, fresh profile per size,
// 7 runs each, reported as min / median / max and as a ratio (absolute times on a shared
// machine are noise). Budget (issue #8): 10,000 ≤ 1.2× 10. Not a test: it reports.
// Then, on the open list, searching: a name word held by a quarter of the households
// ("AMINAH") and the start of one KK number, from typing to the count of found households.
//
//   node bench/list.mjs [DIST]        (scripts/build first; bench/list does both)
import { startStaticServer } from '../scripts/serve-dist.mjs';
import { throttledPage, withSeededBrowser } from './support.mjs';

const dist = process.argv[2] ?? 'dist';
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

async function measure(url, n) {
  return withSeededBrowser(url, (page) => seed(page, n), async (chromium) => {
    const times = [];
    const byName = [];
    const byNumber = [];
    for (let run = 0; run < RUNS; run += 1) {
      const page = await throttledPage(chromium);
      const started = Date.now();
      await page.goto(`${url}/`);
      await page.locator(`[data-testid=household-count][data-count="${n}"]`).waitFor({ timeout: 120_000 });
      await page.getByTestId('household-row').first().waitFor();
      times.push(Date.now() - started);
      byName.push(await search(page, 'AMINAH'));
      // The start of household 7's KK: 3513 and twelve digits.
      byNumber.push(await search(page, '351300000000000'));
      await page.close();
    }
    const sorted = (t) => t.sort((a, b) => a - b);
    return { open: sorted(times), byName: sorted(byName), byNumber: sorted(byNumber) };
  });
}

const server = await startStaticServer(dist, 0);
try {
  const results = {};
  for (const n of SIZES) results[n] = await measure(server.url, n);
  const median = (t) => t[Math.floor(t.length / 2)];
  console.log('| households | min ms | median ms | max ms |');
  console.log('|---:|---:|---:|---:|');
  for (const n of SIZES) {
    const t = results[n].open;
    console.log(`| ${n.toLocaleString('en')} | ${t[0]} | ${median(t)} | ${t[t.length - 1]} |`);
  }
  console.log('\n| households | search | min ms | median ms | max ms |');
  console.log('|---:|---|---:|---:|---:|');
  for (const n of SIZES) {
    for (const [label, key] of [['name word "AMINAH"', 'byName'], ['KK prefix (15 digits)', 'byNumber']]) {
      const t = results[n][key];
      console.log(`| ${n.toLocaleString('en')} | ${label} | ${t[0]} | ${median(t)} | ${t[t.length - 1]} |`);
    }
  }
  const ratio = median(results[10_000].open) / median(results[10].open);
  console.log(`\nopen with 10,000 / open with 10 (medians): ${ratio.toFixed(2)} (budget ≤ 1.20: ${ratio <= 1.2 ? 'within' : 'OVER'})`);
} finally {
  await server.close();
}
