import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const SCREENSHOTS = join(__dirname, '../screenshots');

/** Debian's Chromium (never a downloaded one), headless, with no network beyond this machine. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * The whole page. The console scrolls inside its sidenav content, which `fullPage` does not see: the viewport grows
 * to the content's height for the picture (not under a dialog, which is sized to the screen), then goes back.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const viewport = page.viewportSize();
  const contentBottom = await page.evaluate(() => {
    const content = document.querySelector('mat-sidenav-content');
    if (!content || document.querySelector('mat-dialog-container')) return 0;
    return Math.ceil(content.getBoundingClientRect().top + content.scrollHeight);
  });
  const grow = viewport !== null && contentBottom > viewport.height;
  if (grow) await page.setViewportSize({ width: viewport.width, height: contentBottom });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  if (grow) await page.setViewportSize(viewport);
}
