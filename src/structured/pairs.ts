// key=value pairs as logfmt (go-logfmt, logrus' text format, slog's TextHandler, go-kit) and klog's
// structured form (InfoS/ErrorS) write them. Values are bare, or Go-quoted strings; klog also writes
// structs as {...}, slices as [...] and multi-line strings as <...>.

import { bareKind, type Field } from "./record.ts";

const SIMPLE_ESCAPES: Record<string, string> = {
  n: "\n",
  t: "\t",
  r: "\r",
  a: "\x07",
  b: "\b",
  f: "\f",
  v: "\v",
  "\\": "\\",
  '"': '"',
  "'": "'",
};

/** Decodes the Go-quoted string starting at text[i] (a quote); [value, index past it], or undefined. */
export function goUnquote(text: string, i: number): [string, number] | undefined {
  let out = "";
  let j = i + 1;
  let from = j;
  while (j < text.length) {
    const c = text.charCodeAt(j);
    if (c === 0x22) return [out + text.slice(from, j), j + 1];
    if (c !== 0x5c) {
      j++;
      continue;
    }
    out += text.slice(from, j);
    const e = text[j + 1];
    if (e === undefined) return undefined;
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      out += simple;
      j += 2;
    } else if (e === "x" || e === "u" || e === "U") {
      const len = e === "x" ? 2 : e === "u" ? 4 : 8;
      const hex = text.slice(j + 2, j + 2 + len);
      if (hex.length !== len || !/^[0-9a-fA-F]+$/.test(hex)) return undefined;
      const code = Number.parseInt(hex, 16);
      out += e === "x" ? String.fromCharCode(code) : String.fromCodePoint(Math.min(code, 0x10ffff));
      j += 2 + len;
    } else if (e >= "0" && e <= "7") {
      out += String.fromCharCode(Number.parseInt(text.slice(j + 1, j + 4), 8));
      j += 4;
    } else return undefined;
    from = j;
  }
  return undefined;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/** The index past a klog {...} or [...] value starting at text[i], quotes respected; -1 if unclosed. */
function skipBracketed(text: string, i: number): number {
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x22) {
      const q = goUnquote(text, j);
      if (!q) return -1;
      j = q[1] - 1;
    } else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      depth--;
      if (depth === 0) return j + 1;
    }
  }
  return -1;
}

/**
 * The pairs of text from index i on, or undefined unless all of it is pairs (one at least): a line
 * of prose with a "=" somewhere stays text. `klog` accepts klog's {...}, [...] and <...> values.
 */
export function scanPairs(text: string, i: number, klog: boolean): Field[] | undefined {
  const fields: Field[] = [];
  const n = text.length;
  for (;;) {
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    if (i >= n) return fields.length > 0 ? fields : undefined;
    const keyStart = i;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c <= 0x20 || c === 0x3d || c === 0x22) break;
      i++;
    }
    if (i === keyStart || text.charCodeAt(i) !== 0x3d) return undefined;
    const key = text.slice(keyStart, i);
    i++; // "="
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const q = goUnquote(text, i);
      if (!q) return undefined;
      fields.push({ key, value: q[0], kind: "string" });
      i = q[1];
    } else if (klog && (c === 0x7b || c === 0x5b)) {
      const j = skipBracketed(text, i);
      if (j < 0) return undefined;
      fields.push({ key, value: text.slice(i, j), kind: "string" });
      i = j;
    } else if (klog && c === 0x3c && text.charCodeAt(i + 1) === 0x0a) {
      // klog's multi-line value: key=<\n\tline\n\tline\n >, only whole in a --multiline record.
      const close = text.indexOf("\n >", i);
      const body = text.slice(i + 2, close < 0 ? n : close);
      fields.push({ key, value: body.replace(/^\t/gm, ""), kind: "string" });
      i = close < 0 ? n : close + 3;
    } else {
      const valueStart = i;
      while (i < n && text.charCodeAt(i) > 0x20) i++;
      const value = text.slice(valueStart, i);
      fields.push({ key, value, kind: bareKind(value) });
    }
    if (i < n && !isSpace(text.charCodeAt(i))) return undefined;
  }
}
