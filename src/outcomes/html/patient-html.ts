import { chartData } from '../../diary/chart-data.js';
import type { Replay } from '../../audit/audit-replay.js';
import type { PatientRecord } from '../patient-record.js';
import { therapyRecordOf, type TherapyRecord } from '../../session/therapy-fields.js';
import { diaryChartSvg, esc, followUpChartSvg } from './svg-charts.js';
import { painSummaryLine } from '../../diary/diary-text.js';

/** What the report shows of a programming session: the allow-listed therapy fields only (H11). */
export interface ProgrammingSummary {
  source: string;
  integrity: string;
  counts: Replay['counts'];
  lastProgram: {
    rateHz: number;
    pulseWidthUs: number;
    amplitudeMa: number;
    contacts: string;
    committed: boolean;
  } | null;
  /** That program's most loaded contact, its share and its density next to the limit (issue 19); null when not logged. */
  chargeDensity: ProgrammedDensity | null;
}

export interface ProgrammedDensity {
  contact: number;
  polarity: 'anode' | 'cathode';
  sharePct: number;
  densityUcPerCm2: number;
  limitUcPerCm2: number;
  basis: 'impedance' | 'worst-case';
  reason: string | null;
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The logged report, field by field (the log is a file: anything else in it is not shown). */
function programmedDensityOf(logged: unknown): ProgrammedDensity | null {
  if (typeof logged !== 'object' || logged === null) return null;
  const d = logged as Record<string, unknown>;
  if (!isNumber(d.contact) || !isNumber(d.sharePct) || !isNumber(d.densityUcPerCm2) || !isNumber(d.limitUcPerCm2))
    return null;
  if ((d.polarity !== 'anode' && d.polarity !== 'cathode') || (d.basis !== 'impedance' && d.basis !== 'worst-case'))
    return null;
  const reason = typeof d.reason === 'string' ? d.reason : null;
  return {
    contact: d.contact,
    polarity: d.polarity,
    sharePct: d.sharePct,
    densityUcPerCm2: d.densityUcPerCm2,
    limitUcPerCm2: d.limitUcPerCm2,
    basis: d.basis,
    reason,
  };
}

export function programmingSummary(replay: Replay, source: string): ProgrammingSummary {
  const g = replay.lastGenerator;
  return {
    source,
    integrity: replay.integrity.ok
      ? 'hash chain intact'
      : `hash chain broken at line ${replay.integrity.line} (${replay.integrity.problem}); later lines ignored`,
    counts: replay.counts,
    lastProgram: g ? summaryOf(therapyRecordOf(g)) : null,
    chargeDensity: g ? programmedDensityOf(replay.lastChargeDensity) : null,
  };
}

function summaryOf(t: TherapyRecord): NonNullable<ProgrammingSummary['lastProgram']> {
  return {
    rateHz: t.rateHz,
    pulseWidthUs: t.pulseWidthUs,
    amplitudeMa: t.amplitudeUa / 1000,
    contacts: t.contacts,
    committed: t.committed,
  };
}

const STYLE = `
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:60rem;color:#1a1a1a;padding:0 1rem}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse}td,th{padding:.2rem .6rem;border-bottom:1px solid #e3e3e3;text-align:left}
.verdict-pass{color:#0a6b2f;font-weight:700}.verdict-fail{color:#a11;font-weight:700}
.chart{width:100%;height:auto;max-width:720px}.axis{stroke:#555}.tick,.axis-label{font-size:11px;fill:#444}
.baseline{stroke:#555;stroke-dasharray:6 4}.responder{stroke:#0a6b2f;stroke-dasharray:3 3}
.baseline-label,.responder-label,.window-label{font-size:11px;fill:#333}
.window{fill:#0a6b2f;fill-opacity:.12}.series{fill:none;stroke:#1f4e9c;stroke-width:1.5}
.pt-baseline{fill:#777}.pt-trial{fill:#c33}.pt-responds{fill:#0a6b2f}
.nrs{fill:none;stroke:#1f4e9c;stroke-width:2}.pdi{fill:none;stroke:#b5651d;stroke-width:2;stroke-dasharray:5 3}
.nrs-pt{fill:#1f4e9c}.pdi-pt{fill:#b5651d}.empty{color:#666;font-style:italic}
.legend{list-style:none;padding:0;margin:.3rem 0 1rem;display:flex;flex-wrap:wrap;gap:.3rem 1.2rem;font-size:13px}
.legend svg{vertical-align:middle}.run-summary{margin:.2rem 0}
.trial-edge{stroke:#6a3d9a;stroke-width:1.5;stroke-dasharray:4 3}.trial-edge-label{font-size:11px;fill:#6a3d9a}
@media print{body{margin:0}}`;

function list(items: readonly string[]): string {
  return `<ul>${items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>`;
}

function verdictSection(r: PatientRecord): string {
  const trials = r.procedures.filter((q) => q.kind === 'scs-trial');
  const out: string[] = [];
  for (const t of trials) {
    out.push(
      `<p>SCS trial ${esc(t.date ?? '(date unknown)')}: <span class="verdict-${t.verdict}">${t.verdict === 'pass' ? 'PASSED' : 'FAILED'}</span></p>`,
      list(t.reasons),
    );
  }
  if (r.diary) {
    // The longest responding run and how far it is from the sustain time, so the summary agrees with the reasons.
    const e = r.diary.evaluation;
    out.push(
      ...[e.pain, e.pain50].map(
        (p) => `<p class="run-summary">${esc(painSummaryLine(p, e.criterion.sustainHours))}</p>`,
      ),
    );
  }
  if (r.diary && trials.some((t) => r.diary!.evaluation.reasons.every((reason) => t.reasons.includes(reason)))) {
    out.push(
      `<p>The diary criterion, evaluated now, still gives <strong>${esc(r.diary.evaluation.verdict.toUpperCase())}</strong> (reasons above).</p>`,
    );
  } else if (r.diary) {
    out.push(
      `<p>Diary criterion (≥${r.diary.evaluation.criterion.percent}% NRS reduction sustained ≥${r.diary.evaluation.criterion.sustainHours} h with improved activity): <strong>${esc(r.diary.evaluation.verdict.toUpperCase())}</strong></p>`,
      list(r.diary.evaluation.reasons),
    );
  }
  return out.length ? out.join('') : '<p class="empty">No SCS trial recorded.</p>';
}

function programmingSection(p: ProgrammingSummary | null): string {
  if (!p) return '<p class="empty">No programming session log was given (scs patient export --audit-log FILE).</p>';
  const c = p.counts;
  const rows = [
    `Source: ${p.source} (${p.integrity})`,
    `Decisions ${c.decisions} (${c.refused} refused, ${c.clamps} clamped); programs committed ${c.commits}; stops ${c.stops}; faults ${c.faults}`,
  ];
  if (p.lastProgram) {
    const g = p.lastProgram;
    rows.push(
      `Last program: ${g.rateHz} Hz, ${g.pulseWidthUs} µs, ${g.amplitudeMa.toFixed(2)} mA, contacts ${g.contacts}${g.committed ? ', committed' : ', not committed'}`,
    );
  }
  const d = p.chargeDensity;
  if (d) {
    const basis =
      d.basis === 'impedance'
        ? 'shares by measured impedance'
        : `worst case: ${d.reason ?? 'no valid impedance check'}`;
    rows.push(
      `Charge density: most loaded contact ${d.contact} (${d.polarity}) carries ${d.sharePct} % of its current, ${d.densityUcPerCm2.toFixed(2)} of ${d.limitUcPerCm2} µC/cm² per phase (${basis})`,
    );
  }
  return list(rows);
}

function followUpTable(r: PatientRecord): string {
  if (r.followUps.length === 0) return '';
  const rows = r.followUps.map(
    (f) =>
      `<tr><td>${esc(f.visit.label)}</td><td>${esc(f.date ?? '')}</td><td>${f.nrs ?? '–'}</td><td>${f.pdi ?? '–'}</td><td>${f.reliefPercent === null ? '' : `${f.reliefPercent.toFixed(0)}%`}</td></tr>`,
  );
  return `<table><thead><tr><th>Visit</th><th>Date</th><th>NRS</th><th>PDI</th><th>Relief</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/**
 * A self-contained HTML report for one patient: one file, inline CSS and SVG, no script, and a
 * Content-Security-Policy that forbids every fetch, so it opens offline and cannot leak data.
 * Sections: summary, trial diary chart (baseline, 30% line, qualifying window), programming summary
 * (from a session audit log, therapy fields only), trial verdict with reasons, follow-up curve and
 * table, complications.
 */
export function patientHtml(
  r: PatientRecord,
  programming: ProgrammingSummary | null,
  generatedAt: Date = new Date(),
): string {
  const p = r.patient;
  const procedures = r.procedures.map(
    (q) =>
      `${q.date ?? '(date unknown)'} — ${q.kind}${q.verdict ? ` (${q.verdict})` : ''}${q.kind === 'explant' ? `: ${q.reasons.join('; ')}` : ''}`,
  );
  const complications = r.complications.map(
    (c) => `${c.date ?? '(date unknown)'} — ${c.category}, ${c.severity}: ${c.description}`,
  );
  const economics = [
    p.hospitalDays !== null ? `hospital stay ${p.hospitalDays} days` : null,
    p.cost !== null ? `direct cost ${p.cost} ${p.currency}${p.priceYear ? ` (${p.priceYear} prices)` : ''}` : null,
  ].filter((x): x is string => x !== null);
  const diary = r.diary
    ? diaryChartSvg(chartData(r.diary.entries, r.diary.evaluation))
    : '<p class="empty">No trial diary in this store.</p>';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>SCS outcome report — patient ${esc(p.id)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>SCS outcome report — patient ${esc(p.id)}</h1>
<p>Pseudonymous record. Sex ${esc(p.sex)}, age ${p.age}; pain ${esc(p.location.text)} (${p.location.count} dermatome${p.location.count === 1 ? '' : 's'}), side ${esc(p.side)}; pain for ${p.durationMonths} months.${economics.length ? ` ${esc(economics.join('; '))}.` : ''}</p>
<h2>Trial diary</h2>
${diary}
<h2>Programming summary</h2>
${programmingSection(programming)}
<h2>Trial verdict</h2>
${verdictSection(r)}
<h2>Procedures</h2>
${procedures.length ? list(procedures) : '<p class="empty">None recorded.</p>'}
<h2>Follow-up</h2>
${followUpChartSvg(r.followUps)}
${followUpTable(r)}
<h2>Complications</h2>
${complications.length ? list(complications) : '<p class="empty">None recorded.</p>'}
<footer><p>Generated by scs-companion on ${esc(generatedAt.toISOString())}. NRS 0–10; PDI 0–70; relief is the NRS reduction from the baseline visit.</p></footer>
</body>
</html>
`;
}
