// Writes the form page's prerendered first screen (public/keluarga-first-screen.html): the
// markup the app draws for a new household (header, save status, section navigator, section
// A with the provinces listed), taken from the built app in Chromium. The build puts it into
// keluarga.html (scripts/post-build.mjs), which shows it as soon as the HTML is parsed; the
// app takes it over when it starts (src/prerender.rs). The end-to-end test
// tests/e2e/prerender.test.mjs fails when it no longer matches what the app draws: then run
// this, and build again.
//
//   scripts/build && node scripts/prerender.mjs [DIST] && scripts/build
import { writeFileSync } from 'node:fs';
import { SCREEN } from './first-screen.mjs';
import { pathToFileURL } from 'node:url';
import { startStaticServer } from './serve-dist.mjs';
import { freshProfileDir, launch, phonePage, removeProfileDir } from '../tests/e2e/support/browser.mjs';


/** Waits until the app has taken the page over and listed the provinces. */
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

/**
 * The markup of the app's first screen as the page holds it: the children of `root` (the
 * body, or the prerendered screen) that the app draws, without comments, scripts or the
 * record's id.
 */
export function firstScreen(page, root = 'body') {
  return page.evaluate((root) => {
    const parts = [];
    for (const child of document.querySelector(root).children) {
      if (!child.matches('header, .update-banner, main')) continue;
      const copy = child.cloneNode(true);
      const walker = document.createTreeWalker(copy, NodeFilter.SHOW_COMMENT);
      const comments = [];
      while (walker.nextNode()) comments.push(walker.currentNode);
      comments.forEach((c) => c.remove());
      copy.querySelectorAll('[data-id]').forEach((e) => e.removeAttribute('data-id'));
      parts.push(copy.outerHTML);
    }
    return parts.join('');
  }, root);
}

/**
 * The first screen of `root` as a list of elements and texts, each element with its
 * attributes sorted: the same for the app's markup and for the prerendered copy that the
 * build's HTML minifier wrote with attributes reordered and default values left out.
 */
export function firstScreenOutline(page, root = 'body') {
  return page.evaluate((root) => {
    const lines = [];
    const visit = (node, depth) => {
      if (node.nodeType === Node.TEXT_NODE) {
        if (node.data.trim()) lines.push(`${' '.repeat(depth)}"${node.data.trim()}"`);
        return;
      }
      if (node.nodeType !== Node.ELEMENT_NODE) return;
      const attributes = [...node.attributes]
        .filter((a) => a.name !== 'data-id' && !(a.name === 'type' && node.tagName === 'INPUT'))
        .map((a) => `${a.name}=${JSON.stringify(a.value)}`);
      // An input's type as the browser reads it: `text` whether written or left out.
      if (node.tagName === 'INPUT') attributes.push(`type=${JSON.stringify(node.type)}`);
      lines.push(`${' '.repeat(depth)}<${node.tagName.toLowerCase()} ${attributes.sort().join(' ')}>`);
      for (const child of node.childNodes) visit(child, depth + 1);
    };
    for (const child of document.querySelector(root).children) {
      if (!child.matches('header, .update-banner, main')) continue;
      // Texts the app wrote in pieces (around its markers) read as the one text they show.
      const copy = child.cloneNode(true);
      const walker = document.createTreeWalker(copy, NodeFilter.SHOW_COMMENT);
      const comments = [];
      while (walker.nextNode()) comments.push(walker.currentNode);
      comments.forEach((c) => c.remove());
      copy.normalize();
      visit(copy, 0);
    }
    return lines;
  }, root);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dist = process.argv[2] ?? 'dist';
  const server = await startStaticServer(dist, 0);
  const profile = freshProfileDir();
  const chromium = await launch(profile);
  try {
    const page = await phonePage(chromium.context);
    await page.goto(`${server.url}/keluarga.html#baru`);
    await appStarted(page);
    const markup = await firstScreen(page);
    writeFileSync(SCREEN, markup);
    console.log(`prerender: wrote ${SCREEN} (${markup.length} bytes); build again`);
  } finally {
    await chromium.close();
    removeProfileDir(profile);
    await server.close();
  }
}
