/**
 * The per-patient HTML report in a real browser: headless Chromium (Debian's `chromium`, installed by
 * scripts/ensure-chromium.sh when missing) loads the file with networking disabled and we read the
 * rendered DOM's text.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAuditLog } from '../../src/audit/audit-log.js';
import { sessionOpening } from '../../src/audit/session-audit-file.js';
import { GeneratorBindingStore } from '../../src/session/generator-binding-store.js';
import { DiaryStore } from '../../src/diary/diary-store.js';
import { parseInstant } from '../../src/diary/instant.js';
import type { OutcomeRegistry } from '../../src/outcomes/outcome-registry.js';
import { documentedPatient, PATIENT } from './export-fixture.js';
import { exportHtml as exportReport } from './html-report-kit.js';

const ROOT = path.join(import.meta.dirname, '..', '..');
let chromium: string;
let dir: string;
let registry: OutcomeRegistry;

beforeAll(async () => {
  chromium = execFileSync('bash', [path.join(ROOT, 'scripts', 'ensure-chromium.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 600_000,
  }).trim();
  ({ dir, registry } = await documentedPatient());
  await registry.close();
}, 610_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Loads `file` in headless Chromium and returns the rendered DOM (scripts would have run by then). */
function renderedDom(file: string): string {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-chromium-'));
  try {
    return execFileSync(
      chromium,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--no-first-run',
        `--user-data-dir=${profile}`,
        '--dump-dom',
        `file://${file}`,
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 60_000 },
    );
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

function textOf(dom: string): string {
  const body = dom.slice(dom.indexOf('<body'));
  return body
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

function exportHtml(extra: string[], dataDir = dir): Promise<string> {
  return exportReport(dataDir, extra);
}

describe('patient HTML report in headless Chromium', () => {
  it('renders the summary, diary chart, verdict with reasons, follow-up curve and complications', async () => {
    const dom = renderedDom(await exportHtml([]));
    const text = textOf(dom);
    expect(text).toContain(`SCS outcome report — patient ${PATIENT}`);
    expect(text).toContain('pain T7–T9 (3 dermatomes), side R');
    expect(text).toContain('hospital stay 18 days; direct cost 133700 CNY (2023 prices)');
    // Diary chart: the SVG made it into the DOM with its baseline, 30% line and window labels.
    expect(dom).toMatch(/<svg[^>]*class="chart diary-chart"/);
    expect(text).toContain('baseline 8');
    expect(text).toContain('30% reduction: NRS ≤ 5.6');
    expect(text).toContain('qualifying window');
    expect(text).toMatch(/SCS trial 2024-01-07: PASSED/);
    expect(text).toMatch(/Baseline NRS 8 = mean of 3 baseline-phase NRS entries/);
    expect(dom).toMatch(/<svg[^>]*class="chart followup-chart"/);
    expect(text).toMatch(/12m 2025-01-20 4 – 50%/);
    // Escaped in the file, shown literally by the browser: never interpreted as markup.
    expect(text).toContain('hardware, mild: lead migration <b>reprogrammed</b> & fine');
    expect(dom).not.toMatch(/<b>reprogrammed<\/b>/);
    expect(text).toContain('No programming session log was given');
  });

  it('shows the programming summary from an audit log, therapy fields only', async () => {
    const log = path.join(dir, 'session.audit.jsonl');
    const audit = openAuditLog(log, () => new Date('2024-01-01T09:00:00Z'));
    // The patient's session on their own generator (the export refuses any other log, issue 13).
    audit.append(sessionOpening(PATIENT, new Date('2024-01-01T09:00:00Z')));
    audit.append({ kind: 'link', status: 'connected', identity: null, binding: { serial: 'SN-42', proto: 2 } });
    const bindings = await GeneratorBindingStore.open({ dataDir: dir });
    await bindings.record(PATIENT, { serial: 'SN-42', proto: 2 });
    await bindings.close();
    const generator = {
      output: 'on',
      mode: 'therapy',
      rateHz: 50,
      pulseWidthUs: 300,
      amplitudeUa: 3200,
      contacts: '+-000000',
      batteryPct: 77,
      faults: [],
      committed: true,
      programRev: 4,
    };
    audit.append({ kind: 'decision', outcome: { intent: 'COMMIT', accepted: true, notices: [] }, generator });
    audit.append({ kind: 'applied', outcome: { intent: 'COMMIT', accepted: true, notices: [] }, generator });
    audit.close();
    const text = textOf(renderedDom(await exportHtml(['--audit-log', log])));
    expect(text).toContain('hash chain intact');
    expect(text).toContain('programs committed 1');
    expect(text).toContain('Last program: 50 Hz, 300 µs, 3.20 mA, contacts +-000000, committed');
    expect(text).not.toMatch(/battery|77 ?%/i);
  });

  it('has a legend for every chart and spaces the follow-up visits by time (issue 14)', async () => {
    const dom = renderedDom(await exportHtml([]));
    const text = textOf(dom);
    for (const item of [
      'NRS over time (diary entries, 0–10)',
      'baseline NRS 8 (mean of the baseline phase, or given)',
      '30% reduction line: entries at or below NRS 5.6 respond',
      'qualifying window (a responding run of ≥ the sustain time)',
      'grey dot: baseline-phase entry',
      'green dot: trial entry with ≥30% reduction',
      'red dot: trial entry without ≥30% reduction',
      'NRS 0–10 (left axis)',
      'PDI 0–70 (right axis)',
    ]) {
      expect(text).toContain(item);
    }
    expect(dom).toMatch(/<ul class="legend diary-legend">/);
    expect(dom).toMatch(/<ul class="legend followup-legend">/);
    // Visits 2024-01-01, 2024-01-21 and 2025-01-20: post-op is 20 of the 385 days from baseline to 12m.
    const followUp = dom.slice(dom.indexOf('class="chart followup-chart"'));
    const cx = [...followUp.matchAll(/<circle class="nrs-pt" cx="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(cx).toHaveLength(3);
    expect((cx[1]! - cx[0]!) / (cx[2]! - cx[0]!)).toBeCloseTo(20 / 385, 3);
    expect(text).toContain('time: 2024-01-01 to 2025-01-20, spaced by date');
    // The summary beside the verdict agrees with the reasons: the longest responding run, against 48 h.
    expect(text).toContain('Pain ≥30%: met; longest responding run 48 h (≥48 h needed)');
    expect(text).toContain('Pain ≥50%: met; longest responding run 48 h (≥48 h needed)');
  });

  it('draws the diary chart over the trial period once its dates are set, leaving an entry years later out (issue 14)', async () => {
    const other = await documentedPatient();
    try {
      const diary = await DiaryStore.beside(other.registry.store);
      await diary.setTrial(PATIENT, {
        start: parseInstant('2024-01-04T07:00Z'),
        end: parseInstant('2024-01-07T08:00Z'),
      });
      await diary.add(PATIENT, {
        at: parseInstant('2026-12-01T10:00+01:00'),
        recordedAt: null,
        phase: 'trial',
        nrs: 9,
        pdi: null,
        pdiDomains: null,
        activity: null,
        note: null,
      });
      await other.registry.close();
      const dom = renderedDom(await exportHtml([], other.dir));
      const chart = dom.slice(
        dom.indexOf('class="chart diary-chart"'),
        dom.indexOf('</svg>', dom.indexOf('class="chart diary-chart"')),
      );
      const dots = [...chart.matchAll(/<circle class="pt-[a-z]+" cx="([\d.]+)"[^>]*><title>([^<]+)<\/title>/g)];
      expect(dots.map((d) => d[2]!.slice(0, 10))).toEqual([
        '2024-01-04',
        '2024-01-04',
        '2024-01-05',
        '2024-01-05',
        '2024-01-06',
        '2024-01-06',
        '2024-01-07',
      ]);
      expect(chart).not.toMatch(/2026-12-01/);
      // The x axis is the trial period (73 h over the 632 px plot from x = 44): first entry at its start, last 1 h before its end.
      expect(Number(dots[0]![1])).toBeCloseTo(44, 0);
      expect(Number(dots.at(-1)![1])).toBeCloseTo(44 + (632 * 72) / 73, 0);
      expect(textOf(dom)).toMatch(
        /1 entry lies outside the trial 2024-01-04T07:00Z to 2024-01-07T08:00Z and took no part in the verdict: #\d+ 2026-12-01T10:00\+01:00/,
      );
    } finally {
      fs.rmSync(other.dir, { recursive: true, force: true });
    }
  });
});
