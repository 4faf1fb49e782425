import React, { createContext, useContext, type ReactNode } from 'react';
import { Text } from 'ink';

/**
 * Colour is a second channel only: every state is also spelled out in words or symbols, so the screen
 * reads the same with NO_COLOR set (https://no-color.org: any non-empty value disables colour).
 */
export type Tone = 'danger' | 'warn' | 'ok' | 'info' | 'muted' | 'plain';

const TONE_COLOR: Record<Tone, string | undefined> = {
  danger: 'red',
  warn: 'yellow',
  ok: 'green',
  info: 'cyan',
  muted: 'gray',
  plain: undefined,
};

export function colorEnabled(env: NodeJS.ProcessEnv): boolean {
  return !(env.NO_COLOR !== undefined && env.NO_COLOR !== '');
}

const ColorContext = createContext<boolean>(true);

export function ColorProvider({ enabled, children }: { enabled: boolean; children: ReactNode }) {
  return <ColorContext.Provider value={enabled}>{children}</ColorContext.Provider>;
}

export function useColor(): boolean {
  return useContext(ColorContext);
}

/** Text in a tone; bold and inverse survive NO_COLOR because they are not colour. */
export function Toned({
  tone = 'plain',
  bold,
  inverse,
  children,
}: {
  tone?: Tone;
  bold?: boolean;
  inverse?: boolean;
  children: ReactNode;
}) {
  const color = useColor() ? TONE_COLOR[tone] : undefined;
  return (
    <Text color={color} bold={bold} inverse={inverse}>
      {children}
    </Text>
  );
}
