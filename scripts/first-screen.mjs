// The form page's prerendered first screen (public/keluarga-first-screen.html, written by
// scripts/prerender.mjs) goes into the built keluarga.html, in its empty <div id="prerender">.
// Done after Trunk's HTML minifier, which would rewrite some of its attributes
// (capture="environment" read as a boolean).
import { readFileSync } from 'node:fs';

export const SCREEN = new URL('../public/keluarga-first-screen.html', import.meta.url).pathname;

/** The built keluarga.html with the first screen in its place. */
export function withFirstScreen(html) {
  const slot = /<div id="?prerender"?><\/div>/;
  if (!slot.test(html)) throw new Error('keluarga.html has no empty <div id="prerender">');
  return html.replace(slot, () => `<div id="prerender">${readFileSync(SCREEN, 'utf8')}</div>`);
}
