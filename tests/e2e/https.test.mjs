// The app and the hub over real HTTPS, as a district deploys them (issue #18, item 7):
// once with the hub serving TLS itself (serve --tls-cert/--tls-key), once behind Caddy from
// deploy/Caddyfile. The certificate comes from a test CA the browser's profile trusts; the
// address is https://verval.test:PORT, which Chromium resolves to 127.0.0.1. On each: the
// page is a secure context and installs its service worker; the app starts and a family is
// filled with the hub stopped; district staff sign in (the cookie is Secure) and make an
// enrolment QR whose address is the public URL; the phone enrols through it and the family
// arrives; the security headers are there.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { phonePage, serviceWorkerActivated, withBrowser } from './support/browser.mjs';
import { HouseholdList } from './support/app.mjs';
import { startCaddy } from './support/caddy.mjs';
import { fillCompleteFamily } from './support/fill.mjs';
import { signIn, startHub } from './support/hub.mjs';
import { DOMAIN, freePort, testCertificateAuthority } from './support/tls.mjs';

const REGIONS_VERSION = JSON.parse(
  readFileSync(new URL('../../node_modules/idn-area-data/package.json', import.meta.url), 'utf8'),
).version;

let ca;
before(() => {
  ca = testCertificateAuthority();
});
after(() => {
  ca?.remove();
});

/** The hub serving HTTPS itself on the public port. */
async function hubWithTls() {
  const port = await freePort();
  const origin = `https://${DOMAIN}:${port}`;
  const tls = { cert: ca.cert, key: ca.key };
  let hub = await startHub({ port, publicUrl: origin, tls });
  return {
    origin,
    hub: () => hub,
    stopHub: () => hub.stop({ keepData: true }),
    async startHubAgain() {
      hub = await startHub({ port, publicUrl: origin, tls, dir: hub.dir });
    },
    stop: () => hub.stop(),
  };
}

/** The hub on plain HTTP at 127.0.0.1, Caddy serving HTTPS on the public port. */
async function hubBehindCaddy() {
  const [port, hubPort] = [await freePort(), await freePort()];
  const origin = `https://${DOMAIN}:${port}`;
  let hub = await startHub({ port: hubPort, publicUrl: origin });
  const caddy = await startCaddy({ domain: DOMAIN, port, tls: { cert: ca.cert, key: ca.key }, hub: `127.0.0.1:${hubPort}` });
  return {
    origin,
    hub: () => hub,
    stopHub: () => hub.stop({ keepData: true }),
    async startHubAgain() {
      hub = await startHub({ port: hubPort, publicUrl: origin, dir: hub.dir });
    },
    async stop() {
      await caddy.stop();
      await hub.stop();
    },
  };
}

async function signInAt(page, origin) {
  await page.goto(`${origin}/admin`);
  await page.waitForURL(/\/admin\/masuk$/);
  await signIn(page, origin);
  await page.waitForURL(/\/admin$/);
}

async function aPhoneWorksOverHttps(deployment) {
  const { origin } = deployment;
  await withBrowser(async (chromium) => {
    const page = await phonePage(chromium.context);
    const first = await page.goto(`${origin}/`);
    assert.equal(first.status(), 200);
    assert.equal(await page.evaluate(() => window.isSecureContext), true, 'HTTPS makes the page a secure context');
    assert.match(first.headers()['strict-transport-security'] ?? '', /max-age=\d{6,}/);
    assert.equal(first.headers()['x-content-type-options'], 'nosniff');
    await serviceWorkerActivated(page);
    if (!(await page.evaluate(() => Boolean(navigator.serviceWorker.controller)))) await page.reload();
    await page.waitForFunction(() => Boolean(navigator.serviceWorker.controller), null, { timeout: 30_000 });
    assert.equal(await page.evaluate(() => typeof crypto.subtle?.digest), 'function');

    // The enumerator's first online use fetches the region tables the form needs; they are
    // kept for offline use (by design fetched on first use, not precached).
    const fetchStatus = (path) => page.evaluate(async (u) => (await fetch(u).catch(() => null))?.status ?? 'failed', path);
    for (const table of ['provinces.json', '35.json']) {
      assert.equal(await fetchStatus(`/data/regions/${REGIONS_VERSION}/${table}`), 200, table);
    }

    // The hub goes down (a power cut at the district office): the app still starts, from
    // its service worker, and an enumerator fills and finalizes a family.
    await deployment.stopHub();
    const list = await new HouseholdList(page, origin).open();
    assert.equal(await list.count(), 0);
    const form = await list.add();
    await fillCompleteFamily(page, form, chromium.context, origin);
    await page.getByTestId('finalize').click();
    await page.getByTestId('confirm-finalize').click();
    await page.locator('[data-testid=record-status][data-final=true]').waitFor();
    await form.waitSaved();
    await deployment.startHubAgain();

    // District staff, over the same HTTPS address: a Secure session cookie, the district
    // pages' headers, and an enrolment QR carrying the public URL.
    const admin = await chromium.context.newPage();
    await signInAt(admin, origin);
    const session = (await chromium.context.cookies(`${origin}/admin`)).find((c) => c.name === 'verval_admin');
    assert.ok(session, 'signed in');
    assert.equal(session.secure, true, 'the session cookie is Secure');
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Strict');
    const pages = await admin.goto(`${origin}/admin/petugas`);
    assert.match(pages.headers()['content-security-policy'] ?? '', /default-src 'none'|default-src 'self'/);
    assert.equal(pages.headers()['x-frame-options'], 'DENY');
    assert.match(pages.headers()['strict-transport-security'] ?? '', /max-age=/);
    await admin.locator('input[name=nama]').fill('Siti Aminah');
    await admin.locator('textarea[name=desa]').fill('35.13.14.2001');
    await admin.getByTestId('add-enumerator').click();
    await admin.getByTestId('enrolment-code').waitFor();
    assert.equal(await admin.locator('[data-testid=enrolment-qr] svg').count(), 1);
    const address = await admin.getByTestId('enrolment-address').innerText();
    assert.ok(address.startsWith(`${origin}/?daftar=`), `the QR's address is the public URL: ${address}`);

    // The phone opens the QR's address and enrols; the waiting family goes out.
    await page.goto(address);
    await page.waitForURL(/ekspor\.html\?daftar=/);
    assert.equal(await page.locator('input[name=hub_url]').inputValue(), origin);
    await page.getByTestId('enrol').click();
    await page.getByTestId('sync-enrolled').waitFor();
    await page.locator('[data-testid=sync-counts][data-unsent="0"][data-sent="1"]').waitFor({ timeout: 60_000 });
    assert.equal(deployment.hub().households(), 1);
  }, ca.browser);
}

/** The phone's whole story on the deployment `start` makes, always taken down after. */
async function onDeployment(start) {
  const deployment = await start();
  try {
    await aPhoneWorksOverHttps(deployment);
  } finally {
    await deployment.stop();
  }
}

test('the hub serving HTTPS itself: installed, offline, enrolled by its public URL, synced', () => onDeployment(hubWithTls));

test('behind Caddy from deploy/Caddyfile: installed, offline, enrolled by its public URL, synced', () => onDeployment(hubBehindCaddy));
