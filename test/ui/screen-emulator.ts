/* eslint-disable no-control-regex -- a terminal emulator matches escape sequences */
/**
 * Just enough of a VT100 to read what a person would see: the cursor moves, line and screen erases
 * and scrolling that Ink's log-update uses. Colours and modes are ignored. Test support only.
 */
export class ScreenEmulator {
  private lines: string[][];
  private row = 0;
  private col = 0;
  private pending = '';

  constructor(
    readonly cols = 80,
    readonly rows = 24,
  ) {
    this.lines = Array.from({ length: rows }, () => []);
  }

  write(data: string): void {
    const text = this.pending + data;
    this.pending = '';
    let i = 0;
    while (i < text.length) {
      const ch = text[i]!;
      if (ch === '\u001B') {
        const rest = text.slice(i);
        const csi = /^\u001B\[([?>=]?)([0-9;]*)([ -/]*)([@-~])/.exec(rest);
        if (csi) {
          this.csi(csi[1]!, csi[2]!, csi[4]!);
          i += csi[0].length;
          continue;
        }
        const osc = /^\u001B\][^\u0007\u001B]*(\u0007|\u001B\\)/.exec(rest);
        if (osc) {
          i += osc[0].length;
          continue;
        }
        if (rest.length < 3 && /^\u001B(\[[?>=]?[0-9;]*)?$/.test(rest)) {
          this.pending = rest; // sequence split across chunks
          return;
        }
        i += 2; // ESC + one char (charset, keypad modes): ignored
        continue;
      }
      if (ch === '\r') this.col = 0;
      else if (ch === '\n') this.lineFeed();
      else if (ch === '\b') this.col = Math.max(0, this.col - 1);
      else if (ch >= ' ' || ch.charCodeAt(0) > 0x7f) this.put(ch);
      i += 1;
    }
  }

  /** The screen as lines, right-trimmed. */
  text(): string {
    return this.lines.map((l) => l.join('').trimEnd()).join('\n');
  }

  private put(ch: string): void {
    if (this.col >= this.cols) {
      this.col = 0;
      this.lineFeed();
    }
    const line = this.lines[this.row]!;
    while (line.length < this.col) line.push(' ');
    line[this.col] = ch;
    this.col += 1;
  }

  private lineFeed(): void {
    if (this.row === this.rows - 1) {
      this.lines.shift();
      this.lines.push([]);
    } else {
      this.row += 1;
    }
  }

  private csi(prefix: string, params: string, final: string): void {
    if (prefix !== '') return; // private modes (?25l cursor, ?2004h paste): nothing to draw
    const nums = params === '' ? [] : params.split(';').map((p) => (p === '' ? 0 : Number(p)));
    const n = Math.max(1, nums[0] ?? 1);
    switch (final) {
      case 'A':
        this.row = Math.max(0, this.row - n);
        break;
      case 'B':
        this.row = Math.min(this.rows - 1, this.row + n);
        break;
      case 'C':
        this.col = Math.min(this.cols - 1, this.col + n);
        break;
      case 'D':
        this.col = Math.max(0, this.col - n);
        break;
      case 'G':
        this.col = Math.min(this.cols - 1, n - 1);
        break;
      case 'H':
      case 'f':
        this.row = Math.min(this.rows - 1, Math.max(1, nums[0] ?? 1) - 1);
        this.col = Math.min(this.cols - 1, Math.max(1, nums[1] ?? 1) - 1);
        break;
      case 'K': {
        const mode = nums[0] ?? 0;
        const line = this.lines[this.row]!;
        if (mode === 2) this.lines[this.row] = [];
        else if (mode === 0) line.length = Math.min(line.length, this.col);
        else for (let c = 0; c <= this.col && c < line.length; c++) line[c] = ' ';
        break;
      }
      case 'J': {
        const mode = nums[0] ?? 0;
        if (mode === 2 || mode === 3) this.lines = Array.from({ length: this.rows }, () => []);
        else if (mode === 0) {
          this.lines[this.row]!.length = Math.min(this.lines[this.row]!.length, this.col);
          for (let r = this.row + 1; r < this.rows; r++) this.lines[r] = [];
        }
        break;
      }
      default:
        break; // SGR (m) and the rest change no text
    }
  }
}
