// After both pages are built and merged (scripts/build): write the region tables, minify the
// JavaScript of release builds, then write the service worker from the final files. The
// steps depend on each other, so they run in this order.
import { makeRegions } from './make-regions.mjs';
import { makeServiceWorker } from './make-sw.mjs';
import { minifyJs } from './minify-js.mjs';

const dir = process.argv[2] ?? 'dist';
const regions = makeRegions(dir);
console.log(`post-build: region tables ${regions.version}: ${JSON.stringify(regions.counts)}`);
if ((process.env.TRUNK_PROFILE ?? 'release') === 'release') {
  const { before, after } = await minifyJs(dir);
  console.log(`post-build: JavaScript minified, ${before} -> ${after} bytes`);
}
const { version, names } = makeServiceWorker(dir);
console.log(`post-build: sw.js version ${version}, ${names.length} files precached`);
