// Trunk's post_build hook (Trunk runs hooks of one stage concurrently, so the steps that must
// follow each other are chained here): write the region tables, minify the JavaScript of
// release builds, then write the service worker from the final files.
import { makeRegions } from './make-regions.mjs';
import { makeServiceWorker } from './make-sw.mjs';
import { minifyJs } from './minify-js.mjs';

const dir = process.env.TRUNK_STAGING_DIR ?? process.argv[2] ?? 'dist';
const regions = makeRegions(dir);
console.log(`post-build: region tables ${regions.version}: ${JSON.stringify(regions.counts)}`);
if ((process.env.TRUNK_PROFILE ?? 'release') === 'release') {
  const { before, after } = await minifyJs(dir);
  console.log(`post-build: JavaScript minified, ${before} -> ${after} bytes`);
}
const { version, names } = makeServiceWorker(dir);
console.log(`post-build: sw.js version ${version}, ${names.length} files precached`);
