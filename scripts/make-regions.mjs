// Builds the region tables the form's province → regency → district → village cascade loads,
// from the pinned npm package idn-area-data (official Kemendagri codes; data under ODbL).
//
// The 83,762 villages must not enter the start-up download, so the tables are split:
//   data/regions/<version>/provinces.json   the 38 provinces
//   data/regions/<version>/<PP>.json        one province: its regencies, districts, villages
//   data/regions/<version>/LICENSE.md       the data's ODbL licence, with attribution
// The dataset version is in the path, so a new dataset is a new URL: the service worker
// caches these files on first use and never serves an old table for a new version.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const PACKAGE = 'idn-area-data';

/** RFC 4180: quoted fields may hold commas, line breaks and doubled quotes. */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"' && field === '') {
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += c;
    }
  }
  if (quoted) throw new Error('CSV ends inside a quoted field');
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

function table(dataDir, name, header) {
  const [head, ...rows] = parseCsv(readFileSync(join(dataDir, `${name}.csv`), 'utf8'));
  if (head.join(',') !== header) throw new Error(`${name}.csv: header ${head.join(',')}, expected ${header}`);
  return rows;
}

export function makeRegions(outRoot) {
  const packageJson = require.resolve(`${PACKAGE}/package.json`);
  const { version } = JSON.parse(readFileSync(packageJson, 'utf8'));
  const dataDir = join(dirname(packageJson), 'data');
  const source = `${PACKAGE} ${version} (Kemendagri codes), Open Database License (ODbL) — see LICENSE.md`;

  const provinces = table(dataDir, 'provinces', 'code,name');
  const regencies = table(dataDir, 'regencies', 'code,province_code,name');
  const districts = table(dataDir, 'districts', 'code,regency_code,name');
  const villages = table(dataDir, 'villages', 'code,district_code,name');

  const byProvince = new Map(provinces.map(([code, name]) => [code, { province: [code, name], regencies: [], districts: [], villages: [] }]));
  const parentOf = (code) => code.slice(0, code.lastIndexOf('.'));
  const known = new Set(provinces.map(([code]) => code));
  const add = (rows, kind) => {
    for (const [code, parent, name] of rows) {
      if (parentOf(code) !== parent || !known.has(parent)) throw new Error(`${kind} ${code}: parent ${parent} unknown or not its prefix`);
      known.add(code);
      byProvince.get(code.slice(0, 2))[kind].push([code, name]);
    }
  };
  add(regencies, 'regencies');
  add(districts, 'districts');
  add(villages, 'villages');

  const out = join(outRoot, 'data', 'regions', version);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'provinces.json'), JSON.stringify({ source, provinces }));
  for (const [code, slice] of byProvince) {
    writeFileSync(join(out, `${code}.json`), JSON.stringify({ source, ...slice }));
  }
  copyFileSync(join(dataDir, 'LICENSE.md'), join(out, 'LICENSE.md'));
  return {
    version,
    dir: out,
    counts: { provinces: provinces.length, regencies: regencies.length, districts: districts.length, villages: villages.length },
  };
}
