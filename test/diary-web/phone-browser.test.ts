/**
 * The patient's diary in a real browser: playwright-core driving Debian's Chromium (never a downloaded
 * browser) at a phone viewport against `scs diary serve` as a child process. Checks what the issue
 * asks for: the link becomes a cookie and leaves the address bar, NRS + PDI arrive, entries made
 * offline arrive exactly once when the network is back, with the right described and recorded times.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PHONE, pickEarlier, useDiaryBrowser } from './browser-fixture.js';
import { H, ROOT, invite, startTrial, webEntries } from './web-helpers.js';

const SCREENSHOT = path.join(ROOT, 'docs', 'diary-web-phone.png');
const web = useDiaryBrowser(['P-017', 'P-018']);

async function enrolledPage(patient: string, extra: string[] = []) {
  const context = await web.browser.newContext({ ...PHONE });
  const page = await context.newPage();
  const link = invite(web.dir, patient, web.server.baseUrl, extra);
  await page.goto(link);
  return { context, page, link };
}

describe('patient diary page in Chromium at 390×844', () => {
  it('enrols with the link, then stores NRS + PDI, and offline entries exactly once with their times', async () => {
    const { context, page, link } = await enrolledPage('P-017');
    const foreign: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(web.server.baseUrl)) foreign.push(r.url());
    });
    // The token is gone from the address bar and exchanged for an HttpOnly SameSite=Strict cookie.
    expect(page.url()).toBe(`${web.server.baseUrl}/`);
    const token = link.split('/').pop()!;
    const cookies = await context.cookies();
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatchObject({ httpOnly: true, sameSite: 'Strict', secure: false });
    expect(cookies[0]!.value).not.toBe(token);
    expect(await page.evaluate('document.cookie')).toBe('');

    // First entry, online: NRS 6 and the seven PDI domains (total 5+4+6+3+2+1+0 = 21).
    const t1 = Date.now();
    await page.getByRole('button', { name: /^Pain 6$/ }).click();
    const domains = [5, 4, 6, 3, 2, 1, 0];
    const selects = page.locator('select[data-pdi]');
    for (let i = 0; i < 7; i++) await selects.nth(i).selectOption(String(domains[i]));
    await expect.poll(() => page.locator('#pdi-total').textContent()).toBe('Total: 21 of 70');
    await page.getByRole('button', { name: 'Send entry' }).click();
    await expect.poll(() => page.locator('#message').textContent(), { timeout: 10_000 }).toBe('Sent. Thank you.');
    expect(await webEntries(web.dir, 'P-017')).toHaveLength(1);

    // Offline: two more entries stay on the phone.
    await context.setOffline(true);
    const t2 = Date.now();
    await page.getByRole('button', { name: /^Pain 5$/ }).click();
    await page.getByRole('button', { name: 'Send entry' }).click();
    await expect.poll(() => page.locator('#message').textContent()).toContain('Saved on this phone');
    // The second offline entry describes a time three hours ago, picked by the patient.
    await page.getByRole('button', { name: /^Pain 4$/ }).click();
    const earlier = await pickEarlier(page, Date.now() - 3 * H);
    await page.getByLabel('Yes, it improved').check();
    await page.getByRole('button', { name: 'Send entry' }).click();
    await expect.poll(() => page.locator('#sent li[data-queued]').count()).toBe(2);
    expect(await webEntries(web.dir, 'P-017')).toHaveLength(1);
    await page.waitForTimeout(500);
    expect(await webEntries(web.dir, 'P-017')).toHaveLength(1);

    // Back online: both arrive, each once.
    const online = Date.now();
    await context.setOffline(false);
    await expect.poll(async () => (await webEntries(web.dir, 'P-017')).length, { timeout: 20_000 }).toBe(3);
    await expect.poll(() => page.locator('#sent li[data-queued]').count(), { timeout: 10_000 }).toBe(0);
    const stored = (await webEntries(web.dir, 'P-017')).sort((a, b) => a.id - b.id);
    expect(stored.map((e) => e.source)).toEqual(['web', 'web', 'web']);
    expect(new Set(stored.map((e) => e.uuid)).size).toBe(3);
    const [first, second, third] = stored as [(typeof stored)[0], (typeof stored)[0], (typeof stored)[0]];
    expect(first).toMatchObject({ nrs: 6, pdi: 21, pdiDomains: domains, phase: 'trial' });
    expect(second).toMatchObject({ nrs: 5, pdi: null });
    expect(third).toMatchObject({ nrs: 4, activity: 'improved' });
    // Described times: "now" when made (to the second), or exactly the picked minute.
    expect(first.at.ms).toBeGreaterThanOrEqual(Math.floor(t1 / 1000) * 1000);
    expect(first.at.ms).toBeLessThanOrEqual(first.recordedAt.ms);
    expect(second.at.ms).toBeGreaterThanOrEqual(Math.floor(t2 / 1000) * 1000);
    expect(second.at.ms).toBeLessThan(online);
    expect(third.at.ms).toBe(earlier);
    // Recorded times: when the server received them, i.e. after the network came back.
    expect(second.recordedAt.ms).toBeGreaterThanOrEqual(Math.floor(online / 1000) * 1000);
    expect(third.recordedAt.ms).toBeGreaterThanOrEqual(Math.floor(online / 1000) * 1000);
    expect(foreign).toEqual([]);
    await context.close();
  }, 120_000);

  it('a send whose answer is lost is retried with the same UUID and stored once', async () => {
    const { context, page } = await enrolledPage('P-018');
    let dropped = 0;
    // The server stores the entry, but the phone never sees the answer (as on a flaky network).
    await page.route('**/api/entries', async (route) => {
      if (route.request().method() === 'POST' && dropped === 0) {
        dropped++;
        await route.fetch();
        await route.abort('connectionreset');
      } else await route.continue();
    });
    await page.getByRole('button', { name: /^Pain 3$/ }).click();
    await page.getByRole('button', { name: 'Send entry' }).click();
    await expect.poll(() => page.locator('#message').textContent()).toContain('Saved on this phone');
    expect(await webEntries(web.dir, 'P-018')).toHaveLength(1);
    // The browser reports online again: the queue is sent again, same UUID.
    await context.setOffline(true);
    await context.setOffline(false);
    await expect.poll(() => page.locator('#sent li[data-queued]').count(), { timeout: 20_000 }).toBe(0);
    expect(dropped).toBe(1);
    const stored = await webEntries(web.dir, 'P-018');
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ nrs: 3, source: 'web' });
    await context.close();
  }, 120_000);

  it("another patient's browser neither sees nor writes this diary", async () => {
    const a = await enrolledPage('P-017');
    const before = (await webEntries(web.dir, 'P-017')).length;
    startTrial(web.dir, 'P-020');
    const b = await enrolledPage('P-020');
    // B's page lists only B's (no) entries, though P-017 has several.
    await expect.poll(() => b.page.locator('#sent').textContent()).toBe('Nothing sent yet.');
    const list = await b.page.request.get(`${web.server.baseUrl}/api/entries`);
    expect((await list.json()).entries).toEqual([]);
    await b.page.getByRole('button', { name: /^Pain 1$/ }).click();
    await b.page.getByRole('button', { name: 'Send entry' }).click();
    await expect.poll(async () => (await webEntries(web.dir, 'P-020')).length, { timeout: 10_000 }).toBe(1);
    expect(await webEntries(web.dir, 'P-017')).toHaveLength(before);
    // A's page does not show B's entry either.
    await a.page.reload();
    await expect.poll(() => a.page.locator('#sent li').count()).toBe(before);
    expect(await a.page.locator('#sent').textContent()).not.toContain('Pain 1');
    await a.context.close();
    await b.context.close();
  }, 60_000);

  it('keeps a 390×844 screenshot of the page under docs/', async () => {
    startTrial(web.dir, 'P-019');
    const { context, page } = await enrolledPage('P-019');
    await page.getByRole('button', { name: /^Pain 4$/ }).click();
    await page.locator('select[data-pdi]').first().selectOption('5');
    const shot = await page.screenshot({ fullPage: false });
    if (process.env.SCS_UPDATE_SCREENSHOTS === '1') fs.writeFileSync(SCREENSHOT, shot);
    const kept = fs.readFileSync(SCREENSHOT);
    // PNG header: width and height at bytes 16 and 20.
    expect(kept.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect([kept.readUInt32BE(16), kept.readUInt32BE(20)]).toEqual([390, 844]);
    expect([shot.readUInt32BE(16), shot.readUInt32BE(20)]).toEqual([390, 844]);
    await context.close();
  }, 60_000);
});
