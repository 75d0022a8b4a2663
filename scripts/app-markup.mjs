// Reading the app's own markup from the built app in Chromium: for the form page's
// prerendered first screen (scripts/prerender.mjs, tests/e2e/prerender.test.mjs) and the
// form benchmark's control page (bench/control/snapshot.mjs).
import { startStaticServer } from './serve-dist.mjs';
import { freshProfileDir, launch, phonePage, removeProfileDir } from '../tests/e2e/support/browser.mjs';

/** Serves `dist`, opens a phone-sized page on a fresh profile, runs `body(page, url)`. */
export async function withBuiltApp(dist, body) {
  const server = await startStaticServer(dist, 0);
  const profile = freshProfileDir();
  const chromium = await launch(profile);
  try {
    return await body(await phonePage(chromium.context), server.url);
  } finally {
    await chromium.close();
    removeProfileDir(profile);
    await server.close();
  }
}

/** Waits until the app runs a new household's form (it has taken over the prerendered
 * screen) and has listed the provinces. */
export async function appStarted(page) {
  await page.waitForFunction(
    () =>
      !document.getElementById('prerender') &&
      document.querySelector('[data-testid=household-form][data-id]') &&
      document.querySelectorAll('select[name=kode_provinsi] option').length > 1,
    null,
    { timeout: 60_000 },
  );
}

/** The markup of the elements `selector` finds, without comments, scripts or record ids. */
export function cleanMarkup(page, selector) {
  return page.evaluate((selector) => {
    return [...document.querySelectorAll(selector)]
      .map((element) => {
        const copy = element.cloneNode(true);
        const walker = document.createTreeWalker(copy, NodeFilter.SHOW_COMMENT);
        const comments = [];
        while (walker.nextNode()) comments.push(walker.currentNode);
        comments.forEach((c) => c.remove());
        copy.querySelectorAll('script, noscript').forEach((e) => e.remove());
        copy.querySelectorAll('[data-id], [data-key]').forEach((e) => {
          e.removeAttribute('data-id');
          e.removeAttribute('data-key');
        });
        return copy.outerHTML;
      })
      .join('');
  }, selector);
}

/** The app's first screen as the page holds it: what the app draws into `root` (the body,
 * or the prerendered screen), cleaned. */
export function firstScreen(page, root = 'body') {
  return cleanMarkup(page, `${root} > :is(header, .update-banner, main)`);
}

/**
 * The first screen of `root` as a list of elements and texts, each element with its
 * attributes sorted: the same for the app's markup and for a copy written by an HTML
 * minifier (attributes reordered, default values left out, texts in one piece).
 */
export async function firstScreenOutline(page, root = 'body') {
  const markup = await firstScreen(page, root);
  return page.evaluate((markup) => {
    const template = document.createElement('template');
    template.innerHTML = markup;
    const lines = [];
    const visit = (node, depth) => {
      if (node.nodeType === Node.TEXT_NODE) {
        if (node.data.trim()) lines.push(`${' '.repeat(depth)}"${node.data.trim()}"`);
        return;
      }
      if (node.nodeType !== Node.ELEMENT_NODE) return;
      // The page disables the prerendered screen's photo inputs until the app runs.
      const photo = node.tagName === 'INPUT' && node.type === 'file';
      const attributes = [...node.attributes]
        .filter((a) => !(a.name === 'type' && node.tagName === 'INPUT'))
        .filter((a) => !(photo && a.name === 'disabled'))
        .map((a) => `${a.name}=${JSON.stringify(a.value)}`);
      // An input's type as the browser reads it: `text` whether written or left out.
      if (node.tagName === 'INPUT') attributes.push(`type=${JSON.stringify(node.type)}`);
      lines.push(`${' '.repeat(depth)}<${node.tagName.toLowerCase()} ${attributes.sort().join(' ')}>`);
      for (const child of node.childNodes) visit(child, depth + 1);
    };
    template.content.normalize();
    for (const child of template.content.children) visit(child, 0);
    return lines;
  }, markup);
}
