// Killing the browser process while the enumerator types: everything typed more than 300 ms
// before the kill must be there when the browser comes back (issue #16; it was one second).
// Each run prints how long before the kill the first lost keystroke was typed; the worst of
// them is the figure README and BENCHMARKS.md give.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { freshProfileDir, launch, phonePage, removeProfileDir } from './support/browser.mjs';
import { HouseholdList, serveReleaseForFile } from './support/app.mjs';

const RUNS = Number(process.env.CRASH_RUNS ?? 20);
/** What a kill may take: the keystrokes of the last this many milliseconds. */
const MAY_LOSE_MS = 300;
const ADDRESS = 'Dusun Krajan RT 003 RW 001, belakang masjid Al-Ikhlas, rumah cat hijau pagar bambu dekat sawah ';

const server = serveReleaseForFile();

for (let run = 1; run <= RUNS; run++) {
  test(`kill while typing, run ${run}/${RUNS}: nothing typed ${MAY_LOSE_MS} ms before the kill is lost`, async () => {
    const killAfterMs = 1500 + Math.floor(Math.random() * 2500);
    const keyDelayMs = 20 + Math.floor(Math.random() * 60);
    console.log(`# run ${run}: kill ${killAfterMs} ms into typing, ${keyDelayMs} ms between keys`);
    const profile = freshProfileDir();
    try {
      let chromium = await launch(profile);
      let page = await phonePage(chromium.context);
      const form = await (await new HouseholdList(page, server.url).open()).add();
      await form.fill('nama_kepala_keluarga', 'SITI AMINAH');
      await form.input('alamat').click();

      // Type until the kill moment, remembering when each key went in.
      const typedAt = [];
      const start = Date.now();
      let i = 0;
      while (Date.now() - start < killAfterMs) {
        await page.keyboard.type(ADDRESS[i % ADDRESS.length]);
        typedAt.push(Date.now());
        i++;
        await sleep(keyDelayMs);
      }
      const killedAt = Date.now();
      await chromium.kill();
      const typed = typedAt.map((_, k) => ADDRESS[k % ADDRESS.length]).join('');
      const mustSurvive = typedAt.filter((t) => t <= killedAt - MAY_LOSE_MS).length;

      chromium = await launch(profile);
      page = await phonePage(chromium.context);
      const list = await new HouseholdList(page, server.url).open();
      assert.equal(await list.count(), 1, 'the household survived, once');
      const reopened = await list.openRow(0);
      assert.equal(await reopened.value('nama_kepala_keluarga'), 'SITI AMINAH');
      const saved = await reopened.value('alamat');
      assert.ok(typed.startsWith(saved), `what was saved is what was typed: ${JSON.stringify(saved)}`);
      const lostMs = saved.length < typed.length ? killedAt - typedAt[saved.length] : 0;
      console.log(`# run ${run}: ${typed.length - saved.length} keystrokes lost, the first typed ${lostMs} ms before the kill`);
      assert.ok(
        saved.length >= mustSurvive,
        `${saved.length} characters survived; ${mustSurvive} of ${typed.length} were typed at least ${MAY_LOSE_MS} ms before the kill`,
      );
      await chromium.close();
    } finally {
      removeProfileDir(profile);
    }
  });
}
