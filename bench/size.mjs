// Bytes of the built app, per file and in total: raw, gzip and brotli, and what each page
// downloads (`PAGES`, one budget per page: the list page is start-up, what the first visit
// downloads before the app runs), and what the service worker precaches.
//
//   node bench/size.mjs [DIST] [--check] [--markdown]
//
// --check fails (exit 1) when a page's download exceeds its budget, in gzip bytes. Sizes are
// deterministic for a given build, so these budgets are tests, unlike timings.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { isCompressedCopy } from '../scripts/precompress.mjs';
import { readPrecache } from '../scripts/make-sw.mjs';

/** The pages, what each may cost, and how the tables name what they load. */
export const PAGES = [
  // The list page starts the sync worker (the export page's worker, run under another name)
  // only on a phone enrolled with a hub, after the list is on screen: not part of start-up.
  // 176 before the backup reminder (issue #23, +3.0 KB), 179 before a restore key made
  // before the PIN was sealed by the first unlock (+1.1), 180 before it counted households
  // apart from district form records (+1.8: the form records' entries written with every
  // save, and given to records stored before, in the search entries' one pass).
  { file: 'index.html', label: 'start-up', budget: 181.5 * 1024, after: /^ekspor_worker/ },
  // The form page's HTML carries its prerendered first screen (~2.5 KB gzip, 320 KB before):
  // usable while the module compiles (bench/form).
  // 396 before a restore key made before the PIN was sealed by the first unlock; 397 before
  // its photo picker served district forms too (+0.9 KB: the picker reads and names the
  // answer through what a form hands it).
  // 401 before a save wrote a district form record's entry beside it (+1.1 KB); 401.5
  // before a deleted household draft took its district sections along (+1.9 KB: the
  // sections found by their ids among the form records' entries).
  // 404.5 before its questions were drawn by the renderer's plain functions that district
  // forms share (issue #25; -2.6 KB: fewer component builders).
  { file: 'keluarga.html', label: 'form page', budget: 402.5 * 1024 },
  // The export page also hosts sync with the hub (enrolment, status, its worker): 600 KB
  // before sync, 714 before sealed batches (its worker seals to the district's keys), see
  // BENCHMARKS.md; 833 before the backup reminder's rule and the sealed restore key, 836
  // before a restore key made before the PIN was sealed by the first unlock; 838 before the
  // village meetings went with the sync round (as written, unread) and the worker wrote
  // their list as XLSX for the campaign page; 849 before a district form's records went in
  // batches beside the households, outside their tables (issue #25); 850 before its worker
  // wrote a district form's tables the forms page hands it (+6 KB: the tables read from the
  // message, a CSV per table for people and the zip); 856.5 before batches carried a district
  // form's photos (+1.6 KB: a record's photos found by the keys its answers hold).
  // 860.5 before it counted households apart from district form records and its worker read
  // the profile as a type (+3.4 KB).
  // 863.5 before its worker wrote the P3KE template in its words with the regions named
  // and the prelist's member ids, and a batch counted its district form records (+2.1 KB).
  { file: 'ekspor.html', label: 'export page', budget: 870 * 1024 },
  // The campaign page carries the form definition (prefill runs its calculations, the
  // recap labels answers): ~300 KB. Its worker (the XLSX/CSV prelist reader, ~340 KB)
  // loads only when a prelist file is imported; counted here all the same.
  // 681 before it took the district's keys from an assignment. The village meeting's XLSX
  // is written by the export page's worker (counted there), started only when asked for.
  // 714 before the village meeting (issue #24: +77 KB — its screen ~34, with the form kept
  // as shown so a stale one cannot undo the district, its three documents ~10, the
  // families' reading ~4, the meetings' reader and writer ~22, asking the export's worker
  // for the XLSX ~7). 791 before it kept the district's own forms an assignment carries
  // (issue #25: +4.7 KB, their reader and the phone's shelf of every version).
  // 796 before saves wrote a district form record's entry (+0.6); 796.5 before the prelist
  // reader took the P3KE template's columns from the one description the export writes
  // (template::p3ke, +4.1 KB with IDIndividu and padan_dukcapil read, and the prefill
  // taking housing answers only from the template's housing columns).
  { file: 'kampanye.html', label: 'campaign page', budget: 802.5 * 1024, after: /^ekspor_worker/ },
  // The lock page (issue #23): the PIN set, typed and reset; the hub's client for a
  // forgotten PIN's request and answer. Like the list page it starts the sync worker on an
  // enrolled phone (a locked phone still sends its sealed batches), after its own screen.
  // 176 before a forgotten PIN could be asked in writing by a phone with no hub (+2.2 KB:
  // the escrow read from the meta store by field name and the request's screen).
  { file: 'kunci.html', label: 'lock page', budget: 179 * 1024, after: /^ekspor_worker/ },
  // The district forms page (issue #25): a district's own forms drawn from their definition,
  // with the expression engine (ODK's XPath subset) that runs their skip logic, constraints
  // and calculations. 372 before the phone wrote a form's tables itself (+17 KB: the
  // tables, and asking the export's worker to write them — the one-job worker client and
  // its messages, new on this page); 388.5 before its photo questions took photos (+14.5 KB:
  // the camera's picker, downscaling on a canvas, photos sealed at rest).
  // 422.5 before its saves wrote the record's entry (+0.6); 423 before a deleted draft's
  // photos were found in the stored object, not by decoding the whole record (-27 KB).
  // 398.5 before its questions were drawn by the household form's inputs (issue #25, +8.0
  // KB): labels, hints and errors wired for screen readers, a location's accuracy, thousands
  // tidied, an optional choice taken back, the village a question like the others.
  { file: 'formulir.html', label: 'district forms page', budget: 406.5 * 1024, after: /^ekspor_worker/ },
];

/** Everything the service worker precaches, in gzip bytes. */
// 2834.5 before one renderer drew both forms (issue #25: +5.4 KB; district forms +8.0, form -2.6).
const PRECACHE_BUDGET = 2840.5 * 1024;

const args = process.argv.slice(2);
const dist = args.find((a) => !a.startsWith('--')) ?? 'dist';
const check = args.includes('--check');
const markdown = args.includes('--markdown');

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

// Every page of the build has a budget: the pages are the built HTML files (scripts/build
// takes them from the repository's root), and one without a line above fails here.
const unbudgeted = readdirSync(dist).filter((n) => n.endsWith('.html') && !PAGES.some((p) => p.file === n));
if (unbudgeted.length) throw new Error(`pages with no size budget in bench/size.mjs: ${unbudgeted.join(', ')}`);

// Not the brotli and gzip copies the hub serves in a file's place (scripts/precompress.mjs).
const allNames = files(dist)
  .map((path) => relative(dist, path).split(sep).join('/'))
  .filter((name) => !isCompressedCopy(name));

// A page's download: the page, every file it names (module script, wasm preload, stylesheet,
// icon, manifest), every file its scripts and wasm name in turn (wasm-bindgen snippets, the
// export page's worker and the worker's own script and wasm). Matching names, not parsed
// attributes, keeps this right for minified HTML too.
function pageFiles({ file: page, after }) {
  const html = readFileSync(join(dist, page), 'utf8');
  const names = new Set([page]);
  for (const name of allNames) if (html.includes(name)) names.add(name);
  const seen = new Set();
  let grew = true;
  while (grew) {
    grew = false;
    for (const name of [...names].filter((n) => /\.(js|wasm)$/.test(n) && !seen.has(n))) {
      seen.add(name);
      const code = readFileSync(join(dist, name), 'latin1');
      for (const other of allNames) {
        // Not the service worker: it installs apart from the page, after it has run.
        const later = after && after.test(other);
        if (/\.(js|wasm)$/.test(other) && other !== 'sw.js' && !later && !names.has(other) && code.includes(other)) {
          names.add(other);
          grew = true;
        }
      }
    }
  }
  return names;
}

// What the service worker fetches on the first visit, as sw.js lists it (scripts/make-sw.mjs).
// Issue #26 asks for 1.2 MB gzip; the budget keeps it from growing until then.
function precached() {
  return new Set(readPrecache(readFileSync(join(dist, 'sw.js'), 'utf8')));
}

const pageSets = [
  ...PAGES.map((p) => ({ ...p, names: pageFiles(p) })),
  { label: 'precache', names: precached(), budget: PRECACHE_BUDGET },
];
const measure = (name) => {
  const raw = readFileSync(join(dist, name));
  return {
    name,
    raw: raw.length,
    gzip: gzipSync(raw, { level: 9 }).length,
    brotli: brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
};
const rows = allNames.map(measure).map((r) => ({
  ...r,
  loads:
    pageSets
      .filter((p) => p.file && p.names.has(r.name))
      .map((p) => p.label)
      .join(' + ') || 'on demand',
}));
rows.sort((a, b) => a.loads.localeCompare(b.loads) || b.gzip - a.gzip);

const sum = (list, key) => list.reduce((n, r) => n + r[key], 0);
const kb = (n) => (n / 1024).toFixed(1);
const groups = [
  ...pageSets.map((p) => [p.label, rows.filter((r) => p.names.has(r.name)), p.budget]),
  ['on demand', rows.filter((r) => r.loads === 'on demand')],
  ['all', rows],
];

if (markdown) {
  console.log('| file | loads with | raw KB | gzip KB | brotli KB |');
  console.log('|---|---|---:|---:|---:|');
  for (const r of rows) console.log(`| ${r.name} | ${r.loads} | ${kb(r.raw)} | ${kb(r.gzip)} | ${kb(r.brotli)} |`);
  for (const [label, list] of groups) {
    console.log(`| **${label} total** | | ${kb(sum(list, 'raw'))} | ${kb(sum(list, 'gzip'))} | ${kb(sum(list, 'brotli'))} |`);
  }
} else {
  const pad = (s, n) => String(s).padEnd(n);
  const num = (n) => kb(n).padStart(9);
  console.log(`${pad('file', 44)}${pad('loads with', 23)}${'raw KB'.padStart(9)}${'gzip KB'.padStart(9)}${'br KB'.padStart(9)}`);
  for (const r of rows) console.log(`${pad(r.name, 44)}${pad(r.loads, 23)}${num(r.raw)}${num(r.gzip)}${num(r.brotli)}`);
  for (const [label, list] of groups) {
    console.log(`${pad(`total ${label}`, 67)}${num(sum(list, 'raw'))}${num(sum(list, 'gzip'))}${num(sum(list, 'brotli'))}`);
  }
}

if (check) {
  let over = false;
  for (const [label, list, budget] of groups.filter((g) => g[2] !== undefined)) {
    const total = sum(list, 'gzip');
    const verdict = total <= budget ? 'within' : 'OVER';
    console.log(`${label} download: ${kb(total)} KB gzip, ${verdict} the budget of ${kb(budget)} KB`);
    over ||= total > budget;
  }
  if (over) process.exit(1);
}
