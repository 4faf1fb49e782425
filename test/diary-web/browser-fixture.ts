import fs from 'node:fs';
import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { type RunningServer, chromiumPath, startServer, startTrial, tempDataDir } from './web-helpers.js';

/** A phone-sized browser context: 390×844 CSS pixels, touch, scale 1 (what the screenshot is taken at). */
export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true };

export interface DiaryBrowser {
  /** The data directory (each patient has a trial running now). */
  dir: string;
  /** `scs diary serve --port 0` on that directory, as a child process. */
  server: RunningServer;
  /** Debian's Chromium driven by playwright-core (never a downloaded browser). */
  browser: Browser;
}

/**
 * The browser tests' shared set-up, registered as this file's beforeAll/afterAll: a data directory with
 * a trial for each patient, the diary server, and Chromium; all stopped and removed after the file.
 * The fields are filled once beforeAll has run.
 */
export function useDiaryBrowser(patients: readonly string[]): DiaryBrowser {
  const web = {} as DiaryBrowser;
  beforeAll(async () => {
    web.dir = tempDataDir();
    for (const p of patients) startTrial(web.dir, p);
    web.server = await startServer(web.dir);
    web.browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox'] });
  }, 120_000);
  afterAll(async () => {
    await web.browser?.close();
    web.server?.child.kill('SIGTERM');
    await web.server?.exited;
    if (web.dir) fs.rmSync(web.dir, { recursive: true, force: true });
  });
  return web;
}

/**
 * On the diary page: "Earlier (within the last 24 hours)" with the time `ms` typed into the picker as
 * the phone's local minute (seconds dropped, as the picker has none). Returns the minute picked.
 */
export async function pickEarlier(page: Page, ms: number): Promise<number> {
  const minute = new Date(ms);
  minute.setSeconds(0, 0);
  const local = await page.evaluate((t) => {
    const d = new Date(t);
    const p = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
  }, minute.getTime());
  await page.getByLabel('Earlier (within the last 24 hours)').check();
  await page.locator('#when-at').fill(local);
  return minute.getTime();
}
