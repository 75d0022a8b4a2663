// Launches Debian's Chromium as a process of our own, so a test can kill it with SIGKILL
// like a phone killing a tab, and connects Playwright to it over the DevTools protocol.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

// The flags DEVELOPERS.md names for this machine; background networking off because the
// machine has no internet and Chromium would otherwise try to reach Google at every start.
export const CHROMIUM_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--no-default-browser-check',
];

export function freshProfileDir() {
  return mkdtempSync(join(tmpdir(), 'verval-e2e-profile-'));
}

export function removeProfileDir(dir) {
  rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
}

/**
 * Starts Chromium on `profileDir` and connects to it. Returns the Playwright browser, its
 * default context (the profile's), and `kill()` / `close()`. `args` are more flags; `env`
 * more environment (HOME with a test CA in its NSS database, for HTTPS tests).
 */
export async function launch(profileDir, { args = [], env = {} } = {}) {
  const child = spawn(
    CHROMIUM,
    [...CHROMIUM_FLAGS, ...args, `--user-data-dir=${profileDir}`, '--remote-debugging-port=0', 'about:blank'],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } },
  );
  const wsEndpoint = await new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`Chromium did not start:\n${seen}`)), 30_000);
    child.stderr.on('data', (chunk) => {
      seen += chunk;
      const match = seen.match(/DevTools listening on (ws:\/\/\S+)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Chromium exited (${code}) before listening:\n${seen}`));
    });
  });
  child.stderr.resume();
  const browser = await chromium.connectOverCDP(wsEndpoint);
  const context = browser.contexts()[0];
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    browser,
    context,
    /** Kills the browser process without warning: no pagehide, no clean shutdown. */
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    /** Closes the browser the way a user does: pages get pagehide, the profile is flushed. */
    async close() {
      if (child.exitCode === null) {
        // browser.close() only disconnects from a browser Playwright did not launch.
        const cdp = await browser.newBrowserCDPSession().catch(() => null);
        await cdp?.send('Browser.close').catch(() => {});
      }
      if (child.exitCode === null) {
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

/** A new page at a phone's size. */
export async function phonePage(context) {
  const page = await context.newPage();
  await page.setViewportSize({ width: 360, height: 740 });
  return page;
}

/** Runs `body(chromium)` with a browser on a fresh profile, always closing it and removing
 * the profile; `options` as for `launch`. */
export async function withBrowser(body, options = {}) {
  const profile = freshProfileDir();
  const chromium = await launch(profile, options);
  try {
    await body(chromium, profile);
  } finally {
    await chromium.close();
    removeProfileDir(profile);
  }
}

/** Waits until the page's service worker registration has an activated worker (the app
 * registers it once the page is on screen). Fails within a minute, with the worker's state,
 * instead of waiting for ever. */
export function serviceWorkerActivated(page) {
  return page.evaluate(() =>
    Promise.race([
      navigator.serviceWorker.ready.then((registration) => {
        const worker = registration.active;
        if (worker.state === 'activated') return;
        return new Promise((ok) => worker.addEventListener('statechange', () => worker.state === 'activated' && ok()));
      }),
      new Promise((_, fail) =>
        setTimeout(async () => {
          const registration = await navigator.serviceWorker.getRegistration();
          const state = registration?.active?.state ?? registration?.installing?.state ?? 'not registered';
          fail(new Error(`no activated service worker after 60 s (${state})`));
        }, 60_000),
      ),
    ]),
  );
}
