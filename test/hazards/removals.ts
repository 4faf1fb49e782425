/**
 * For each hazard: the protection taken away (one exact text replacement in one source file) and the
 * tests that must then fail. `npx tsx test/hazards/removal-check.ts` applies each removal in a copy of
 * the checkout, runs the named tests there and writes docs/mutation/removal-checks.md.
 * docs/HAZARDS.md cites only tests listed here (test/hazards/traceability.test.ts checks that).
 */

export interface Edit {
  file: string;
  /** Must occur exactly once in the file. */
  find: string;
  replace: string;
}

export interface Removal {
  hazard: string;
  what: string;
  edits: Edit[];
  /** Test file → names of tests in it that must fail with this removal. */
  fails: Record<string, string[]>;
}

const RULES = 'test/session/session-rules.test.ts';
const V2 = 'test/link/protocol-v2-link.test.ts';

export const REMOVALS: Removal[] = [
  {
    hazard: 'H1',
    what: 'an interrupted scs script (SIGINT, SIGTERM, SIGHUP) no longer sends STOP',
    edits: [
      { file: 'src/cli/script-interrupt.ts', find: "  controller.send({ type: 'STOP' });\n", replace: '' },
      {
        file: 'src/cli/script-interrupt.ts',
        find: '    confirmStop(link, controller.view().generator !== null),\n',
        replace: '    Promise.resolve(true as const),\n',
      },
    ],
    fails: {
      'test/cli/script-interrupt.test.ts': [
        'sends STOP, says it was confirmed, runs no further line and exits with the signal code',
      ],
    },
  },
  {
    hazard: 'H1',
    what: 'a STOP the generator never answers is retransmitted for ever, heartbeats beside it (bb4-F12)',
    edits: [
      {
        file: 'src/link/serial-generator-link.ts',
        find: '    return confirmStop(channel, this.session, this.timing.requestRetries, states).catch(',
        replace: '    return confirmStop(channel, this.session, Infinity, states).catch(',
      },
      {
        file: 'src/link/serial-generator-link.ts',
        find: ' && !this.channel.stopUnanswered(),',
        replace: ',',
      },
    ],
    fails: {
      'test/link/stop-unanswered.test.ts': [
        'is sent 1 + REQUEST_RETRIES times, then the link is lost and the STOP held, sent before HELLO',
        "ends uncommitted test output by the generator's own watchdog, as no heartbeat feeds it",
      ],
    },
  },
  {
    hazard: 'H1',
    what: 'an output off the link went down under is no longer escalated to a held STOP (bb5-N3/N4)',
    edits: [
      {
        file: 'src/session/link-down-steps.ts',
        find: '  if (offUnderWay(ctx)) return offEscalatedStep(ctx, lossReason);\n',
        replace: '',
      },
    ],
    fails: {
      'test/session/output-off-unanswered.test.ts': [
        "becomes a held STOP: no heartbeat, no HELLO, the generator's watchdog ends test output",
        "the companion's own off after a link loss: escalated the same way, never said done before it is",
        'ends as output off confirmed, not "give the command again"',
      ],
      'test/cli/script-off-unanswered.test.ts': [
        'becomes a held STOP, feeds no watchdog, says so on stderr and exits 3',
      ],
      'test/ui/output-off-unanswered.test.tsx': [
        'shows the !! line until the generator confirms output off, and no false "stops" notice',
      ],
    },
  },
  {
    hazard: 'H1',
    what: "the companion's own off after a link loss is said done before the generator confirmed it (bb5-N3)",
    edits: [
      {
        file: 'src/session/reconcile.ts',
        find: '      notices,\n      confirmed: [notice(',
        replace: '      notices: [...notices, notice(',
      },
    ],
    fails: {
      'test/session/output-off-unanswered.test.ts': [
        "the companion's own off after a link loss: escalated the same way, never said done before it is",
      ],
    },
  },
  {
    hazard: 'H10',
    what: 'our own output off answered with output on is no longer said as output still on (bb5-N3)',
    edits: [
      {
        file: 'src/session/failure-notice.ts',
        find: "  if (error instanceof OutputMismatchError && !error.requested.on && error.applied.output === 'on')\n",
        replace: '  if (false)\n',
      },
    ],
    fails: { 'test/session/output-still-on.test.ts': ['the line says output is still on and how to end it'] },
  },
  {
    hazard: 'H10',
    what: 'the bedside !! OUTPUT STILL ON line is not drawn (bb5-N3)',
    edits: [
      { file: 'src/ui/components/status-line.tsx', find: '      {view.outputStillOn ? (', replace: '      {false ? (' },
    ],
    fails: { 'test/ui/output-still-on.test.tsx': ['says OUTPUT STILL ON with a !! line, and STOP then ends it'] },
  },
  {
    hazard: 'H1',
    what: 'the machine-wide STOP handler is removed',
    edits: [
      {
        file: 'src/session/session-machine.ts',
        find: "    STOP: { target: '.stopping', actions: ['requestStop', { type: 'audit', params: 'stop' }] },\n",
        replace: '',
      },
    ],
    fails: {
      [RULES]: ['STOP from search sends STOP before anything queued after it and leaves output off'],
      'test/session/machine-coverage.test.ts': ['STOP from every stable state reaches generator-confirmed output off'],
      'test/hazards/h2-way-back.test.ts': [
        'STOP is accepted in every state, unguarded, and either stops now or is held to be sent first',
      ],
    },
  },
  {
    hazard: 'H1',
    what: 'the link no longer drops what was queued before a STOP',
    edits: [
      {
        file: 'src/link/serial-generator-link.ts',
        find: '    this.queue.drop(() => new StaleCommandError(`cancelled by STOP before it was sent`));\n',
        replace: '',
      },
    ],
    fails: {
      'test/link/serial-generator-link.test.ts': [
        'sends STOP at once beside an outstanding request and never sends what was queued behind it',
      ],
    },
  },
  {
    hazard: 'H1',
    what: 'the link retransmits a write a STOP overtook after the STOP',
    edits: [
      {
        file: 'src/link/request-channel.ts',
        find: "    if (request.type === 'STOP') this.haltWrites();\n",
        replace: '',
      },
    ],
    fails: {
      'test/link/stop-abandons-writes.test.ts': [
        'no SET or OUTPUT line goes on the wire after the STOP; the lost SET settles as not confirmed',
      ],
    },
  },
  {
    hazard: 'H1',
    what: "a write the STOP cut on the host's own paced wire is sent again after the STOP",
    edits: [
      {
        file: 'src/link/request-channel.ts',
        find: '(tag) => tag !== undefined && !isWrite(tag.request)',
        replace: '(tag) => tag !== undefined',
      },
    ],
    fails: {
      'test/link/stop-cuts-own-write.test.ts': [
        'CAN+STOP go at once; the SET’s tail is never written; the SET settles as not executed; nothing runs it later',
      ],
      'test/link/stop-cut.property.test.ts': [
        'no cut request runs; every other write, every read and every STOP arrive whole; a STOP waits ≤ PACE_AHEAD_MS',
      ],
    },
  },
  {
    hazard: 'H1',
    what: "a serial port is no longer paced: a STOP waits behind the host's whole SET in the OS",
    edits: [
      {
        file: 'src/link/serial-port-opener.ts',
        find: 'pacing: { baud: baudRate }, ',
        replace: '',
      },
    ],
    fails: {
      'test/link/pty-stop-cut.test.ts': [
        'STOP pressed right after the SET started: the SET never runs and settles as not executed',
      ],
    },
  },
  {
    hazard: 'H1',
    what: 'a STOP pressed while disconnected is no longer held for the next connection',
    edits: [
      {
        file: 'src/session/session-machine.ts',
        find: "always: [{ guard: 'stopPending', target: 'stopping' }, { target: 'syncing' }]",
        replace: "always: [{ target: 'syncing' }]",
      },
    ],
    fails: {
      [RULES]: ['STOP before connecting is sent first on connection'],
      'test/hazards/h2-way-back.test.ts': [
        'from every state, STOP and the link alone reach generator-confirmed output off',
      ],
    },
  },
  {
    hazard: 'H2',
    what: 'the blocked state (another generator) ignores STOP',
    edits: [
      {
        file: 'src/session/session-machine.ts',
        find: "REBIND: { target: 'syncing', actions: ['rebind', { type: 'audit', params: 'rebind' }] },",
        replace: "REBIND: { target: 'syncing', actions: ['rebind', { type: 'audit', params: 'rebind' }] }, STOP: {},",
      },
    ],
    fails: {
      'test/hazards/h2-way-back.test.ts': [
        'STOP is accepted in every state, unguarded, and either stops now or is held to be sent first',
      ],
    },
  },
  {
    hazard: 'H2',
    what: 'after a (re)connection a held STOP is not sent first',
    edits: [
      {
        file: 'src/session/session-machine.ts',
        find: "always: [{ guard: 'stopPending', target: 'stopping' }, { target: 'syncing' }]",
        replace: "always: [{ target: 'syncing' }]",
      },
    ],
    fails: {
      'test/hazards/h2-way-back.test.ts': [
        'from every state, STOP and the link alone reach generator-confirmed output off',
      ],
    },
  },
  {
    hazard: 'H2',
    what: 'the STOP actor reads the state instead of stopping',
    edits: [
      {
        file: 'src/session/machine-actors.ts',
        find: '({ input }) => input.link.stop());',
        replace: '({ input }) => input.link.readState());',
      },
    ],
    fails: { 'test/hazards/h2-restart.test.ts': ['${mode.name}: "${off}", then a known-safe program'] },
  },
  {
    hazard: 'H2',
    what: "the generator's out-of-window rate and pulse width are no longer replaced by their clamp",
    edits: [
      {
        file: 'src/session/base-program.ts',
        find: '    rateHz = clampRate(g.rateHz, limits).applied ?? g.rateHz;\n',
        replace: '',
      },
    ],
    fails: { 'test/hazards/h2-restart.test.ts': ['${mode.name}: "${off}", then a known-safe program'] },
  },
  {
    hazard: 'H3',
    what: 'a pulse-width change keeps the amplitude',
    edits: [
      {
        file: 'src/session/pulse-width-change.ts',
        find: '  return Math.min(amplitudeUa, floorToGrid(bound, limits.amplitudeUa) ?? limits.amplitudeUa.min);',
        replace: '  return amplitudeUa;',
      },
    ],
    fails: {
      'test/session/electrodes-weiss-width.test.ts': [
        'never raises charge per phase by more than one amplitude step, never raises amplitude',
        'lowers amplitude when pulse width doubles',
      ],
    },
  },
  {
    hazard: 'H4',
    what: 'a search step takes two steps',
    edits: [
      {
        file: 'src/session/decide-amplitude.ts',
        find: '    target = generator.amplitudeUa + step;',
        replace: '    target = generator.amplitudeUa + 2 * step;',
      },
    ],
    fails: { [RULES]: ['starts output in test mode at 0 mA and moves one step per action'] },
  },
  {
    hazard: 'H4',
    what: 'a rise of more than one step is sent at once instead of ramping',
    edits: [{ file: 'src/session/decide-amplitude.ts', find: '  if (ramp) {', replace: '  if (false && ramp) {' }],
    fails: {
      'test/session/ramp.test.ts': [
        "the issue's case: output on at 0 mA, one ↑ ramps to the sensory threshold one step per pause, shown while it runs",
        'STOP during a ramp: output off at once, the pause is not waited for, no step is sent after it',
      ],
    },
  },
  {
    hazard: 'H4',
    what: 'the minimum dwell between search steps is ignored',
    edits: [
      {
        file: 'src/session/decide-amplitude.ts',
        find: 'if (data.lastStepAt !== null && now - data.lastStepAt < data.dwellMs) {',
        replace: 'if (false) {',
      },
    ],
    fails: { [RULES]: ['a step before the dwell has passed is refused; after it, accepted'] },
  },
  {
    hazard: 'H4',
    what: 'output on starts at the amplitude last programmed instead of 0 mA',
    edits: [
      {
        file: 'src/session/decide-output.ts',
        find: 'const final = finalizeProgram({ ...base.program, amplitudeUa: 0 }, data.limits);',
        replace: 'const final = finalizeProgram({ ...base.program }, data.limits);',
      },
    ],
    fails: {
      [RULES]: ['therapy needs an explicit commit; committed therapy survives link loss, test stimulation does not'],
    },
  },
  {
    hazard: 'H5',
    what: 'an electrode change keeps the amplitude',
    edits: [
      {
        file: 'src/session/decide-program.ts',
        find: 'const program = { ...base.program, contacts: parsed.contacts, amplitudeUa: 0 };',
        replace: 'const program = { ...base.program, contacts: parsed.contacts };',
      },
    ],
    fails: { [RULES]: ['an electrode change sets amplitude to 0, discards thresholds and turns output off first'] },
  },
  {
    hazard: 'H5',
    what: 'a configuration without an anode and a cathode is accepted',
    edits: [
      {
        file: 'src/session/decide-program.ts',
        find: "  if (missing) return refuse(data, 'electrodes', shown, missing);\n",
        replace: '',
      },
    ],
    fails: { [RULES]: ['amplitude cannot rise without an anode and a cathode'] },
  },
  {
    hazard: 'H6',
    what: 'the amplitude ceiling ignores charge density',
    edits: [
      {
        file: 'src/session/amplitude-window.ts',
        find: '  const raw = Math.min(hw, byDensity);',
        replace: '  const raw = hw;',
      },
    ],
    fails: {
      'test/session/amplitude-window.test.ts': [
        'charge density narrows the window (30 µC/cm², 0.1225 cm²: 7.35 mA at 500 µs)',
      ],
      [RULES]: ['search amplitude stops at the charge-density limit (7.35 mA at 500 µs)'],
    },
  },
  {
    hazard: 'H6',
    what: 'the largest amplitude for the density limit is one µA too high',
    edits: [{ file: 'protocol/charge-density.ts', find: '  return amp;\n}', replace: '  return amp + 1;\n}' }],
    fails: {
      'test/protocol/charge-density.test.ts': [
        'property: the largest allowed amplitude is within the limit and one µA more is not',
      ],
    },
  },
  {
    hazard: 'H6',
    what: 'the current split ignores measured impedance (every contact of a polarity carries the same part)',
    edits: [
      {
        file: 'protocol/current-split.ts',
        find: '      if (other === c) divisor += ohms[i]! / ohms[j]!;',
        replace: '      if (other === c) divisor += 1;',
      },
    ],
    fails: {
      'test/protocol/current-split.test.ts': [
        'worked example: one 250 Ω cathode among four takes 4/7 (57.1 %), so 500 µs allows 12.862 mA instead of 29.4',
        'property: at the largest allowed amplitude no contact exceeds the limit, and one µA more puts one over',
      ],
      'test/session/contact-share.test.ts': [
        'one low-impedance cathode among four lowers the search ceiling to 12.85 mA at 500 µs and the refusal names it',
        'property: what the companion sends puts no contact over the limit, and the generator with the same impedances accepts it',
      ],
    },
  },
  {
    hazard: 'H6',
    what: 'without a valid impedance check the companion assumes an equal split instead of the worst case',
    edits: [
      {
        file: 'src/session/contact-share.ts',
        find: '  if (invalid !== null) return { split: worstCaseSplit(contacts), worstCaseReason: invalid };',
        replace:
          '  if (invalid !== null) return { split: impedanceSplit(contacts, Array.from(contacts, () => 1)), worstCaseReason: invalid };',
      },
    ],
    fails: {
      'test/session/contact-share.test.ts': [
        'without a valid check the whole amplitude is on one contact: never checked, after an electrode change, past 30 min, open or short',
      ],
    },
  },
  {
    hazard: 'H7',
    what: 'SET is encoded without validating it first',
    edits: [
      { file: 'protocol/codec.ts', find: "    case 'SET':\n      Request.parse(m);\n", replace: "    case 'SET':\n" },
    ],
    fails: {
      'test/fuzz/protocol-fuzz.test.ts': [
        'encoder (H7): hostile values are refused or round-trip exactly; no undecodable line is written',
      ],
    },
  },
  {
    hazard: 'H7',
    what: 'mA are converted to µA without refusing NaN or negatives',
    edits: [
      {
        file: 'src/session/units.ts',
        find: '  if (!Number.isFinite(ma) || ma < 0) throw',
        replace: '  if (false) throw',
      },
    ],
    fails: { 'test/session/electrodes-weiss-width.test.ts': ['mA ↔ µA'] },
  },
  {
    hazard: 'H8',
    what: 'the CRC is not checked',
    edits: [{ file: 'protocol/framing.ts', find: '  if (crc !== crc16Hex(body)) {', replace: '  if (false) {' }],
    fails: {
      'test/protocol/codec.test.ts': [
        'property: changing any one byte of a valid line to any other byte never decodes',
      ],
    },
  },
  {
    hazard: 'H8',
    what: 'the generator no longer answers a retransmission from its reply cache',
    edits: [
      {
        file: 'firmware-sim/session-gate.ts',
        find: '      if (cached && cached.key === contentKey(request)) return { run: false, reply: cached.reply };\n',
        replace: '',
      },
    ],
    fails: {
      'test/firmware-sim/fault-injection.test.ts': [
        'inbound duplicate: both copies answered identically, executed once',
      ],
      'test/link/serial-generator-link.test.ts': [
        'retransmits the SAME line when a reply is lost, and the generator executes it once',
      ],
    },
  },
  {
    hazard: 'H9',
    what: 'uncommitted test stimulation is kept after a link loss',
    edits: [
      {
        file: 'src/session/reconcile.ts',
        find: "  if (uncommittedTest && (reason === 'link-restored' || reason === 'reset')) {",
        replace: '  if (false) {',
      },
    ],
    fails: {
      [RULES]: ['therapy needs an explicit commit; committed therapy survives link loss, test stimulation does not'],
    },
  },
  {
    hazard: 'H9',
    what: "the generator's watchdog no longer stops test stimulation",
    edits: [
      {
        file: 'firmware-sim/stimulator-core.ts',
        find: '    const stopAt = !this.committed && now > deadline ? Math.max(deadline, last) : now;',
        replace: '    const stopAt = now;',
      },
    ],
    fails: {
      'test/firmware-sim/generator-model-time.test.ts': [
        'stops uncommitted test stimulation when the link is silent past the timeout, and says why',
      ],
    },
  },
  {
    hazard: 'H10',
    what: "the generator's read-back is not compared with the request",
    edits: [
      {
        file: 'src/link/readback.ts',
        find: '  if (!programMatches(program, applied)) throw new ReadbackMismatchError(program, applied);\n',
        replace: '',
      },
    ],
    fails: {
      'test/link/serial-generator-link.test.ts': [
        'rejects a read-back that differs from the request (ReadbackMismatchError)',
      ],
    },
  },
  {
    hazard: 'H10',
    what: 'a read-back other than the request is not kept as a difference between screen and generator',
    edits: [
      {
        file: 'src/session/machine-steps.ts',
        find: '    mismatch: mismatchFromError(ctx.mismatch, error, ctx.clock()),\n',
        replace: '    mismatch: ctx.mismatch,\n',
      },
    ],
    fails: {
      'test/session/mismatch.test.ts': [
        'a write the generator applies differently shows expected vs reported and since when',
      ],
      'test/ui/mismatch.test.tsx': ['an altered write reaches the view and the screen as a !! line until acknowledged'],
    },
  },
  {
    hazard: 'H10',
    what: 'telemetry that disagrees with the last read-back no longer triggers a re-read',
    edits: [
      {
        file: 'src/session/telemetry-check.ts',
        find: '  const g = ctx.generator;\n  if (!g) return true;\n',
        replace: '  const g = ctx.generator;\n  if (!g || g) return false;\n',
      },
    ],
    fails: {
      'test/hazards/core-reconcile.test.ts': [
        'differs on amplitude',
        'differs on output',
        'differs on a revision jump',
      ],
    },
  },
  {
    hazard: 'H13',
    what: 'the HTML export takes a session audit log of another patient or another generator',
    edits: [
      {
        file: 'src/cli/export-audit-log.ts',
        find: '  if (problem) throw new UserError(',
        replace: '  if (problem && false) throw new UserError(',
      },
    ],
    fails: {
      'test/outcomes/export-audit-binding.test.ts': [
        'refuses another patient’s log, naming both patients',
        'refuses a log of this patient on another generator, naming both generators',
        'refuses a log that names no patient',
      ],
    },
  },
  {
    hazard: 'H11',
    what: 'programs reach the link unfiltered (runOps and the amplitude decision pass the whole object they were given)',
    edits: [
      {
        file: 'src/session/machine-actors.ts',
        find: 'input.link.setProgram(therapyProgramOf(op.program))',
        replace: 'input.link.setProgram(op.program)',
      },
      {
        file: 'src/session/decide-amplitude.ts',
        find: 'const pick = therapyProgramOf;',
        replace: 'const pick = <T,>(p: T): T => p;',
      },
    ],
    fails: {
      'test/hazards/h11-therapy-fields.test.ts': [
        'every program the session hands to the link carries the four program fields and nothing else',
      ],
    },
  },
  {
    hazard: 'H11',
    what: 'the report summary copies the whole generator state',
    edits: [
      {
        file: 'src/outcomes/html/patient-html.ts',
        find: '    lastProgram: g ? summaryOf(therapyRecordOf(g)) : null,',
        replace: '    lastProgram: g ? { ...g, amplitudeMa: g.amplitudeUa / 1000 } : null,',
      },
    ],
    fails: {
      'test/hazards/h11-therapy-fields.test.ts': [
        'the report programming summary carries the program and committed, nothing else the log holds',
      ],
    },
  },
  {
    hazard: 'H12',
    what: 'STOP is not sent when the companion is told to exit',
    edits: [
      {
        file: 'src/session/confirm-stop.ts',
        find: '      link.stop().then(',
        replace: '      link.readState().then(',
      },
    ],
    fails: {
      'test/link/cli-link.test.ts': ['${signal} sends STOP to a real generator on a pseudo-terminal before exiting'],
    },
  },
  {
    hazard: 'H12',
    what: 'requests queued when the link drops are kept (and sent after reconnect)',
    edits: [
      {
        file: 'src/link/serial-generator-link.ts',
        find: '    this.queue.drop(() => new DisconnectedError(`not sent: ${reason}`));\n',
        replace: '',
      },
    ],
    fails: {
      'test/hazards/h12-no-stale-command.test.ts': [
        'a SET queued behind a request that never gets its reply is rejected and never reaches the generator',
      ],
    },
  },
  {
    hazard: 'H13',
    what: 'every generator counts as the bound one',
    edits: [
      {
        file: 'src/session/connection-steps.ts',
        find: '  return !ctx.binding || (ctx.binding.serial === ctx.identity.serial && ctx.binding.proto === ctx.identity.proto);',
        replace: '  return true;',
      },
    ],
    fails: {
      'test/hazards/core-h13-binding.test.ts': [
        'a generator swapped on the same link mid-session: blocked, every programming intent refused, nothing sent',
        'output off and STOP still work on the unbound generator',
        're-binding is explicit, discards the thresholds of the other generator, and then programming works',
        'the same serial with another protocol version is a different binding',
      ],
      [RULES]: ['a different generator blocks programming until re-bound'],
    },
  },
  {
    hazard: 'H13',
    what: "a patient's stored generator binding is no longer given to the session",
    edits: [
      {
        file: 'src/session/patient-binding.ts',
        find: 'get binding() {\n      return stored;\n    },',
        replace: 'get binding() {\n      return null;\n    },',
      },
    ],
    fails: {
      'test/hazards/h13-stored-binding.test.ts': [
        'after a restart, a generator with another serial is blocked: programming refused, STOP still works',
        'rebind stores the new binding (appended, the old one kept) and the next run programs normally',
        'a restart with another generator is blocked until the REBIND key, which is stored',
      ],
    },
  },
  {
    hazard: 'H13',
    what: 'the binding the session takes is no longer stored for the patient',
    edits: [
      {
        file: 'src/session/patient-binding.ts',
        find: '          .then(() => store.record(patientId, next))\n',
        replace: '',
      },
    ],
    fails: {
      'test/hazards/h13-stored-binding.test.ts': [
        'first run binds and stores; a restart with the same generator programs normally',
        'after a restart, a generator with another serial is blocked: programming refused, STOP still works',
        'rebind stores the new binding (appended, the old one kept) and the next run programs normally',
        'a restart with another generator is blocked until the REBIND key, which is stored',
      ],
    },
  },
  {
    hazard: 'H13',
    what: "with PostgreSQL away, the station's local copy of the binding is not given to the session",
    edits: [
      {
        file: 'src/session/server-patient-binding.ts',
        find: '      bound = kept.binding;\n',
        replace: '      bound = null;\n',
      },
    ],
    fails: {
      'test/store/binding-outage.test.ts': [
        'programs and stops from the station’s local copy, keeps a re-bind and diary entries, and sends each once when the server is back',
      ],
    },
  },
  {
    hazard: 'H13',
    what: "a station's late re-bind is stored over another station's newer binding",
    edits: [
      {
        file: 'src/session/rebind-decision.ts',
        find: "  return sameBinding(onServer, base) ? 'store' : 'conflict';",
        replace: "  return 'store';",
      },
    ],
    fails: {
      'test/store/binding-outage.test.ts': [
        'a re-bind made while away that another station overtook is a conflict: shown, the server’s binding stands',
      ],
      'test/store/rebind-decision.test.ts': [
        'stores only when the server still holds what the station replaced; never over another binding',
      ],
    },
  },
  {
    hazard: 'H14',
    // Forgetting only the revision changes nothing observable: a moved revision alone is not an outside
    // change (reconcile.ts changedOutside compares the program with the last read-back), so the
    // protection is adopting the read-back itself — program and revision — after the companion's write.
    what: 'the companion forgets its own read-back (the program and revision its write produced)',
    edits: [
      {
        file: 'src/session/machine-steps.ts',
        find: '    generator: state,\n    expectedRev: state.programRev,\n    pending: isMeasurement(next)',
        replace: '    pending: isMeasurement(next)',
      },
    ],
    fails: {
      'test/hazards/core-h14-false-alarms.test.ts': [
        'read at 0 mA → program → read → stimulate → read → off → read: no alarm',
        "property: any sequence of the person's intents, each followed by echoes and re-reads, raises no alarm",
      ],
    },
  },
  {
    hazard: 'H15',
    what: 'generator events (battery low, stopped) are no longer shown',
    edits: [
      {
        file: 'src/session/event-news.ts',
        find: '  return { ...reset, toldEvents: news.told, notices: withNotices({ ...ctx, outcome: null }, [news.tell]).notices };',
        replace: '  return { ...reset, toldEvents: news.told };',
      },
    ],
    fails: {
      'test/hazards/core-h15-battery.test.ts': [
        'battery low and battery empty reach the session as warnings, with output off confirmed',
      ],
    },
  },
  {
    hazard: 'H15',
    what: 'the shown battery estimate follows every reading, up as well as down',
    edits: [
      {
        file: 'src/session/battery-monitor.ts',
        find: '  const pct = m.pct === null ? r.pct : Math.min(m.pct, r.pct);',
        replace: '  const pct = r.pct;',
      },
    ],
    fails: {
      'test/session/battery-monitor.test.ts': [
        'property: the shown estimate never rises over readings from one source',
        'a reported rise is not shown; only a new boot id (another battery) resets the estimate and the warnings',
      ],
      'test/hazards/h15-battery-curves.test.tsx': [
        'in a session: telemetry drives the estimate and warnings, a reported rise is not shown, the status line says it',
      ],
    },
  },
  {
    hazard: 'H15',
    what: 'no battery-low warning',
    edits: [{ file: 'src/session/battery-monitor.ts', find: '  if (low && !warned.low) {', replace: '  if (false) {' }],
    fails: {
      'test/session/battery-monitor.test.ts': [
        'property: each threshold crossing gives exactly one warning, at the reading that crosses it',
      ],
      'test/hazards/h15-battery-curves.test.tsx': [
        "property: warnings come before the generator's battery-low fault and before battery-empty stops output",
      ],
    },
  },
  {
    hazard: 'H15',
    what: 'no warning when the output time left falls under the margin',
    edits: [
      {
        file: 'src/session/battery-monitor.ts',
        find: '  if (remainingMs !== null && remainingMs <= config.marginMs && !warned.time) {',
        replace: '  if (false) {',
      },
    ],
    fails: {
      'test/session/battery-monitor.test.ts': [
        'property: the time-left warning comes once per fall under the margin (re-armed only well above it)',
      ],
      'test/hazards/h15-battery-curves.test.tsx': [
        "at the simulator's default drain the time-left warning leaves the margin: 2 h of output or more",
      ],
    },
  },
  {
    hazard: 'H15',
    what: "the generator's own battery faults no longer count as crossing the low threshold",
    edits: [
      {
        file: 'src/session/battery-monitor.ts',
        find: "pct <= config.lowPct || faults.includes('battery-low') || faults.includes('battery-empty');",
        replace: 'pct <= config.lowPct;',
      },
    ],
    fails: {
      'test/session/battery-monitor.test.ts': [
        "counts the generator's own battery faults as crossings, whatever the thresholds",
      ],
    },
  },
  {
    hazard: 'H15',
    what: 'telemetry no longer feeds the battery monitor',
    edits: [
      {
        file: 'src/session/machine-transitions.ts',
        find: "        { actions: ['noteTelemetry', 'noteBattery', 'auditBattery'] },",
        replace: "        { actions: 'noteTelemetry' },",
      },
    ],
    fails: {
      'test/hazards/h15-battery-curves.test.tsx': [
        'in a session: telemetry drives the estimate and warnings, a reported rise is not shown, the status line says it',
      ],
    },
  },
  {
    hazard: 'H16',
    what: 'late entries are not flagged',
    edits: [
      {
        file: 'src/diary/data-quality.ts',
        find: '    if (delay > lateMs) late.push(flag);',
        replace: '    if (false) late.push(flag);',
      },
    ],
    fails: {
      'test/diary/data-quality.test.ts': [
        'flags entries recorded more than the delay after the time they describe, in the reasons',
      ],
    },
  },
  {
    hazard: 'H16',
    what: 'missing days are not reported',
    edits: [
      {
        file: 'src/diary/data-quality.ts',
        find: '    for (const day of expectedDays(first, last)) if (!seen.has(day)) missingDays.push(day);',
        replace: '',
      },
    ],
    fails: { 'test/diary/data-quality.test.ts': ['reports days without entries and never fills them in'] },
  },
  {
    hazard: 'H16',
    what: 'a day the trial barely covers is reported missing (issue 14)',
    edits: [
      {
        file: 'src/diary/data-quality.ts',
        find: '    if (covered >= EXPECTED_DAY_HOURS * 3_600_000) days.push',
        replace: '    if (covered > 0) days.push',
      },
    ],
    fails: {
      'test/diary/trial-boundaries.test.ts': [
        'does not report the last morning of a trial that ends at 08:00 on day 8',
      ],
    },
  },
  {
    hazard: 'H16',
    what: 'entries outside the trial dates count towards the verdict (issue 14)',
    edits: [
      {
        file: 'src/diary/trial-boundaries.ts',
        find: '    const why = outsideTrial(e, dates);',
        replace: '    const why = null as OutsideReason | null;',
      },
    ],
    fails: {
      'test/diary/trial-boundaries.test.ts': [
        'leave a trial-phase entry typed years later out of the verdict and name it by id and time',
      ],
    },
  },
  {
    hazard: 'H16',
    what: 'add and correct store an entry outside the trial without --outside-trial (issue 14)',
    edits: [
      {
        file: 'src/cli/diary-context.ts',
        find: "  if (!values['outside-trial'])",
        replace: '  if (false as boolean)',
      },
    ],
    fails: {
      'test/diary/diary-trial-cli.test.ts': [
        'diary add refuses it (exit 1, nothing stored) and stores it with --outside-trial, with a warning',
        'diary correct --at that moves an entry outside the trial is refused unless --outside-trial',
      ],
    },
  },
  {
    hazard: 'H17',
    what: "a held STOP's confirmation pushes the outside-change warning found on the same reconnection off the last-notice line",
    edits: [
      {
        file: 'src/ui/session-view.ts',
        find: '      const shown = (settlesStop(n) && warningNotAnswered(notices, i)) || n;',
        replace: '      const shown = n;',
      },
    ],
    fails: {
      'test/ui/held-stop-last-notice.test.tsx': [
        'keeps the outside-change warning as the last notice; the confirmation replaces only "STOP held"',
      ],
      'test/ui/session-view.test.ts': [
        'a STOP confirmation replaces only the STOP warning it answers: a newer warning stays the last notice (bb5-N7)',
      ],
    },
  },
  {
    hazard: 'H17',
    what: 'a program revision the companion did not cause is not noticed',
    edits: [
      {
        file: 'src/session/reconcile.ts',
        find: "    expectedRev !== null &&\n    state.programRev !== expectedRev &&\n    reason !== 'reset' &&\n    reason !== 'connect' &&\n    changedOutside(data.generator, state);",
        replace: '    false as boolean;',
      },
    ],
    fails: {
      'test/hazards/h17-remote-change.test.ts': [
        'during committed therapy: remote amp 2.5 is shown as found, outside the window, and stays',
        'during test stimulation: the change is adopted as the new starting point; the next step moves from it, inside the window',
      ],
      [RULES]: ['a program change made elsewhere is shown and never overwritten'],
    },
  },
  {
    hazard: 'H1',
    what: 'STOP while the link is down waits in `stopping` for the link instead of being held and answered at once',
    edits: [
      {
        file: 'src/session/session-machine.ts',
        find: "        STOP: { actions: ['requestStop', 'holdStop', { type: 'audit', params: 'stop' }] },\n",
        replace: '',
      },
    ],
    fails: {
      'test/session/script-link-loss.test.ts': [
        'stop while the link is down is answered at once as held, and its confirmation is a notice when the link returns',
      ],
    },
  },
  {
    hazard: 'H9',
    what: 'a script line reached while the link is down is refused at once instead of waiting for the link',
    edits: [
      {
        file: 'src/session/script-runner.ts',
        find: '      if (!NEVER_WAITS.has(action.type)) await linkBack(controller, options.linkWaitMs ?? LINK_WAIT_MS, options.signal);\n',
        replace: '',
      },
    ],
    fails: {
      'test/session/script-link-loss.test.ts': [
        'a line typed while the link is down waits for it and runs; the loss and the return are on the lines they happened in',
      ],
    },
  },
  {
    hazard: 'H9',
    what: 'the loss of the link is not said',
    edits: [
      {
        file: 'src/session/session-machine.ts',
        find: "'unconfirmed', 'holdStop', 'noteLinkLost', 'noteStatus'",
        replace: "'unconfirmed', 'holdStop', 'noteStatus'",
      },
    ],
    fails: {
      'test/session/script-link-loss.test.ts': [
        'a line typed while the link is down waits for it and runs; the loss and the return are on the lines they happened in',
      ],
      'test/session/script-link-loss-sim.test.ts': [
        'waits for the link, holds stop and says when it was confirmed, and says when the link went and came back',
      ],
    },
  },
  {
    hazard: 'H4',
    what: 'a ramp cut short by a surprise keeps its request accepted',
    edits: [{ file: 'src/session/machine-steps.ts', find: '      !!ctx.rampCut,\n', replace: '      false,\n' }],
    fails: {
      'test/session/ramp-cut-short.test.ts': [
        'is not accepted, and says where amplitude stopped and why (event)',
        'is not accepted, and says where amplitude stopped and why (telemetry only)',
      ],
    },
  },
  {
    hazard: 'H10',
    what: 'the commit claims "therapy committed" before the generator confirmed it',
    edits: [
      {
        file: 'src/session/decide-output.ts',
        find: "    confirmed: [notice('info', 'mode', 'therapy', 'therapy', 'therapy committed to the generator')],",
        replace: "    notices: [notice('info', 'mode', 'therapy', 'therapy', 'therapy committed to the generator')],",
      },
    ],
    fails: {
      'test/session/ramp-cut-short.test.ts': [
        'the commit line when its reply is lost says "not confirmed" only, never "therapy committed"',
      ],
    },
  },
  {
    hazard: 'H17',
    what: 'the outside-change warning is no longer raised, so it reaches neither the report nor the screen',
    edits: [
      {
        file: 'src/session/reconcile.ts',
        find: '  const notices: Notice[] = externalChange ? outsideChangeNotices(data, expectedRev, state) : [];',
        replace: '  const notices: Notice[] = [];',
      },
    ],
    fails: {
      'test/session/script-outside-change.test.ts': [
        'remote amp while stimulating and remote rate / pw while off each reach the JSON line of the wait they happened in',
      ],
      'test/session/notice-delivery.test.ts': [
        "the issue's case: a remote change during a wait is on the wait line, not lost",
      ],
      'test/session/event-once.test.ts': [
        'property: remote changes and watchdog stops, each line copied at once or late: one notice per distinct event',
      ],
    },
  },
  {
    hazard: 'H17',
    what: 'a copy of a generator event line (duplicated or delayed on the wire) is told again',
    edits: [
      { file: 'src/session/event-news.ts', find: '  if (copy) return { repeat: true };', replace: '  void copy;' },
    ],
    fails: {
      'test/session/event-once.test.ts': [
        'property: remote changes and watchdog stops, each line copied at once or late: one notice per distinct event',
        'eventNews: a copy after the re-read, a battery warning again, a boot already known are not news',
      ],
    },
  },
  {
    hazard: 'H17',
    what: "the remote's program-changed event gets a notice of its own beside the re-read's warning",
    edits: [
      {
        file: 'src/session/event-news.ts',
        find: "  if (e.kind === 'program-changed') return { read: true };",
        replace: '',
      },
    ],
    fails: {
      'test/session/event-once.test.ts': [
        'property: remote changes and watchdog stops, each line copied at once or late: one notice per distinct event',
      ],
      'test/session/script-duplicate-events.test.ts': [
        'two remote changes during a wait: one warning each, no notice repeated',
      ],
    },
  },
  {
    hazard: 'H17',
    what: 'a reconnection does not compare the state found with what the companion last left',
    edits: [
      {
        file: 'src/session/connection-steps.ts',
        find: '    ? reconnectNotices(dataOf(ctx), ctx.expectedRev!, handshake.state, ctx.unconfirmed ?? null)\n',
        replace: '    ? { notices: [], externalChange: true }\n',
      },
    ],
    fails: {
      'test/session/script-change-while-unplugged.test.ts': [
        'is reported on reconnection as changed outside the companion, with the out-of-window warning, and audited',
      ],
      'test/session/reconnect-unconfirmed.test.ts': [
        'a change made elsewhere while the link was down is warned about on reconnection (H17), out-of-window too',
      ],
    },
  },
  {
    hazard: 'H17',
    what: 'a request settled on reconnection is confirmed whenever the generator holds what it asked (rev not checked: bb3 F-H2)',
    edits: [
      {
        file: 'src/session/reconnect-check.ts',
        find: "  if (explainedBy(applied, expectedRev, writes, state)) return short ? 'rampCut' : 'confirmed';\n",
        replace:
          "  if ((Object.keys(asked) as Array<keyof Asked>).every((k) => state[k] === applied[k])) return short ? 'rampCut' : 'confirmed';\n",
      },
    ],
    fails: {
      'test/session/reconnect-commit-found.test.ts': [
        'is not "confirmed" when the remote changed the amplitude meanwhile: not confirmed, changed outside, out of window',
        'is not "confirmed" when the rev moved by more than its own write, even inside the window',
        'confirms only rev +1 with what was asked and the rest unchanged',
      ],
    },
  },
  {
    hazard: 'H4',
    what: 'a ramp the link loss cut short is "confirmed after reconnection" at its last step (bb6-N5)',
    edits: [
      {
        file: 'src/session/reconnect-check.ts',
        find: '  const short = u.ops.length === 0 && !!u.ramp && asked.amplitudeUa !== u.ramp.targetUa;\n',
        replace: '  const short = false;\n',
      },
    ],
    fails: {
      'test/session/reconnect-ramp-cut.test.ts': [
        'is not "confirmed after reconnection" when the generator holds a step short of the target',
      ],
    },
  },
  {
    hazard: 'H1',
    what: 'a change a STOP cut (never run) is not told "not executed" on the STOP\'s line (bb6-N7)',
    edits: [
      {
        file: 'src/session/stop-steps.ts',
        find: '  const cut = changeUnderWay(ctx);\n',
        replace: '  const cut = null;\n',
      },
    ],
    fails: {
      'test/session/stop-cuts-change.test.ts': ["the STOP's line says the cut change was not executed, naming it"],
    },
  },
  {
    hazard: 'H17',
    what: 'the ACK of our own output off is adopted whatever rev and program it carries (bb3 F-H1)',
    edits: [
      {
        file: 'src/session/machine-steps.ts',
        find: '  const outside = offFoundChanged(ctx, state);\n',
        replace: '  const outside = false;\n',
      },
    ],
    fails: {
      'test/session/off-outside-change.test.ts': [
        'is warned as changed outside the companion, shown as found; the off stays confirmed',
      ],
    },
  },
  {
    hazard: 'H17',
    what: 'the rest of a command is sent after our own output off whose ACK shows an outside change (bb4-F10)',
    edits: [
      {
        file: 'src/session/off-check.ts',
        find: '  if (base && off && more && !offExplained(base.state, base.rev, ack)) throw new OutsideChangeError(base.rev, ack);\n',
        replace: '',
      },
    ],
    fails: {
      'test/session/outside-change-before-rest.test.ts': [
        'electrodes: the rest is not sent; warned, shown as found, kept as a mismatch',
        'pulse width: the rest is not sent; warned, shown as found, kept as a mismatch',
        'rate: the rest is not sent; warned, shown as found, kept as a mismatch',
      ],
    },
  },
  {
    hazard: 'H10',
    what: 'a pw / electrodes change discards the window and claims amplitude 0 before the generator confirmed it (bb5-N1)',
    edits: [
      {
        file: 'src/session/decide-program.ts',
        find: '      [...extra, ...off.notices, ...final.notices],\n    ),\n    ...(confirmed.length ? { confirmed } : {}),\n    ...(Object.keys(confirmedPatch).length ? { confirmedPatch } : {}),\n',
        replace:
          '      [...extra, ...confirmed, ...off.notices, ...final.notices],\n      Object.keys(confirmedPatch).length ? { ...confirmedPatch, thresholds: [] } : {},\n    ),\n',
      },
    ],
    fails: {
      'test/session/unmade-program-change.test.ts': [
        'pw 400 not completed (outside change found by our output off): window kept, no false notice',
        'electrodes not completed (outside change found by our output off): window kept, no false notice',
        'pw 400 refused REV_MISMATCH with output off: window kept, no false notice',
        'electrodes refused REV_MISMATCH with output off: window kept, no false notice',
        'pw 400 with the link lost before its SET reached the generator: window kept, nothing claimed',
        'electrodes with the link lost before its SET reached the generator: window kept, nothing claimed',
      ],
      'test/ui/impedance-after-unmade-change.test.tsx': [
        'an electrode change the generator refused leaves the impedance shares in force, no WORST CASE',
      ],
    },
  },
  {
    hazard: 'H10',
    what: 'thresholds no longer follow the program the generator confirmed (bb5-N1)',
    edits: [
      {
        file: 'src/session/program-thresholds.ts',
        find: '  const dropped = data.thresholds.filter((r) => !sameProgram(r, program));\n',
        replace: '  const dropped: ThresholdRecord[] = [];\n',
      },
    ],
    fails: {
      'test/session/program-thresholds.test.ts': [
        'property: the measured window is kept iff the confirmed pulse width and electrodes are those it was measured on',
      ],
      'test/session/unmade-program-change.test.ts': [
        'pw 400 confirmed by the generator: thresholds discarded and estimated, said on its line',
        'electrodes confirmed by the generator: amplitude to 0 and thresholds discarded, said on its line',
        'a SET applied whose reply was lost: found applied on reconnection, thresholds discarded and said',
      ],
    },
  },
  {
    hazard: 'H17',
    what: 'a remote pulse-width / contacts change drops the window without saying so (bb5 nit)',
    edits: [
      {
        file: 'src/session/program-thresholds.ts',
        find: '  return { ...patch, ...follow.patch, ...(told ? withNotices(after, [told]) : {}) };\n',
        replace: '  return { ...patch, ...follow.patch };\n',
      },
    ],
    fails: {
      'test/session/unmade-program-change.test.ts': [
        "remote pulse width 600 µs found by the STOP's re-read: window dropped with one notice",
        "remote contacts 1- 3+ found by the STOP's re-read: window dropped with one notice",
        'a SET applied whose reply was lost: found applied on reconnection, thresholds discarded and said',
      ],
    },
  },
  {
    hazard: 'H17',
    what: "telemetry showing the ramp's own step before its ACK is taken for an outside change",
    edits: [
      {
        file: 'src/session/session-machine.ts',
        find: "          guard: 'rampTelemetryDiffers',\n",
        replace: "          guard: 'telemetryDiffers',\n",
      },
    ],
    fails: {
      'test/session/ramp-own-step-telemetry.test.ts': [
        "is the companion's own change: no outside-change warning, the ramp reaches its target, accepted",
      ],
    },
  },
  {
    hazard: 'H10',
    what: 'a request the link went down under is not settled by the state found on reconnection',
    edits: [
      {
        file: 'src/session/connection-steps.ts',
        find: '    ? reconnectNotices(dataOf(ctx), ctx.expectedRev!, handshake.state, ctx.unconfirmed ?? null)\n',
        replace: '    ? reconnectNotices(dataOf(ctx), ctx.expectedRev!, handshake.state, null)\n',
      },
    ],
    fails: {
      'test/session/reconnect-unconfirmed.test.ts': [
        'is "not confirmed" at once, then "confirmed after reconnection" when the generator holds it, never an outside change',
        'is "not applied" after reconnection only when the generator state did not move',
      ],
    },
  },
  {
    hazard: 'H1',
    what: 'the generator no longer treats a CRC-valid STOP line with unreadable fields as a STOP',
    edits: [
      {
        file: 'firmware-sim/generator-server.ts',
        find: '      const stopSeq = stopSeqOf(line);\n',
        replace: '      const stopSeq: number | undefined = undefined;\n',
      },
    ],
    fails: {
      'test/firmware-sim/stop-never-refused.test.ts': [
        'the tester STOP with an upper-case sess stops output and is ACKed with its seq',
      ],
    },
  },
  {
    hazard: 'H1',
    what: 'the generator refuses an OUTPUT on=0 that lacks sess, rev, mode or a readable seq (BAD_FIELD)',
    edits: [
      {
        file: 'firmware-sim/generator-server.ts',
        find: '      const offSeq = outputOffSeqOf(line);\n',
        replace: '      const offSeq: number | undefined = undefined;\n',
      },
    ],
    fails: {
      'test/protocol/spec-answers-v22.test.ts': [
        'OUTPUT on=0 turns output off whatever else is missing or broken (sess, rev, mode, seq), answered with the full state (v2.2)',
      ],
    },
  },
  {
    hazard: 'H8',
    what: "a late copy of a HELLO from before the companion's renewal opens a new session (ends the renewed one)",
    edits: [
      {
        file: 'firmware-sim/session-gate.ts',
        find: '    if (hello.seq - s.hi > HELLO_SEQ_HORIZON) {',
        replace: '    if (false) {',
      },
    ],
    fails: {
      'test/protocol/spec-answers-v22.test.ts': [
        'after a renewal (same cid, seq back to 1) a late copy of a HELLO from before it is STALE_SEQ and ends nothing (v2.2)',
      ],
    },
  },
  {
    hazard: 'H1',
    what: "STOP's ACK no longer overtakes replies queued in the generator's transmit queue",
    edits: [
      {
        file: 'firmware-sim/transmit-queue.ts',
        find: '  return STOP_ACK.test(line) ? 0 : 1;\n',
        replace: '  return 1;\n',
      },
    ],
    fails: {
      'test/firmware-sim/stop-ack-first.test.ts': [
        'a STOP arriving while big replies wait for a slow reader is answered before them; the rest keep request order',
      ],
    },
  },
  {
    hazard: 'H1',
    what: "the generator's UART no longer cuts the line on the wire for STOP's ACK",
    edits: [
      {
        file: 'firmware-sim/uart-transmitter.ts',
        find: '    if (this.cuts && item.rank === 0) this.stopArrived(item.queuedAt);\n',
        replace: '',
      },
    ],
    fails: {
      'test/firmware-sim/stop-cuts-line.test.ts': [
        'a STOP arriving mid-transmission of a long reply gets its ACK before the rest of that line',
        'the torn line is re-sent whole and the host gets it exactly once, after the STOP ACK',
      ],
    },
  },
  {
    hazard: 'H1',
    what: 'CAN no longer discards the partial line before it',
    edits: [{ file: 'protocol/line-splitter.ts', find: '    if (can >= 0) {\n', replace: '    if (can < -1) {\n' }],
    fails: {
      'test/firmware-sim/torn-line.test.ts': [
        'a CAN-prefixed STOP right after a torn line on the same connection stops at once (blackbox-12 #7)',
      ],
      'test/link/stop-confirmed-on-ack.test.ts': [
        "a reply torn by CAN for STOP's ACK is discarded unseen; its whole copy is taken once; nothing counted",
      ],
      'test/firmware-sim/overrun-ends.test.ts': ['a CAN ends it: the STOP right after line noise runs'],
    },
  },
  {
    hazard: 'H1',
    what: 'CAN no longer ends the overrun discard: the STOP written after line noise is swallowed with it (bb3 F-L10)',
    edits: [
      {
        file: 'protocol/line-splitter.ts',
        find: '      this.push(buf.subarray(0, can));\n      this.reset();\n',
        replace:
          '      this.push(buf.subarray(0, can));\n      const discarding = this.discarding;\n      this.reset();\n      this.discarding = discarding;\n',
      },
    ],
    fails: {
      'test/firmware-sim/overrun-ends.test.ts': ['a CAN ends it: the STOP right after line noise runs'],
    },
  },
  {
    hazard: 'H1',
    what: 'STOP is no longer confirmed on its short ACK: the link waits for a STATE read when a SET was overtaken',
    edits: [
      {
        file: 'src/link/stop-path.ts',
        find: '  if (shown) {\n',
        replace: '  if (shown && !shown) {\n',
      },
    ],
    fails: {
      'test/link/stop-confirmed-on-ack.test.ts': [
        'link.stop() resolves on the short ACK, before any STATE reply; the re-read comes after, for the view',
        'the session shows STOP confirmed (output off, the program its own step left) before any STATE reply',
      ],
    },
  },
  {
    hazard: 'H6',
    what: 'OUTPUT on=1 no longer re-checks charge density with the impedances now',
    edits: [
      {
        file: 'firmware-sim/generator-model.ts',
        find: '    if (density) return this.nak(r.seq, density.code, density.message);\n',
        replace: '',
      },
    ],
    fails: {
      'test/firmware-sim/density-at-output.test.ts': [
        'test -> therapy is re-checked too: the commit is refused and the test output it would commit stops',
      ],
    },
  },
  {
    hazard: 'H1',
    what: '`output off` while the link is down is refused instead of held and sent first like STOP',
    edits: [
      {
        file: 'src/session/session-machine.ts',
        find: "        OUTPUT_OFF: { actions: ['holdOutputOff', 'holdStop', { type: 'audit', params: 'decision' }] },\n",
        replace: '',
      },
    ],
    fails: {
      'test/link/output-off-held.test.ts': [
        'is held, said to be held, and sent first (STOP before HELLO) when the port comes back',
      ],
    },
  },
  {
    hazard: 'H10',
    what: 'a request the link went down under keeps its accepted outcome',
    edits: [
      {
        file: 'src/session/session-machine.ts',
        find: "actions: ['unconfirmed', 'holdStop', 'noteLinkLost', 'noteStatus',",
        replace: "actions: ['holdStop', 'noteLinkLost', 'noteStatus',",
      },
    ],
    fails: {
      'test/session/script-faults.test.ts': [
        'a line is accepted only when the generator acknowledged it; otherwise it says it was not confirmed and why',
      ],
    },
  },
  {
    hazard: 'H1',
    what: 'a STOP pressed while the handshake is under way waits for a later connection',
    edits: [
      {
        file: 'src/link/serial-generator-link.ts',
        find: '    const channel = this.channel ?? this.opening;\n',
        replace: '    const channel = this.channel;\n',
      },
    ],
    fails: {
      'test/link/stop-during-handshake.test.ts': [
        'goes on the opening connection at once and is confirmed before the handshake ends',
      ],
    },
  },
  {
    hazard: 'H12',
    what: 'scs start killed while its link is still connecting exits without STOP',
    edits: [
      {
        file: 'src/cli/start-command.ts',
        find: "  if (link.status === 'disconnected') return false;",
        replace: "  if (link.status !== 'connected' && link.status !== 'reconnecting') return false;",
      },
    ],
    fails: {
      'test/link/stop-during-handshake.test.ts': [
        'scs start on SIGINT/SIGTERM: stopBeforeExit sends STOP while the link is still connecting',
      ],
    },
  },
  {
    hazard: 'H12',
    what: 'a way out (UI quit, interrupted script, scs start) while the link is still connecting sends no STOP',
    edits: [
      {
        file: 'src/session/confirm-stop.ts',
        find: "  if (link.status === 'disconnected' || (link.status === 'reconnecting' && !generatorSeen)) return unseen;",
        replace:
          "  if (link.status !== 'connected' && (link.status !== 'reconnecting' || !generatorSeen)) return unseen;",
      },
    ],
    fails: {
      'test/link/stop-during-handshake.test.ts': [
        'scs start on SIGINT/SIGTERM: stopBeforeExit sends STOP while the link is still connecting',
        'the UI and an interrupted script (confirmStop) send STOP while the link is still connecting, no state read yet',
      ],
    },
  },
  {
    hazard: 'H8',
    what: 'the companion does not re-read STATE after a STALE_SEQ to its own request',
    edits: [
      {
        file: 'src/link/request-queue.ts',
        find:
          '          await this.host\n' +
          '            .reread(channel, (request) => this.sendChecked(channel, request))\n' +
          '            .catch((failure: Error) => this.afterFailure(channel, failure));\n',
        replace: '          void 0;\n',
      },
    ],
    fails: {
      'test/link/stale-seq-reread.test.ts': [
        're-reads STATE before anything else, keeps the link, and reports the request as refused',
      ],
    },
  },
  {
    hazard: 'H8',
    what: 'the reply cache answers any old seq, not only the newest',
    edits: [
      {
        file: 'firmware-sim/session-gate.ts',
        find: 'const cached = request.seq === s.hi ? this.cache.get(request.seq) : undefined;',
        replace: 'const cached = this.cache.get(request.seq);',
      },
    ],
    fails: {
      'test/firmware-sim/generator-model-time.test.ts': [
        "an OUTPUT on=1 retransmitted after a STOP gets STALE_SEQ, never its cached 'out=on' ACK (blackbox-12 #6)",
      ],
    },
  },
  {
    hazard: 'H9',
    what: 'the generator keeps a stalled partial line (no inter-byte timeout)',
    edits: [
      {
        file: 'firmware-sim/generator-server.ts',
        find: 'if (splitter.partial && at - lastByteMs > interByteTimeoutMs) {',
        replace: 'if (false) {',
      },
    ],
    fails: {
      'test/firmware-sim/torn-line.test.ts': [
        'cut after its CRC and left more than the inter-byte timeout: dropped even before a bare newline',
      ],
      'test/firmware-sim/overrun-ends.test.ts': [
        'a stall of the inter-byte timeout ends it; without CAN or stall the next line is discarded with the noise',
      ],
    },
  },
  {
    hazard: 'H9',
    what: "any session's lines feed the watchdog",
    edits: [
      {
        file: 'firmware-sim/generator-model.ts',
        find: '    return request.sess === s.sess;\n',
        replace: '    return true;\n',
      },
    ],
    fails: {
      'test/firmware-sim/generator-model-time.test.ts': [
        "while a session is open, another session's or no session's HB/STATE does not feed it (§7)",
      ],
    },
  },
  {
    hazard: 'H8',
    what: 'the generator runs a SET/OUTPUT that is not newer than the newest of its session (protocol v2)',
    edits: [
      { file: 'firmware-sim/session-gate.ts', find: '    if (request.seq <= s.hi) {', replace: '    if (false) {' },
    ],
    fails: {
      'test/firmware-sim/session-order.property.test.ts': [
        'property: any delays, duplicates, reorderings, reconnects, new companions and resets',
        'a held SET released after 64 newer requests (longer than any cache) does not run',
      ],
      'test/reliability/late-lines-v1-repro.test.ts': [
        'held SET/OUTPUT originals released 64 lines later never run; output never comes back on after stop',
      ],
    },
  },
  {
    hazard: 'H8',
    what: 'the generator runs a SET/OUTPUT of another session (protocol v2)',
    edits: [
      { file: 'firmware-sim/session-gate.ts', find: '    if (request.sess !== s.sess) {', replace: '    if (false) {' },
    ],
    fails: {
      'test/firmware-sim/session-order.property.test.ts': [
        'property: any delays, duplicates, reorderings, reconnects, new companions and resets',
      ],
      'test/reliability/stale-lines.test.ts': [
        'refuses a SET or OUTPUT of an earlier session (STALE_SESSION) or an older seq (STALE_SEQ), executes nothing, and still accepts STOP',
      ],
    },
  },
  {
    hazard: 'H8',
    what: 'the companion never renews its session before the sequence numbers run out (lock-out)',
    edits: [
      {
        file: 'src/link/companion-session.ts',
        find: '    if (this.seq.nearLimit) this.seq.restart(this.helloSeq === 1 ? 2 : 1);\n',
        replace: '',
      },
    ],
    fails: {
      'test/link/million-requests.test.ts': [
        '1.2 million requests across the end of the seq space: never stale, never locked out, output kept through the renewal',
      ],
      'test/link/serial-generator-link.test.ts': [
        'never wraps inside a session: near the end of the seq space it opens a new session (same cid) and output keeps running',
      ],
    },
  },
  {
    hazard: 'H9',
    what: 'OUTPUT on=1 mode=test silently turns committed therapy back into test stimulation',
    edits: [
      {
        file: 'firmware-sim/generator-model.ts',
        find: "    if (r.mode === 'test' && this.output === 'on' && this.mode === 'therapy') {",
        replace: '    if (false) {',
      },
    ],
    fails: {
      [V2]: ['OUTPUT on=1 mode=test during committed therapy is refused (MODE_CHANGE) and therapy keeps running'],
      'test/firmware-sim/mode-switch.test.ts': [
        'property: whatever the requests, running therapy never becomes test output without output off in between',
        'OUTPUT on=1 mode=test during therapy: MODE_CHANGE, therapy keeps running; after on=0, test starts',
      ],
    },
  },
  {
    hazard: 'H12',
    what: "a new companion's HELLO leaves the previous companion's test stimulation running",
    edits: [
      {
        file: 'firmware-sim/generator-model.ts',
        find: "    const endsTest = !sameCompanion && this.output === 'on' && !this.committed;",
        replace: '    const endsTest = false as boolean;',
      },
    ],
    fails: {
      [V2]: [
        'a HELLO from another companion stops uncommitted test output and says so (ended=test)',
        'the session says what it found and what the generator did, and starts ready with output off',
      ],
    },
  },
  {
    hazard: 'H12',
    what: 'a HELLO of another protocol version ends the session but leaves uncommitted test output running',
    edits: [
      {
        file: 'firmware-sim/generator-model.ts',
        find: '      const stopped = this.stopTestOutput();\n',
        replace: '      const stopped = false as boolean;\n',
      },
    ],
    fails: {
      'test/firmware-sim/foreign-watchdog.test.ts': [
        'a wrong-version HELLO stops test output at once; sessionless HBs for 2× the watchdog do not restart or feed it',
      ],
      'test/firmware-sim/generator-model-time.test.ts': [
        'ends the session and stops uncommitted test output, whoever sent it',
      ],
    },
  },
  {
    hazard: 'H9',
    what: "any HELLO feeds the watchdog, not only the open session's companion's",
    edits: [
      {
        file: 'firmware-sim/generator-model.ts',
        find: "    if (request.type === 'HELLO') return request.proto === PROTOCOL_VERSION && request.cid === s.cid;\n",
        replace: "    if (request.type === 'HELLO') return true;\n",
      },
    ],
    fails: {
      'test/firmware-sim/foreign-watchdog.test.ts': [
        'HELLOs without cid and sessionless HBs every 500 ms leave the session open but do not feed its watchdog',
      ],
      'test/firmware-sim/generator-model-time.test.ts': [
        'a HELLO without cid or with another version, and lines without sess, do not keep test output alive',
      ],
    },
  },
  {
    hazard: 'H17',
    what: 'the generator applies a SET computed from a revision it has moved on from',
    edits: [
      {
        file: 'firmware-sim/generator-model.ts',
        find: '    if (r.rev !== this.rev) return this.revMismatch(r.seq, r.rev);\n    const next: Program',
        replace: '    const next: Program',
      },
    ],
    fails: {
      [V2]: [
        'a SET computed before another controller changed the program is refused (REV_MISMATCH), not applied',
        'telemetry or a heartbeat showing the change does not make a blind write pass',
      ],
    },
  },
  {
    hazard: 'H17',
    what: 'an output stop no request explains is told only when its EVT arrives (PROTOCOL.md §4.9)',
    edits: [
      {
        file: 'src/session/machine-steps.ts',
        find: '  const stopFound = result.externalChange ? null : unrequestedStop(ctx, state, ctx.syncReason);\n',
        replace: '  const stopFound = null as ReturnType<typeof unrequestedStop>;\n',
      },
    ],
    fails: {
      'test/session/stop-without-event.test.ts': [
        'EVT lost: the telemetry showing output off gives one warning saying what stopped, as found',
      ],
    },
  },
  {
    hazard: 'H10',
    what: 'a change made elsewhere found by STOP is adopted silently (no warning, mismatch erased)',
    edits: [
      {
        file: 'src/session/stop-steps.ts',
        find: '  const outside = stopFoundChanged(ctx, state);\n',
        replace: '  const outside = false;\n',
      },
    ],
    fails: {
      'test/session/stop-keeps-outside-change.test.ts': [
        'the state STOP leaves shows the change: one warning and a mismatch kept after the STOP',
      ],
      'test/ui/stop-outside-change.test.tsx': [
        'read before STOP: STOP leaves output off and the !! line names the amplitude found, until a',
      ],
    },
  },
  {
    hazard: 'H10',
    what: 'an EVT boot read with the reply to our request is handled before that reply: an applied commit is told as not confirmed (bb4-F5)',
    edits: [
      {
        file: 'src/link/serial-generator-link.ts',
        find: '        this.resets.defer(channel, () => (emit(), this.channel === channel && this.loseLink(LOSS_REASON.reset)));\n',
        replace: '        void (emit(), this.channel === channel && this.loseLink(LOSS_REASON.reset));\n',
      },
    ],
    fails: {
      'test/session/commit-acked-then-reset.test.ts': [
        'the commit is confirmed, and the reset is told as stopping committed therapy; output stays off',
      ],
    },
  },
  {
    hazard: 'H17',
    what: 'a STOP with output already off is taken to explain one rev step: a change landing just before it is adopted silently (bb4-F1)',
    edits: [
      {
        file: 'src/session/stop-check.ts',
        find: "  return (ctx.generator?.output === 'off' ? 0 : 1) + (ctx.stopOwnWrites ?? 0);\n",
        replace: '  return 1 + (ctx.stopOwnWrites ?? 0);\n',
      },
    ],
    fails: {
      'test/session/stop-outside-change-link.test.ts': [
        'output already off: warned on the stop line with the amplitude found, kept as a mismatch',
      ],
    },
  },
  {
    hazard: 'H17',
    what: "after STOP's short reply the rev it carries is adopted whole: a change that landed just before the STOP is never told (bb3 F-H1, stop case)",
    edits: [
      {
        file: 'src/session/stop-steps.ts',
        find: '    expectedRev: revAfterStop(ctx, state),\n',
        replace: '    expectedRev: state.programRev,\n',
      },
    ],
    fails: {
      'test/session/script-stop-outside-change.test.ts': [
        'the stop line warns that the program changed outside the companion, with the amplitude found; output ends off',
      ],
      'test/ui/stop-outside-change.test.tsx': [
        'lands just before STOP: STOP leaves output off and the !! line names the amplitude found, until a',
      ],
    },
  },
  {
    hazard: 'H17',
    what: 'a programmed amplitude above the window, left by an outside change while output is off, is not warned (bb3 F-L9)',
    edits: [
      {
        file: 'src/session/reconcile.ts',
        find: '  if (!w) return [];\n',
        replace: "  if (state.output !== 'on' || !w) return [];\n",
      },
    ],
    fails: {
      'test/hazards/core-reconcile.test.ts': [
        'warns about a programmed amplitude above the window with output off, saying output is off',
      ],
      'test/ui/above-window.test.tsx': [
        'in the session: remote amp 2.5 with output off is warned saying so; one step down lowers the program, output stays off',
      ],
    },
  },
  {
    hazard: 'H17',
    what: 'replies are ordered by rev instead of seq, so the write basis sticks at 999999999 after the rev wraps (bb3 F-M5)',
    edits: [
      {
        file: 'src/link/companion-session.ts',
        find: '    if (isOlderReply(this.read, mark)) return;\n',
        replace: '    if (this.read && state.programRev < this.read.state.programRev) return;\n',
      },
    ],
    fails: {
      'test/link/rev-wrap.test.ts': [
        'every SET and OUTPUT across 999999999 → 0 is accepted, and the view follows the generator',
      ],
    },
  },
  {
    hazard: 'H8',
    what: "a STOP without the session's sess leaves the reply cache: a cached out=on ACK can follow its ACK (bb3 F-L1)",
    edits: [
      {
        file: 'firmware-sim/generator-model.ts',
        find: "    if (request.type === 'STOP') this.gate.forgetReplies();\n",
        replace: '',
      },
    ],
    fails: {
      'test/firmware-sim/generator-model-time.test.ts': [
        "no cached reply is replayed after any STOP, even one without this session's sess, nor after OUTPUT on=0 (§3.3, bb3 F-L1)",
      ],
    },
  },
  {
    hazard: 'H9',
    what: 'a script line that can turn output on is sent after a reset or link loss it met while waiting',
    edits: [
      {
        file: 'src/session/script-runner.ts',
        find: "action.type === 'STOP' || action.type === 'REBIND' ? null : disarmedRefusal(action, breaks.now());",
        replace: 'null;',
      },
    ],
    fails: {
      'test/session/reset-mid-command.test.ts': [
        "'${line}' given before a reset it had not met yet (EVT boot delivered) is not sent, said as a reset",
        "'${line}' given before the cable was pulled and plugged back is not sent after the reconnection",
      ],
    },
  },
  {
    hazard: 'H9',
    what: "a session renewal's HELLO answered by another boot is adopted (a reset whose EVT boot was lost goes unseen)",
    edits: [
      {
        file: 'src/link/handshake.ts',
        find: '  if (bootId !== undefined && hello.identity.bootId !== bootId)\n',
        replace: '  if (false)\n',
      },
    ],
    fails: {
      'test/link/renewal-reset.test.ts': [
        'is not adopted: the write after it is never sent, the link reconnects and sees the reset',
      ],
    },
  },
  {
    hazard: 'H9',
    what: 'an output off answered with a state our off alone cannot explain is used without checking the boot (a reset just before the off, its EVT boot lost, is told as an outside change; bb6-N8)',
    edits: [
      {
        file: 'src/link/boot-check.ts',
        find: "  if (request.type !== 'OUTPUT' || request.on) return false; // answered only in our session\n",
        replace:
          "  if (request.type !== 'OUTPUT' || request.on || true) return false; // answered only in our session\n",
      },
    ],
    fails: {
      'test/session/reset-boot-lost.test.ts': [
        'output off in committed therapy: told as a reset that stopped committed therapy, not as an outside change',
        'output off during test stimulation: told as a reset that stopped test stimulation',
      ],
      'test/link/boot-check.test.ts': [
        'an output off answered with a jump, a changed program, or no step from output on is checked (bb6-N8)',
      ],
    },
  },
  {
    hazard: 'H9',
    what: 'a read whose revision nothing of ours explains is used without checking the boot (a reset whose EVT boot was lost is told as an outside change)',
    edits: [
      {
        file: 'src/link/request-queue.ts',
        find: '    if (this.bootCheck.due(request, reply, session.basisState)) {\n',
        replace: '    if (false) {\n',
      },
    ],
    fails: {
      'test/session/reset-boot-lost.test.ts': [
        'commit: confirmed, then the reset told as stopping committed therapy',
        'patient-mode on: amplitude brought down, then the reset told as stopping committed therapy',
        'during a wait in committed therapy: found by the heartbeat, told during the wait',
        'the remote sets 0 mA right after commit (EVT lost): the boot is checked, the same: H17 warning, no reset',
      ],
      'test/ui/reset-boot-lost.test.tsx': [
        'shows a !! line of a reset naming output on → off, and the reset notice, never "changed outside"',
      ],
      'test/link/stale-seq-reread.test.ts': [
        'a reset (its EVT boot lost) before that re-read is found by the boot check, not adopted (bb4-F4)',
      ],
    },
  },
  {
    hazard: 'H9',
    what: 'the link-loss warning of a reset says committed therapy keeps running (bb5-N8)',
    edits: [
      {
        file: 'src/session/link-notices.ts',
        find: '  if (reason === LOSS_REASON.reset)\n',
        replace: '  if (false)\n',
      },
    ],
    fails: {
      'test/session/reset-boot-lost.test.ts': [
        'commit: confirmed, then the reset told as stopping committed therapy',
        'patient-mode on: amplitude brought down, then the reset told as stopping committed therapy',
        'during a wait in committed therapy: found by the heartbeat, told during the wait',
      ],
    },
  },
  {
    hazard: 'H9',
    what: 'the re-read after a STALE_SEQ is adopted without the boot check (a reset just before it goes unseen)',
    edits: [
      {
        file: 'src/link/serial-generator-link.ts',
        find: "      reread: async (_channel, send) => this.readOf(await send(this.session.plain('STATE')), 'STATE'),\n",
        replace:
          "      reread: async (channel) => this.readOf(await channel.send(this.session.plain('STATE')), 'STATE'),\n",
      },
    ],
    fails: {
      'test/link/stale-seq-reread.test.ts': [
        'a reset (its EVT boot lost) before that re-read is found by the boot check, not adopted (bb4-F4)',
      ],
    },
  },
];
