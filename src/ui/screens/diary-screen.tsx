import React from 'react';
import { Box, Text } from 'ink';
import { Toned } from '../theme.js';
import { Flow, Para, useWidth } from '../layout.js';
import { chartLegend, chartLines, type DiaryChartView } from '../diary-chart.js';
import type { DiaryPhase } from '../ui-state.js';

/** Quick NRS/PDI entry and the NRS chart with baseline, 30% line and qualifying window. */
export function DiaryScreen({ chart, phase }: { chart: DiaryChartView; phase: DiaryPhase }) {
  const width = useWidth();
  if (chart.unavailable) {
    return (
      <Box flexDirection="column">
        <Text bold>Diary</Text>
        <Para tone="warn">{chart.unavailable}</Para>
        {chart.waiting ? <Toned tone="warn">{`${chart.waiting} entries waiting to be sent`}</Toned> : null}
      </Box>
    );
  }
  return (
    <Box flexDirection="column">
      <Flow
        segments={[
          { text: 'Diary', bold: true },
          { text: `patient ${chart.patientId ?? '—'}`, bold: true },
          { text: `new entries: ${phase} (f)`, bold: true },
          { text: 'n NRS  p PDI', bold: true },
        ]}
      />
      {/* The chart takes the screen's width (60 columns of time at 80). */}
      {chartLines(chart, width - 20).map((line, i) => (
        <Text key={i}>{line}</Text>
      ))}
      <Para tone="muted">{chartLegend(chart)}</Para>
      {chart.waiting ? <Toned tone="warn">{`${chart.waiting} entries waiting to be sent`}</Toned> : null}
      {chart.recent?.length ? <Text>{'Latest entries (source):'}</Text> : null}
      {chart.recent?.map((e) => (
        <Text key={e.id} wrap="truncate-end">{`  #${e.id} ${e.text}  [${e.source}]`}</Text>
      ))}
      {chart.verdict ? (
        <Para>{`Verdict: ${chart.verdict}${chart.reasons.length ? ` — ${chart.reasons[0]}` : ''}`}</Para>
      ) : null}
      {chart.verdict
        ? verdictReasonLines(chart.reasons).map((line, i) => (
            <Text key={`reason-${i}`} wrap="truncate-end">{`  ${line}`}</Text>
          ))
        : null}
    </Box>
  );
}

/** Reason lines under the verdict: the screen has room for this many; the rest are counted. */
const REASON_LINES = 4;

/** The verdict's decisive reasons after the first (criterion ones first, data-quality lines after). */
function verdictReasonLines(reasons: readonly string[]): string[] {
  const rest = reasons.slice(1);
  if (rest.length <= REASON_LINES) return rest;
  const more = rest.length - (REASON_LINES - 1);
  return [...rest.slice(0, REASON_LINES - 1), `… ${more} more: scs diary evaluate --patient ID lists every reason`];
}
