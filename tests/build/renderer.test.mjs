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
