import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/**
 * Test support: a real terminal through tmux (its own server socket, so nothing of the person's tmux
 * is touched). The program runs in a pane of a fixed size; keys go in with send-keys and the screen
 * comes back with capture-pane, both as drawn and with the terminal's own line wraps joined.
 */

const run = promisify(execFile);

let servers = 0;

export class TmuxPane {
  private readonly socket = `scs-test-${process.pid}-${++servers}`;

  constructor(
    readonly cols: number,
    readonly rows: number,
  ) {}

  private tmux(...args: string[]) {
    return run('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], { env: paneEnv() });
  }

  /** Starts `command` (argv, run by a shell-free exec) in a new pane of cols×rows. */
  async start(argv: readonly string[], cwd: string): Promise<void> {
    const command = argv.map(shellQuote).join(' ');
    await this.tmux(
      'new-session',
      '-d',
      '-s',
      'scs',
      '-x',
      String(this.cols),
      '-y',
      String(this.rows),
      '-c',
      cwd,
      command,
    );
    // The session keeps its size even though no client is attached.
    await this.tmux('set-option', '-t', 'scs', 'window-size', 'manual').catch(() => undefined);
  }

  /** Keys as tmux names them (`Enter`, `Up`, `Right`) or, with `literal`, text typed as is. */
  async keys(keys: readonly string[], literal = false): Promise<void> {
    await this.tmux('send-keys', '-t', 'scs', ...(literal ? ['-l'] : []), ...keys);
  }

  async type(text: string): Promise<void> {
    await this.keys([text], true);
  }

  /** The pane as drawn, one string per row (trailing blanks removed). */
  async screen(): Promise<string[]> {
    const { stdout } = await this.tmux('capture-pane', '-p', '-t', 'scs');
    return rowsOf(stdout);
  }

  /** The pane with rows the terminal itself wrapped (a line wider than the pane) joined back. */
  async joined(): Promise<string[]> {
    const { stdout } = await this.tmux('capture-pane', '-p', '-J', '-t', 'scs');
    return rowsOf(stdout);
  }

  async waitFor(check: (rows: string[]) => boolean, what: string, timeoutMs = 20_000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    let last: string[] = [];
    while (Date.now() < deadline) {
      last = await this.screen().catch(() => []);
      if (check(last)) return last;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${what} at ${this.cols}×${this.rows}:\n${last.join('\n')}`);
  }

  async waitText(text: string | RegExp): Promise<string[]> {
    return this.waitFor(
      (rows) => (typeof text === 'string' ? rows.join('\n').includes(text) : text.test(rows.join('\n'))),
      String(text),
    );
  }

  /** Ends the tmux server this pane belongs to (and so the program in it). */
  async close(): Promise<void> {
    await this.tmux('kill-server').catch(() => undefined);
  }
}

function rowsOf(text: string): string[] {
  return text
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => l.trimEnd());
}

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The program sees a terminal: CI and the test runner's variables are not passed on; no colour. */
function paneEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && k !== 'CI' && !k.startsWith('VITEST') && k !== 'TMUX') env[k] = v;
  return { ...env, NO_COLOR: '1', TERM: 'xterm-256color' };
}
