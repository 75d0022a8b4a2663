// Exporting 1,000 and 10,000 finalized households from the export page: time from the click
// to the batch saved, and the longest frame of the page meanwhile (the batch is made in a
// Web Worker, so the page must keep drawing). Headless Chromium, CPU slowed 4× (CDP
// Emulation.setCPUThrottlingRate; it applies to the page, the worker runs at machine speed),
// 360×740 viewport, a fresh profile per size. Budget (issue #8): no frame over 100 ms.
// Then a village with photos (issue #26 item 5): 300 households with 3 generated JPEGs of
// about 200 KB each, cut into parts of at most 50 MB; the longest frame, the parts and the
// export worker's peak memory. Not a test: it reports. Runs per size: 7, or BENCH_RUNS;
// with photos 3, or BENCH_PHOTO_RUNS (BENCH_PHOTO_HOUSEHOLDS=0 leaves them out).
//
//   node bench/export.mjs [DIST] FAMILY.json     (bench/export builds both first)
import { readFileSync } from 'node:fs';
import { startStaticServer } from '../scripts/serve-dist.mjs';
import { throttledPage, withSeededBrowser } from './support.mjs';

const [dist = 'dist', familyPath] = process.argv.slice(2);
const family = JSON.parse(readFileSync(familyPath, 'utf8'));
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const SIZES = (process.env.BENCH_SIZES ?? "1000,10000").split(",").map(Number).filter((n) => n > 0);
const PHOTO_HOUSEHOLDS = Number(process.env.BENCH_PHOTO_HOUSEHOLDS ?? 300);
const PHOTO_RUNS = Number(process.env.BENCH_PHOTO_RUNS ?? 3);
// The photo questions each household answers, as the phone's camera fills them.
const PHOTO_FIELDS = ['foto_rumah_depan', 'foto_dalam_rumah', 'foto_atap'];
const PART_BYTES = 50_000_000;

/**
 * Stores `n` copies of the finalized family (new ids, NIKs and KKs) as the app does; with
 * `photoFields`, each answers them with photos of its own keys, stored as the camera's are
 * (a Blob under the key). The photos are JPEGs drawn on a canvas: blurred noise at the
 * camera's 1280×960, its quality chosen so each is about 200 KB. Returns their mean size.
 */
function seed(page, n, photoFields = []) {
  return page.evaluate(async ({ n, family, photoFields }) => {
    const db = await new Promise((ok, fail) => {
      const open = indexedDB.open('verval');
      open.onsuccess = () => ok(open.result);
      open.onerror = () => fail(open.error);
    });
    const jpegs = [];
    for (let k = 0; k < (photoFields.length ? 9 : 0); k += 1) {
      const small = new OffscreenCanvas(320, 240);
      const pixels = small.getContext('2d').createImageData(320, 240);
      for (let i = 0; i < pixels.data.length; i += 1) pixels.data[i] = i % 4 === 3 ? 255 : Math.random() * 256;
      small.getContext('2d').putImageData(pixels, 0, 0);
      const canvas = new OffscreenCanvas(1280, 960);
      canvas.getContext('2d').drawImage(small, 0, 0, 1280, 960);
      let [low, high, best] = [0.05, 0.95, null];
      for (let step = 0; step < 7; step += 1) {
        const quality = (low + high) / 2;
        best = await canvas.convertToBlob({ type: 'image/jpeg', quality });
        if (best.size > 200_000) high = quality;
        else low = quality;
      }
      jpegs.push(best);
    }
    const hex = (i) => i.toString(16).padStart(12, '0');
    const perTx = photoFields.length ? 20 : 500;
    let photoBytes = 0;
    for (let start = 0; start < n; start += perTx) {
      await new Promise((ok, fail) => {
        const tx = db.transaction(['households', 'search', 'pending', 'photos'], 'readwrite');
        for (let i = start; i < Math.min(n, start + perTx); i += 1) {
          const record = structuredClone(family);
          for (const [k, field] of photoFields.entries()) {
            const photo = jpegs[(i * photoFields.length + k) % jpegs.length];
            record.answers[field] = `foto-bench-${i}-${k}`;
            tx.objectStore('photos').put(photo, record.answers[field]);
            photoBytes += photo.size;
          }
          record.id = `00000000-0000-4000-8000-${hex(i)}`;
          record.answers.nomor_kk = `3513${String(i).padStart(12, '0')}`;
          record.answers.nama_kepala_keluarga = `KELUARGA ${i}`;
          for (const [r, row] of (record.repeats.art ?? []).entries()) row.answers.nik = `35131412035${String((i * 4 + r) % 100000).padStart(5, '0')}`;
          tx.objectStore('households').put(record);
          tx.objectStore('search').put({ id: record.id, status: 'final', updated_at: record.updated_at, words: ['KELUARGA', String(i)], numbers: [record.answers.nomor_kk] });
          tx.objectStore('pending').put({ id: record.id, revision: record.revision, since: record.updated_at });
        }
        tx.oncomplete = ok;
        tx.onerror = () => fail(tx.error);
      });
    }
    db.close();
    return photoBytes / Math.max(1, n * photoFields.length);
  }, { n, family, photoFields });
}

async function measure(url, n, photoFields = [], runCount = RUNS) {
  let photoSize = 0;
  const seeded = async (page) => {
    photoSize = await seed(page, n, photoFields);
  };
  const runs = await withSeededBrowser(url, seeded, async (chromium) => {
    const runs = [];
    for (let run = 0; run < runCount; run += 1) {
      const page = await throttledPage(chromium);
      await page.goto(`${url}/ekspor.html`);
      await page.locator(`[data-testid=pending-count]`).waitFor({ timeout: 300_000 });
      await page.locator('label[for=isi-semua]').click();
      // The longest gap between animation frames while the batch is made.
      await page.evaluate(() => {
        const f = (window.__frames = { max: 0, last: performance.now(), on: true });
        const tick = (t) => {
          f.max = Math.max(f.max, t - f.last);
          f.last = t;
          if (f.on) requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      });
      const started = Date.now();
      await page.getByTestId('make-batch').click();
      const made = page.getByTestId('batch-made-all');
      await made.waitFor({ timeout: 900_000 });
      const ms = Date.now() - started;
      const frame = await page.evaluate(() => ((window.__frames.on = false), window.__frames.max));
      const parts = await page.getByTestId('batch-made').evaluateAll((all) =>
        all.map((p) => ({ count: Number(p.dataset.count), bytes: Number(p.dataset.bytes) })),
      );
      const counted = parts.reduce((sum, p) => sum + p.count, 0);
      if (counted !== n) throw new Error(`the export holds ${counted} households of ${n}`);
      const bytes = parts.reduce((sum, p) => sum + p.bytes, 0);
      const largest = Math.max(...parts.map((p) => p.bytes));
      const memory = Number(await made.getAttribute('data-peak-memory'));
      runs.push({ ms, frame, bytes, parts: parts.length, largest, memory });
      await page.close();
    }
    return runs;
  });
  return { runs, photoSize };
}

const server = await startStaticServer(dist, 0);
try {
  const stats = (values) => {
    const v = [...values].sort((a, b) => a - b);
    return [v[0], v[Math.floor(v.length / 2)], v[v.length - 1]];
  };
  console.log('| households | runs | time s (min / median / max) | longest frame ms (min / median / max) | zip MB |');
  console.log('|---:|---:|---|---|---:|');
  let worst = 0;
  const perRun = [];
  for (const n of SIZES) {
    const { runs } = await measure(server.url, n);
    const t = stats(runs.map((r) => r.ms / 1000)).map((x) => x.toFixed(1)).join(' / ');
    const f = stats(runs.map((r) => r.frame));
    worst = Math.max(worst, f[2]);
    const mb = (runs[0].bytes / 1e6).toFixed(1);
    console.log(`| ${n.toLocaleString('en')} | ${runs.length} | ${t} | ${f.map((x) => x.toFixed(0)).join(' / ')} | ${mb} |`);
    perRun.push(`${n.toLocaleString('en')}: ${runs.map((r) => r.frame.toFixed(0)).join(', ')}`);
  }
  console.log(`\nlongest frame of each run, in order (ms): ${perRun.join('; ')}`);
  if (PHOTO_HOUSEHOLDS > 0) {
    const { runs, photoSize } = await measure(server.url, PHOTO_HOUSEHOLDS, PHOTO_FIELDS, PHOTO_RUNS);
    const t = stats(runs.map((r) => r.ms / 1000)).map((x) => x.toFixed(1)).join(' / ');
    const f = stats(runs.map((r) => r.frame));
    worst = Math.max(worst, f[2]);
    const largest = Math.max(...runs.map((r) => r.largest));
    const memory = Math.max(...runs.map((r) => r.memory));
    console.log(`\n| households with photos | photos (mean KB) | runs | time s (min / median / max) | longest frame ms (min / median / max) | batch MB | parts | largest part MB | worker peak MB |`);
    console.log('|---:|---:|---:|---|---|---:|---:|---:|---:|');
    console.log(
      `| ${PHOTO_HOUSEHOLDS} | ${PHOTO_HOUSEHOLDS * PHOTO_FIELDS.length} (${(photoSize / 1024).toFixed(0)}) | ${runs.length} | ${t} | ` +
        `${f.map((x) => x.toFixed(0)).join(' / ')} | ${(runs[0].bytes / 1e6).toFixed(1)} | ${runs[0].parts} | ` +
        `${(largest / 1e6).toFixed(1)} | ${(memory / 1e6).toFixed(0)} |`,
    );
    console.log(`\nlargest part: ${(largest / 1e6).toFixed(1)} MB (budget ≤ ${PART_BYTES / 1e6}: ${largest <= PART_BYTES ? 'within' : 'OVER'})`);
  }
  console.log(`\nlongest frame during an export: ${worst.toFixed(0)} ms (budget ≤ 100: ${worst <= 100 ? 'within' : 'OVER'})`);
} finally {
  await server.close();
}
