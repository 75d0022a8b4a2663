// Bytes of the built app, per file and in total: raw, gzip and brotli, split into what the
// first visit downloads before the app starts (start-up) and what loads later (on demand).
//
//   node bench/size.mjs [DIST] [--check] [--markdown]
//
// --check fails (exit 1) when the start-up download exceeds the budget, in gzip bytes.
// Sizes are deterministic for a given build, so this budget is a test, unlike timings.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export const STARTUP_BUDGET_GZIP = 150 * 1024;

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

// Start-up = index.html, every file it names (module script, wasm preload, stylesheet, icon,
// manifest) and every file those scripts import (wasm-bindgen snippets): the browser fetches
// all of them before the app runs. Anything else is fetched on demand. Matching names, not
// parsed attributes, keeps this right for minified HTML too.
const indexHtml = readFileSync(join(dist, 'index.html'), 'utf8');
const startupNames = new Set(['index.html']);
const allNames = files(dist).map((path) => relative(dist, path));
for (const name of allNames) if (indexHtml.includes(name)) startupNames.add(name);
for (const name of [...startupNames].filter((n) => n.endsWith('.js'))) {
  const code = readFileSync(join(dist, name), 'utf8');
  for (const other of allNames) if (other.endsWith('.js') && code.includes(other)) startupNames.add(other);
}
const namedByIndex = (name) => startupNames.has(name);
const rows = files(dist).map((path) => {
  const name = relative(dist, path);
  const raw = readFileSync(path);
  return {
    name,
    startup: name === 'index.html' || namedByIndex(name),
    raw: raw.length,
    gzip: gzipSync(raw, { level: 9 }).length,
    brotli: brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
});
rows.sort((a, b) => Number(b.startup) - Number(a.startup) || b.gzip - a.gzip);

const sum = (list, key) => list.reduce((n, r) => n + r[key], 0);
const kb = (n) => (n / 1024).toFixed(1);
const groups = [
  ['start-up', rows.filter((r) => r.startup)],
  ['on demand', rows.filter((r) => !r.startup)],
  ['all', rows],
];

if (markdown) {
  console.log('| file | loads | raw KB | gzip KB | brotli KB |');
  console.log('|---|---|---:|---:|---:|');
  for (const r of rows) {
    console.log(`| ${r.name} | ${r.startup ? 'start-up' : 'on demand'} | ${kb(r.raw)} | ${kb(r.gzip)} | ${kb(r.brotli)} |`);
  }
  for (const [label, list] of groups) {
    console.log(`| **${label} total** | | ${kb(sum(list, 'raw'))} | ${kb(sum(list, 'gzip'))} | ${kb(sum(list, 'brotli'))} |`);
  }
} else {
  const pad = (s, n) => String(s).padEnd(n);
  const num = (n) => kb(n).padStart(9);
  console.log(`${pad('file', 44)}${pad('loads', 11)}${'raw KB'.padStart(9)}${'gzip KB'.padStart(9)}${'br KB'.padStart(9)}`);
  for (const r of rows) {
    console.log(`${pad(r.name, 44)}${pad(r.startup ? 'start-up' : 'on demand', 11)}${num(r.raw)}${num(r.gzip)}${num(r.brotli)}`);
  }
  for (const [label, list] of groups) {
    console.log(`${pad(`total ${label}`, 55)}${num(sum(list, 'raw'))}${num(sum(list, 'gzip'))}${num(sum(list, 'brotli'))}`);
  }
}

if (check) {
  const startup = sum(groups[0][1], 'gzip');
  const verdict = startup <= STARTUP_BUDGET_GZIP ? 'within' : 'OVER';
  console.log(`start-up download: ${kb(startup)} KB gzip, ${verdict} the budget of ${kb(STARTUP_BUDGET_GZIP)} KB`);
  if (startup > STARTUP_BUDGET_GZIP) process.exit(1);
}
