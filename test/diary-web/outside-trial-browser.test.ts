/**
 * Issue 14, the phone page in a real browser (Debian's Chromium through playwright-core, phone viewport):
 * a patient whose trial ended 12 h ago sends "Pain 6" now. The README ("Patient diary on the web") says
 * such an entry is stored and flagged, never refused; the answer tells the patient in the invite's
 * language that it is kept but does not count; the sent list marks it; `scs diary evaluate` leaves it
 * out and names it. An entry the patient dates inside the trial is stored without the mark.
 */
import { describe, expect, it } from 'vitest';
import { formatInstant } from '../../src/diary/instant.js';
import { PHONE, pickEarlier, useDiaryBrowser } from './browser-fixture.js';
import { H, invite, scs, webEntries } from './web-helpers.js';

const web = useDiaryBrowser([]);

/** Sets a trial that started six days ago and ended 12 h ago, so an entry "now" lies after its end. */
function endedTrial(patient: string, now: number): void {
  const dates = ['--start', formatInstant(now - 6 * 24 * H, 0), '--end', formatInstant(now - 12 * H, 0)];
  expect(scs(['diary', 'trial', '--patient', patient, ...dates, '--data-dir', web.dir]).status).toBe(0);
}

async function phonePage(patient: string, lang: 'en' | 'zh-CN') {
  const context = await web.browser.newContext({ ...PHONE });
  const page = await context.newPage();
  await page.goto(invite(web.dir, patient, web.server.baseUrl, ['--lang', lang]));
  await page.locator('h1').waitFor();
  return { context, page };
}

describe('an entry outside the trial dates on the phone page (Chromium)', () => {
  it('is sent, stored and flagged; the patient reads why; an entry dated inside the trial is not flagged', async () => {
    const now = Date.now();
    endedTrial('W-1', now);
    const { context, page } = await phonePage('W-1', 'en');

    await page.getByRole('button', { name: /^Pain 6$/ }).click();
    await page.getByRole('button', { name: 'Send entry' }).click();
    const message = page.locator('#message');
    await expect.poll(() => message.textContent(), { timeout: 10_000 }).toMatch(/^Sent\. Thank you\. /);
    expect(await message.textContent()).toMatch(/outside your trial dates.*does not count towards the trial result/);
    expect(await message.isVisible()).toBe(true);
    // The sent list marks the entry, visibly, in the patient's words.
    const mark = page.locator('#sent li .outside-trial');
    await expect.poll(() => mark.count()).toBe(1);
    expect(await mark.isVisible()).toBe(true);
    expect(await mark.textContent()).toMatch(/outside your trial dates.*not counted/);
    expect(await page.locator('#sent li').first().textContent()).toContain('6');

    // Then one the patient dates 20 h ago, inside the trial: stored, no mark, no notice.
    await page.getByRole('button', { name: /^Pain 3$/ }).click();
    await pickEarlier(page, now - 20 * H);
    await page.getByRole('button', { name: 'Send entry' }).click();
    await expect.poll(() => message.textContent(), { timeout: 10_000 }).toBe('Sent. Thank you.');
    await expect.poll(() => page.locator('#sent li').count()).toBe(2);
    expect(await mark.count()).toBe(1);

    // Stored both (never refused); the evaluation counts only the inside one and names the other by id.
    const rows = await webEntries(web.dir, 'W-1');
    expect(rows.map((r) => [r.nrs, r.phase, r.source])).toEqual([
      [3, 'trial', 'web'],
      [6, 'trial', 'web'],
    ]);
    const outside = rows.find((r) => r.nrs === 6)!;
    const evaluation = JSON.parse(
      scs(['diary', 'evaluate', '--patient', 'W-1', '--json', '--data-dir', web.dir]).stdout,
    ) as { outsideTrial: { id: number; why: string }[]; trialNrs: { entries: number } };
    expect(evaluation.outsideTrial).toEqual([expect.objectContaining({ id: outside.id, why: 'after-trial-end' })]);
    expect(evaluation.trialNrs.entries).toBe(1);
    await context.close();
  }, 120_000);

  it('says it in the language of the invite (Simplified Chinese)', async () => {
    endedTrial('W-2', Date.now());
    const { context, page } = await phonePage('W-2', 'zh-CN');
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await page.locator('button[data-nrs="5"]').click();
    await page.locator('button[type="submit"]').click();
    await expect
      .poll(() => page.locator('#message').textContent(), { timeout: 10_000 })
      .toContain('不在您的试验日期内');
    const mark = page.locator('#sent li .outside-trial');
    await expect.poll(() => mark.count()).toBe(1);
    expect(await mark.textContent()).toContain('不在试验日期内');
    expect(await mark.isVisible()).toBe(true);
    expect(await webEntries(web.dir, 'W-2')).toHaveLength(1);
    await context.close();
  }, 120_000);
});
