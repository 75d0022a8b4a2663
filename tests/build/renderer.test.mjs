// Issue #27 item 4: the form renderer (src/components/form/) draws any form. What it knows of
// a form comes from the form model (a repeat's title question, a question locked when the
// record comes from a prelist, the form's region cascade), and photos and drawings are kept
// through the `Images` callbacks the page hands in. A renderer file naming the household
// form's own questions, or the phone's store, would draw one form only: it fails here.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const RENDERER = new URL('../../src/components/form/', import.meta.url).pathname;
const files = readdirSync(RENDERER).filter((n) => n.endsWith('.rs'));

// What the renderer must not name: the household form's definition and its field ids, and
// the phone's store (which pages own and hand in).
const FORBIDDEN = [
  [/\bform::default\b/, "the household form's definition"],
  [/\bDEFAULT_FORM\b/, 'the household form'],
  [/\bIdbStore\b/, "the phone's store"],
  [/\buse_store\b/, "the phone's store"],
  [/\bcrate::context\b/, "the app's shared values (the store among them)"],
  // Issue #25: district forms are drawn by the same inputs, each model filling their slots
  // in its own adapter (pages/dataform/), so the expression engine and the XLSForm model
  // stay off the household form's page.
  [/\bxlsform\b/, 'the XLSForm model'],
  [/\bdataform\b/, "the district forms' model or page"],
  [/\bexpr::/, 'the expression engine'],
];

test('the form renderer names no question of the household form and no store', () => {
  assert.ok(files.length >= 10, `renderer files: ${files}`);
  for (const file of files) {
    const text = readFileSync(join(RENDERER, file), 'utf8');
    for (const [pattern, what] of FORBIDDEN) {
      assert.doesNotMatch(text, pattern, `src/components/form/${file} names ${what}`);
    }
  }
});

// Issue #25: one renderer for both kinds of form. A district form's text, number, date,
// location and choice answers are the renderer's own inputs (`text_input`, `date_input`,
// `geopoint_input`, `choice_option`, `drop_down`) in its frame (`field_shell`), wired by the
// district page's adapter. The
// page drawing its own again would let the two forms drift apart (labels, hints, the error
// wiring for screen readers, number tidying).
const DISTRICT = new URL('../../src/pages/dataform/', import.meta.url).pathname;
const DRAWN_BY_THE_RENDERER = [
  [/<textarea\b/, 'a box of lines'],
  [/type="text"/, 'a text input'],
  [/type="date"/, 'a date input'],
  [/take-location/, 'a location input'],
  [/"radio"|"checkbox"/, 'a radio button or a box to tick'],
  [/<select\b/, 'a drop-down'],
  [/<output\b/, 'a calculated answer or a location'],
  [/<ul class="issues"/, "a question's list of issues (the renderer's field_shell)"],
  [/class="field"/, "a question's frame (the renderer's field_shell)"],
  [/<label\b/, "a question's or an answer's label"],
];

test("district forms draw their inputs and each question's frame with the renderer", () => {
  const pages = readdirSync(DISTRICT).filter((n) => n.endsWith('.rs'));
  assert.ok(pages.length >= 5, `district form files: ${pages}`);
  for (const file of pages) {
    const text = readFileSync(join(DISTRICT, file), 'utf8');
    for (const [pattern, what] of DRAWN_BY_THE_RENDERER) {
      assert.doesNotMatch(text, pattern, `src/pages/dataform/${file} draws ${what} itself`);
    }
  }
});
