import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

const CONTROL_ROLES = ['button', 'link', 'textbox', 'searchbox', 'combobox', 'checkbox', 'radio', 'spinbutton', 'switch', 'tab', 'option', 'menuitem'];

/**
 * The controls on the page that have no accessible name, read from Chromium's own accessibility tree (Playwright's
 * ARIA snapshot): an unnamed control is listed as `- button` rather than `- button "Save"`.
 */
export async function unnamedControls(page: Page): Promise<string[]> {
  const snapshot = await page.locator('body').ariaSnapshot();
  const unnamed = new RegExp(`^\\s*- (${CONTROL_ROLES.join('|')})(\\s*\\[[^\\]]*\\])?:?\\s*$`);
  return snapshot.split('\n').filter((line) => unnamed.test(line));
}

/** The accessible names of the elements that Tab reaches, in order, and whether each shows that it has the focus. */
export async function tabOrder(page: Page, presses: number): Promise<{ name: string; outlined: boolean }[]> {
  const order: { name: string; outlined: boolean }[] = [];
  for (let i = 0; i < presses; i++) {
    await page.keyboard.press('Tab');
    order.push(
      await page.evaluate(() => {
        const element = document.activeElement as HTMLElement;
        const forId = element.id ? document.querySelector(`label[for="${element.id}"]`)?.textContent : undefined;
        const label = element.getAttribute('aria-label') || forId || element.textContent || '';
        // Visible focus: an outline (ours, on :focus-visible), a focused Material form field (its border thickens), or
        // Material's keyboard-focus state layer.
        const outlined =
          getComputedStyle(element).outlineStyle !== 'none' || element.closest('.mat-focused') !== null || element.classList.contains('cdk-keyboard-focused');
        return { name: label.replace(/\s+/g, ' ').trim(), outlined };
      }),
    );
  }
  return order;
}

/** axe-core's source, evaluated in the page rather than loaded by URL: the console's CSP allows no foreign script. */
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The serious and critical violations axe-core finds on the page as it is now, one line each. */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((node) => node.target.join(' ')) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.targets.join(' | ')}`);
}
