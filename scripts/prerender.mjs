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
import { appStarted, firstScreen, withBuiltApp } from './app-markup.mjs';
import { SCREEN } from './first-screen.mjs';

const dist = process.argv[2] ?? 'dist';
await withBuiltApp(dist, async (page, url) => {
  await page.goto(`${url}/keluarga.html#baru`);
  await appStarted(page);
  const markup = await firstScreen(page);
  writeFileSync(SCREEN, markup);
  console.log(`prerender: wrote ${SCREEN} (${markup.length} bytes); build again`);
});
