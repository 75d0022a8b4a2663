// What the browser benchmarks share: a fresh profile with households stored, and a
// phone-sized page with the CPU slowed 4× (CDP Emulation.setCPUThrottlingRate).
import { freshProfileDir, launch, phonePage, removeProfileDir, serviceWorkerActivated } from '../tests/e2e/support/browser.mjs';

/**
 * Starts Chromium on a fresh profile, lets the app create its database and install its
 * service worker, stores households with `seed(page)`, then runs `measure(chromium)`; always
 * closes and removes the profile.
 */
export async function withSeededBrowser(url, seed, measure) {
  const profile = freshProfileDir();
  const chromium = await launch(profile);
  try {
    const setup = await phonePage(chromium.context);
    await setup.goto(`${url}/`);
    await setup.getByTestId('household-count').waitFor();
    // The app installed, as on a phone after its first visit: the worker's first install
    // downloads every page and would otherwise run during the first measurement.
    await serviceWorkerActivated(setup);
    await seed(setup);
    await setup.close();
    return await measure(chromium);
  } finally {
    await chromium.close();
    removeProfileDir(profile);
  }
}

/** A new 360×740 page with the CPU slowed 4×. */
export async function throttledPage(chromium) {
  const page = await phonePage(chromium.context);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  return page;
}
