// Every page of the release build can load offline: each file a page names (scripts,
// wasm, stylesheets, icons, manifest) is in dist/ and in the service worker's precache.
// Runs on the release build in dist/. (Pages are built one Trunk run each and merged by
// scripts/build: a file left behind in a page's own build would only show on a phone.)
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readPrecache } from '../../scripts/make-sw.mjs';

const DIST = new URL('../../dist/', import.meta.url).pathname;
const pages = readdirSync(DIST).filter((n) => n.endsWith('.html'));
const precache = readPrecache(readFileSync(join(DIST, 'sw.js'), 'utf8'));

/** The local files a page names in `href` and `src` attributes (quoted or not). */
function named(html) {
  const out = new Set();
  for (const [, , quoted, bare] of html.matchAll(/\b(href|src)=(?:"([^"]*)"|([^\s>]+))/g)) {
    const value = (quoted ?? bare).split(/[?#]/)[0];
    if (!value || /^[a-z]+:/i.test(value) || value === '/' || value === './') continue;
    out.add(value.replace(/^\.?\//, ''));
  }
  return [...out];
}

// The pages are the HTML files at the repository's root, each one Trunk run (scripts/build).
const ROOT = new URL('../../', import.meta.url).pathname;
const sources = readdirSync(ROOT).filter((n) => n.endsWith('.html'));

test('the app has every page of the repository', () => {
  assert.ok(sources.length >= 6, `pages at the root: ${sources}`);
  for (const page of sources) {
    assert.ok(pages.includes(page), `${page} in dist`);
    assert.ok(precache.includes(page), `${page} precached`);
  }
});

test('every file a page names is built and precached', () => {
  for (const page of pages) {
    const files = named(readFileSync(join(DIST, page), 'utf8'));
    assert.ok(files.some((f) => f.endsWith('.wasm')), `${page} loads its wasm`);
    assert.ok(files.some((f) => f.endsWith('.css')), `${page} has a stylesheet`);
    for (const file of files) {
      assert.ok(existsSync(join(DIST, file)), `${page} names ${file}, which is not in dist/`);
      assert.ok(precache.includes(file), `${page} names ${file}, which the service worker does not precache`);
    }
  }
});

// Issue #28 (WCAG 1.3.4): a phone on a stand or in a holder turns sideways; the installed app
// must follow it.
test('the installed app does not lock the screen orientation', () => {
  const manifest = JSON.parse(readFileSync(join(DIST, 'manifest.webmanifest'), 'utf8'));
  assert.equal(manifest.orientation, undefined, `orientation locked to ${manifest.orientation}`);
});

// Issue #27 item 3: a page is registered once. The build, the precache and the size bench
// take the pages from the HTML files at the root; the app's links from `route::Page`. The
// two lists are held equal here, and no other Rust file spells a page's file name.
const SRC = new URL('../../src/', import.meta.url).pathname;
const ROUTE = readFileSync(join(SRC, 'route.rs'), 'utf8');

test("the app's Page list is the pages at the root", () => {
  const body = ROUTE.slice(ROUTE.indexOf('pub const fn file'));
  const files = [...body.slice(0, body.indexOf('\n    }\n')).matchAll(/Page::\w+ => "([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual([...files].sort(), [...sources].sort());
});

test('no link in the app spells a page file outside route.rs', () => {
  const rust = (dir) =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? rust(join(dir, e.name)) : e.name.endsWith('.rs') ? [join(dir, e.name)] : [],
    );
  const spelled = [];
  for (const file of rust(SRC).filter((f) => !f.endsWith('/src/route.rs'))) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        const code = line.replace(/\/\/.*$/, '');
        for (const page of sources) {
          if (code.includes(`"${page}`)) spelled.push(`${file.slice(SRC.length)}:${i + 1} ${page}`);
        }
      });
  }
  assert.deepEqual(spelled, []);
});
