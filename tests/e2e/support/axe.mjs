// axe-core (Deque, MPL-2.0, from npm) run in the page: WCAG 2.0, 2.1 A and AA, and the 2.2
// target-size rule. A page state passes when axe finds no violation at all.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The violations axe finds on the page as it is now, one line each: rule, then elements. */
export async function violations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    // Evaluated through the DevTools protocol, which the hub's Content-Security-Policy (no
    // inline script) does not govern; a <script> tag would be refused.
    await page.evaluate(AXE);
  }
  const results = await page.evaluate(() =>
    window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
      resultTypes: ['violations'],
    }),
  );
  return results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 6).join(', ')}`,
  );
}

/** How much wider than the viewport the page is, in CSS px (0: it fits). */
export function overflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/** Records in `found`, under `name`, the violations of one page state and a page wider than
 * the viewport (at 360 px nothing may scroll sideways but a table inside its own box). */
export async function check(page, name, found) {
  for (const line of await violations(page)) found.push(`${name}: ${line}`);
  const wider = await overflow(page);
  if (wider > 0) found.push(`${name}: ${wider} px wider than the viewport`);
}

/**
 * Interactive elements smaller than `min` × `min` CSS px, as `selector WxH` lines. A control
 * inside a label counts the label's box (a radio's whole row is its target); hidden elements
 * and those `allowed` (selector → the reason, kept beside the test) are left out.
 */
export async function smallTargets(page, allowed = {}, min = 48) {
  const exempt = Object.keys(allowed);
  return page.evaluate(
    ({ min, exempt }) => {
      const interactive = 'a[href], button, input, select, textarea, summary, [role=button], [tabindex="0"]';
      const describe = (e) =>
        `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${e.dataset.testid ? `[data-testid=${e.dataset.testid}]` : ''}${e.name ? `[name=${e.name}]` : ''}`;
      return [...document.querySelectorAll(interactive)]
        .filter((e) => !exempt.some((selector) => e.matches(selector)))
        .map((e) => {
          const target = e.closest('label') ?? e;
          const box = target.getBoundingClientRect();
          const shown = e.getClientRects().length > 0 || target !== e;
          return { e, box, shown: shown && box.width > 0 && getComputedStyle(target).visibility !== 'hidden' };
        })
        .filter(({ box, shown }) => shown && (box.width < min - 0.5 || box.height < min - 0.5))
        .map(({ e, box }) => `${describe(e)} ${Math.round(box.width)}x${Math.round(box.height)}`);
    },
    { min, exempt },
  );
}
