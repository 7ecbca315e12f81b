// Log lines are untrusted. On a terminal, escape sequences other than colors could retitle the window,
// move the cursor or write to the clipboard, and a carriage return could hide the pod name. So on a
// terminal (and only there: pipes and files get the bytes as they are) messages keep their colors
// when ours are on, lose them when ours are off, and show other control characters as ^X.
import stripAnsi from "strip-ansi";
import type { LineFormatter } from "./types.ts";

const SEQUENCE =
  /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[PX^_][^\x1b]*(?:\x1b\\)?|\x1b[@-Z\\-_]?|[\x00-\x08\x0a-\x1f\x7f\u0080-\u009f]/g;
const SGR = /^\x1b\[[0-9;:]*m$/;

function caret(c: string): string {
  const code = c.charCodeAt(0);
  if (code === 0x7f) return "^?";
  if (code < 0x20) return `^${String.fromCharCode(code + 64)}`;
  return `\\u${code.toString(16).padStart(4, "0")}`;
}

export function terminalSafe(text: string, keepColors: boolean): string {
  let t = text.endsWith("\r") ? text.slice(0, -1) : text;
  if (!keepColors) t = stripAnsi(t);
  return t.replace(SEQUENCE, (m) => {
    if (m.charCodeAt(0) !== 0x1b) return caret(m);
    return keepColors && SGR.test(m) ? m : "";
  });
}

/** Whether buf[start, end) has a byte that terminalSafe would change (the common case has none). */
function hasControlBytes(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const b = buf[i] as number;
    if (
      (b < 0x20 && b !== 0x09) ||
      b === 0x7f ||
      (b === 0xc2 && (buf[i + 1] as number) >= 0x80 && (buf[i + 1] as number) <= 0x9f)
    ) {
      return true;
    }
  }
  return false;
}

export function withTerminalSafety(inner: LineFormatter, keepColors: boolean): LineFormatter {
  return {
    append(out, time, buf, start, end, record) {
      if (!hasControlBytes(buf, start, end)) {
        inner.append(out, time, buf, start, end, record);
        return;
      }
      const safe = Buffer.from(terminalSafe(buf.toString("utf8", start, end), keepColors));
      // A record read from the original bytes would point into them: the rewritten line is read anew.
      inner.append(out, time, safe, 0, safe.length, record === null ? null : undefined);
    },
  };
}
