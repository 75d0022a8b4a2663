// Batch files as the app stores them, and the core's verifier over them: shared by the
// export and campaign tests.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const VERIFY = new URL('../../../target/debug/examples/verify_batch', import.meta.url).pathname;

/**
 * The stored zip of a batch, by file name, as bytes (read from the app's IndexedDB). Fails,
 * never hangs, when no batch or more than one has that name.
 */
export async function storedZip(page, fileName) {
  const base64 = await page.evaluate(
    (fileName) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('verval');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const all = open.result.transaction('batches').objectStore('batches').getAll();
          all.onerror = () => reject(all.error);
          all.onsuccess = () => {
            const named = all.result.filter((b) => b.file_name === fileName);
            if (named.length !== 1 || !named[0].zip) {
              const names = all.result.map((b) => b.file_name).join(', ');
              reject(new Error(`${named.length} batches named ${fileName} with a zip (stored: ${names})`));
              return;
            }
            named[0].zip.arrayBuffer().then((buffer) => {
              let text = '';
              for (const b of new Uint8Array(buffer)) text += String.fromCharCode(b);
              resolve(btoa(text));
            }, reject);
          };
        };
      }),
    fileName,
  );
  return Buffer.from(base64, 'base64');
}

/** Writes the bytes to a temporary file; its path. */
export function batchFile(bytes) {
  const path = join(mkdtempSync(join(tmpdir(), 'verval-batch-')), 'batch.zip');
  writeFileSync(path, bytes);
  return path;
}

/** Runs the core's verifier on the bytes; its report line. */
export function verify(bytes) {
  return execFileSync(VERIFY, [batchFile(bytes)], { encoding: 'utf8' }).trim();
}

/**
 * One file of a verified batch, as text (the verifier's `--cat`). `forms` names the district
 * forms' versions (`id:version`) whose records the batch may hold.
 */
export function batchText(bytes, name, { forms = [] } = {}) {
  const known = forms.flatMap((form) => ['--form', form]);
  return execFileSync(VERIFY, [...known, '--cat', name, batchFile(bytes)], { encoding: 'utf8' });
}
