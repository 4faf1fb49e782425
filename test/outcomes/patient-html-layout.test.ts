/**
 * Issue 14's HTML report items checked where a reader sees them: the report laid out by Debian's
 * Chromium (playwright-core, never a downloaded browser), measured in rendered pixels and computed
 * styles, not by reading the file's text:
 * - every chart has a legend, each item visible, and each swatch drawn in the colour (and dash) of the
 *   chart element it names; "green/red/grey dot" are green, red and grey;
 * - the follow-up visits are spaced by time on screen (post-op 20 of the 385 days from baseline to 12m)
 *   and their labels stay readable (no two overlap, each centred under its visit);
 * - once the trial dates are set the diary chart draws the trial period: dashed edges at its start and
 *   end, the entries between them, labelled, with a legend item naming the dates;
 * - the longest responding run is shown beside the verdict, met and not met.
 */
import fs from 'node:fs';
import { type Browser, type Locator, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiaryStore } from '../../src/diary/diary-store.js';
import type { DiaryEntry } from '../../src/diary/entry.js';
import { parseInstant } from '../../src/diary/instant.js';
import { chromiumPath } from '../diary-web/web-helpers.js';
import { documentedPatient, PATIENT } from './export-fixture.js';
import { exportHtml } from './html-report-kit.js';

let browser: Browser;
const dirs: string[] = [];
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox'] });
}, 610_000);
afterAll(async () => {
  await browser?.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** The documented patient's report, changed first by `change` (on the diary beside its registry), open in Chromium. */
async function report(change?: (diary: DiaryStore) => Promise<void>): Promise<Page> {
  const { dir, registry } = await documentedPatient();
  dirs.push(dir);
  if (change) await change(await DiaryStore.beside(registry.store));
  await registry.close();
  const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  await page.goto(`file://${await exportHtml(dir)}`);
  return page;
}

type Box = { x: number; y: number; width: number; height: number };
async function box(l: Locator): Promise<Box> {
  const b = await l.boundingBox();
  expect(b, 'rendered with a size').not.toBeNull();
  return b!;
}
const centreX = (b: Box) => b.x + b.width / 2;
const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
// Run in the page; this project's TypeScript has no DOM library, hence the narrow casts.
type InPage = { getComputedStyle(e: unknown): Record<string, string> };
type Tagged = { getAttribute(name: string): string | null };
const style = (l: Locator, prop: 'stroke' | 'fill' | 'strokeDasharray'): Promise<string> =>
  l.evaluate((el, p) => (globalThis as unknown as InPage).getComputedStyle(el)[p]!, prop);
const classes = (l: Locator): Promise<(string | null)[]> =>
  l.evaluateAll((els) => els.map((e) => (e as unknown as Tagged).getAttribute('class')));
const rgb = (css: string) => css.match(/\d+/g)!.slice(0, 3).map(Number) as [number, number, number];

/** Each legend item of `chart` is visible, inside the page, and apart from the others. */
async function legendItems(page: Page, kind: 'diary' | 'followup'): Promise<Locator[]> {
  const items = await page.locator(`ul.${kind}-legend > li`).all();
  const boxes = await Promise.all(items.map(box));
  for (const [i, b] of boxes.entries()) {
    expect(await items[i]!.isVisible()).toBe(true);
    expect(b.x).toBeGreaterThanOrEqual(0);
    expect(b.x + b.width).toBeLessThanOrEqual(1000);
    for (const other of boxes.slice(i + 1)) expect(overlaps(b, other)).toBe(false);
  }
  return items;
}

/** The legend item whose text contains `words`, and its swatch (the drawn line, dot or band). */
async function legendSwatch(page: Page, kind: 'diary' | 'followup', words: string) {
  const item = page.locator(`ul.${kind}-legend > li`, { hasText: words });
  expect(await item.count(), `legend item "${words}"`).toBe(1);
  return item.locator('svg > *').first();
}

describe('patient HTML report laid out in Chromium (issue 14)', () => {
  it('has a legend for every chart whose swatches are drawn like the chart elements they name', async () => {
    const page = await report();
    const diary = page.locator('svg.diary-chart');
    expect(await legendItems(page, 'diary')).toHaveLength(7);
    for (const [words, chartEl, prop] of [
      ['NRS over time', 'path.series', 'stroke'],
      ['baseline NRS 8', 'line.baseline', 'stroke'],
      ['30% reduction line', 'line.responder', 'stroke'],
      ['qualifying window', 'rect.window', 'fill'],
      ['grey dot', 'circle.pt-baseline', 'fill'],
      ['green dot', 'circle.pt-responds', 'fill'],
      ['red dot', 'circle.pt-trial', 'fill'],
    ] as const) {
      const swatch = await legendSwatch(page, 'diary', words);
      const drawn = diary.locator(chartEl).first();
      expect(await drawn.count(), `${chartEl} drawn`).toBe(1);
      expect(await style(swatch, prop), words).toBe(await style(drawn, prop));
      expect(await style(swatch, 'strokeDasharray'), words).toBe(await style(drawn, 'strokeDasharray'));
    }
    // The colour words say what the eye sees.
    const [gr, gg, gb] = rgb(await style(await legendSwatch(page, 'diary', 'green dot'), 'fill'));
    expect(gg).toBeGreaterThan(gr + 40);
    expect(gg).toBeGreaterThan(gb + 40);
    const [rr, rg, rb] = rgb(await style(await legendSwatch(page, 'diary', 'red dot'), 'fill'));
    expect(rr).toBeGreaterThan(rg + 80);
    expect(rr).toBeGreaterThan(rb + 80);
    const grey = rgb(await style(await legendSwatch(page, 'diary', 'grey dot'), 'fill'));
    expect(Math.max(...grey) - Math.min(...grey)).toBeLessThan(16);
    // Every kind of dot the chart draws has its legend item.
    const dotKinds = new Set(await classes(diary.locator('circle')));
    const swatchKinds = await classes(page.locator('ul.diary-legend circle'));
    for (const k of dotKinds) expect(swatchKinds).toContain(k);

    expect(await legendItems(page, 'followup')).toHaveLength(2);
    const followUp = page.locator('svg.followup-chart');
    for (const [words, chartEl] of [
      ['NRS 0–10 (left axis)', 'path.nrs'],
      ['PDI 0–70 (right axis)', 'path.pdi'],
    ] as const) {
      const swatch = await legendSwatch(page, 'followup', words);
      const drawn = followUp.locator(chartEl);
      expect(await style(swatch, 'stroke'), words).toBe(await style(drawn, 'stroke'));
      expect(await style(swatch, 'strokeDasharray'), words).toBe(await style(drawn, 'strokeDasharray'));
    }
    expect(await style(await legendSwatch(page, 'followup', 'NRS'), 'stroke')).not.toBe(
      await style(await legendSwatch(page, 'followup', 'PDI'), 'stroke'),
    );
    await page.close();
  }, 120_000);

  it('spaces the follow-up visits by time on screen and keeps their labels apart, each under its visit', async () => {
    const page = await report();
    const chart = page.locator('svg.followup-chart');
    // Visits 2024-01-01 (baseline), 2024-01-21 (post-op), 2025-01-20 (12m): 20 and 385 days after baseline.
    const dots = await Promise.all((await chart.locator('circle.nrs-pt').all()).map(box));
    expect(dots).toHaveLength(3);
    const x = dots.map(centreX);
    expect((x[1]! - x[0]!) / (x[2]! - x[0]!)).toBeCloseTo(20 / 385, 2);
    expect(x[2]! - x[0]!).toBeGreaterThan(400); // a real width on screen, not a collapsed chart
    const labels = await chart.locator('text.visit-tick').all();
    expect(await Promise.all(labels.map((l) => l.textContent()))).toEqual(['baseline', 'post-op', '12m']);
    const boxes = await Promise.all(labels.map(box));
    const svg = await box(chart);
    for (const [i, b] of boxes.entries()) {
      expect(Math.abs(centreX(b) - x[i]!)).toBeLessThan(1.5);
      expect(b.y + b.height).toBeLessThanOrEqual(svg.y + svg.height + 0.5);
      for (const other of boxes.slice(i + 1)) expect(overlaps(b, other)).toBe(false);
    }
    const axisText = await box(chart.locator('text.axis-label', { hasText: 'spaced by date' }));
    for (const b of boxes) expect(overlaps(b, axisText)).toBe(false);
    await page.close();
  }, 120_000);

  it('draws the trial period once its dates are set: dashed edges at its start and end, labelled, in the legend', async () => {
    const page = await report(async (diary) => {
      await diary.setTrial(PATIENT, {
        start: parseInstant('2024-01-04T07:00Z'),
        end: parseInstant('2024-01-07T08:00Z'),
      });
      await diary.add(PATIENT, trialNrs('2026-12-01T10:00+01:00', 9)); // years later: outside, left out
    });
    const chart = page.locator('svg.diary-chart');
    const edges = await chart.locator('line.trial-edge').all();
    expect(edges).toHaveLength(2);
    const [start, end] = (await Promise.all(edges.map(box))).map(centreX) as [number, number];
    // The trial entries (2024-01-04 07:00 to 2024-01-07 07:00, every 12 h) sit between the edges, by time.
    const dots = (await Promise.all((await chart.locator('circle').all()).map(box))).map(centreX);
    expect(dots).toHaveLength(7);
    expect(dots[0]!).toBeCloseTo(start, 0);
    expect((dots.at(-1)! - start) / (end - start)).toBeCloseTo(72 / 73, 2);
    for (const d of dots) expect(d).toBeLessThanOrEqual(end);
    expect(await style(edges[0]!, 'strokeDasharray')).not.toBe('none');
    // Labelled above the plot, readable: apart from every other text of the chart.
    for (const [label, at] of [
      ['trial start', start],
      ['trial end', end],
    ] as const) {
      const text = chart.locator('text.trial-edge-label', { hasText: label });
      expect(await text.isVisible()).toBe(true);
      const b = await box(text);
      expect(Math.abs((label === 'trial start' ? b.x : b.x + b.width) - at)).toBeLessThan(1.5);
      for (const other of await chart.locator('text:not(.trial-edge-label)').all())
        expect(overlaps(b, await box(other)), `"${label}" overlaps "${await other.textContent()}"`).toBe(false);
    }
    const swatch = await legendSwatch(page, 'diary', 'trial period 2024-01-04T07:00Z to 2024-01-07T08:00Z');
    expect(await style(swatch, 'stroke')).toBe(await style(edges[0]!, 'stroke'));
    expect(await style(swatch, 'strokeDasharray')).toBe(await style(edges[0]!, 'strokeDasharray'));
    await page.close();
  }, 120_000);

  it('draws no trial period when the dates are not set', async () => {
    const page = await report();
    expect(await page.locator('svg.diary-chart line.trial-edge').count()).toBe(0);
    expect(await page.locator('ul.diary-legend > li', { hasText: 'trial period' }).count()).toBe(0);
    await page.close();
  }, 120_000);

  it('shows the longest responding run beside the verdict, met and not met', async () => {
    const met = await report();
    await runSummaries(met, [
      `Pain ≥30%: met; longest responding run 48 h (≥48 h needed); qualifying window ${WINDOW}`,
      `Pain ≥50%: met; longest responding run 48 h (≥48 h needed); qualifying window ${WINDOW}`,
    ]);
    await met.close();
    // An NRS 8 on 2024-01-06 at 13:00 breaks the run of NRS 4 (every 12 h from 2024-01-05 07:00 to
    // 2024-01-07 07:00) into 24 h (to 2024-01-06 07:00) and 12 h (from 19:00): 24 h short of 48 h.
    const broken = await report((diary) => diary.add(PATIENT, trialNrs('2024-01-06T13:00Z', 8)).then(() => undefined));
    await runSummaries(broken, [
      'Pain ≥30%: not met; longest responding run 24 h, 24 h short of the 48 h needed',
      'Pain ≥50%: not met; longest responding run 24 h, 24 h short of the 48 h needed',
    ]);
    await broken.close();
  }, 120_000);
});

/** The fixture's trial NRS 4 entries every 12 h, as written (export-fixture.ts). */
const WINDOW = '2024-01-05T07:00:00.000+00:00 to 2024-01-07T07:00:00.000+00:00';

function trialNrs(at: string, nrs: number): DiaryEntry {
  const e = { at: parseInstant(at), recordedAt: null, phase: 'trial' as const, nrs, pdi: null, pdiDomains: null };
  return { ...e, activity: null, note: null };
}

/** The run summaries are visible, in the "Trial verdict" section, below the verdict line. */
async function runSummaries(page: Page, expected: string[]): Promise<void> {
  const lines = await page.locator('p.run-summary').all();
  expect(await Promise.all(lines.map((l) => l.innerText()))).toEqual(expected);
  const verdict = await box(page.locator('p', { hasText: /^SCS trial 2024-01-07:/ }));
  const heading = await box(page.locator('h2', { hasText: 'Trial verdict' }));
  const next = await box(page.locator('h2', { hasText: 'Procedures' }));
  for (const l of lines) {
    expect(await l.isVisible()).toBe(true);
    const b = await box(l);
    expect(b.y).toBeGreaterThan(Math.max(heading.y, verdict.y));
    expect(b.y).toBeLessThan(next.y);
  }
}
