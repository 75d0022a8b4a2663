// Finalized families put straight into the app's IndexedDB, as its own save leaves them:
// for tests that need many, or need them without filling the form.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SAMPLE = new URL('../../../target/debug/examples/batch_sample', import.meta.url).pathname;

/** A finalized example family as the app stores it (canonical JSON from the core). */
export function exampleFamily() {
  const dir = mkdtempSync(join(tmpdir(), 'verval-family-'));
  execFileSync(SAMPLE, [join(dir, 'sample.zip'), join(dir, 'family.json')]);
  return JSON.parse(readFileSync(join(dir, 'family.json'), 'utf8'));
}

/** Stores `count` finalized families straight into IndexedDB, waiting for a batch as the
 * app's own save leaves them (the household and its place on the pending list). */
export async function storeFinalFamilies(page, family, count, first) {
  await page.evaluate(
    ({ family, count, first }) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('verval');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction(['households', 'pending'], 'readwrite');
          for (let i = 0; i < count; i++) {
            const hex = (first + i).toString(16).padStart(12, '0');
            const id = `0b0b0b0b-0b0b-4b0b-8b0b-${hex}`;
            tx.objectStore('households').put({ ...family, id });
            tx.objectStore('pending').put({ id, revision: family.revision, since: family.updated_at });
          }
          tx.oncomplete = () => {
            open.result.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    { family, count, first },
  );
}

