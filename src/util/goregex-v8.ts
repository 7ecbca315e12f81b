// The fast path of src/util/goregex.ts: a Go pattern of plain ASCII syntax, rewritten for V8 with
// the same meaning on ASCII lines, where code points and UTF-16 units are the same thing. Only for
// whether a line matches (the language matched is the same, whatever the engine's strategy); the
// highlight positions always come from re2js. A leading (?s) makes `.` `[^]`; a leading (?i) makes
// each ASCII letter a class of both cases (`[eE]`, `[^a-z]` as `[^A-Za-z]`), never V8's `i` flag,
// which its linear engine cannot take. On ASCII text Go's case folding is ASCII's (its other folds,
// K/U+212A and S/U+017F, need non-ASCII text). What V8 reads otherwise is left out: other flags,
// counted repetitions (V8's linear fallback cannot take them), \A \z \x \p \Q, POSIX classes, names.
import v8 from "node:v8";

// V8 gives up backtracking after 50,000 backtracks and finishes on its linear-time engine, for a
// regexp that engine can take — which the `l` flag checks at compile time: a regexp it refuses is
// not used, so no pattern can hang on a long line (a very deep one throws RangeError: re2js then).
v8.setFlagsFromString("--enable-experimental-regexp-engine-on-excessive-backtracks");
v8.setFlagsFromString("--enable-experimental-regexp-engine");

/** Go's \s (no \v, unlike JavaScript's). */
const SPACE = "\\t\\n\\f\\r ";
const PUNCT = /^[!-/:-@[-`{-~]$/;

/** The escape at source[i] ('\\'), in V8 syntax inside or outside a class; undefined: not handled. */
function v8Escape(source: string, i: number, inClass: boolean): string | undefined {
  const n = source[i + 1];
  if (n === undefined) return undefined;
  if ("dw".includes(n)) return `\\${n}`;
  if ("DW".includes(n) || "bB".includes(n)) return inClass ? undefined : `\\${n}`;
  if (n === "s") return inClass ? SPACE : `[${SPACE}]`;
  if (n === "S") return inClass ? undefined : `[^${SPACE}]`;
  if ("tnrfv".includes(n)) return `\\${n}`;
  if (PUNCT.test(n)) return `\\${n}`;
  return undefined;
}

/** The V8 regexp meaning what the Go pattern means on ASCII text, or undefined. */
export function toV8Regex(source: string): RegExp | undefined {
  const lead = /^\(\?([is]+)\)/.exec(source);
  const flags = lead?.[1] ?? "";
  const body = toV8Source(
    lead ? source.slice(lead[0].length) : source,
    flags.includes("s"),
    flags.includes("i"),
  );
  return body === undefined || !linearCapable(body) ? undefined : new RegExp(body);
}

/** Whether V8's linear-time engine takes `source` (so its backtracking falls back there). */
export function linearCapable(source: string): boolean {
  try {
    new RegExp(source, "l");
    return true;
  } catch {
    return false;
  }
}

/**
 * The V8 source of a Go pattern without flags (`dotAll`: Go's (?s), `fold`: Go's (?i)), or
 * undefined.
 */
export function toV8Source(source: string, dotAll = false, fold = false): string | undefined {
  if (!/^[\x20-\x7e]*$/.test(source)) return undefined;
  let out = "";
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    if (c === "\\") {
      const e = v8Escape(source, i, false);
      if (e === undefined) return undefined;
      out += e;
      i += 2;
      continue;
    }
    if (c === "[" && fold) {
      const cls = foldedClass(source, i);
      if (cls === undefined) return undefined;
      out += cls.v8;
      i = cls.end;
      continue;
    }
    if (c === "[") {
      let j = i + 1;
      let body = "";
      if (source[j] === "^") {
        body = "^";
        j++;
      }
      if (source[j] === "]") {
        body += "\\]";
        j++;
      }
      for (;;) {
        const d = source[j];
        if (d === undefined) return undefined;
        if (d === "]") break;
        if (d === "\\") {
          const e = v8Escape(source, j, true);
          if (e === undefined) return undefined;
          body += e;
          j += 2;
          continue;
        }
        if (d === "[") {
          if (source[j + 1] === ":") return undefined;
          body += "\\[";
        } else body += d;
        j++;
      }
      out += `[${body}]`;
      i = j + 1;
      continue;
    }
    if (c === "(" && source[i + 1] === "?") {
      if (source[i + 2] !== ":") return undefined;
      out += "(?:";
      i += 3;
      continue;
    }
    if (c === "{") return undefined;
    if (c === ".") out += dotAll ? "[^]" : "[^\\n]";
    else if (c === "}" || c === "]" || c === "/") out += `\\${c}`;
    else if (fold && LETTER.test(c)) out += `[${c.toLowerCase()}${c.toUpperCase()}]`;
    else out += c;
    i++;
  }
  try {
    new RegExp(out);
  } catch {
    return undefined;
  }
  return out;
}

const LETTER = /^[A-Za-z]$/;

/** The ASCII codes an escape stands for inside a class, or undefined (not handled). */
function classEscapeCodes(n: string | undefined): number[] | undefined {
  if (n === undefined) return undefined;
  const span = (a: string, b: string) =>
    Array.from({ length: b.charCodeAt(0) - a.charCodeAt(0) + 1 }, (_, k) => a.charCodeAt(0) + k);
  if (n === "d") return span("0", "9");
  if (n === "w") return [...span("0", "9"), ...span("A", "Z"), ...span("a", "z"), 95];
  if (n === "s") return [9, 10, 12, 13, 32];
  const ctl = "tnrfv".indexOf(n);
  if (ctl !== -1) return [[9, 10, 13, 12, 11][ctl] as number];
  if (PUNCT.test(n)) return [n.charCodeAt(0)];
  return undefined;
}

/**
 * The class at source[i] ('[') under (?i): the ASCII codes it holds, closed under case, written
 * as ranges of \xHH (negated after folding, as Go does: `(?i)[^k]` excludes both k and K).
 */
function foldedClass(source: string, i: number): { v8: string; end: number } | undefined {
  const set = new Uint8Array(128);
  let j = i + 1;
  const negated = source[j] === "^";
  if (negated) j++;
  let first = true;
  /** One class character at j (a literal or a one-character escape): its code and length. */
  const single = (at: number): [number, number] | undefined => {
    const d = source[at];
    if (d === undefined) return undefined;
    if (d !== "\\") return d === "[" && source[at + 1] === ":" ? undefined : [d.charCodeAt(0), 1];
    const codes = classEscapeCodes(source[at + 1]);
    return codes?.length === 1 ? [codes[0] as number, 2] : undefined;
  };
  for (;;) {
    const d = source[j];
    if (d === undefined) return undefined;
    if (d === "]" && !first) break;
    first = false;
    if (d === "\\") {
      const codes = classEscapeCodes(source[j + 1]);
      if (codes === undefined) return undefined;
      if (codes.length > 1) {
        for (const c of codes) set[c] = 1;
        j += 2;
        continue;
      }
    }
    const lo = single(j);
    if (lo === undefined) return undefined;
    j += lo[1];
    let hi = lo;
    if (source[j] === "-" && source[j + 1] !== "]" && source[j + 1] !== undefined) {
      const h = single(j + 1);
      if (h === undefined || h[0] < lo[0]) return undefined;
      hi = h;
      j += 1 + h[1];
    }
    for (let c = lo[0]; c <= hi[0]; c++) set[c] = 1;
  }
  for (let c = 65; c <= 90; c++) {
    if (set[c] || set[c + 32]) set[c] = set[c + 32] = 1;
  }
  const hex = (c: number) => `\\x${c.toString(16).padStart(2, "0")}`;
  let body = negated ? "^" : "";
  for (let c = 0; c < 128; c++) {
    if (!set[c]) continue;
    let e = c;
    while (e + 1 < 128 && set[e + 1]) e++;
    body += e === c ? hex(c) : `${hex(c)}-${hex(e)}`;
    c = e;
  }
  return { v8: `[${body}]`, end: j + 1 };
}
