import React, { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { Box, Text, useInput } from 'ink';
import { StatusLine } from './components/status-line.js';
import { HelpOverlay } from './components/help-overlay.js';
import { QuitDialog } from './components/quit-dialog.js';
import { SearchRestartDialog } from './components/search-restart-dialog.js';
import { TextFieldView } from './components/text-field.js';
import { ConnectScreen, type PortListing } from './screens/connect-screen.js';
import { ProgramScreen } from './screens/program-screen.js';
import { SearchScreen } from './screens/search-screen.js';
import { CommitDialog, TherapyScreen } from './screens/therapy-screen.js';
import { DiaryScreen } from './screens/diary-screen.js';
import { handleKey, isStopKey, splitKeys, type KeyInfo, type UiCommand } from './key-handler.js';
import { SCREENS } from './key-map.js';
import { initialUiState, type Dialog, type UiState } from './ui-state.js';
import type { DiaryAddResult, ListPorts, UiDiary, UiSession } from './ui-ports.js';
import { Toned } from './theme.js';
import { Para } from './layout.js';
import { messageGoneStale, noticeFadesAt } from './stale-lines.js';
import { MIN_COLUMNS, MIN_ROWS, WidthProvider } from './layout.js';
import type { DiaryChartView } from './diary-chart.js';
import { useLayoutWidth } from './hooks/use-layout-width.js';
import { useNow } from './hooks/use-now.js';

export interface AppProps {
  session: UiSession;
  diary?: UiDiary | undefined;
  /** Why the diary could not be opened (shown on the diary screen). */
  diaryProblem?: string | undefined;
  listPorts: ListPorts;
  /** Called after a quit key; `stop` says whether STOP was sent first. */
  onQuit: (stop: boolean) => void;
  initial?: Partial<UiState>;
  now?: () => number;
  /** How often the open diary screen re-reads the store (entries from the phone arrive there). */
  diaryPollMs?: number;
}

const NO_DIARY: DiaryChartView = {
  patientId: null,
  points: [],
  baselineNrs: null,
  responderCeiling: null,
  window: null,
  verdict: null,
  reasons: [],
  unavailable: "No diary open: start with 'scs --patient ID' to enter NRS/PDI here, or use 'scs diary add'.",
};

/**
 * The bedside screen: tab bar, status lines that never leave, the chosen screen, dialogs and fields.
 * Keys go through handleKey (STOP first, straight to the session); the view comes from the session
 * (useSyncExternalStore), the diary chart from the store, re-read while screen 5 is open.
 */
export function App({
  session,
  diary,
  diaryProblem,
  listPorts,
  onQuit,
  initial,
  now = Date.now,
  diaryPollMs = 2000,
}: AppProps) {
  const noDiary: DiaryChartView = diaryProblem
    ? { ...NO_DIARY, unavailable: `The diary could not be opened: ${diaryProblem}` }
    : NO_DIARY;
  const view = useSyncExternalStore(session.subscribe, session.getView);
  const [ui, setUi] = useState<UiState>(() => initialUiState(initial));
  const uiRef = useRef(ui);
  uiRef.current = ui;
  const [ports, setPorts] = useState<PortListing>({ loading: true, paths: [] });
  const [chart, setChart] = useState<DiaryChartView>(() => {
    const first = diary?.chart();
    return first === undefined
      ? noDiary
      : first instanceof Promise
        ? { ...NO_DIARY, unavailable: 'loading the diary…' }
        : first;
  });
  const showChart = useCallback((next: DiaryChartView | Promise<DiaryChartView>) => {
    if (!(next instanceof Promise)) return setChart(next);
    next.then(setChart, (e: unknown) =>
      setChart({ ...NO_DIARY, unavailable: `The diary could not be read: ${(e as Error).message}` }),
    );
  }, []);
  useEffect(() => {
    const first = diary?.chart();
    if (first instanceof Promise) showChart(first);
  }, [diary, showChart]);
  /** A message that arrives after the key that caused it (a store answering later). */
  const say = useCallback((message: string) => {
    const next = { ...uiRef.current, message };
    uiRef.current = next;
    setUi(next);
  }, []);
  // The clock ticks fast while a dwell counts down, once a second while the last notice's age shows.
  const dwellNowMs = useNow(now, view.search.nextStepAtMs, 100);
  const noticeNowMs = useNow(now, noticeFadesAt(view.lastNotice), 1000);
  const nowMs = Math.max(dwellNowMs, noticeNowMs);
  // Lines that stop being true go: "STOP sent" once output is back on, "connecting…" once connected.
  const shownView = useRef(view);
  useEffect(() => {
    const before = shownView.current;
    shownView.current = view;
    if (messageGoneStale(uiRef.current.message, before, view)) {
      const next = { ...uiRef.current, message: null };
      uiRef.current = next;
      setUi(next);
    }
  }, [view]);

  const refreshPorts = useCallback(() => {
    setPorts((p) => ({ ...p, loading: true }));
    listPorts().then(
      (listing) => setPorts({ loading: false, ...listing }),
      (e: unknown) => setPorts({ loading: false, paths: [], error: (e as Error).message }),
    );
  }, [listPorts]);
  useEffect(refreshPorts, [refreshPorts]);

  // `scs diary serve` writes the patient's phone entries into the same store: while the diary screen
  // is open, re-read it so they appear as they arrive (a new chart only when something changed).
  const onDiary = ui.screen === 'diary';
  useEffect(() => {
    if (!diary || !onDiary) return;
    const keep = (next: DiaryChartView) =>
      setChart((prev) => (JSON.stringify(prev) === JSON.stringify(next) ? prev : next));
    const timer = setInterval(() => {
      const next = diary.chart();
      // A store that cannot answer now (server away) keeps the last chart until the next poll.
      if (next instanceof Promise) next.then(keep, () => undefined);
      else keep(next);
    }, diaryPollMs);
    return () => clearInterval(timer);
  }, [diary, onDiary, diaryPollMs]);

  const run = (command: UiCommand, openDialog: (d: Dialog) => void): string | null => {
    switch (command.kind) {
      case 'intent':
        session.send(command.intent);
        return null;
      case 'connect':
        session.connect(
          command.port === undefined ? { baud: command.baud } : { port: command.port, baud: command.baud },
        );
        return null;
      case 'list-ports':
        refreshPorts();
        return null;
      case 'diary-reload':
        if (diary) showChart(diary.chart());
        return diary ? 'diary reloaded' : noDiary.unavailable!;
      case 'diary-add': {
        if (!diary) return noDiary.unavailable!;
        const { kind: _kind, ...entry } = command;
        const answer = (result: DiaryAddResult) => {
          if (result.ok) showChart(diary.chart());
          return result.ok ? result.text : `not saved: ${result.error}`;
        };
        const outsideDialog = (question: string): Dialog => ({
          kind: 'outside-trial',
          entry: { phase: entry.phase, nrs: entry.nrs, pdi: entry.pdi },
          question,
        });
        const result = diary.add(entry);
        if (!(result instanceof Promise)) {
          if (!result.ok && result.outsideTrial) openDialog(outsideDialog(result.outsideTrial));
          return answer(result);
        }
        result.then(
          (r) => {
            // Outside the trial dates: ask before storing (the diary screen's form of --outside-trial).
            if (!r.ok && r.outsideTrial) {
              const next = { ...uiRef.current, dialog: outsideDialog(r.outsideTrial), message: answer(r) };
              uiRef.current = next;
              setUi(next);
            } else say(answer(r));
          },
          (e: unknown) => say(`not saved: ${(e as Error).message}`),
        );
        return 'saving…';
      }
      case 'quit':
        onQuit(command.stop);
        return null;
    }
  };

  const portsRef = useRef(ports.paths);
  portsRef.current = ports.paths;

  const onKey = (input: string, key: KeyInfo): boolean => {
    // STOP first and directly: no state update, dialog or field comes between the key and the session.
    const stopKey = isStopKey(input, key);
    if (stopKey) session.send({ type: 'STOP' });
    // The freshest view, not this render's: a key may arrive before React re-renders a change.
    const result = handleKey(uiRef.current, input, key, {
      view: session.getView(),
      ports: portsRef.current,
      diaryClosed: diary ? undefined : noDiary.unavailable,
    });
    let message: string | null = null;
    let dialog: Dialog | null = null;
    for (const command of result.commands) {
      if (stopKey && command.kind === 'intent' && command.intent.type === 'STOP') continue; // sent above
      message = run(command, (d) => (dialog = d)) ?? message;
    }
    const withDialog = dialog === null ? result.state : { ...result.state, dialog };
    const next = message === null ? withDialog : { ...withDialog, message };
    uiRef.current = next;
    setUi(next);
    return stopKey;
  };

  useInput((input, key) => {
    if (isStopKey(input, key)) {
      onKey(input, key);
      return; // after a STOP, the rest of a batch of keys is dropped
    }
    for (const [one, k] of splitKeys(input, key)) onKey(one, k);
  });

  const { root, width, rows } = useLayoutWidth();
  return (
    <Box flexDirection="column" ref={root}>
      <WidthProvider value={width}>
        <TabBar ui={ui} />
        {width < MIN_COLUMNS || (rows !== undefined && rows < MIN_ROWS) ? (
          <Toned tone="warn">{`This terminal is smaller than ${MIN_COLUMNS}×${MIN_ROWS}: enlarge it to read every line.`}</Toned>
        ) : null}
        <StatusLine view={view} nowMs={nowMs} />
        <Text>{'─'.repeat(width)}</Text>
        {ui.help ? (
          <HelpOverlay screen={ui.helpScreen} />
        ) : (
          <>
            {ui.screen === 'connect' ? (
              <ConnectScreen view={view} ports={ports} cursor={ui.portCursor} baud={ui.baud} />
            ) : null}
            {ui.screen === 'program' ? <ProgramScreen view={view} draft={ui.draft} cursor={ui.contactCursor} /> : null}
            {ui.screen === 'search' ? <SearchScreen view={view} nowMs={nowMs} /> : null}
            {ui.screen === 'therapy' ? <TherapyScreen view={view} /> : null}
            {ui.screen === 'diary' ? <DiaryScreen chart={chart} phase={ui.diaryPhase} /> : null}
            {ui.dialog?.kind === 'commit' ? <CommitDialog view={view} /> : null}
            {ui.dialog?.kind === 'quit' ? <QuitDialog view={view} /> : null}
            {ui.dialog?.kind === 'search-restart' ? <SearchRestartDialog view={view} /> : null}
            {ui.dialog?.kind === 'outside-trial' ? <Toned tone="warn">{ui.dialog.question}</Toned> : null}
            {ui.field ? <TextFieldView field={ui.field} /> : null}
          </>
        )}
        {ui.message ? <Para tone="info">{`» ${ui.message}`}</Para> : null}
      </WidthProvider>
    </Box>
  );
}

function TabBar({ ui }: { ui: UiState }) {
  return (
    <Box>
      {SCREENS.map((s) => (
        <Text key={s.id} inverse={s.id === ui.screen} bold={s.id === ui.screen}>
          {` ${s.digit} ${s.tab} `}
        </Text>
      ))}
      <Text>{'   ? keys   '}</Text>
      <Text bold>SPACE = STOP</Text>
    </Box>
  );
}
