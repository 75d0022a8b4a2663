// What a phone downloads on its first visit (issue #26, item 4): the app served by the real
// hub binary, over HTTPS with a test CA the browser trusts (as a district deploys it, where
// Chromium asks for brotli) and over plain HTTP at 127.0.0.1, each in a fresh profile, until
// the service worker has precached the whole app. Counted by Chromium itself (Resource
// Timing's transferSize of the page's and the worker's requests: headers and the bytes as
// sent). Deterministic for a given build, so one run each.
// Budget (issue #26): the first visit's transfer ≤ 1.2 MB. Not a test: it reports.
//
//   node bench/transfer.mjs        (bench/all builds the app and the hub first)
import { withBrowser } from '../tests/e2e/support/browser.mjs';
import { firstVisit } from '../tests/e2e/support/first_visit.mjs';
import { startHub } from '../tests/e2e/support/hub.mjs';
import { DOMAIN, freePort, testCertificateAuthority } from '../tests/e2e/support/tls.mjs';

const BUDGET = 1.2 * 1000 * 1000;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

async function measure(label, hubOptions, origin, browserOptions) {
  const hub = await startHub(hubOptions);
  try {
    await withBrowser(async (chromium) => {
      const visit = await firstVisit(chromium.context, `${origin ?? hub.url}/`);
      const sum = (list, key) => list.reduce((n, e) => n + e[key], 0);
      const encodings = [...new Set(visit.encodings.values())].sort().join(', ');
      console.log(`${label}: ${kb(visit.transfer)} transferred (${(visit.transfer / 1e6).toFixed(2)} MB), ` +
        `${visit.transfer <= BUDGET ? 'within' : 'OVER'} the budget of 1.2 MB`);
      console.log(`  the page: ${kb(sum(visit.pageRequests, 'transfer'))} in ${visit.pageRequests.length} requests ` +
        `(${encodings}); the service worker: ${kb(sum(visit.workerRequests, 'transfer'))} in ` +
        `${visit.workerRequests.length} requests, ${visit.workerRequests.filter((e) => e.transfer === 0).length} ` +
        `from the HTTP cache; ${kb(sum([...visit.pageRequests, ...visit.workerRequests], 'decoded'))} decoded`);
    }, browserOptions);
  } finally {
    await hub.stop();
  }
}

const ca = testCertificateAuthority();
try {
  const port = await freePort();
  const origin = `https://${DOMAIN}:${port}`;
  await measure('HTTPS (the hub serving TLS)', { port, publicUrl: origin, tls: { cert: ca.cert, key: ca.key } }, origin, ca.browser);
  await measure('HTTP at 127.0.0.1', {}, undefined, {});
} finally {
  ca.remove();
}
