import React, { type ReactElement } from 'react';
import { render as inkRender } from 'ink-testing-library';
import { afterEach, beforeEach, vi } from 'vitest';
import { App, type AppProps } from '../../src/ui/app.js';
import { ColorProvider } from '../../src/ui/theme.js';
import { FakeSession } from './fake-session.js';

/**
 * The one way UI tests render: ink-testing-library with CI unset (Ink hides live output under CI=true)
 * and React act() warnings turned into failures.
 */
delete process.env.CI;

let consoleError: ReturnType<typeof vi.spyOn> | undefined;
beforeEach(() => {
  consoleError = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    const text = args.map(String).join(' ');
    if (/act\(/.test(text)) throw new Error(`React act() warning: ${text}`);
  });
});
afterEach(() => {
  consoleError?.mockRestore();
});

export const KEY = {
  up: '\u001B[A',
  down: '\u001B[B',
  right: '\u001B[C',
  left: '\u001B[D',
  enter: '\r',
  escape: '\u001B',
  tab: '\t',
  shiftTab: '\u001B[Z',
  backspace: '\u007F',
  ctrlC: '\u0003',
  space: ' ',
} as const;

export function renderPlain(tree: ReactElement, color = false) {
  return inkRender(<ColorProvider enabled={color}>{tree}</ColorProvider>);
}

export interface RenderedApp extends ReturnType<typeof inkRender> {
  session: FakeSession;
  quits: boolean[];
  /** Writes keys one at a time and waits until Ink has handled each. */
  press(...keys: string[]): Promise<void>;
  /** Waits until the last frame satisfies the check (or fails with the frame). */
  waitFor(check: (frame: string) => boolean, what?: string): Promise<string>;
  frame(): string;
}

export async function renderApp(
  props: Partial<AppProps> & { session?: FakeSession; wrap?: (tree: ReactElement) => ReactElement } = {},
): Promise<RenderedApp> {
  const { wrap = (tree) => tree, ...appProps } = props;
  const session = props.session ?? new FakeSession();
  const quits: boolean[] = [];
  const instance = renderPlain(
    wrap(
      <App
        listPorts={async () => ({ paths: ['/dev/ttyUSB0', '/dev/ttyACM0'] })}
        onQuit={(stop) => quits.push(stop)}
        {...appProps}
        session={session}
      />,
    ),
  );
  const frame = () => instance.lastFrame() ?? '';
  const settle = () => new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));
  const app: RenderedApp = {
    ...instance,
    session,
    quits,
    frame,
    async press(...keys: string[]) {
      for (const key of keys) {
        instance.stdin.write(key);
        await settle();
      }
    },
    async waitFor(check, what = 'condition') {
      // Generous: a guard against a hang, not a timing assertion (a cold run loads Ink slowly).
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        if (check(frame())) return frame();
        await new Promise((r) => setTimeout(r, 5));
      }
      throw new Error(`timed out waiting for ${what}; last frame:\n${frame()}`);
    },
  };
  await settle();
  return app;
}
