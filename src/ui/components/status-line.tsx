import React from 'react';
import { Box } from 'ink';
import { Toned, type Tone } from '../theme.js';
import { formatAge, formatClock, formatMa, formatOhms } from '../format.js';
import { noticeShownNow } from '../stale-lines.js';
import { formatDuration } from '../../session/battery-monitor.js';
import type { NoticeKind } from '../../session/notice.js';
import type { ScreenView } from '../screen-view.js';
import { aboveWindow } from '../screen-keys.js';
import { Flow, Para, type Segment } from '../layout.js';

/**
 * The lines that never leave the screen: link, generator output and mode, amplitude, battery, the
 * last impedance check and the last clamp or rejection. Each fact is spelled out, so no colour is needed.
 */

const NOTICE_TONE: Record<NoticeKind, Tone> = {
  clamp: 'warn',
  reject: 'danger',
  warn: 'warn',
  info: 'muted',
};

/** `nowMs`: the screen's clock, for the last notice's age (it fades, see stale-lines.ts). */
export function StatusLine({ view, nowMs = Date.now() }: { view: ScreenView; nowMs?: number }) {
  return (
    <Box flexDirection="column">
      <Flow segments={[...generatorSegments(view), linkSegment(view), impedanceSegment(view)]} />
      <ChargeDensity view={view} />
      <LastNotice view={view} nowMs={nowMs} />
      {view.ramp ? (
        <Para tone="warn" bold>
          {`>> RAMPING amplitude ${formatMa(view.ramp.nowUa)} → ${formatMa(view.ramp.toUa)} at ${view.ramp.maPerS} mA/s (no jump; Space stops)`}
        </Para>
      ) : null}
      {view.stopPending ? (
        <Para tone="danger" bold inverse>
          {'!! STOP NOT CONFIRMED YET: check the generator, switch it off by hand'}
        </Para>
      ) : null}
      {view.outputStillOn ? (
        <Para tone="danger" bold inverse>
          {'!! OUTPUT STILL ON after output off was asked: press Space (STOP) or switch it off by hand'}
        </Para>
      ) : null}
      {aboveWindow(view) ? (
        <Para tone="danger" bold inverse>
          {aboveWindowLine(view)}
        </Para>
      ) : null}
      {view.bindingNote ? <Para tone="warn">{`Generator binding: ${view.bindingNote}`}</Para> : null}
      {(view.bindingConflicts ?? []).map((c) => (
        <Para key={c} tone="danger" bold>
          {`!! ${c}`}
        </Para>
      ))}
      {view.mismatch ? (
        <Para tone="danger" bold inverse>
          {`!! SCREEN AND GENERATOR DIFFER: ${view.mismatch}`}
        </Para>
      ) : null}
    </Box>
  );
}

/**
 * First thing read: is the generator putting out current, how much, in which mode. With output off
 * nothing is delivered: the amplitude is what is programmed, and says so.
 */
function generatorSegments(view: ScreenView): Segment[] {
  const g = view.generator;
  const output: Segment =
    g === null
      ? { text: 'Output: unknown (no generator state)   Amp: —', tone: 'warn' }
      : g.output === 'on'
        ? { text: ` OUTPUT ON ${g.mode}${g.committed ? ' committed' : ''} `, tone: 'danger', bold: true, inverse: true }
        : {
            text: `Output: off${g.committed ? ' (therapy committed)' : ''} · programmed ${formatMa(g.amplitudeUa)}`,
            tone: 'ok',
          };
  const segments: Segment[] = [output];
  if (g?.output === 'on') segments.push({ text: `Amp: ${formatMa(g.amplitudeUa)}` });
  segments.push(battery(view));
  if (view.patientMode) segments.push({ text: 'PATIENT MODE', tone: 'info', bold: true });
  if (g && g.faults.length > 0) segments.push({ text: `Faults: ${g.faults.join(',')}`, tone: 'danger' });
  return segments;
}

/** H15: the session's estimate (never rising by itself) and output time left; else the generator's %. */
function battery(view: ScreenView): Segment {
  const b = view.battery;
  const g = view.generator;
  if (!b) return { text: `Batt: ${g ? `${g.batteryPct}%` : '—'}`, tone: g && g.batteryPct <= 20 ? 'warn' : 'plain' };
  const tone: Tone = b.level === 'very-low' ? 'danger' : b.level === 'low' || b.pct <= 20 ? 'warn' : 'plain';
  const left = b.remainingMs === null ? '' : ` (~${formatDuration(b.remainingMs)} of output left)`;
  return {
    text: `Batt: ${b.pct}%${left}${b.level === 'ok' ? '' : ` ${b.level.toUpperCase()}`}`,
    tone,
    bold: b.level !== 'ok',
  };
}

function linkSegment(view: ScreenView): Segment {
  const { link } = view;
  const tone: Tone = link.status === 'connected' ? 'ok' : link.status === 'disconnected' ? 'danger' : 'warn';
  const where = link.source === 'simulator' ? 'simulator' : link.description || 'no port';
  return { text: `Link: ${link.status} (${where})`, tone };
}

function impedanceSegment(view: ScreenView): Segment {
  const imp = view.impedance;
  if (!imp) return { text: 'Impedance: not checked yet', tone: 'muted' };
  const flagged = imp.flagged.map((n) => `${n}:${formatOhms(imp.ohms[n - 1] ?? 'open')}`);
  return flagged.length === 0
    ? { text: `Impedance ${formatClock(imp.at)}: all contacts in range`, tone: 'ok' }
    : { text: `Impedance ${formatClock(imp.at)}: FLAGGED ${flagged.join(' ')}`, tone: 'danger' };
}

/**
 * Issue 19: the most loaded contact, its share and its density now next to the limit, and whether the
 * shares come from measured impedance or from the worst case (whole amplitude on one contact).
 */
function ChargeDensity({ view }: { view: ScreenView }) {
  const d = view.chargeDensity;
  if (!d) return null;
  const basis =
    d.basis === 'impedance' ? 'shares by measured impedance' : `WORST CASE, ${d.reason ?? 'no valid impedance check'}`;
  const tone: Tone = d.densityUcPerCm2 > d.limitUcPerCm2 ? 'danger' : d.basis === 'impedance' ? 'plain' : 'warn';
  return (
    <Para tone={tone}>
      {`Charge density: contact ${d.contact} (${d.polarity}) carries ${d.sharePct}% → ${d.densityUcPerCm2.toFixed(2)} of ${d.limitUcPerCm2} µC/cm²` +
        ` (limit reached at ${formatMa(d.densityMaxUa)}; ${basis})`}
    </Para>
  );
}

function LastNotice({ view, nowMs }: { view: ScreenView; nowMs: number }) {
  const n = noticeShownNow(view.lastNotice, nowMs);
  if (!n) return <Toned tone="muted">{view.lastNotice ? 'Last notice: none recent' : 'Last notice: none'}</Toned>;
  return (
    <Para tone={NOTICE_TONE[n.kind]}>
      {`Last notice${n.at ? ` (${formatAge(nowMs - Date.parse(n.at))})` : ''}: ${n.kind.toUpperCase()} ${n.text}`}
    </Para>
  );
}

/** Amplitude in the status uses the generator's read-back, never the requested value. */
export const statusAmplitude = (view: ScreenView): string =>
  view.generator ? formatMa(view.generator.amplitudeUa) : '—';

/** The `!!` line for amplitude above the window: delivered now, or (output off) held by the program. */
function aboveWindowLine(view: ScreenView): string {
  const g = view.generator!;
  const patient = view.patientMode && view.patientWindow;
  const top = formatMa((patient ? view.patientWindow : view.window)!.highUa);
  const limit = `${patient ? 'PATIENT WINDOW' : 'DISCOMFORT THRESHOLD'} ${top}`;
  if (g.output === 'on')
    return `!! OUTPUT ${formatMa(g.amplitudeUa)} IS ABOVE THE ${limit}: press v to bring it down now`;
  return `!! PROGRAMMED ${formatMa(g.amplitudeUa)} IS ABOVE THE ${limit} (output off; turned on elsewhere it would deliver it): press v to bring it down`;
}
