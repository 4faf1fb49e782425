import type { ChartData } from '../../diary/chart-data.js';
import type { FollowUpWithRelief } from '../patient-record.js';

export function esc(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const W = 720;
const H = 260;
const PAD = { left: 44, right: 44, top: 16, bottom: 36 };
const plotW = W - PAD.left - PAD.right;
const plotH = H - PAD.top - PAD.bottom;

function yNrs(v: number): number {
  return PAD.top + plotH * (1 - v / 10);
}

function fmt(x: number): string {
  return Number(x.toFixed(2)).toString();
}

function hLine(y: number, cls: string, label: string): string {
  return `<line class="${cls}" x1="${PAD.left}" x2="${W - PAD.right}" y1="${fmt(y)}" y2="${fmt(y)}"/><text class="${cls}-label" x="${W - PAD.right - 4}" y="${fmt(y - 4)}" text-anchor="end">${esc(label)}</text>`;
}

function nrsAxis(): string {
  const ticks = [0, 2, 4, 6, 8, 10].map(
    (v) => `<text class="tick" x="${PAD.left - 6}" y="${fmt(yNrs(v) + 4)}" text-anchor="end">${v}</text>`,
  );
  return `<line class="axis" x1="${PAD.left}" x2="${PAD.left}" y1="${PAD.top}" y2="${PAD.top + plotH}"/>${ticks.join('')}<text class="axis-label" x="12" y="${PAD.top + plotH / 2}" transform="rotate(-90 12 ${PAD.top + plotH / 2})" text-anchor="middle">NRS</text>`;
}

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** One legend item: a small swatch (an SVG line, dashed line, dot or band) and its meaning. */
function legendItem(swatch: string, label: string): string {
  return `<li><svg xmlns="http://www.w3.org/2000/svg" width="28" height="12" viewBox="0 0 28 12" aria-hidden="true">${swatch}</svg> ${esc(label)}</li>`;
}
const swatchLine = (cls: string) => `<line class="${cls}" x1="1" x2="27" y1="6" y2="6"/>`;
const swatchDot = (cls: string) => `<circle class="${cls}" cx="14" cy="6" r="4"/>`;

function legend(kind: string, items: string[]): string {
  return `<ul class="legend ${kind}-legend">${items.join('')}</ul>`;
}

/** What the diary chart's lines, band and dot colours mean. */
export function diaryLegend(c: ChartData): string {
  const items = [legendItem(swatchLine('series'), 'NRS over time (diary entries, 0–10)')];
  if (c.baseline !== null)
    items.push(
      legendItem(swatchLine('baseline'), `baseline NRS ${fmt(c.baseline)} (mean of the baseline phase, or given)`),
    );
  if (c.responderLine !== null)
    items.push(
      legendItem(
        swatchLine('responder'),
        `${c.percent}% reduction line: entries at or below NRS ${fmt(c.responderLine)} respond`,
      ),
    );
  if (c.trialPeriod)
    items.push(
      legendItem(
        '<line class="trial-edge" x1="14" x2="14" y1="0" y2="12"/>',
        `trial period ${c.trialPeriod.start ?? '(start not set)'} to ${c.trialPeriod.end ?? '(end not set)'} (dashed edges): the time axis spans it, entries outside it are left out`,
      ),
    );
  items.push(
    legendItem(
      '<rect class="window" x="1" y="1" width="26" height="10"/>',
      'qualifying window (a responding run of ≥ the sustain time)',
    ),
    legendItem(swatchDot('pt-baseline'), 'grey dot: baseline-phase entry'),
    legendItem(swatchDot('pt-responds'), `green dot: trial entry with ≥${c.percent}% reduction`),
    legendItem(swatchDot('pt-trial'), `red dot: trial entry without ≥${c.percent}% reduction`),
  );
  return legend('diary', items);
}

/** The trial period's edges where its dates are set: dashed verticals, labelled above the plot. */
function trialEdges(c: ChartData, x: (ms: number) => number): string {
  const edge = (ms: number | null | undefined, label: string, anchor: 'start' | 'end') =>
    ms === null || ms === undefined
      ? ''
      : `<line class="trial-edge" x1="${fmt(x(ms))}" x2="${fmt(x(ms))}" y1="${PAD.top}" y2="${PAD.top + plotH}"/><text class="trial-edge-label" x="${fmt(x(ms))}" y="${PAD.top - 4}" text-anchor="${anchor}">${label}</text>`;
  return edge(c.trialPeriod?.startMs, 'trial start', 'start') + edge(c.trialPeriod?.endMs, 'trial end', 'end');
}

/**
 * Inline SVG charts for the patient report (pure strings, no script): the trial diary with its
 * baseline, the responder line and the qualifying window — all taken from the diary's chartData,
 * never recomputed — and the follow-up curve of NRS and PDI over time. Each chart has a legend
 * saying which line and which dot is what.
 *
 * The trial diary chart; `title` is read by screen readers and shown as a tooltip.
 */
export function diaryChartSvg(c: ChartData): string {
  if (!c.range || c.points.length === 0) return '<p class="empty">No diary NRS entries.</p>';
  const span = Math.max(c.range.endMs - c.range.startMs, 3_600_000);
  const x = (ms: number) => PAD.left + (plotW * (ms - c.range!.startMs)) / span;
  const parts: string[] = [
    `<title>Trial diary NRS with baseline, ${c.percent}% line and qualifying window</title>`,
    nrsAxis(),
    trialEdges(c, x),
  ];
  if (c.window) {
    const x0 = x(c.window.startMs);
    parts.push(
      `<rect class="window" x="${fmt(x0)}" y="${PAD.top}" width="${fmt(Math.max(x(c.window.endMs) - x0, 2))}" height="${plotH}"><title>qualifying window ${esc(c.window.start)} – ${esc(c.window.end)}</title></rect>`,
    );
    parts.push(`<text class="window-label" x="${fmt(x0 + 4)}" y="${PAD.top + 12}">qualifying window</text>`);
  }
  if (c.baseline !== null) parts.push(hLine(yNrs(c.baseline), 'baseline', `baseline ${fmt(c.baseline)}`));
  if (c.responderLine !== null)
    parts.push(hLine(yNrs(c.responderLine), 'responder', `${c.percent}% reduction: NRS ≤ ${fmt(c.responderLine)}`));
  const path = c.points.map((p, i) => `${i ? 'L' : 'M'}${fmt(x(p.ms))} ${fmt(yNrs(p.nrs))}`).join(' ');
  parts.push(`<path class="series" d="${path}"/>`);
  for (const p of c.points) {
    parts.push(
      `<circle class="${p.phase === 'baseline' ? 'pt-baseline' : p.responds ? 'pt-responds' : 'pt-trial'}" cx="${fmt(x(p.ms))}" cy="${fmt(yNrs(p.nrs))}" r="3.5"><title>${esc(p.at)}: NRS ${p.nrs}</title></circle>`,
    );
  }
  parts.push(
    `<text class="tick" x="${PAD.left}" y="${H - 10}">${day(c.range.startMs)}</text><text class="tick" x="${W - PAD.right}" y="${H - 10}" text-anchor="end">${day(c.range.endMs)}</text>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" role="img" class="chart diary-chart">${parts.join('')}</svg>${diaryLegend(c)}`;
}

/**
 * Where each visit sits in time, in days: by its date when every visit has one, else by the schedule
 * (baseline one month before surgery, post-op at 0, month visits at their month, `final` a year after
 * the last month visit). Visits are then spaced by time, not evenly.
 */
export function visitTimes(visits: readonly FollowUpWithRelief[]): { days: number[]; unit: 'date' | 'schedule' } {
  if (visits.every((v) => v.date !== null)) {
    const ms = visits.map((v) => Date.parse(`${v.date}T00:00:00Z`));
    return { days: ms.map((m) => (m - ms[0]!) / 86_400_000), unit: 'date' };
  }
  const lastMonth = Math.max(0, ...visits.map((v) => v.visit.months ?? 0));
  const months = visits.map((v) =>
    v.visit.kind === 'baseline'
      ? -1
      : v.visit.kind === 'post-op'
        ? 0
        : v.visit.kind === 'final'
          ? lastMonth + 12
          : v.visit.months!,
  );
  return { days: months.map((m) => m * 30.44), unit: 'schedule' };
}

/** Height of one more row of visit labels. */
const ROW = 15;

/**
 * The row (0, 1, …) for each centred visit label so that no two labels on a row overlap: visits spaced
 * by time can sit close together (baseline and post-op are weeks apart on a year's axis). Widths are
 * estimated generously (6.5 units a character at the 11 px tick font).
 */
export function labelRows(xs: readonly number[], labels: readonly string[]): number[] {
  const rightEdges: number[] = [];
  return xs.map((x, i) => {
    const half = (labels[i]!.length * 6.5) / 2 + 3;
    let row = rightEdges.findIndex((edge) => edge <= x - half);
    if (row === -1) row = rightEdges.length;
    rightEdges[row] = x + half;
    return row;
  });
}

/** NRS (left axis, 0–10) and PDI (right axis, 0–70) over time: by date, or by the schedule's months. */
export function followUpChartSvg(visits: readonly FollowUpWithRelief[]): string {
  if (visits.length === 0) return '<p class="empty">No follow-up visits recorded.</p>';
  const { days, unit } = visitTimes(visits);
  const t0 = Math.min(...days);
  const span = Math.max(...days) - t0;
  const x = (i: number) => PAD.left + (span > 0 ? (plotW * (days[i]! - t0)) / span : plotW / 2);
  const yPdi = (v: number) => PAD.top + plotH * (1 - v / 70);
  const parts: string[] = [
    `<title>Follow-up NRS and PDI over time (${unit === 'date' ? 'by visit date' : 'by scheduled month'})</title>`,
    nrsAxis(),
  ];
  parts.push(
    `<line class="axis" x1="${W - PAD.right}" x2="${W - PAD.right}" y1="${PAD.top}" y2="${PAD.top + plotH}"/>`,
  );
  for (const v of [0, 35, 70])
    parts.push(`<text class="tick" x="${W - PAD.right + 6}" y="${fmt(yPdi(v) + 4)}">${v}</text>`);
  parts.push(
    `<text class="axis-label" x="${W - 10}" y="${PAD.top + plotH / 2}" transform="rotate(90 ${W - 10} ${PAD.top + plotH / 2})" text-anchor="middle">PDI</text>`,
  );
  const line = (pick: (f: FollowUpWithRelief) => number | null, y: (v: number) => number, cls: string) => {
    const pts = visits.map((f, i) => [i, pick(f)] as const).filter(([, v]) => v !== null) as [number, number][];
    if (pts.length === 0) return;
    parts.push(
      `<path class="${cls}" d="${pts.map(([i, v], k) => `${k ? 'L' : 'M'}${fmt(x(i))} ${fmt(y(v))}`).join(' ')}"/>`,
    );
    for (const [i, v] of pts)
      parts.push(
        `<circle class="${cls}-pt" cx="${fmt(x(i))}" cy="${fmt(y(v))}" r="3.5"><title>${esc(visits[i]!.visit.label)}: ${cls.toUpperCase()} ${v}</title></circle>`,
      );
  };
  line((f) => f.nrs, yNrs, 'nrs');
  line((f) => f.pdi, yPdi, 'pdi');
  const rows = labelRows(
    visits.map((_, i) => x(i)),
    visits.map((f) => f.visit.label),
  );
  visits.forEach((f, i) =>
    parts.push(
      `<text class="tick visit-tick" x="${fmt(x(i))}" y="${H - 16 + ROW * rows[i]!}" text-anchor="middle">${esc(f.visit.label)}</text>`,
    ),
  );
  const height = H + ROW * Math.max(...rows);
  const axisText =
    unit === 'date'
      ? `time: ${visits[0]!.date} to ${visits[visits.length - 1]!.date}, spaced by date`
      : 'time: months on the follow-up schedule (visit dates not all recorded)';
  parts.push(
    `<text class="axis-label" x="${PAD.left + plotW / 2}" y="${height - 2}" text-anchor="middle">${esc(axisText)}</text>`,
  );
  const items = [
    legendItem(swatchLine('nrs'), 'NRS 0–10 (left axis)'),
    legendItem(swatchLine('pdi'), 'PDI 0–70 (right axis)'),
  ];
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${height}" role="img" class="chart followup-chart">${parts.join('')}</svg>${legend('followup', items)}`;
}
