// Page objects: what a test does to Verval, in the enumerator's terms. Selectors live here
// only, and they use the stable data-testid attributes and the inputs' field-id names.
import { after, before } from 'node:test';
import { startStaticServer } from '../../../scripts/serve-dist.mjs';

export const DIST = new URL('../../../dist/', import.meta.url).pathname;

export async function serveRelease() {
  return startStaticServer(DIST, 0);
}

/**
 * Serves the release build for the tests of one file: started before the first test, stopped
 * after the last. Read `.url` inside tests.
 */
export function serveReleaseForFile() {
  const served = { url: undefined, close: async () => {} };
  before(async () => {
    Object.assign(served, await serveRelease());
  });
  after(async () => {
    await served.close();
  });
  return served;
}

/** What one read-only request on a store of the app's IndexedDB answers: `method` is an
 * IDBObjectStore method (`get`, `count`, …) called with `args`. */
export function storeRequest(page, store, method, ...args) {
  return page.evaluate(
    ({ store, method, args }) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('verval');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const read = open.result.transaction(store).objectStore(store)[method](...args);
          read.onerror = () => reject(read.error);
          read.onsuccess = () => {
            open.result.close();
            resolve(read.result);
          };
        };
      }),
    { store, method, args },
  );
}

/** A value of the app's `meta` store in IndexedDB, as the phone keeps it (`undefined` when
 * there is none). */
export function storedMeta(page, key) {
  return storeRequest(page, 'meta', 'get', key);
}

/** Writes one value of the app's `meta` store, as the phone would have. */
export function putMeta(page, key, value) {
  return page.evaluate(
    ({ key, value }) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('verval');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('meta', 'readwrite');
          tx.objectStore('meta').put(value, key);
          tx.oncomplete = () => {
            open.result.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    { key, value },
  );
}

/** A phone with the district's keys and no PIN opens no page: it is sent to the lock page
 * to set one (issue #23). Sets `pin` there and waits for the page it was sent from. */
export async function setFirstPin(page, pin) {
  await page.waitForURL(/kunci\.html/);
  await page.getByTestId('pin-needed').waitFor();
  await page.locator('input[name=pin]').fill(pin);
  await page.locator('input[name=pin_ulang]').fill(pin);
  await page.getByTestId('set-pin').click();
  await page.waitForURL((url) => !url.pathname.endsWith('/kunci.html'));
}

export class HouseholdList {
  constructor(page, baseUrl) {
    this.page = page;
    this.baseUrl = baseUrl;
  }

  /** Opens the list. Waits for the list itself, not for the first page's load: a list
   * page that finds unsaved edits in the journal first sends the tab to the form page to
   * replay them, and comes back. */
  async open() {
    await this.page.goto(`${this.baseUrl}/`, { waitUntil: 'commit' });
    await this.page.getByTestId('household-count').waitFor();
    return this;
  }

  async count() {
    return Number(await this.page.getByTestId('household-count').getAttribute('data-count'));
  }

  rows() {
    return this.page.getByTestId('household-row');
  }

  async names() {
    return this.page.locator('[data-testid=household-row] .household-name').allInnerTexts();
  }

  async add() {
    await this.page.getByTestId('add-household').click();
    const form = new HouseholdForm(this.page);
    await form.waitOpen();
    return form;
  }

  async openRow(index) {
    await this.rows().nth(index).click();
    const form = new HouseholdForm(this.page);
    await form.waitOpen();
    return form;
  }
}

export class HouseholdForm {
  constructor(page) {
    this.page = page;
  }

  /** Waits for the app's form: not the page's prerendered first screen, whose form has no
   * record id and whose buttons do nothing until the app takes it over. */
  async waitOpen() {
    await this.page.locator('[data-testid=household-form][data-id]').waitFor();
  }

  input(field) {
    return this.page.locator(`[name="${field}"]`);
  }

  /** Opens, with a tap on its heading, the folded block of a member row that holds
   * `locator` (a block folds once complete). */
  async reveal(locator) {
    const block = locator.first().locator('xpath=ancestor::details[1]');
    if ((await block.count()) && !(await block.evaluate((d) => d.open))) {
      await block.locator(':scope > summary').click();
    }
  }

  async fill(field, value) {
    await this.reveal(this.input(field));
    await this.input(field).fill(value);
  }

  async value(field) {
    return this.input(field).inputValue();
  }

  async recordId() {
    return this.page.getByTestId('household-form').getAttribute('data-id');
  }

  async waitSaved() {
    await this.page.locator('[data-testid=save-status][data-state=saved]').waitFor();
  }

  issues(field) {
    return this.page.getByTestId(`issues-${field}`);
  }

  /** Opens section `letter` (A–I) of the form. */
  async section(letter) {
    await this.page.getByTestId(`section-${letter}`).click();
    await this.page.locator(`[data-testid=section-title]:text-matches("^${letter}\\.")`).waitFor();
    // The page scrolls the new section to its top once drawn: let that happen before a test
    // measures where anything is (a signature pad's box).
    await this.page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  }

  /** Chooses an answer code: a radio button, or an option of a drop-down. */
  async choose(field, code) {
    const radio = this.page.locator(`input[type=radio][name="${field}"][value="${code}"]`);
    await this.reveal(this.input(field));
    if (await radio.count()) await radio.check();
    else await this.page.locator(`select[name="${field}"]`).selectOption(code);
  }

  /** Ticks these codes of a several-answers question. */
  async tick(field, codes) {
    await this.reveal(this.input(field));
    for (const code of codes) await this.page.locator(`input[type=checkbox][name="${field}"][value="${code}"]`).check();
  }

  /** A date whose day or month may be 98: `YYYY-MM-DD`. */
  async partialDate(field, value) {
    const [year, month, day] = value.split('-');
    await this.reveal(this.input(field));
    await this.page.locator(`select[name="${field}_hari"]`).selectOption(day);
    await this.page.locator(`select[name="${field}_bulan"]`).selectOption(month);
    await this.page.locator(`input[name="${field}"]`).fill(year);
  }

  /** Adds a row to a repeat; the new row opens. */
  async addRow(repeat) {
    const before = await this.page.getByTestId(`row-${repeat}`).count();
    await this.page.getByTestId(`add-${repeat}`).click();
    await this.page.getByTestId(`row-${repeat}`).nth(before).locator('.row-editor').waitFor();
  }

  /** Fills answers given as [how, field, value] in order (relevance follows earlier ones). */
  async answer(steps) {
    for (const [how, field, value] of steps) {
      if (how === 'fill') await this.fill(field, value);
      else if (how === 'choose') await this.choose(field, value);
      else if (how === 'tick') await this.tick(field, value);
      else if (how === 'date') await this.input(field).fill(value);
      else if (how === 'partial-date') await this.partialDate(field, value);
      else throw new Error(`unknown step ${how}`);
    }
  }

  /** Asserts each answer given as [how, field, value] is on screen (the open section/row). */
  async expectAnswers(steps, assert) {
    for (const [how, field, value] of steps) {
      if (how === 'fill' || how === 'date') {
        assert.equal(await this.input(field).first().inputValue(), value, field);
      } else if (how === 'choose') {
        const radio = this.page.locator(`input[type=radio][name="${field}"][value="${value}"]`);
        if (await radio.count()) assert.ok(await radio.isChecked(), `${field} = ${value}`);
        else assert.equal(await this.page.locator(`select[name="${field}"]`).inputValue(), value, field);
      } else if (how === 'tick') {
        for (const code of value) {
          const box = this.page.locator(`input[type=checkbox][name="${field}"][value="${code}"]`);
          assert.ok(await box.isChecked(), `${field} includes ${code}`);
        }
      } else if (how === 'partial-date') {
        const [year, month, day] = value.split('-');
        assert.equal(await this.page.locator(`select[name="${field}_hari"]`).inputValue(), day, `${field} day`);
        assert.equal(await this.page.locator(`select[name="${field}_bulan"]`).inputValue(), month, `${field} month`);
        assert.equal(await this.page.locator(`input[name="${field}"]`).inputValue(), year, `${field} year`);
      }
    }
  }

  /** Opens row `index` (0-based) of a repeat. */
  async openRow(repeat, index) {
    const row = this.page.getByTestId(`row-${repeat}`).nth(index);
    if (!(await row.locator('.row-editor').count())) await row.locator('.row-title').click();
    await row.locator('.row-editor').waitFor();
  }

  async backToList(baseUrl) {
    await this.page.getByTestId('back-to-list').click();
    const list = new HouseholdList(this.page, baseUrl);
    await this.page.getByTestId('household-count').waitFor();
    return list;
  }
}
