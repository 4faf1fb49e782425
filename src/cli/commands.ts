import type { Command } from './command.js';

/** One row of the subcommand table: what `scs --help` says, what may follow, how to load it. */
export interface CommandEntry {
  summary: string;
  /** The words that may follow the command's name (for `scs completion`). */
  subcommands?: readonly string[];
  load: () => Promise<Command>;
}

/**
 * The subcommand table. Modules load lazily so `scs diary ...` never pays for Ink or serialport.
 * Add a line here for a new subcommand; its module default-exports a Command.
 */
export const commands: Record<string, CommandEntry> = {
  start: {
    summary: 'open the companion (default; built-in simulator unless --port)',
    load: async () => (await import('./start-command.js')).default,
  },
  ports: {
    summary: 'list serial ports to connect a real generator (--json)',
    load: async () => (await import('./ports-command.js')).default,
  },
  diary: {
    summary: 'trial diary: add, import, export, show, correct; evaluate the 48 h ≥30% criterion',
    subcommands: ['add', 'import', 'export', 'show', 'correct', 'trial', 'evaluate', 'invite', 'serve'],
    load: async () => (await import('./diary-command.js')).default,
  },
  cohort: {
    summary: "cohort report: the paper's Results from a cohort CSV or the store (--json, --compare-published)",
    subcommands: ['report', 'import', 'export'],
    load: async () => (await import('./cohort-command.js')).default,
  },
  patient: {
    summary: 'outcomes registry: patients, procedures with dates, complications, economics',
    subcommands: ['add', 'update', 'show', 'list', 'procedure', 'complication', 'export'],
    load: async () => (await import('./patient-command.js')).default,
  },
  followup: {
    summary: 'follow-up visits (post-op, 1–24 months, yearly) with NRS and PDI: add, list',
    subcommands: ['add', 'list'],
    load: async () => (await import('./followup-command.js')).default,
  },
  sim: {
    summary: 'run the generator simulator on a pseudo-terminal (fault injection flags; --json)',
    load: async () => (await import('./sim-command.js')).default,
  },
  db: {
    summary: 'the store: migrate, status (which store, schema version, site id), init --site NAME',
    subcommands: ['migrate', 'status', 'init'],
    load: async () => (await import('./db-command.js')).default,
  },
  audit: {
    summary: 'session audit log: verify its hash chain or replay it (--json)',
    subcommands: ['verify', 'replay'],
    load: async () => (await import('./audit-command.js')).default,
  },
  script: {
    summary: 'run a stimulation session from a script file (built-in simulator unless --port; --json)',
    load: async () => (await import('./script-command.js')).default,
  },
  completion: {
    summary: 'print a shell completion script: scs completion bash|zsh|fish',
    subcommands: ['bash', 'zsh', 'fish'],
    load: async () => (await import('./completion-command.js')).default,
  },
};
