// Minifies the JavaScript of a release build in place: the wasm-bindgen glue and its
// snippets, which Trunk's own minifier leaves alone. The pages carry subresource-integrity
// hashes of these files, so each hash is recomputed for the new content. A file named by
// its content's hash (`verval-<16 hex>.js`) is renamed by its new content's hash and the
// pages follow: the hub serves such a name as immutable and the service worker takes it
// from the HTTP cache, so one name must never hold two contents (a new terser would
// otherwise change the bytes behind Trunk's name).
//
// Called by scripts/post-build.mjs for release builds, before the service worker is made.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { minify } from 'terser';

function jsFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return jsFiles(path);
    return name.endsWith('.js') && name !== 'sw.js' ? [path] : [];
  });
}

const sri = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;

/** Minifies every .js file under `dir` but sw.js; returns the byte counts before and after. */
export async function minifyJs(dir) {
  // Every page (index.html, keluarga.html) names its scripts with their hashes.
  const pages = readdirSync(dir)
    .filter((name) => name.endsWith('.html'))
    .map((name) => ({ path: join(dir, name), html: readFileSync(join(dir, name), 'utf8') }));
  let before = 0;
  let after = 0;
  for (const path of jsFiles(dir)) {
    const original = readFileSync(path);
    // ES modules: exports keep their names; everything else may be renamed.
    const { code } = await minify(original.toString('utf8'), {
      module: true,
      compress: { passes: 2 },
      mangle: true,
      format: { comments: false },
    });
    if (code === undefined) throw new Error(`terser produced nothing for ${path}`);
    writeFileSync(path, code);
    for (const page of pages) page.html = page.html.split(sri(original)).join(sri(Buffer.from(code)));
    const named = /^(.*-)([0-9a-f]{16})\.js$/.exec(basename(path));
    if (named) {
      const renamed = `${named[1]}${createHash('sha256').update(code).digest('hex').slice(0, 16)}.js`;
      renameSync(path, join(dirname(path), renamed));
      for (const page of pages) page.html = page.html.split(basename(path)).join(renamed);
    }
    before += original.length;
    after += Buffer.byteLength(code);
  }
  for (const page of pages) writeFileSync(page.path, page.html);
  return { before, after };
}
