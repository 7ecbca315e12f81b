// stern's regexes are Go's regexp (RE2 syntax and semantics). They run on re2js, a port of Go's
// regexp to JavaScript: the same parser (so the same accepted patterns and error texts), the same
// leftmost-first matching on code points, and linear time (no pattern can hang on a long line).
// Lines are bytes: valid UTF-8 is matched as a string (re2js is fastest there), anything else as
// bytes, where, as in Go, each byte of an invalid sequence is one U+FFFD.
import { isAscii, isUtf8 } from "node:buffer";
import { type Matcher, RE2JS, RE2JSSyntaxException } from "re2js";
import { canBackquote, quoteGo } from "./goquote.ts";
import { toV8Regex } from "./goregex-v8.ts";
import { runeWidth } from "./gostring.ts";

/** A pattern Go rejects; the message is Go's ("error parsing regexp: missing closing ): `(`"). */
export class GoRegexError extends Error {}

const META = /[\\.+*?()|[\]{}^$]/;
const ASCII = /^[\x00-\x7f]*$/;

export class GoRegex {
  readonly source: string;
  private compiled: RE2JS | undefined;
  /** A pattern that is its own literal (most -i/-e values): searched as bytes, exactly as Go matches. */
  private readonly literal: Buffer | undefined = undefined;
  private strMatcher: Matcher | undefined;
  /** Bytes every match contains (see requiredLiteral): a line without them cannot match. */
  private readonly required: Buffer | undefined = undefined;
  /** The same pattern for V8, used on ASCII lines (goregex-v8.ts); undefined when not exact. */
  private readonly v8: RegExp | undefined = undefined;
  private readonly literalText: string | undefined = undefined;
  private readonly requiredText: string | undefined = undefined;

  /** `literalOf`: a pattern whose matches are exactly those of this literal one ("(error)"). */
  constructor(source: string, literalOf?: GoRegex) {
    this.source = source;
    if (literalOf?.literal) {
      this.literal = literalOf.literal;
      this.literalText = literalOf.literalText;
      return;
    }
    // U+FFFD is left out: in Go it also matches each byte of invalid UTF-8.
    if (!META.test(source) && !source.includes("\ufffd")) {
      // A literal always parses: it is compiled when first needed (a non-ASCII line, highlights),
      // which a pod query like `web` may never be, and the first compile costs ~3 ms of start-up.
      this.literal = Buffer.from(source, "utf8");
      this.literalText = source;
    } else {
      this.compiled = compileRe2(source);
      const req = requiredLiteral(source);
      if (req !== undefined) {
        this.required = Buffer.from(req, "utf8");
        this.requiredText = req;
      }
      this.v8 = toV8Regex(source);
    }
  }

  /**
   * Bytes every match contains (the pattern itself when it is a literal), or undefined: a scan over
   * many lines can look for these in bulk and test only the lines that have them.
   */
  get requiredBytes(): Buffer | undefined {
    return this.literal && this.literal.length > 0 ? this.literal : this.required;
  }

  private get re(): RE2JS {
    this.compiled ??= compileRe2(this.source);
    return this.compiled;
  }

  /** Whether buf[start, end) holds the bytes every match needs (true when there are none). */
  private mayMatch(buf: Buffer, start: number, end: number): boolean {
    if (!this.required) return true;
    const at = indexWithin(buf, this.required, start, end);
    return at !== -1 && at + this.required.length <= end;
  }

  /** Whether the pattern matches somewhere in `text`. */
  test(text: string): boolean {
    return ASCII.test(text) ? this.testAscii(text) : this.re.test(text);
  }

  /** test() for text known to be ASCII (a line decoded once for several patterns). */
  testAscii(text: string): boolean {
    if (this.literalText !== undefined) return text.includes(this.literalText);
    if (this.v8) {
      const r = this.v8Test(text);
      if (r !== undefined) return r;
    }
    if (this.requiredText !== undefined && !text.includes(this.requiredText)) return false;
    return this.re.test(text);
  }

  /** Whether the pattern matches somewhere in buf[start, end). */
  testBytes(buf: Buffer, start = 0, end = buf.length): boolean {
    if (this.literal) {
      if (this.literal.length === 0) return true;
      const at = indexWithin(buf, this.literal, start, end);
      return at !== -1 && at + this.literal.length <= end;
    }
    const bytes = buf.subarray(start, end);
    if (this.v8 && isAscii(bytes)) {
      const r = this.v8Test(bytes.toString("latin1"));
      if (r !== undefined) return r;
    }
    if (!this.mayMatch(buf, start, end)) return false;
    return isUtf8(bytes) ? this.re.test(bytes.toString("utf8")) : this.re.test(bytes);
  }

  /** V8's answer, or undefined when its backtracking stack overflowed (re2js answers then). */
  private v8Test(text: string): boolean | undefined {
    try {
      return (this.v8 as RegExp).test(text);
    } catch {
      return undefined;
    }
  }

  /**
   * Go's ReplaceAllStringFunc over `bytes`: every match, leftmost-first, an empty match right after a
   * match skipped, `replace` called with the match's offsets. Returns the pieces between matches.
   */
  replaceAll(bytes: Buffer, replace: (match: Buffer) => Buffer | string): Buffer {
    if (this.literal && this.literal.length > 0) return this.replaceLiteral(bytes, this.literal, replace);
    // A line that cannot match has no empty match either (the required bytes are not empty).
    if (!this.mayMatch(bytes, 0, bytes.length)) return bytes;
    const asText = isUtf8(bytes);
    const text = asText ? bytes.toString("utf8") : "";
    const m = asText ? this.stringMatcher(text) : this.re.matcher(bytes);
    const end = asText ? text.length : bytes.length;
    const slice = asText
      ? (a: number, b: number) => Buffer.from(text.slice(a, b), "utf8")
      : (a: number, b: number) => bytes.subarray(a, b);
    const parts: (Buffer | string)[] = [];
    let lastMatchEnd = 0;
    let searchPos = 0;
    while (searchPos <= end) {
      if (!m.find(searchPos)) break;
      const a0 = m.start();
      const a1 = m.end();
      parts.push(slice(lastMatchEnd, a0));
      if (a1 > lastMatchEnd || a0 === 0) parts.push(replace(slice(a0, a1)));
      lastMatchEnd = a1;
      // Always advance by at least one character, as Go does.
      const width = asText ? charWidth(text, searchPos) : runeWidth(bytes, searchPos);
      if (searchPos + width > a1) searchPos += width;
      else if (searchPos + 1 > a1) searchPos++;
      else searchPos = a1;
    }
    parts.push(slice(lastMatchEnd, end));
    return Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "utf8") : p)));
  }

  private stringMatcher(text: string): Matcher {
    if (this.strMatcher) return this.strMatcher.resetMatcherInput(text);
    this.strMatcher = this.re.matcher(text);
    return this.strMatcher;
  }

  private replaceLiteral(bytes: Buffer, lit: Buffer, replace: (match: Buffer) => Buffer | string): Buffer {
    const parts: (Buffer | string)[] = [];
    let from = 0;
    for (let at = bytes.indexOf(lit); at !== -1; at = bytes.indexOf(lit, from)) {
      parts.push(bytes.subarray(from, at), replace(bytes.subarray(at, at + lit.length)));
      from = at + lit.length;
    }
    if (parts.length === 0) return bytes;
    parts.push(bytes.subarray(from));
    return Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "utf8") : p)));
  }
}

/**
 * The longest run of plain characters that every match of the pattern contains, or undefined: a
 * cheap test that skips the regexp on most lines, and exact, as it only says what a match needs.
 * Conservative: only a pattern without top-level alternation and without case folding, only
 * literal characters between the top-level groups, classes, escapes and repetitions, the character
 * before a repetition left out.
 */
const repeats = (c: string | undefined): boolean => c !== undefined && "*+?{".includes(c);

export function requiredLiteral(source: string): string | undefined {
  if (/\(\?[a-zA-Z-]*i/.test(source) || source.includes("\\Q")) return undefined;
  const runs: string[] = [];
  let run = "";
  let depth = 0;
  const cut = () => {
    if (run !== "") runs.push(run);
    run = "";
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i] as string;
    if (c === "\\") {
      const n = source[i + 1];
      // Escapes with an argument (\x41, \x{...}, \101, \pL, \p{...}): not worth reading here.
      if (n !== undefined && /[xpP0-9]/.test(n)) return undefined;
      i++;
      if (depth === 0 && n !== undefined && /[!-/:-@[-`{-~]/.test(n) && !repeats(source[i + 1])) run += n;
      else cut();
      continue;
    }
    if (c === "[") {
      i = classEnd(source, i) - 1;
      cut();
      continue;
    }
    if (c === "(") depth++;
    else if (c === ")") depth = Math.max(0, depth - 1);
    else if (c === "|" && depth === 0) return undefined;
    if (depth > 0 || c === ")" || c === "(" || ".^$|".includes(c)) {
      cut();
      continue;
    }
    if ("*+?{".includes(c)) {
      // The repeated character is not required as it stands; nor is a literal "{...}".
      run = [...run].slice(0, -1).join("");
      cut();
      if (c === "{") {
        const close = source.indexOf("}", i);
        if (close !== -1) i = close;
      }
      continue;
    }
    if (repeats(source[i + 1])) {
      cut();
      continue;
    }
    run += c;
  }
  cut();
  const best = runs.filter((r) => !r.includes("\ufffd")).sort((a, b) => b.length - a.length)[0];
  return best !== undefined && best.length >= 2 ? best : undefined;
}

/** Go's message: "error parsing regexp: <what>: `<where>`", the backquotes even when empty. */
function goMessage(err: unknown): string {
  if (err instanceof RE2JSSyntaxException)
    return `error parsing regexp: ${err.error}: \`${err.input ?? ""}\``;
  return (err as Error).message;
}

function compileRe2(source: string): RE2JS {
  try {
    return RE2JS.compile(source);
  } catch (err) {
    // Go accepts a group name twice (RE2's C++ parser, which re2js follows here, does not); names
    // do not change what matches, so the groups are compiled unnamed.
    if (err instanceof RE2JSSyntaxException && err.error === "duplicate capture group name") {
      const unnamed = unnameGroups(source);
      try {
        return RE2JS.compile(unnamed);
      } catch (again) {
        // Another error, which Go reports: on the pattern as written when it names the whole.
        if (again instanceof RE2JSSyntaxException && again.input === unnamed) {
          throw new GoRegexError(goMessage(new RE2JSSyntaxException(again.error, source)));
        }
        throw new GoRegexError(goMessage(again));
      }
    }
    throw new GoRegexError(goMessage(err));
  }
}

/** `(?P<name>` and `(?<name>` outside classes, escapes and \Q...\E become plain `(`. */
export function unnameGroups(source: string): string {
  let out = "";
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    if (c === "\\") {
      if (source[i + 1] === "Q") {
        const end = source.indexOf("\\E", i + 2);
        const stop = end === -1 ? source.length : end + 2;
        out += source.slice(i, stop);
        i = stop;
        continue;
      }
      out += source.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (c === "[") {
      const stop = classEnd(source, i);
      out += source.slice(i, stop);
      i = stop;
      continue;
    }
    const named = /^\(\?P?<(\w+)>/.exec(source.slice(i, i + 512));
    if (named) {
      out += "(";
      i += named[0].length;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

/** The index after the character class that starts at i (RE2's rules: a leading ] is a literal). */
function classEnd(source: string, i: number): number {
  let j = i + 1;
  if (source[j] === "^") j++;
  if (source[j] === "]") j++;
  while (j < source.length) {
    const c = source[j];
    if (c === "\\") j += 2;
    else if (c === "[" && source[j + 1] === ":") {
      const end = source.indexOf(":]", j + 2);
      j = end === -1 ? j + 1 : end + 2;
    } else if (c === "]") return j + 1;
    else j++;
  }
  return source.length;
}

/** UTF-16 units of the code point at i (1 past the end, as Go's width of an empty rest). */
function charWidth(text: string, i: number): number {
  const c = text.charCodeAt(i);
  return c >= 0xd800 && c <= 0xdbff && i + 1 < text.length ? 2 : 1;
}

/** Compiles a Go regexp; throws GoRegexError with Go's message. */
export function compileGoRegex(source: string): GoRegex {
  return new GoRegex(source);
}

/**
 * stern's highlight pattern: the sources of the -i and -H patterns, longest first, joined as
 * "(p1|p2|...)" — so a flag group in one pattern applies to the ones after it, as in stern.
 */
export function joinGoRegexes(patterns: readonly GoRegex[]): GoRegex | undefined {
  if (patterns.length === 0) return undefined;
  // Longest in bytes first, as Go's len; a stable sort, as Go's for a dozen patterns or fewer.
  const sources = patterns
    .map((p) => p.source)
    .sort((a, b) => Buffer.byteLength(b, "utf8") - Buffer.byteLength(a, "utf8"));
  const joined = `(${sources.join("|")})`;
  try {
    return new GoRegex(joined, patterns.length === 1 ? patterns[0] : undefined);
  } catch (err) {
    // Go's regexp.MustCompile panic text (stern would fail so on its first line).
    const quoted = canBackquote(joined) ? `\`${joined}\`` : quoteGo(joined);
    throw new GoRegexError(`regexp: Compile(${quoted}): ${(err as Error).message}`);
  }
}

/**
 * Where needle starts in buf[start, end), or -1. Not buf.indexOf(needle, start) alone: in a buffer of
 * many lines (a socket read, the view's store) that searches on past `end` to the buffer's end, for
 * every line that lacks it.
 */
function indexWithin(buf: Buffer, needle: Buffer, start: number, end: number): number {
  if (end - start < needle.length) return -1;
  if (end === buf.length) return buf.indexOf(needle, start);
  const at = buf.subarray(start, end).indexOf(needle);
  return at === -1 ? -1 : start + at;
}
