// Batch files as the app stores them, and the core's verifier over them: shared by the
// export and campaign tests.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const VERIFY = new URL('../../../target/debug/examples/verify_batch', import.meta.url).pathname;

/** The stored zip of a batch, by file name, as bytes (read from the app's IndexedDB). */
export async function storedZip(page, fileName) {
  const base64 = await page.evaluate(
    (fileName) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('verval');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const all = open.result.transaction('batches').objectStore('batches').getAll();
          all.onsuccess = async () => {
            const batch = all.result.find((b) => b.file_name === fileName);
            const bytes = new Uint8Array(await batch.zip.arrayBuffer());
            let text = '';
            for (const b of bytes) text += String.fromCharCode(b);
            resolve(btoa(text));
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

/** One file of a verified batch, as text (the verifier's `--cat`). */
export function batchText(bytes, name) {
  return execFileSync(VERIFY, ['--cat', name, batchFile(bytes)], { encoding: 'utf8' });
}
