/**
 * Inline SVG charts for the patient report (pure strings, no script): the trial diary with its
 * baseline, the responder line and the qualifying window — all taken from the diary's chartData,
 * never recomputed — and the follow-up curve of NRS and PDI by visit.
 */
import type { ChartData } from '../../diary/chart-data.js';
import type { FollowUpWithRelief } from '../patient-record.js';

export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
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
  const ticks = [0, 2, 4, 6, 8, 10].map((v) => `<text class="tick" x="${PAD.left - 6}" y="${fmt(yNrs(v) + 4)}" text-anchor="end">${v}</text>`);
  return `<line class="axis" x1="${PAD.left}" x2="${PAD.left}" y1="${PAD.top}" y2="${PAD.top + plotH}"/>${ticks.join('')}<text class="axis-label" x="12" y="${PAD.top + plotH / 2}" transform="rotate(-90 12 ${PAD.top + plotH / 2})" text-anchor="middle">NRS</text>`;
}

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The trial diary chart; `title` is read by screen readers and shown as a tooltip. */
export function diaryChartSvg(c: ChartData): string {
  if (!c.range || c.points.length === 0) return '<p class="empty">No diary NRS entries.</p>';
  const span = Math.max(c.range.endMs - c.range.startMs, 3_600_000);
  const x = (ms: number) => PAD.left + (plotW * (ms - c.range!.startMs)) / span;
  const parts: string[] = [`<title>Trial diary NRS with baseline, ${c.percent}% line and qualifying window</title>`, nrsAxis()];
  if (c.window) {
    const x0 = x(c.window.startMs);
    parts.push(`<rect class="window" x="${fmt(x0)}" y="${PAD.top}" width="${fmt(Math.max(x(c.window.endMs) - x0, 2))}" height="${plotH}"><title>qualifying window ${esc(c.window.start)} – ${esc(c.window.end)}</title></rect>`);
    parts.push(`<text class="window-label" x="${fmt(x0 + 4)}" y="${PAD.top + 12}">qualifying window</text>`);
  }
  if (c.baseline !== null) parts.push(hLine(yNrs(c.baseline), 'baseline', `baseline ${fmt(c.baseline)}`));
  if (c.responderLine !== null) parts.push(hLine(yNrs(c.responderLine), 'responder', `${c.percent}% reduction: NRS ≤ ${fmt(c.responderLine)}`));
  const path = c.points.map((p, i) => `${i ? 'L' : 'M'}${fmt(x(p.ms))} ${fmt(yNrs(p.nrs))}`).join(' ');
  parts.push(`<path class="series" d="${path}"/>`);
  for (const p of c.points) {
    parts.push(`<circle class="${p.phase === 'baseline' ? 'pt-baseline' : p.responds ? 'pt-responds' : 'pt-trial'}" cx="${fmt(x(p.ms))}" cy="${fmt(yNrs(p.nrs))}" r="3.5"><title>${esc(p.at)}: NRS ${p.nrs}</title></circle>`);
  }
  parts.push(`<text class="tick" x="${PAD.left}" y="${H - 10}">${day(c.range.startMs)}</text><text class="tick" x="${W - PAD.right}" y="${H - 10}" text-anchor="end">${day(c.range.endMs)}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" role="img" class="chart diary-chart">${parts.join('')}</svg>`;
}

/** NRS (left axis, 0–10) and PDI (right axis, 0–70) by visit, in schedule order. */
export function followUpChartSvg(visits: readonly FollowUpWithRelief[]): string {
  if (visits.length === 0) return '<p class="empty">No follow-up visits recorded.</p>';
  const step = visits.length > 1 ? plotW / (visits.length - 1) : 0;
  const x = (i: number) => PAD.left + (visits.length > 1 ? i * step : plotW / 2);
  const yPdi = (v: number) => PAD.top + plotH * (1 - v / 70);
  const parts: string[] = ['<title>Follow-up NRS and PDI by visit</title>', nrsAxis()];
  parts.push(`<line class="axis" x1="${W - PAD.right}" x2="${W - PAD.right}" y1="${PAD.top}" y2="${PAD.top + plotH}"/>`);
  for (const v of [0, 35, 70]) parts.push(`<text class="tick" x="${W - PAD.right + 6}" y="${fmt(yPdi(v) + 4)}">${v}</text>`);
  parts.push(`<text class="axis-label" x="${W - 10}" y="${PAD.top + plotH / 2}" transform="rotate(90 ${W - 10} ${PAD.top + plotH / 2})" text-anchor="middle">PDI</text>`);
  const line = (pick: (f: FollowUpWithRelief) => number | null, y: (v: number) => number, cls: string) => {
    const pts = visits.map((f, i) => [i, pick(f)] as const).filter(([, v]) => v !== null) as [number, number][];
    if (pts.length === 0) return;
    parts.push(`<path class="${cls}" d="${pts.map(([i, v], k) => `${k ? 'L' : 'M'}${fmt(x(i))} ${fmt(y(v))}`).join(' ')}"/>`);
    for (const [i, v] of pts) parts.push(`<circle class="${cls}-pt" cx="${fmt(x(i))}" cy="${fmt(y(v))}" r="3.5"><title>${esc(visits[i]!.visit.label)}: ${cls.toUpperCase()} ${v}</title></circle>`);
  };
  line((f) => f.nrs, yNrs, 'nrs');
  line((f) => f.pdi, yPdi, 'pdi');
  visits.forEach((f, i) => parts.push(`<text class="tick" x="${fmt(x(i))}" y="${H - 10}" text-anchor="middle">${esc(f.visit.label)}</text>`));
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" role="img" class="chart followup-chart">${parts.join('')}</svg>`;
}
