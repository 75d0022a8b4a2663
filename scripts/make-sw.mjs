// Writes sw.js into a built app: the service worker of sw/service-worker.js preceded by the
// list of files to precache and a version hashed from their contents. Nothing is listed by
// hand, so a new or renamed file can never be missing offline.
//
//   node scripts/make-sw.mjs [DIR]     (DIR defaults to $TRUNK_STAGING_DIR, then dist)
//
// scripts/post-build.mjs runs it after each build; the update test runs it on a copied build.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { isCompressedCopy } from './precompress.mjs';
import { HASHED } from './serve-dist.mjs';

const SW_NAME = 'sw.js';
// Fetched when needed and then kept by the worker's data cache, never precached: the region
// tables alone are several megabytes.
const ON_DEMAND = 'data/';

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

export function makeServiceWorker(dir) {
  const names = files(dir)
    .map((path) => relative(dir, path).split(sep).join('/'))
    .filter((name) => name !== SW_NAME && !name.startsWith('.') && !name.startsWith(ON_DEMAND))
    // The brotli and gzip copies are how the server sends a file, not files of the app.
    .filter((name) => !isCompressedCopy(name))
    .sort();
  const hash = createHash('sha256');
  for (const name of names) {
    hash.update(name).update('\0').update(readFileSync(join(dir, name))).update('\0');
  }
  const worker = readFileSync(new URL('../sw/service-worker.js', import.meta.url), 'utf8');
  hash.update(worker);
  const version = hash.digest('hex').slice(0, 16);
  const header =
    `const VERSION = ${JSON.stringify(version)};\nconst PRECACHE = ${JSON.stringify(names)};\n` +
    `const HASHED = ${HASHED};\n`;
  writeFileSync(join(dir, SW_NAME), header + worker);
  return { version, names };
}

// The files a built sw.js precaches, read back from its header (the size bench and the build
// test): the one reader of what makeServiceWorker writes.
export function readPrecache(swSource) {
  const match = /^const PRECACHE = (\[[^\n]*\]);$/m.exec(swSource);
  if (!match) throw new Error('sw.js lists no PRECACHE');
  return JSON.parse(match[1]);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR ?? 'dist';
  const { version, names } = makeServiceWorker(dir);
  console.log(`sw.js: version ${version}, ${names.length} files precached`);
}
