// A page on another port of the same host (same-site, not same-origin) cannot use a signed-in
// district browser: its forms are refused and the hub's pages will not show in its frames
// (issue #17, row 7: SameSite=Strict was the only defence, and same-site pages pass it).
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import { withBrowser } from './support/browser.mjs';
import { signIn, startHub } from './support/hub.mjs';

let hub;
let other;
let otherUrl;
before(async () => {
  hub = await startHub();
  // The other site: a form aimed at the hub that submits itself, and a frame of the hub.
  other = createServer((request, response) => {
    response.setHeader('content-type', 'text/html; charset=utf-8');
    if (request.url === '/form') {
      response.end(`<!doctype html><form id="f" method="post" action="${hub.url}/admin/petugas">
        <input name="nama" value="Penyusup"><input name="desa" value="35.13.14.2001"></form>
        <script>document.getElementById('f').submit()</script>`);
    } else {
      response.end(`<!doctype html><iframe id="hub" src="${hub.url}/admin/petugas"></iframe>`);
    }
  });
  await new Promise((resolve) => other.listen(0, '127.0.0.1', resolve));
  otherUrl = `http://127.0.0.1:${other.address().port}`;
});
after(async () => {
  await hub?.stop();
  await new Promise((resolve) => (other ? other.close(resolve) : resolve()));
});

test("another site's page cannot post the hub's forms nor frame its pages", async () => {
  await withBrowser(async (chromium) => {
    const page = await chromium.context.newPage();
    await signIn(page, hub.url);
    await page.waitForURL(/\/admin$/);

    const posted = page.waitForResponse((r) => r.url().startsWith(`${hub.url}/admin/petugas`));
    await page.goto(`${otherUrl}/form`);
    const answer = await posted;
    assert.equal(answer.status(), 403);
    assert.match(await page.locator('body').innerText(), /datang dari halaman lain/);

    await page.goto(`${hub.url}/admin/petugas`);
    assert.equal(await page.locator('[data-testid=enumerators] tr').count(), 1, 'only the header row: nobody was added');

    // The hub's own form, in the same browser, works.
    await page.locator('input[name=nama]').fill('Budi Santoso');
    await page.locator('textarea[name=desa]').fill('35.13.14.2001');
    await page.getByTestId('add-enumerator').click();
    await page.getByTestId('enrolment-code').waitFor();

    await page.goto(`${otherUrl}/frame`);
    const frame = page.frame({ url: /\/admin\/petugas/ }) ?? page.frames()[1];
    const framed = frame ? await frame.locator('[data-testid=enumerators]').count().catch(() => 0) : 0;
    assert.equal(framed, 0, 'the hub page must not render inside another site');
  });
});
