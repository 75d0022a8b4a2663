// A test certificate authority for HTTPS end-to-end tests (issue #18): a CA made with
// openssl, a server certificate for `verval.test` signed by it, and a HOME whose NSS
// database (made with certutil) trusts the CA, so the test's Chromium trusts the server the
// way a phone trusts a Let's Encrypt certificate: no "ignore certificate errors" anywhere.
// Chromium is told `verval.test` is 127.0.0.1; nothing leaves the machine.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const DOMAIN = 'verval.test';

function run(command, args, options = {}) {
  return execFileSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
}

/** Makes the CA, the server certificate and the trusting HOME in a new directory. */
export function testCertificateAuthority() {
  const dir = mkdtempSync(join(tmpdir(), 'verval-test-ca-'));
  const file = (name) => join(dir, name);
  run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2',
    '-subj', '/CN=Verval Test CA', '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-keyout', file('ca.key'), '-out', file('ca.pem')]);
  run('openssl', ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-subj', `/CN=${DOMAIN}`, '-keyout', file('server.key'), '-out', file('server.csr')]);
  writeFileSync(file('server.ext'),
    `subjectAltName=DNS:${DOMAIN}\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n`);
  run('openssl', ['x509', '-req', '-in', file('server.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'),
    '-CAcreateserial', '-days', '2', '-extfile', file('server.ext'), '-out', file('server.pem')]);

  // Chromium on Linux reads the trusted roots of $HOME/.pki/nssdb.
  const home = file('home');
  const nssdb = join(home, '.pki', 'nssdb');
  mkdirSync(nssdb, { recursive: true });
  run('certutil', ['-N', '-d', `sql:${nssdb}`, '--empty-password']);
  run('certutil', ['-A', '-d', `sql:${nssdb}`, '-n', 'Verval Test CA', '-t', 'C,,', '-i', file('ca.pem')]);

  return {
    ca: file('ca.pem'),
    cert: file('server.pem'),
    key: file('server.key'),
    /** Options for `withBrowser`: the trusting HOME, and verval.test at 127.0.0.1. */
    browser: {
      env: { HOME: home },
      args: [`--host-resolver-rules=MAP ${DOMAIN} 127.0.0.1`],
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A TCP port free on 127.0.0.1 now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
