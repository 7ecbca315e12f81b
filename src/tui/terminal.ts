// The terminal the view takes over: raw keys, the alternate screen, no cursor, mouse reports; and
// everything put back however the view ends (q, Ctrl-C, SIGTERM, an exception), so the shell is left
// as it was. Keys are read from the terminal itself (/dev/tty) when stdin is not one (--stdin).
import { openSync } from "node:fs";
import tty from "node:tty";

const ENTER = "\x1b[?1049h\x1b[?25l\x1b[?1000h\x1b[?1006h\x1b[?7l";
const LEAVE = "\x1b[?7h\x1b[?1006l\x1b[?1000l\x1b[?25h\x1b[?1049l";

export interface TerminalIO {
  input: tty.ReadStream;
  output: tty.WriteStream;
}

/** The terminal to draw on and read keys from: stdout, and stdin or else /dev/tty. */
export function openTerminal(): TerminalIO {
  if (!process.stdout.isTTY) throw new Error("--tui needs a terminal on stdout");
  const input = process.stdin.isTTY ? process.stdin : new tty.ReadStream(openSync("/dev/tty", "r"));
  return { input, output: process.stdout };
}

export class Terminal {
  private readonly io: TerminalIO;
  private active = false;
  private readonly restore = () => this.leave();

  constructor(io: TerminalIO) {
    this.io = io;
  }

  get rows(): number {
    return this.io.output.rows || 24;
  }

  get cols(): number {
    return this.io.output.columns || 80;
  }

  /** Takes the terminal; calls onKeys with each read, onResize when the window changes. */
  enter(onData: (data: string) => void, onResize: () => void): void {
    this.active = true;
    this.io.input.setRawMode(true);
    this.io.input.setEncoding("utf8");
    this.io.input.on("data", onData);
    this.io.input.resume();
    this.io.output.on("resize", onResize);
    // However the process ends, the terminal is given back first.
    process.on("exit", this.restore);
    this.io.output.write(ENTER);
  }

  write(bytes: string): void {
    if (this.active && bytes !== "") this.io.output.write(bytes);
  }

  /** Gives the terminal back as it was found. */
  leave(): void {
    if (!this.active) return;
    this.active = false;
    process.removeListener("exit", this.restore);
    this.io.output.write(LEAVE);
    try {
      this.io.input.setRawMode(false);
    } catch {
      // the terminal is gone already
    }
    this.io.input.pause();
    if (this.io.input !== process.stdin) this.io.input.destroy();
  }
}
