// Storage durability in the release build: persistence is asked for and shown, usage and
// quota are shown with a warning near the limit, and a save refused because the disk is full
// says so and leaves what was saved before intact.
//
// The full disk is real: the browser profile lives on a 128 MB RAM disk that a filler
// database fills with random (incompressible) data. (CDP's Storage.overrideQuotaForOrigin
// is accepted but has no effect in this Chromium.) Mounting needs root, as CI has.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { launch, phonePage } from './support/browser.mjs';
import { HouseholdForm, HouseholdList, serveReleaseForFile } from './support/app.mjs';

const server = serveReleaseForFile();

async function withSmallDisk(body) {
  const dir = mkdtempSync(join(tmpdir(), 'verval-small-disk-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=128m', 'tmpfs', dir]);
  try {
    const chromium = await launch(dir);
    try {
      await body(await phonePage(chromium.context));
    } finally {
      await chromium.close();
    }
  } finally {
    execFileSync('umount', [dir]);
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Fills the disk through another database, as photos or other apps would: 4 MB writes until
 * one fails, then ever smaller ones down to 1 KB, so not even a small record fits. Returns the
 * KB written.
 */
const fillDisk = (page) =>
  page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const random = (size) => {
          const bytes = new Uint8Array(size);
          for (let at = 0; at < size; at += 65536) crypto.getRandomValues(bytes.subarray(at, Math.min(size, at + 65536)));
          return bytes;
        };
        const sizes = [4096, 256, 16, 1];
        const open = indexedDB.open('filler', 1);
        open.onupgradeneeded = () => open.result.createObjectStore('junk', { autoIncrement: true });
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          let written = 0;
          const more = () => {
            const kb = sizes[0];
            const tx = db.transaction('junk', 'readwrite');
            tx.objectStore('junk').put(random(kb * 1024));
            tx.oncomplete = () => {
              written += kb;
              more();
            };
            tx.onabort = () => {
              if (tx.error?.name !== 'QuotaExceededError') return reject(tx.error);
              sizes.shift();
              if (sizes.length > 0) return more();
              db.close();
              resolve(written);
            };
          };
          more();
        };
      }),
  );

const freeDisk = (page) =>
  page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const del = indexedDB.deleteDatabase('filler');
        del.onsuccess = () => resolve();
        del.onerror = () => reject(del.error);
      }),
  );

test('the list shows whether data is protected and how full storage is', async () => {
  await withSmallDisk(async (page) => {
    let list = await new HouseholdList(page, server.url).open();
    const form = await list.add();
    await form.fill('nama_kepala_keluarga', 'SITI AMINAH');
    await form.waitSaved();
    list = await form.backToList(server.url);

    const status = page.getByTestId('storage-status');
    await status.waitFor();
    const persisted = await page.evaluate(() => navigator.storage.persisted());
    assert.equal(await status.getAttribute('data-persisted'), persisted ? 'yes' : 'no');
    assert.match(await status.innerText(), /Terpakai .+ dari .+ \(\d+%\)/);
    assert.equal(await page.getByTestId('storage-warning').isVisible(), false);

    // Chromium keeps a quota of at least about 1 GB however small the disk, so the 80% warning
    // cannot be reached here; the rule is tested in verval-core (quota.rs). The panel must
    // show the browser's own figures.
    const { usage, quota } = await page.evaluate(() => navigator.storage.estimate());
    const percent = Math.floor((usage / quota) * 100);
    assert.match(await status.innerText(), new RegExp(`\\(${percent}%\\)`));
  });
});

test('a save refused because the disk is full says so and leaves the last saved state intact', async () => {
  await withSmallDisk(async (page) => {
    const list = await new HouseholdList(page, server.url).open();
    const form = await list.add();
    await form.fill('nama_kepala_keluarga', 'SITI AMINAH');
    await form.waitSaved();

    assert.ok((await fillDisk(page)) > 0, 'the filler wrote something before the disk was full');
    await form.fill('alamat', 'Dusun Krajan RT 003 RW 001, '.repeat(10).trim());
    const failed = page.locator('[data-testid=save-status][data-state=failed]');
    await failed.waitFor();
    assert.match(await failed.innerText(), /Penyimpanan penuh: perubahan terakhir BELUM tersimpan/);
    assert.ok(await page.getByTestId('retry-save').isVisible());

    // What was saved before is still there, unchanged, and there is still exactly one record.
    await page.reload();
    const reopened = new HouseholdForm(page);
    await reopened.waitOpen();
    assert.equal(await reopened.value('nama_kepala_keluarga'), 'SITI AMINAH');
    assert.equal(await reopened.value('alamat'), '');

    // With space again, saving works.
    await freeDisk(page);
    await reopened.fill('alamat', 'Dusun Krajan RT 003');
    await reopened.waitSaved();
    await page.reload();
    await reopened.waitOpen();
    assert.equal(await reopened.value('alamat'), 'Dusun Krajan RT 003');
    const back = await reopened.backToList(server.url);
    assert.equal(await back.count(), 1);
  });
});
