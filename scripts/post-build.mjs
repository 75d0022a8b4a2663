// After every page is built and merged (scripts/build): write the region tables, minify the
// JavaScript of release builds, put the form's prerendered first screen into keluarga.html,
// then write the service worker from the final files, and last the brotli and gzip copies
// the hub serves. The steps depend on each other, so they run in this order.
import { makeRegions } from './make-regions.mjs';
import { makeServiceWorker } from './make-sw.mjs';
import { minifyJs } from './minify-js.mjs';
import { withFirstScreen } from './first-screen.mjs';
import { precompress } from './precompress.mjs';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? 'dist';
const regions = makeRegions(dir);
console.log(`post-build: region tables ${regions.version}: ${JSON.stringify(regions.counts)}`);
if ((process.env.TRUNK_PROFILE ?? 'release') === 'release') {
  const { before, after } = await minifyJs(dir);
  console.log(`post-build: JavaScript minified, ${before} -> ${after} bytes`);
}
const form = join(dir, 'keluarga.html');
writeFileSync(form, withFirstScreen(readFileSync(form, 'utf8')));
console.log('post-build: keluarga.html holds the prerendered first screen');
const { version, names } = makeServiceWorker(dir);
console.log(`post-build: sw.js version ${version}, ${names.length} files precached`);
const { raw, brotli } = precompress(dir);
console.log(`post-build: ${raw} bytes precompressed, ${brotli} as brotli`);
