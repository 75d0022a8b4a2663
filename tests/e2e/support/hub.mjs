// The district hub for end-to-end tests: the real `verval-hub` binary (built by
// scripts/test) serving the release app and the API on 127.0.0.1 with a fresh SQLite file,
// and its command line for what district staff do (add an enumerator, revoke, export).
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST } from './app.mjs';

export const HUB = new URL('../../../target/debug/verval-hub', import.meta.url).pathname;

/**
 * Starts the hub on a fresh database. Options for an HTTPS deployment: `port` (fixed, so the
 * public URL can name it and a restart finds it again), `publicUrl`, `tls` ({ cert, key }
 * PEM paths), `keyFile` (the district's key file for sealed batches), `dir` (an earlier
 * hub's data, to start again on it).
 */
export async function startHub({ port = 0, publicUrl, tls, keyFile, dir = mkdtempSync(join(tmpdir(), 'verval-hub-e2e-')) } = {}) {
  const db = join(dir, 'hub.sqlite');
  const args = ['serve', '--app', DIST, '--listen', `127.0.0.1:${port}`, '--db', db, '--name', 'Dinsos Uji'];
  if (publicUrl) args.push('--public-url', publicUrl);
  if (keyFile) args.push('--key-file', keyFile);
  if (tls) args.push('--tls-cert', tls.cert, '--tls-key', tls.key);
  const child = spawn(HUB, args, {
    env: { ...process.env, VERVAL_HUB_ADMIN_PASSWORD: ADMIN.password },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const found = out.match(/Verval hub at (https?:\/\/127\.0\.0\.1:\d+)\//);
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
    dir,
    /** Stops the hub; its data is removed unless `keepData` (to start again on it). */
    async stop({ keepData = false } = {}) {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve()));
      if (!keepData) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A district key made by `verval-hub key generate` in `dir`, its passphrase on standard
 * input: the key file's path, the public key and its fingerprint. */
export function generateKey(dir, label, passphrase) {
  const out = execFileSync(HUB, ['key', 'generate', '--out', dir, '--label', label], {
    input: `${passphrase}\n`,
    encoding: 'utf8',
  });
  const field = (name) => out.match(new RegExp(`${name}\\):\\s+(\\S+)`))[1];
  return {
    keyFile: field('key file'),
    sheet: field('recovery'),
    recipient: field('public key'),
    fingerprint: field('fingerprint'),
  };
}

/** The account the hub's first start makes from VERVAL_HUB_ADMIN_PASSWORD. */
export const ADMIN = { username: 'admin', password: 'kata-sandi-uji' };

/** Fills and sends the hub's sign-in form at `origin` (as the first admin by default). */
export async function signIn(page, origin, { username, password } = ADMIN) {
  await page.goto(`${origin}/admin/masuk`);
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill(password);
  await page.getByTestId('sign-in').click();
}

/** Opens the Segel page and unlocks the district's key with `passphrase` unless an earlier
 * step left it unlocked (an admin signed in on `page`). */
export async function unlockDistrictKey(page, origin, passphrase) {
  await page.goto(`${origin}/admin/segel`);
  const state = page.getByTestId('key-state');
  await state.waitFor();
  if ((await state.getAttribute('data-state')) === 'terbuka') return;
  await page.locator('input[name=kata_sandi]').fill(passphrase);
  await page.getByTestId('unlock-key').click();
  await page.locator('[data-testid=key-state][data-state=terbuka]').waitFor();
}

/** Uploads a batch file on the hub's upload page, as district staff do, and waits for it. */
export async function uploadBatch(page, file) {
  await page.getByTestId('nav-unggah').click();
  await page.locator('input[name=berkas]').setInputFiles(file);
  await page.getByTestId('upload-batches').click();
  await page.getByTestId('upload-ok').waitFor();
}
