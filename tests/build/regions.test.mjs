// The region tables built from idn-area-data: complete, correctly parsed, split so that no
// file is large, and licensed. Runs on the release build in dist/.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { parseCsv } from '../../scripts/make-regions.mjs';

const DIST = new URL('../../dist/', import.meta.url).pathname;
const VERSION = JSON.parse(readFileSync(new URL('../../node_modules/idn-area-data/package.json', import.meta.url))).version;
const DIR = join(DIST, 'data', 'regions', VERSION);
const read = (name) => JSON.parse(readFileSync(join(DIR, name), 'utf8'));
const provinceFiles = () => readdirSync(DIR).filter((n) => /^\d\d\.json$/.test(n));

test('the CSV parser follows RFC 4180', () => {
  assert.deepEqual(parseCsv('a,b\r\n"x,y","Soka""an"\n"two\nlines",\n'), [
    ['a', 'b'],
    ['x,y', 'Soka"an'],
    ['two\nlines', ''],
  ]);
  assert.deepEqual(parseCsv('a,b'), [['a', 'b']]);
  assert.throws(() => parseCsv('a,"open'), /inside a quoted field/);
});

test('every province, regency, district and village of Kemendagri is there, once', () => {
  const { provinces, source } = read('provinces.json');
  assert.match(source, /idn-area-data .*ODbL/);
  assert.equal(provinces.length, 38);
  assert.deepEqual(provinceFiles().map((n) => n.slice(0, 2)).sort(), provinces.map(([code]) => code).sort());
  const seen = new Set();
  const totals = { regencies: 0, districts: 0, villages: 0 };
  const shapes = { regencies: /^\d\d\.\d\d$/, districts: /^\d\d\.\d\d\.\d\d$/, villages: /^\d\d\.\d\d\.\d\d\.\d{4}$/ };
  for (const [code] of provinces) {
    const slice = read(`${code}.json`);
    assert.equal(slice.province[0], code);
    for (const kind of Object.keys(totals)) {
      for (const [child, name] of slice[kind]) {
        assert.match(child, shapes[kind], `${kind} ${child}`);
        assert.ok(child.startsWith(`${code}.`), `${child} is in province ${code}`);
        assert.ok(name.trim().length > 0, `${child} has a name`);
        assert.ok(!seen.has(child), `${child} appears once`);
        seen.add(child);
      }
      totals[kind] += slice[kind].length;
    }
  }
  // The spec's counts (Kepmendagri 300.2.2-2138/2025).
  assert.deepEqual(totals, { regencies: 514, districts: 7285, villages: 83762 });
});

test('names with quotes and commas survive, and Kabupaten Probolinggo is complete', () => {
  const jatim = read('35.json');
  const villages = new Map(jatim.villages);
  assert.equal(villages.get('35.13.15.2017'), 'Soka"an');
  const probolinggo = (list) => list.filter(([code]) => code.startsWith('35.13.'));
  assert.equal(probolinggo(jatim.districts).length, 24);
  assert.equal(probolinggo(jatim.villages).length, 330);
  const all = provinceFiles().flatMap((n) => read(n).villages.map(([, name]) => name));
  assert.ok(all.includes('Lubuk Pakam I,II'));
});

test('no region file is a large download, and the licence travels with the data', () => {
  for (const name of provinceFiles()) {
    const gzip = gzipSync(readFileSync(join(DIR, name)), { level: 9 }).length;
    assert.ok(gzip < 100 * 1024, `${name}: ${gzip} bytes gzip`);
  }
  assert.ok(statSync(join(DIR, 'LICENSE.md')).size > 1000);
  assert.match(readFileSync(join(DIR, 'LICENSE.md'), 'utf8'), /Open Database License/);
  const sw = readFileSync(join(DIST, 'sw.js'), 'utf8');
  assert.ok(!sw.includes('data/regions'), 'region tables are not precached');
});

test('the app looks for the tables where the build writes them', () => {
  const core = readFileSync(new URL('../../crates/verval-core/src/offline.rs', import.meta.url), 'utf8');
  assert.ok(
    core.includes(`pub const REGION_TABLES: &str = "data/regions/${VERSION}/";`),
    `crates/verval-core/src/offline.rs: REGION_TABLES must name data/regions/${VERSION}/`,
  );
});
