import React from 'react';
import { Box, Text } from 'ink';
import { Toned } from '../theme.js';
import { Flow, Para } from '../layout.js';
import type { ScreenView } from '../screen-view.js';

/** Serial ports found, or why none were; the rest is typed by hand (e) or the simulator (u). */
export interface PortListing {
  loading: boolean;
  paths: string[];
  /** Why listing failed (e.g. no udev), shown instead of an empty list. */
  error?: string;
}

/** Screen 1: the link now, the ports found (↑/↓, Enter), a typed path or baud, the built-in simulator. */
export function ConnectScreen({
  view,
  ports,
  cursor,
  baud,
}: {
  view: ScreenView;
  ports: PortListing;
  cursor: number;
  baud: number;
}) {
  const { link } = view;
  return (
    <Box flexDirection="column">
      <Text bold>Connect</Text>
      <Text>{`Now: ${link.status}${link.description ? ` (${link.description})` : ''}${link.reason ? `: ${link.reason}` : ''}`}</Text>
      <Text>{`Baud for a port: ${baud} (b changes)`}</Text>
      <Text>Serial ports:</Text>
      {ports.loading ? (
        <Toned tone="muted"> looking for ports…</Toned>
      ) : ports.error ? (
        <Para tone="warn">{`  none listed: ${ports.error}`}</Para>
      ) : ports.paths.length === 0 ? (
        <Toned tone="warn"> none found (pseudo-terminals are never listed: type the path with e)</Toned>
      ) : (
        ports.paths.map((p, i) => <Text key={p}>{`${i === cursor ? ' > ' : '   '}${p}`}</Text>)
      )}
      <Flow
        gap="  "
        segments={['Enter connect', 'e type a path', 'u simulator', 'r look again', 'c reconnect', 'B re-bind'].map(
          (text) => ({ text, tone: 'muted' as const }),
        )}
      />
    </Box>
  );
}
