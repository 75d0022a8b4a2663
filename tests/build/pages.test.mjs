// Every page of the release build can load offline: each file a page names (scripts,
// wasm, stylesheets, icons, manifest) is in dist/ and in the service worker's precache.
// Runs on the release build in dist/. (Pages are built one Trunk run each and merged by
// scripts/build: a file left behind in a page's own build would only show on a phone.)
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const DIST = new URL('../../dist/', import.meta.url).pathname;
const pages = readdirSync(DIST).filter((n) => n.endsWith('.html'));
const precache = JSON.parse(readFileSync(join(DIST, 'sw.js'), 'utf8').match(/const PRECACHE = (\[[^\]]*\])/)[1]);

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
