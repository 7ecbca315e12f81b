// Go's time.ParseDuration, which stern's duration flags (--since, --until, --sort-window) take:
// "48h", "1h30m", "1.5s", "300ms", "2us" — exactly, to the nanosecond, with Go's error texts.
// The flag parser (src/cli/pflag.ts) and everything else use this one.

/** time's quote: non-ASCII and control bytes as \xNN. */
function timeQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    if (cp >= 0x80 || cp < 0x20) {
      for (const b of Buffer.from(ch, "utf8")) out += `\\x${b.toString(16).padStart(2, "0")}`;
    } else out += ch === '"' || ch === "\\" ? `\\${ch}` : ch;
  }
  return `${out}"`;
}

const UNIT_NS: Record<string, bigint> = {
  ns: 1n,
  us: 1000n,
  "\u00b5s": 1000n,
  "\u03bcs": 1000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

/** time.ParseDuration, to nanoseconds, with its error texts. */
export function parseGoDuration(orig: string): bigint {
  const invalidDuration = () => new Error(`time: invalid duration ${timeQuote(orig)}`);
  const LIMIT = 1n << 63n;
  let s = orig;
  let neg = false;
  if (s[0] === "-" || s[0] === "+") {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "0") return 0n;
  if (s === "") throw invalidDuration();
  let d = 0n;
  while (s !== "") {
    if (!/^[0-9.]/.test(s)) throw invalidDuration();
    const int = /^[0-9]*/.exec(s)?.[0] as string;
    let v = 0n;
    for (const c of int) {
      if (v > LIMIT / 10n) throw invalidDuration();
      v = v * 10n + BigInt(c);
      if (v > LIMIT) throw invalidDuration();
    }
    s = s.slice(int.length);
    let post = false;
    let f = 0n;
    let scale = 1;
    if (s[0] === ".") {
      s = s.slice(1);
      const frac = /^[0-9]*/.exec(s)?.[0] as string;
      post = frac.length > 0;
      let overflow = false;
      for (const c of frac) {
        if (overflow) continue;
        if (f > (LIMIT - 1n) / 10n) {
          overflow = true;
          continue;
        }
        const y = f * 10n + BigInt(c);
        if (y > LIMIT) {
          overflow = true;
          continue;
        }
        f = y;
        scale *= 10;
      }
      s = s.slice(frac.length);
    }
    if (int.length === 0 && !post) throw invalidDuration();
    const unitText = /^[^0-9.]*/.exec(s)?.[0] as string;
    if (unitText === "") throw new Error(`time: missing unit in duration ${timeQuote(orig)}`);
    s = s.slice(unitText.length);
    const unit = UNIT_NS[unitText];
    if (unit === undefined) {
      throw new Error(`time: unknown unit ${timeQuote(unitText)} in duration ${timeQuote(orig)}`);
    }
    if (v > LIMIT / unit) throw invalidDuration();
    v *= unit;
    if (f > 0n) {
      // As Go: float64(f) * (float64(unit) / scale), truncated.
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (v > LIMIT) throw invalidDuration();
    }
    d += v;
    if (d > LIMIT) throw invalidDuration();
  }
  if (neg) return -d;
  if (d > LIMIT - 1n) throw invalidDuration();
  return d;
}

/** A Go duration in milliseconds (fractions kept); throws Go's error for anything else. */
export function goDurationMs(text: string): number {
  return Number(parseGoDuration(text)) / 1e6;
}
