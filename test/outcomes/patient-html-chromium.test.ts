/**
 * The per-patient HTML report in a real browser: headless Chromium (Debian's `chromium`, installed by
 * scripts/ensure-chromium.sh when missing) loads the file with networking disabled and we read the
 * rendered DOM's text.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAuditLog } from '../../src/audit/audit-log.js';
import patientCommand from '../../src/cli/patient-command.js';
import type { OutcomeRegistry } from '../../src/outcomes/outcome-registry.js';
import { documentedPatient, PATIENT } from './export-fixture.js';

const ROOT = path.join(import.meta.dirname, '..', '..');
let chromium: string;
let dir: string;
let registry: OutcomeRegistry;

beforeAll(() => {
  chromium = execFileSync('bash', [path.join(ROOT, 'scripts', 'ensure-chromium.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 600_000 }).trim();
  ({ dir, registry } = documentedPatient());
  registry.close();
}, 610_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Loads `file` in headless Chromium and returns the rendered DOM (scripts would have run by then). */
function renderedDom(file: string): string {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-chromium-'));
  try {
    return execFileSync(
      chromium,
      ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', `--user-data-dir=${profile}`, '--dump-dom', `file://${file}`],
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

async function exportHtml(extra: string[]): Promise<string> {
  const out = path.join(dir, `report-${extra.length}.html`);
  const io = { stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough(), env: {} };
  await patientCommand.run(['export', '--patient', PATIENT, '--format', 'html', '--out', out, '--data-dir', dir, ...extra], io);
  expect(fs.statSync(out).mode & 0o777).toBe(0o600);
  return out;
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
    const generator = { output: 'on', mode: 'therapy', rateHz: 50, pulseWidthUs: 300, amplitudeUa: 3200, contacts: '+-000000', batteryPct: 77, faults: [], committed: true, programRev: 4 };
    audit.append({ kind: 'decision', outcome: { intent: 'COMMIT', accepted: true, notices: [] }, generator });
    audit.append({ kind: 'applied', outcome: { intent: 'COMMIT', accepted: true, notices: [] }, generator });
    audit.close();
    const text = textOf(renderedDom(await exportHtml(['--audit-log', log])));
    expect(text).toContain('hash chain intact');
    expect(text).toContain('programs committed 1');
    expect(text).toContain('Last program: 50 Hz, 300 µs, 3.20 mA, contacts +-000000, committed');
    expect(text).not.toMatch(/battery|77 ?%/i);
  });
});
