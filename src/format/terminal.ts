// What stern writes to a terminal passes here, all of it, in one place: log lines, template and
// -o pretty output after decoding, the "+"/"-"/"!" lines, events, error messages. A pod's bytes are
// untrusted: on a terminal, escape sequences other than colours could retitle the window, move the
// cursor, write to the clipboard (OSC 52) or hide text, and a carriage return could hide the pod name.
// So on a terminal (and only there: pipes and files get the bytes as stern gives them):
// - colours (SGR) are kept when stern's are on, without "conceal", and a line that leaves a colour on
//   gets a reset before its newline, so that nothing bleeds into the next line; with colours off they go;
// - every other escape sequence (CSI, OSC, DCS, SOS, PM, APC, two-byte ESC) is removed whole;
// - other control characters show as ^X, C1 controls as \u009b, and bytes that are not UTF-8 as U+FFFD;
// - a carriage return just before a newline (CRLF logs) is dropped.
// Works on whole lines (the sink writes whole lines), as bytes, in one pass; a buffer with nothing to
// change is returned as it is.
import { isUtf8 } from "node:buffer";

const ESC = 0x1b;
const NL = 0x0a;
const CR = 0x0d;
const TAB = 0x09;
const BEL = 0x07;
const RESET = Buffer.from("\x1b[0m");
const REPLACEMENT = Buffer.from("\ufffd");

/** Where the escape sequence at buf[i] (ESC) ends, and whether it is a colour (SGR) one. */
function sequenceEnd(buf: Buffer, i: number, end: number): { to: number; sgr: boolean } {
  const n = i + 1 < end ? (buf[i + 1] as number) : -1;
  if (n === 0x5b) {
    // CSI: parameters 0x30-0x3f, intermediates 0x20-0x2f, one final byte 0x40-0x7e.
    let j = i + 2;
    while (j < end && (buf[j] as number) >= 0x30 && (buf[j] as number) <= 0x3f) j++;
    const paramsEnd = j;
    while (j < end && (buf[j] as number) >= 0x20 && (buf[j] as number) <= 0x2f) j++;
    const f = j < end ? (buf[j] as number) : -1;
    if (f >= 0x40 && f <= 0x7e) return { to: j + 1, sgr: f === 0x6d && paramsEnd === j };
    return { to: j, sgr: false }; // cut short: dropped up to the byte that broke it
  }
  if (n === 0x5d || n === 0x50 || n === 0x58 || n === 0x5e || n === 0x5f) {
    // OSC, DCS, SOS, PM, APC: a string up to BEL (OSC) or ST (ESC \), never past the line.
    let j = i + 2;
    while (j < end) {
      const b = buf[j] as number;
      if (b === NL) return { to: j, sgr: false };
      if (b === BEL && n === 0x5d) return { to: j + 1, sgr: false };
      if (b === ESC && buf[j + 1] === 0x5c) return { to: j + 2, sgr: false };
      j++;
    }
    return { to: end, sgr: false };
  }
  if (n >= 0x20 && n <= 0x2f) {
    // nF (ESC ( B and the like): intermediates, then a final byte.
    let j = i + 2;
    while (j < end && (buf[j] as number) >= 0x20 && (buf[j] as number) <= 0x2f) j++;
    const f = j < end ? (buf[j] as number) : -1;
    return { to: f >= 0x30 && f <= 0x7e ? j + 1 : j, sgr: false };
  }
  if (n >= 0x30 && n <= 0x7e) return { to: i + 2, sgr: false };
  return { to: i + 1, sgr: false };
}

/**
 * The colour parameters of an SGR sequence without "conceal" (8), which would hide what follows;
 * undefined when nothing is left. Extended colours (38;5;n, 38;2;r;g;b) are kept whole.
 */
function safeSgr(params: string): string | undefined {
  const ps = params.split(";");
  const out: string[] = [];
  for (let k = 0; k < ps.length; k++) {
    const p = ps[k] as string;
    const main = p.split(":")[0];
    if ((main === "38" || main === "48" || main === "58") && !p.includes(":")) {
      const take = ps[k + 1] === "5" ? 2 : ps[k + 1] === "2" ? 4 : 0;
      out.push(...ps.slice(k, k + 1 + take));
      k += take;
      continue;
    }
    if (main === "8" || main === "08") continue;
    out.push(p);
  }
  if (out.length === 0 && params !== "" && !/^0*$/.test(params)) return undefined;
  return out.join(";");
}

/** Whether SGR parameters leave a colour or attribute on (anything after the last reset). */
function leavesOn(params: string): boolean {
  let on = false;
  const ps = params.split(";");
  for (let k = 0; k < ps.length; k++) {
    const main = (ps[k] as string).split(":")[0] as string;
    if (/^0*$/.test(main)) on = false;
    else {
      on = true;
      if ((main === "38" || main === "48" || main === "58") && !(ps[k] as string).includes(":"))
        k += ps[k + 1] === "5" ? 2 : ps[k + 1] === "2" ? 4 : 0;
    }
  }
  return on;
}

/** "^X" for a C0 control or DEL. */
function caret(b: number): string {
  return b === 0x7f ? "^?" : `^${String.fromCharCode(b + 64)}`;
}

/** The length of the UTF-8 sequence at buf[i] (a byte >= 0x80), or 0 when it is not valid UTF-8. */
function utf8Length(buf: Buffer, i: number, end: number): number {
  const b = buf[i] as number;
  const n = b >= 0xf0 && b <= 0xf4 ? 4 : b >= 0xe0 ? (b <= 0xef ? 3 : 0) : b >= 0xc2 && b <= 0xdf ? 2 : 0;
  if (n === 0 || i + n > end) return 0;
  for (let k = 1; k < n; k++) if (((buf[i + k] as number) & 0xc0) !== 0x80) return 0;
  const b1 = buf[i + 1] as number;
  if (b === 0xe0 && b1 < 0xa0) return 0; // overlong
  if (b === 0xed && b1 >= 0xa0) return 0; // surrogates
  if (b === 0xf0 && b1 < 0x90) return 0; // overlong
  if (b === 0xf4 && b1 >= 0x90) return 0; // beyond U+10FFFF
  return n;
}

/**
 * The bytes safe to write to a terminal: `buf` itself when there is nothing to change. `keepColors`:
 * stern's colours are on, so a line's own colours are kept (safely).
 */
export function sanitizeForTerminal(buf: Buffer, keepColors: boolean): Buffer {
  const end = buf.length;
  const utf8 = isUtf8(buf);
  let parts: Buffer[] | undefined;
  /** buf[from, i) is still to be copied when something changes. */
  let from = 0;
  const change = (at: number, to: number, replacement: Buffer | string | undefined) => {
    parts ??= [];
    if (at > from) parts.push(buf.subarray(from, at));
    if (replacement !== undefined && replacement.length > 0)
      parts.push(typeof replacement === "string" ? Buffer.from(replacement, "latin1") : replacement);
    from = to;
  };
  /** A colour left on in the current line. */
  let colourOn = false;
  let i = 0;
  while (i < end) {
    const b = buf[i] as number;
    if (b >= 0x20 && b < 0x7f) {
      i++;
      continue;
    }
    if (b === NL) {
      if (colourOn) change(i, i, RESET);
      colourOn = false;
      i++;
      continue;
    }
    if (b === TAB) {
      i++;
      continue;
    }
    if (b === CR && buf[i + 1] === NL) {
      change(i, i + 1, undefined);
      i++;
      continue;
    }
    if (b === ESC) {
      const { to, sgr } = sequenceEnd(buf, i, end);
      if (sgr && keepColors) {
        const params = buf.toString("latin1", i + 2, to - 1);
        const safe = safeSgr(params);
        if (safe === undefined) change(i, to, undefined);
        else if (safe !== params) change(i, to, `\x1b[${safe}m`);
        if (safe !== undefined) colourOn = leavesOn(safe);
      } else {
        change(i, to, undefined);
      }
      i = to;
      continue;
    }
    if (b < 0x20 || b === 0x7f) {
      change(i, i + 1, caret(b));
      i++;
      continue;
    }
    // b >= 0x80: a UTF-8 sequence (valid buffers need only the C1 check).
    if (utf8) {
      if (b === 0xc2 && (buf[i + 1] as number) <= 0x9f) {
        change(i, i + 2, `\\u00${(buf[i + 1] as number).toString(16)}`);
        i += 2;
      } else i++;
      continue;
    }
    const n = utf8Length(buf, i, end);
    if (n === 0) {
      change(i, i + 1, REPLACEMENT);
      i++;
    } else if (b === 0xc2 && (buf[i + 1] as number) <= 0x9f) {
      change(i, i + 2, `\\u00${(buf[i + 1] as number).toString(16)}`);
      i += 2;
    } else i += n;
  }
  if (colourOn) change(end, end, RESET);
  if (!parts) return buf;
  if (from < end) parts.push(buf.subarray(from, end));
  return Buffer.concat(parts);
}
