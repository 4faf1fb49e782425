import React from 'react';
import { Box, Text } from 'ink';
import { Toned } from '../theme.js';
import { chartLegend, chartLines, type DiaryChartView } from '../diary-chart.js';
import type { DiaryPhase } from '../ui-state.js';

/** Quick NRS/PDI entry and the NRS chart with baseline, 30% line and qualifying window. */
export function DiaryScreen({ chart, phase }: { chart: DiaryChartView; phase: DiaryPhase }) {
  if (chart.unavailable) {
    return (
      <Box flexDirection="column">
        <Text bold>Diary</Text>
        <Toned tone="warn">{chart.unavailable}</Toned>
        {chart.waiting ? <Toned tone="warn">{`${chart.waiting} entries waiting to be sent`}</Toned> : null}
      </Box>
    );
  }
  return (
    <Box flexDirection="column">
      <Text bold>{`Diary   patient ${chart.patientId ?? '—'}   new entries: ${phase} (f)   n NRS  p PDI`}</Text>
      {chartLines(chart).map((line, i) => (
        <Text key={i}>{line}</Text>
      ))}
      <Toned tone="muted">{chartLegend(chart)}</Toned>
      {chart.waiting ? <Toned tone="warn">{`${chart.waiting} entries waiting to be sent`}</Toned> : null}
      {chart.recent?.length ? <Text>{'Latest entries (source):'}</Text> : null}
      {chart.recent?.map((e) => (
        <Text key={e.id} wrap="truncate-end">{`  #${e.id} ${e.text}  [${e.source}]`}</Text>
      ))}
      {chart.verdict ? (
        <Text wrap="truncate-end">{`Verdict: ${chart.verdict}${chart.reasons.length ? ` — ${chart.reasons[chart.reasons.length - 1]}` : ''}`}</Text>
      ) : null}
    </Box>
  );
}
