// One tab per draft: a household open for editing in one tab opens read-only in a second,
// and becomes editable there once the first tab lets go. Tested with Web Locks and with the
// BroadcastChannel fallback for browsers without them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { phonePage, withBrowser } from './support/browser.mjs';
import { HouseholdForm, HouseholdList, serveReleaseForFile } from './support/app.mjs';

const server = serveReleaseForFile();

async function twoTabsOnOneDraft({ withoutWebLocks }) {
  await withBrowser(async (chromium) => {
    if (withoutWebLocks) {
      await chromium.context.addInitScript(() => {
        delete Navigator.prototype.locks;
      });
    }
    const first = await phonePage(chromium.context);
    const list = await new HouseholdList(first, server.url).open();
    assert.equal(await first.evaluate(() => 'locks' in navigator), !withoutWebLocks);
    const form = await list.add();
    await form.fill('nama_kepala_keluarga', 'SITI AMINAH');
    await form.waitSaved();
    const url = first.url();

    const second = await phonePage(chromium.context);
    await second.goto(url);
    const viewer = new HouseholdForm(second);
    await viewer.waitOpen();
    await second.getByTestId('read-only-notice').waitFor();
    assert.match(await second.getByTestId('read-only-notice').innerText(), /dibuka untuk diubah di tab lain/);
    assert.equal(await viewer.value('nama_kepala_keluarga'), 'SITI AMINAH', 'the second tab shows the data');
    assert.equal(await viewer.input('nama_kepala_keluarga').isEditable(), false);
    assert.equal(await form.input('nama_kepala_keluarga').isEditable(), true, 'the first tab still edits');

    // The first tab leaves the form: the second may edit after a reload.
    await form.backToList(server.url);
    await second.reload();
    await viewer.waitOpen();
    await second.waitForFunction(() => !document.querySelector('[name=nama_kepala_keluarga]').readOnly);
    assert.equal(await second.getByTestId('read-only-notice').isVisible(), false);
    await viewer.fill('alamat', 'Dusun Krajan RT 003');
    await viewer.waitSaved();
  });
}

test('a second tab on the same draft is read-only (Web Locks)', async () => {
  await twoTabsOnOneDraft({ withoutWebLocks: false });
});

test('a second tab on the same draft is read-only (BroadcastChannel fallback)', async () => {
  await twoTabsOnOneDraft({ withoutWebLocks: true });
});
