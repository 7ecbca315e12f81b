// Go strings are bytes, JavaScript strings UTF-16. A log line can hold bytes that are not UTF-8,
// which Go passes through untouched; here each such byte travels as one lone low surrogate,
// U+DC80..U+DCFF (byte 0x80..0xFF), which no UTF-8 decodes to, so the bytes come back as they were.
import { isUtf8 } from "node:buffer";

const RAW_BASE = 0xdc00;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, "g");

/** No lone surrogate: the string is its UTF-8 (String.prototype.isWellFormed, ES2024). */
export function isWellFormed(s: string): boolean {
  return !LONE_SURROGATE.test(s);
}

/** Bytes of the rune at i as Go's utf8.DecodeRune counts them: 1 for any byte of invalid UTF-8. */
export function runeWidth(b: Uint8Array, i: number): number {
  const c = b[i];
  if (c === undefined || c < 0x80) return 1;
  const n = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xc2 && c <= 0xdf ? 2 : 1;
  if (n === 1 || i + n > b.length) return 1;
  return isUtf8(b.subarray(i, i + n)) ? n : 1;
}

/** The bytes as a string; invalid UTF-8 as raw-byte surrogates. */
export function decodeGoBytes(buf: Buffer, start = 0, end = buf.length): string {
  if (isUtf8(buf.subarray(start, end))) return buf.toString("utf8", start, end);
  let out = "";
  let from = start;
  let i = start;
  while (i < end) {
    const n = runeWidth(buf.subarray(0, end), i);
    if (n === 1 && (buf[i] as number) >= 0x80) {
      out += buf.toString("utf8", from, i) + String.fromCharCode(RAW_BASE + (buf[i] as number));
      from = i + 1;
    }
    i += n;
  }
  return out + buf.toString("utf8", from, end);
}

/** The raw byte a string's unit at i stands for, or -1 when it is not a raw-byte surrogate. */
export function rawByteAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c < 0xdc80 || c > 0xdcff) return -1;
  const prev = i > 0 ? s.charCodeAt(i - 1) : 0;
  return prev >= 0xd800 && prev <= 0xdbff ? -1 : c - RAW_BASE;
}

/** The Go bytes of a string (raw-byte surrogates back to their bytes). */
export function goBytes(s: string): Buffer {
  if (isWellFormed(s)) return Buffer.from(s, "utf8");
  const parts: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const raw = rawByteAt(s, i);
    if (raw >= 0) {
      parts.push(raw);
      continue;
    }
    const cp = s.codePointAt(i) as number;
    if (cp > 0xffff) i++;
    for (const b of Buffer.from(String.fromCodePoint(cp), "utf8")) parts.push(b);
  }
  return Buffer.from(parts);
}

/** len(s) in Go: its bytes. */
export function goByteLength(s: string): number {
  return isWellFormed(s) ? Buffer.byteLength(s, "utf8") : goBytes(s).length;
}

/** The string as Go's UTF-8 decoding sees it: each raw byte is U+FFFD (json.Unmarshal, ...). */
export function withReplacement(s: string): string {
  return isWellFormed(s) ? s : s.replace(LONE_SURROGATES, "\ufffd");
}
