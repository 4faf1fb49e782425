/**
 * Accessibility of the patient's pages, checked by axe-core injected into Debian's Chromium at a
 * phone viewport (WCAG 2.1 A/AA rules, contrast included): no serious or critical violation on the
 * diary page in English and in Simplified Chinese, nor on the plain "link ended" page. Keyboard use:
 * every control is reached with Tab and an NRS button is pressed with Enter.
 */
import axe from 'axe-core';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PHONE, useDiaryBrowser } from './browser-fixture.js';
import { invite, scs } from './web-helpers.js';

const web = useDiaryBrowser(['A-1', 'A-2', 'A-3']);

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Serious and critical violations on the page (evaluated over DevTools, so the page's CSP allows it). */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(axe.source);
  const violations = (await page.evaluate(
    "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }).then(r => r.violations)",
  )) as AxeViolation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

describe('accessibility of the patient diary (axe-core in Chromium)', () => {
  for (const [patient, lang, title] of [
    ['A-1', 'en', 'My pain diary'],
    ['A-2', 'zh-CN', '我的疼痛日记'],
  ] as const) {
    it(`the diary page in ${lang} has no serious or critical violation`, async () => {
      const context = await web.browser.newContext(PHONE);
      const page = await context.newPage();
      await page.goto(invite(web.dir, patient, web.server.baseUrl, ['--lang', lang]));
      await expect.poll(() => page.locator('h1').textContent()).toBe(title);
      expect(await page.getAttribute('html', 'lang')).toBe(lang);
      expect(await seriousViolations(page)).toEqual([]);
      await context.close();
    }, 60_000);
  }

  it('the "link ended" page has none either', async () => {
    const context = await web.browser.newContext(PHONE);
    const page = await context.newPage();
    const link = invite(web.dir, 'A-3', web.server.baseUrl);
    expect(scs(['diary', 'invite', '--revoke', '--patient', 'A-3', '--data-dir', web.dir]).status).toBe(0);
    await page.goto(link);
    await expect.poll(() => page.locator('body').textContent()).toContain('call your clinic');
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  }, 60_000);

  it('is operable with the keyboard: Tab reaches the NRS buttons, Enter presses one', async () => {
    const context = await web.browser.newContext(PHONE);
    const page = await context.newPage();
    await page.goto(invite(web.dir, 'A-1', web.server.baseUrl));
    await page.locator('h1').waitFor();
    let focused = '';
    for (let i = 0; i < 20 && focused !== 'Pain 7'; i++) {
      await page.keyboard.press('Tab');
      focused = (await page.evaluate(
        "document.activeElement && document.activeElement.getAttribute('aria-label')",
      )) as string;
    }
    expect(focused).toBe('Pain 7');
    await page.keyboard.press('Enter');
    expect(await page.getAttribute('button[data-nrs="7"]', 'aria-pressed')).toBe('true');
    await context.close();
  }, 60_000);
});
