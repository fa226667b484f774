// axe-core (npm, pinned) in the page tests: the accessibility engine runs in the page (shadow roots
// included) and the serious or critical WCAG 2 A/AA violations come back, each with its targets.

import { readFileSync } from 'node:fs';

const source = readFileSync('node_modules/axe-core/axe.min.js', 'utf8');

/** The serious and critical violations on the page as it is now: `[{id, impact, help, targets}]`. */
export async function violations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(source);
  const result = await page.evaluate(() =>
    window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'], resultTypes: ['violations'] }),
  );
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target) }));
}
