// Writes a brotli (`.br`) and a gzip (`.gz`) copy beside each text or wasm file of a built
// app, once at build time at the highest levels, so the hub serves the smaller one the
// browser accepts without compressing anything per request (crates/verval-hub/src/assets.rs).
// A copy that would not be smaller is not written. The hub uses a copy only when it is not
// older than its file, so a file changed after the build is served as it is, never stale.
//
//   node scripts/precompress.mjs [DIR]     (DIR defaults to dist)
//
// scripts/post-build.mjs runs it last, after the service worker is written.
import { readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** What is worth compressing; images (png) are compressed already. */
export const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.wasm', '.css', '.svg', '.json', '.webmanifest']);
/** The copies, by suffix, as the hub looks for them. */
export const ENCODINGS = [
  {
    suffix: '.br',
    compress: (bytes, text) =>
      brotliCompressSync(bytes, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
          [constants.BROTLI_PARAM_MODE]: text ? constants.BROTLI_MODE_TEXT : constants.BROTLI_MODE_GENERIC,
          [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
        },
      }),
  },
  { suffix: '.gz', compress: (bytes) => gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION }) },
];

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/** Whether a path is one of the copies this script writes. */
export function isCompressedCopy(path) {
  return ENCODINGS.some(({ suffix }) => path.endsWith(suffix));
}

/** Writes the copies of every compressible file under `dir` (removing any left from an
 * earlier run first); returns the byte counts of the files and of their brotli copies. */
export function precompress(dir) {
  const all = files(dir);
  for (const path of all.filter(isCompressedCopy)) rmSync(path);
  let raw = 0;
  let brotli = 0;
  for (const path of all.filter((p) => !isCompressedCopy(p) && COMPRESSIBLE.has(extname(p)))) {
    const bytes = readFileSync(path);
    raw += bytes.length;
    for (const { suffix, compress } of ENCODINGS) {
      const copy = compress(bytes, extname(path) !== '.wasm');
      if (copy.length >= bytes.length) continue;
      writeFileSync(path + suffix, copy);
      if (suffix === '.br') brotli += copy.length;
    }
  }
  return { raw, brotli };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dir = process.argv[2] ?? 'dist';
  const { raw, brotli } = precompress(dir);
  console.log(`precompress: ${raw} bytes, ${brotli} as brotli`);
}
