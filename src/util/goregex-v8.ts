// The fast path of src/util/goregex.ts: a Go pattern of plain ASCII syntax, rewritten for V8 with
// the same meaning on ASCII lines, where code points and UTF-16 units are the same thing. Only for
// whether a line matches (the language matched is the same, whatever the engine's strategy); the
// highlight positions always come from re2js. A leading (?i) or (?s) becomes V8's flag: on ASCII
// text Go's case folding is ASCII's (its other folds, K/U+212A and S/U+017F, need non-ASCII text).
// What V8 reads otherwise is left out: other flags, counted
// repetitions (V8's linear fallback cannot take them), \A \z \x \p \Q, POSIX classes, names.
import v8 from "node:v8";

// V8 gives up backtracking after 50,000 backtracks and finishes on its linear-time engine: no
// pattern of this subset can hang on a long line (a very deep one throws RangeError: re2js then).
v8.setFlagsFromString("--enable-experimental-regexp-engine-on-excessive-backtracks");

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
  const flags = lead ? [...new Set(lead[1])].join("") : "";
  const body = toV8Source(lead ? source.slice(lead[0].length) : source, flags.includes("s"));
  return body === undefined ? undefined : new RegExp(body, flags.replace("s", ""));
}

/** The V8 source of a Go pattern without flags (`dotAll`: Go's (?s)), or undefined. */
export function toV8Source(source: string, dotAll = false): string | undefined {
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
