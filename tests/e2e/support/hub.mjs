// The district hub for end-to-end tests: the real `verval-hub` binary (built by
// scripts/test) serving the release app and the API on 127.0.0.1 with a fresh SQLite file,
// and its command line for what district staff do (add an enumerator, revoke, export).
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST } from './app.mjs';

export const HUB = new URL('../../../target/debug/verval-hub', import.meta.url).pathname;

export async function startHub() {
  const dir = mkdtempSync(join(tmpdir(), 'verval-hub-e2e-'));
  const db = join(dir, 'hub.sqlite');
  const child = spawn(HUB, ['serve', '--app', DIST, '--listen', '127.0.0.1:0', '--db', db, '--name', 'Dinsos Uji'], {
    env: { ...process.env, VERVAL_HUB_ADMIN_PASSWORD: 'kata-sandi-uji' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const found = out.match(/Verval hub at (http:\/\/127\.0\.0\.1:\d+)\//);
      if (found) resolve(found[1]);
    });
    child.once('exit', (code) => reject(new Error(`verval-hub exited (${code}): ${out}`)));
  });
  const cli = (...args) => execFileSync(HUB, [...args, '--db', db], { encoding: 'utf8' });
  return {
    url,
    cli,
    /** Households the hub holds, as its export counts them (0 when none). */
    households() {
      const out = join(dir, `export-${Date.now()}.zip`);
      try {
        return Number(cli('export', '--profile', 'lengkap', '--out', out).match(/: (\d+) households/)[1]);
      } catch (error) {
        if (String(error.stderr ?? error).includes('tidak ada keluarga')) return 0;
        throw error;
      }
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
