// Every way of leaving the form keeps everything typed up to that moment (issue #16): the
// app's own links (which wait for the save), the browser's back and forward, reload, closing
// the tab, a killed tab, switching to another app and the phone locking (each then killed
// by the system, the phone's usual way to end a hidden tab), typing on the prerendered
// screen before the app has started, and "Perbarui sekarang" of the update banner. Each way runs RUNS times, leaving 0–50 ms after the
// last keystroke, new and existing households and 1× and 4× CPU throttle in turn; after each
// run the household holds exactly what was typed and no household was added by a replay.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { phonePage, withBrowser } from './support/browser.mjs';
import { HouseholdForm, HouseholdList, serveReleaseForFile } from './support/app.mjs';
import { buildOf, buildVersion, checkForUpdate, controlled } from './support/update.mjs';
import { startStaticServer } from '../../scripts/serve-dist.mjs';

const RUNS = Number(process.env.LEAVE_RUNS ?? 10);
const server = serveReleaseForFile();

/** One run's conditions: households new and existing, 1× and 4× throttle, in turn. */
function conditions(run) {
  return { fresh: run % 2 === 0, rate: run % 4 < 2 ? 1 : 4, waitMs: Math.floor(Math.random() * 51) };
}

async function throttled(page, rate) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  return cdp;
}

/** Types `text` into `field` as the enumerator does, replacing what was there. */
async function typeInto(page, field, text) {
  await page.locator(`form [name="${field}"]`).click();
  await page.keyboard.press('Control+A');
  await page.keyboard.type(text);
}

/** The system ends the tab's renderer: no pagehide, no unload, nothing more runs. */
async function killTab(cdp) {
  cdp.send('Page.crash').catch(() => {});
  await sleep(300);
}

/** What the phone shows when the page is hidden (another app in front, or the screen off). */
async function hide(page) {
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    Object.defineProperty(document, 'hidden', { value: true, configurable: true });
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
  });
}

// How each way leaves the form. Gets the page with the form (the household's field typed
// just now) and returns the page the test goes on with.
const WAYS = {
  'the app\'s back link': async ({ page }) => {
    await page.getByTestId('back-to-list').click();
    await page.getByTestId('household-count').waitFor();
    return page;
  },
  'the header\'s home link': async ({ page }) => {
    await page.getByTestId('brand-link').click();
    await page.getByTestId('household-count').waitFor();
    return page;
  },
  // A page shown again from the browser's back/forward cache has no load event to wait for;
  // the list it lands on may first send the tab to the form page to replay the journal.
  'the browser\'s back': async ({ page }) => {
    await page.goBack({ waitUntil: 'commit' });
    await page.getByTestId('household-count').waitFor();
    return page;
  },
  'the browser\'s forward': async ({ page }) => {
    await page.goForward({ waitUntil: 'commit' });
    await page.getByTestId('household-count').waitFor();
    return page;
  },
  reload: async ({ page }) => {
    await page.reload();
    return page;
  },
  'closing the tab': async ({ page, context }) => {
    await page.close();
    return phonePage(context);
  },
  'a killed tab': async ({ page, context, cdp }) => {
    await killTab(cdp);
    return phonePage(context);
  },
  'switching to another app, then killed': async ({ page, context, cdp }) => {
    await hide(page);
    await killTab(cdp);
    return phonePage(context);
  },
  'the phone locking (hidden, frozen), then killed': async ({ page, context, cdp }) => {
    await hide(page);
    await cdp.send('Page.setWebLifecycleState', { state: 'frozen' });
    await killTab(cdp);
    return phonePage(context);
  },
};

/** Opens a household's form the way this way needs its history to be. */
async function openForm(page, way, id) {
  const list = await new HouseholdList(page, server.url).open();
  if (!id) return list.add();
  await page.locator(`[data-testid=household-row][data-id="${id}"]`).click();
  const form = new HouseholdForm(page);
  await form.waitOpen();
  if (way === 'the browser\'s forward') {
    // Back to the list and forward again, so that forward leaves the form.
    await page.getByTestId('back-to-list').click();
    await page.getByTestId('household-count').waitFor();
    await page.goBack({ waitUntil: 'commit' });
    await form.waitOpen();
  }
  return form;
}

/** A new household saved from the list, for a run that needs one before it starts typing. */
async function newHousehold(page, name, baseUrl = server.url) {
  const form = await new HouseholdList(page, baseUrl).open().then((list) => list.add());
  await form.fill('nama_kepala_keluarga', name);
  await form.waitSaved();
  return form.recordId();
}

/** The households on the device, read from the list page (which replays the journal first). */
async function households(page, baseUrl = server.url) {
  const list = await new HouseholdList(page, baseUrl).open();
  return list.count();
}

async function valueOf(page, id, field, baseUrl = server.url) {
  await page.goto(`${baseUrl}/keluarga.html#${id}`);
  const form = new HouseholdForm(page);
  await form.waitOpen();
  return form.value(field);
}

for (const [way, leave] of Object.entries(WAYS)) {
  test(`leaving by ${way} keeps what was typed (${RUNS} runs)`, async () => {
    await withBrowser(async ({ context }) => {
      let page = await phonePage(context);
      const existing = await newHousehold(page, 'KELUARGA LAMA');
      let stored = 1;
      for (let run = 0; run < RUNS; run++) {
        const { fresh, rate, waitMs } = conditions(run);
        const text = `Dusun Krajan ${run} ${Math.random().toString(36).slice(2, 8)}`;
        // A new household is typed from scratch (its name); an existing one gets a new address.
        // Forward needs the form in history behind the list, so its new household is saved
        // with a name first.
        let id = fresh ? null : existing;
        if (fresh && way === 'the browser\'s forward') {
          id = await newHousehold(page, `BARU ${run}`);
          stored += 1;
        }
        const form = await openForm(page, way, id);
        const field = id ? 'alamat' : 'nama_kepala_keluarga';
        if (!id) {
          stored += 1;
        }
        const cdp = await throttled(page, rate);
        await typeInto(page, field, text);
        id = id ?? (await form.recordId());
        await sleep(waitMs);
        const left = page;
        page = await leave({ page, context, cdp });
        // The same tab goes on at full speed (a killed tab's session would never answer).
        if (page === left) await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
        const label = `run ${run} (${fresh ? 'new' : 'existing'}, ${rate}×, left ${waitMs} ms after the last key)`;
        assert.equal(await households(page), stored, `${label}: no household lost or added`);
        assert.equal(await valueOf(page, id, field), text, `${label}: everything typed is there`);
      }
    });
  });
}

test(`typing on the prerendered screen, then leaving before the app starts, keeps the new household (${RUNS} runs)`, async () => {
  await withBrowser(async ({ context }) => {
    let page = await phonePage(context);
    let stored = 0;
    for (let run = 0; run < RUNS; run++) {
      const { rate, waitMs } = conditions(run);
      const cdp = await throttled(page, rate);
      // Straight to the network, where the module can be held back (the service worker, once
      // installed, would serve it from its cache, out of reach of the route below).
      await cdp.send('Network.enable');
      await cdp.send('Network.setBypassServiceWorker', { bypass: true });
      await new HouseholdList(page, server.url).open();
      // The form page's module is held back: only its HTML's screen is there.
      let release;
      const released = new Promise((ok) => (release = ok));
      await page.route('**/keluarga-*_bg.wasm', async (route) => {
        await released;
        await route.continue().catch(() => {});
      });
      await page.getByTestId('add-household').click();
      await page.locator('#prerender [name=nama_kepala_keluarga]').waitFor();
      const name = `KELUARGA PRARENDER ${run} ${Math.random().toString(36).slice(2, 6).toUpperCase()}`;
      await page.locator('#prerender [name=nama_kepala_keluarga]').click();
      await page.keyboard.type(name);
      const id = await page.locator('#prerender').getAttribute('data-record-id');
      assert.ok(id, 'the screen gave what was typed an id');
      await sleep(waitMs);
      // Back, closing the tab and a killed tab in turn.
      if (run % 3 === 0) {
        await page.goBack({ waitUntil: 'commit' });
      } else if (run % 3 === 1) {
        await page.close();
        page = await phonePage(context);
      } else {
        await killTab(cdp);
        page = await phonePage(context);
      }
      release();
      await page.unrouteAll({ behavior: 'ignoreErrors' }).catch(() => {});
      // Back landed on the list, which may be replaying the journal through the form page.
      if (run % 3 === 0) await page.getByTestId('household-count').waitFor();
      stored += 1;
      const label = `run ${run} (${rate}×, left ${waitMs} ms after the last key)`;
      assert.equal(await households(page), stored, `${label}: the new household is stored, once`);
      assert.equal(await valueOf(page, id, 'nama_kepala_keluarga'), name, label);
    }
  });
});

test(`"Perbarui sekarang" of the update banner keeps what was typed (${RUNS} runs)`, async () => {
  // Two builds served in turn: each run, the other one is the new version to update to.
  const builds = [buildVersion('a'), buildVersion('b')];
  const site = await startStaticServer(builds[0], 0);
  try {
    await withBrowser(async ({ context }) => {
      const page = await phonePage(context);
      const existing = await newHousehold(page, 'KELUARGA LAMA', site.url);
      await controlled(page);
      let stored = 1;
      for (let run = 0; run < RUNS; run++) {
        const { fresh, rate, waitMs } = conditions(run);
        const next = run % 2 === 0 ? 'b' : 'a';
        let form;
        if (fresh) {
          form = await new HouseholdList(page, site.url).open().then((list) => list.add());
          stored += 1;
        } else {
          await page.goto(`${site.url}/keluarga.html#${existing}`);
          form = new HouseholdForm(page);
          await form.waitOpen();
        }
        site.setRoot(builds[run % 2 === 0 ? 1 : 0]);
        await checkForUpdate(page);
        await page.getByTestId('apply-update').waitFor();
        const field = fresh ? 'nama_kepala_keluarga' : 'alamat';
        const text = `Dusun Krajan ${run} ${Math.random().toString(36).slice(2, 8)}`;
        const cdp = await throttled(page, rate);
        await typeInto(page, field, text);
        const id = await form.recordId();
        await sleep(waitMs);
        await page.getByTestId('apply-update').click();
        await page.waitForFunction((name) => document.querySelector(`meta[name=verval-build][content=${name}]`), next, {
          timeout: 30_000,
        });
        await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
        const label = `run ${run} (${fresh ? 'new' : 'existing'}, ${rate}×, updated ${waitMs} ms after the last key)`;
        assert.equal(await buildOf(page), next, `${label}: the new version runs`);
        assert.equal(await households(page, site.url), stored, `${label}: no household lost or added`);
        assert.equal(await valueOf(page, id, field, site.url), text, `${label}: everything typed is there`);
      }
    });
  } finally {
    await site.close();
    for (const dir of builds) rmSync(dir, { recursive: true, force: true });
  }
});
