import React from 'react';
import { Box, Text } from 'ink';
import { Toned, type Tone } from '../theme.js';
import { formatAge, formatClock, formatMa, formatOhms } from '../format.js';
import { noticeShownNow } from '../stale-lines.js';
import { formatDuration } from '../../session/battery-monitor.js';
import type { NoticeKind, SessionView } from '../view-model.js';
import { aboveWindow } from '../key-handler.js';

/**
 * The lines that never leave the screen: link, generator output and mode, amplitude, battery, the
 * last impedance check and the last clamp or rejection. Each fact is spelled out, so no colour is needed.
 */

const NOTICE_TONE: Record<NoticeKind, Tone> = {
  clamp: 'warn',
  reject: 'danger',
  warn: 'warn',
  stop: 'info',
  fault: 'danger',
  info: 'muted',
};

/** `nowMs`: the screen's clock, for the last notice's age (it fades, see stale-lines.ts). */
export function StatusLine({ view, nowMs = Date.now() }: { view: SessionView; nowMs?: number }) {
  return (
    <Box flexDirection="column">
      <Generator view={view} />
      <Text>
        <Link view={view} />
        {'   '}
        <Impedance view={view} />
      </Text>
      <ChargeDensity view={view} />
      <LastNotice view={view} nowMs={nowMs} />
      {view.ramp ? (
        <Toned tone="warn" bold>
          {`>> RAMPING amplitude ${formatMa(view.ramp.nowUa)} → ${formatMa(view.ramp.toUa)} at ${view.ramp.maPerS} mA/s (no jump; Space stops)`}
        </Toned>
      ) : null}
      {view.stopPending ? (
        <Toned tone="danger" bold inverse>
          {'!! STOP NOT CONFIRMED YET: check the generator, switch it off by hand'}
        </Toned>
      ) : null}
      {aboveWindow(view) ? (
        <Toned tone="danger" bold inverse>
          {`!! OUTPUT ${formatMa(view.generator!.amplitudeUa)} IS ABOVE THE ${view.patientMode && view.patientWindow ? 'PATIENT WINDOW' : 'DISCOMFORT THRESHOLD'} ${formatMa((view.patientMode && view.patientWindow ? view.patientWindow : view.window)!.highUa)}: press v to bring it down now`}
        </Toned>
      ) : null}
      {view.mismatch ? (
        <Toned tone="danger" bold inverse>
          {`!! SCREEN AND GENERATOR DIFFER: ${view.mismatch}`}
        </Toned>
      ) : null}
    </Box>
  );
}

/** First line, first thing read: is the generator putting out current, how much, in which mode. */
function Generator({ view }: { view: SessionView }) {
  const g = view.generator;
  return (
    <Text>
      {g === null ? (
        <Toned tone="warn">Output: unknown (no generator state)</Toned>
      ) : g.output === 'on' ? (
        <Toned tone="danger" bold inverse>
          {` OUTPUT ON ${g.mode}${g.committed ? ' committed' : ''} `}
        </Toned>
      ) : (
        <Toned tone="ok">{`Output: off${g.committed ? ' (therapy committed)' : ''}`}</Toned>
      )}
      {/* With output off nothing is delivered: the amplitude is what is programmed, and says so. */}
      {g && g.output === 'off'
        ? ` · programmed ${formatMa(g.amplitudeUa)}   `
        : `   Amp: ${g ? formatMa(g.amplitudeUa) : '—'}   `}
      <Battery view={view} />
      {view.patientMode ? (
        <Toned tone="info" bold>
          {'   PATIENT MODE'}
        </Toned>
      ) : null}
      {g && g.faults.length > 0 ? <Toned tone="danger">{`   Faults: ${g.faults.join(',')}`}</Toned> : null}
    </Text>
  );
}

/** H15: the session's estimate (never rising by itself) and output time left; else the generator's %. */
function Battery({ view }: { view: SessionView }) {
  const b = view.battery;
  const g = view.generator;
  if (!b)
    return <Toned tone={g && g.batteryPct <= 20 ? 'warn' : 'plain'}>{`Batt: ${g ? `${g.batteryPct}%` : '—'}`}</Toned>;
  const tone: Tone = b.level === 'very-low' ? 'danger' : b.level === 'low' || b.pct <= 20 ? 'warn' : 'plain';
  const left = b.remainingMs === null ? '' : ` (~${formatDuration(b.remainingMs)} of output left)`;
  return (
    <Toned
      tone={tone}
      bold={b.level !== 'ok'}
    >{`Batt: ${b.pct}%${left}${b.level === 'ok' ? '' : ` ${b.level.toUpperCase()}`}`}</Toned>
  );
}

function Link({ view }: { view: SessionView }) {
  const { link } = view;
  const tone: Tone = link.state === 'connected' ? 'ok' : link.state === 'disconnected' ? 'danger' : 'warn';
  const where = link.source === 'simulator' ? 'simulator' : link.description || 'no port';
  return <Toned tone={tone}>{`Link: ${link.state} (${where})`}</Toned>;
}

function Impedance({ view }: { view: SessionView }) {
  const imp = view.impedance;
  if (!imp) return <Toned tone="muted">Impedance: not checked yet</Toned>;
  const flagged = imp.flagged.map((n) => `${n}:${formatOhms(imp.ohms[n - 1] ?? 'open')}`);
  return (
    <>
      {`Impedance ${formatClock(imp.at)}: `}
      {flagged.length === 0 ? (
        <Toned tone="ok">all contacts in range</Toned>
      ) : (
        <Toned tone="danger">{`FLAGGED ${flagged.join(' ')}`}</Toned>
      )}
    </>
  );
}

/**
 * Issue 19: the most loaded contact, its share and its density now next to the limit, and whether the
 * shares come from measured impedance or from the worst case (whole amplitude on one contact).
 */
function ChargeDensity({ view }: { view: SessionView }) {
  const d = view.chargeDensity;
  if (!d) return null;
  const basis =
    d.basis === 'impedance' ? 'shares by measured impedance' : `WORST CASE, ${d.reason ?? 'no valid impedance check'}`;
  const tone: Tone = d.densityUcPerCm2 > d.limitUcPerCm2 ? 'danger' : d.basis === 'impedance' ? 'plain' : 'warn';
  return (
    <Toned tone={tone}>
      {`Charge density: contact ${d.contact} (${d.polarity}) carries ${d.sharePct}% → ${d.densityUcPerCm2.toFixed(2)} of ${d.limitUcPerCm2} µC/cm²` +
        ` (limit reached at ${formatMa(d.densityMaxUa)}; ${basis})`}
    </Toned>
  );
}

function LastNotice({ view, nowMs }: { view: SessionView; nowMs: number }) {
  const n = noticeShownNow(view.lastNotice, nowMs);
  if (!n) return <Toned tone="muted">{view.lastNotice ? 'Last notice: none recent' : 'Last notice: none'}</Toned>;
  return (
    <Toned tone={NOTICE_TONE[n.kind]}>
      {`Last notice${n.at ? ` (${formatAge(nowMs - Date.parse(n.at))})` : ''}: ${n.kind.toUpperCase()} ${n.text}`}
    </Toned>
  );
}

/** Amplitude in the status uses the generator's read-back, never the requested value. */
export const statusAmplitude = (view: SessionView): string =>
  view.generator ? formatMa(view.generator.amplitudeUa) : '—';
