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
