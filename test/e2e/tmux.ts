// A real terminal for the tests: a tmux server of the test's own (a socket per session), one window,
// keys typed with send-keys and the screen read with capture-pane, as a person would see it.
import { execFile, execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { waitUntil } from "./stern-process.ts";

export const TMUX = "/usr/bin/tmux";
export const haveTmux = existsSync(TMUX);

let sessions = 0;

export class Tmux {
  private readonly socket = `stern-test-${process.pid}-${++sessions}`;

  private run(...args: string[]): string {
    return execFileSync(TMUX, ["-L", this.socket, "-f", "/dev/null", ...args], { encoding: "utf8" });
  }

  /** Starts a shell command in a window of cols × rows; clipboard writes (OSC 52) become tmux buffers. */
  start(command: string, cols = 160, rows = 30, env: Record<string, string> = {}): void {
    const vars = Object.entries(env)
      .map(([k, v]) => `${k}='${v.replace(/'/g, "'\\''")}'`)
      .join(" ");
    this.run("-u", "new-session", "-d", "-s", "t", "-x", String(cols), "-y", String(rows), "sh");
    this.run("set-option", "-s", "set-clipboard", "on");
    this.run("set-option", "-g", "allow-rename", "on");
    this.run("send-keys", "-t", "t", `${vars} ${command}; echo EXITED $?`, "Enter");
  }

  /** Keys as tmux names them ("Up", "PageUp", "Enter", "C-c") or literal text (`{ literal: "..." }`). */
  keys(...keys: (string | { literal: string })[]): void {
    for (const k of keys) {
      if (typeof k === "string") this.run("send-keys", "-t", "t", k);
      else this.run("send-keys", "-t", "t", "-l", k.literal);
    }
  }

  /** The visible screen as text (attributes as escape sequences with `attributes`). */
  screen(attributes = false): string {
    return this.run("capture-pane", "-p", ...(attributes ? ["-e"] : []), "-t", "t");
  }

  /** The screen's last row (the view's status line). */
  status(): string {
    return this.screen().trimEnd().split("\n").at(-1) ?? "";
  }

  async waitFor(test: (screen: string) => boolean, what: string, timeoutMs = 10_000): Promise<string> {
    let last = "";
    try {
      await waitUntil(() => {
        last = this.screen();
        return test(last);
      }, timeoutMs);
    } catch {
      throw new Error(`timed out waiting for ${what}; screen:\n${last}`);
    }
    return last;
  }

  display(format: string): string {
    return this.run("display-message", "-p", "-t", "t", format).trim();
  }

  resize(cols: number, rows: number): void {
    this.run("resize-window", "-t", "t", "-x", String(cols), "-y", String(rows));
  }

  /** What a clipboard write put in tmux's paste buffer, if any. */
  buffer(): Promise<string | undefined> {
    return new Promise((resolve) =>
      execFile(
        TMUX,
        ["-L", this.socket, "-f", "/dev/null", "show-buffer"],
        { encoding: "utf8" },
        (err, out) => resolve(err ? undefined : out),
      ),
    );
  }

  kill(): void {
    try {
      this.run("kill-server");
    } catch {
      // already gone
    }
  }
}
