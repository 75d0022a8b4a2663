// The offline readiness check speaks across three files: the app's states
// (crates/verval-core/src/offline.rs), the page's side (src/browser.js) and the service
// worker's (sw/service-worker.js). Each number and name must mean the same in all.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const read = (path) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const core = read('crates/verval-core/src/offline.rs');
const page = read('src/browser.js');
const worker = read('sw/service-worker.js');

/** `Name: number` of the Rust enum's explicit discriminants. */
function rustStates() {
  const body = core.slice(core.indexOf('pub enum Readiness {'));
  const variants = body.slice(0, body.indexOf('\n}')).matchAll(/^\s+(\w+) = (\d+),/gm);
  return Object.fromEntries([...variants].map(([, name, number]) => [name, Number(number)]));
}

const constant = (source, name) => {
  const found = source.match(new RegExp(`const ${name} = ([^;]+);`));
  assert.ok(found, `const ${name} is missing`);
  return JSON.parse(found[1].replaceAll("'", '"'));
};

test('the worker and the page answer with the states the app numbers', () => {
  const states = rustStates();
  assert.deepEqual(Object.keys(states), ['Preparing', 'Ready', 'NoApp', 'NoWorkArea', 'NoTables']);
  assert.equal(constant(worker, 'READY'), states.Ready);
  assert.equal(constant(worker, 'NO_APP'), states.NoApp);
  assert.equal(constant(worker, 'NO_WORK_AREA'), states.NoWorkArea);
  assert.equal(constant(worker, 'NO_TABLES'), states.NoTables);
  assert.equal(constant(page, 'NO_APP'), states.NoApp);
});

test('the page asks the question the worker answers', () => {
  assert.match(page, new RegExp(`type: '${constant(worker, 'READINESS')}'`));
});
