import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/**
 * axe-core injected into the page open in a real browser: the serious and critical violations it
 * finds, one line each (rule, help, the first elements). Rules in ALWAYS count whatever axe's
 * impact for them (issue 12's forms and tables: minor for axe, not for a reader).
 */
const AXE_SOURCE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const ALWAYS = ['empty-table-header', 'label', 'select-name', 'th-has-data-cells', 'duplicate-id-aria'];

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; html: string }[];
}

export async function axeScan(page: Page): Promise<string[]> {
  const tag = await page.addScriptTag({ path: AXE_SOURCE });
  const violations = await page.evaluate<Violation[]>(
    `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target, html: n.html.slice(0, 160) })) })))`,
  );
  await tag.evaluate((el) => el.remove()); // the page's HTML as the app sent it, for a failure's copy
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical' || ALWAYS.includes(v.id))
    .map((v) => `${v.impact} ${v.id} (${v.help}): ${v.nodes.map((n) => `${n.target.join(' ')} ${n.html}`).join(' | ')}`);
}
