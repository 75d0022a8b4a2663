// Caddy (Debian's package) as the reverse proxy of docs/deploy.md, run from the repo's own
// deploy/Caddyfile with the test's values. Caddy turns it into its JSON config (`caddy
// adapt`); the test changes only what a test must: listen on 127.0.0.1 alone, no admin
// endpoint, no HTTP→HTTPS redirect server on port 80, its storage in a temp directory.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CADDYFILE = new URL('../../../deploy/Caddyfile', import.meta.url).pathname;

function listening(port) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Serves https://{domain}:{port} with the certificate `tls`, passing requests to `hub`. */
export async function startCaddy({ domain, port, tls, hub }) {
  const dir = mkdtempSync(join(tmpdir(), 'verval-caddy-'));
  const env = {
    ...process.env,
    HOME: dir,
    XDG_DATA_HOME: dir,
    XDG_CONFIG_HOME: dir,
    VERVAL_DOMAIN: `${domain}:${port}`,
    VERVAL_TLS: `${tls.cert} ${tls.key}`,
    VERVAL_HUB: hub,
  };
  const config = JSON.parse(execFileSync('caddy', ['adapt', '--config', CADDYFILE], { env, encoding: 'utf8' }));
  config.admin = { disabled: true };
  config.storage = { module: 'file_system', root: dir };
  for (const server of Object.values(config.apps.http.servers)) {
    server.listen = server.listen.map((address) => `127.0.0.1${address.slice(address.lastIndexOf(':'))}`);
    server.automatic_https = { ...server.automatic_https, disable_redirects: true };
  }
  const json = join(dir, 'caddy.json');
  writeFileSync(json, JSON.stringify(config));
  let log = '';
  const child = spawn('caddy', ['run', '--config', json], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk) => (log += chunk));
  child.stderr.on('data', (chunk) => (log += chunk));
  const deadline = Date.now() + 20_000;
  while (!(await listening(port))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`caddy did not start:\n${log}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
