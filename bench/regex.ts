// Per-line cost of the line filters (-i, -e) and highlighting (-H): the V8 translation this
// project used before (src/util/goregex.ts at BEFORE_REV, read from git) against today's Go regexp
// (a byte search for literals, V8 on ASCII lines for plain syntax, re2js otherwise), on the same
// lines; before and after alternate, five rounds, medians. Run by hand:
//   node_modules/.bin/node bench/regex.ts [lines per round]
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lineFilter } from "../src/cli/options.ts";
import { HIGHLIGHT, paint } from "../src/format/color.ts";
import { highlightBytes } from "../src/format/highlight.ts";
import { compileGoRegex, joinGoRegexes } from "../src/util/goregex.ts";

/** The last commit with the V8 translation. */
const BEFORE_REV = "7beb712";
const LINES = Number(process.argv[2] ?? 100_000);
const ROUNDS = 5;

const dir = mkdtempSync(join(tmpdir(), "stern-regex-bench-"));
const oldFile = join(dir, "goregex-before.ts");
writeFileSync(
  oldFile,
  execFileSync("git", ["show", `${BEFORE_REV}:src/util/goregex.ts`], { encoding: "utf8" }),
);
const { compileGoRegex: compileBefore } = (await import(oldFile)) as {
  compileGoRegex: (s: string) => RegExp;
};

/** Before: each line decoded, then RegExp.test (what lineFilter did). */
function filterBefore(include: RegExp[], exclude: RegExp[]) {
  return (buf: Buffer, start: number, end: number) => {
    const text = buf.toString("utf8", start, end);
    for (const re of exclude) if (re.test(text)) return false;
    if (include.length === 0) return true;
    for (const re of include) if (re.test(text)) return true;
    return false;
  };
}

/** Before: the patterns joined with their flags inlined, replaced on the decoded line. */
function highlightBefore(patterns: RegExp[]) {
  const sorted = [...patterns].sort((a, b) => b.source.length - a.source.length);
  const parts = sorted.map((r) => {
    const inline = r.flags.replace(/[gyud]/g, "");
    return inline ? `(?${inline}:${r.source})` : r.source;
  });
  const re = new RegExp(`(${parts.join("|")})`, sorted.some((r) => r.unicode) ? "gu" : "g");
  return (line: Buffer) => {
    re.lastIndex = 0;
    return Buffer.from(line.toString("utf8").replace(re, (m) => (m === "" ? m : paint(HIGHLIGHT, m))));
  };
}

// Log lines of ~100 bytes, as the benchmarks' simulator writes them; one in ten is an error.
const words = [
  "GET",
  "POST",
  "/api/cart",
  "/healthz",
  "user=alice",
  "db",
  "cache",
  "latency=3ms",
  "id=7b9d8f6c5d",
];
const lines: Buffer[] = [];
for (let i = 0; i < 1000; i++) {
  const level = i % 10 === 0 ? "ERROR" : i % 7 === 0 ? "DEBUG" : "INFO";
  const extra = i % 10 === 0 ? "connection refused" : i % 13 === 0 ? "status=503 timeout" : "status=200";
  const text = `2026-11-26T07:06:${String(i % 60).padStart(2, "0")}.123Z ${level} ${words[i % words.length]} ${words[(i * 7) % words.length]} request handled ${extra} seq=${i}`;
  lines.push(Buffer.from(text));
}

function perLine(fn: (line: Buffer) => unknown): number {
  for (let i = 0; i < 20_000; i++) fn(lines[i % lines.length] as Buffer);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < LINES; i++) fn(lines[i % lines.length] as Buffer);
  return Number(process.hrtime.bigint() - t0) / LINES;
}

const cases: { name: string; include?: string[]; exclude?: string[]; highlight?: string[] }[] = [
  { name: "-i error (literal)", include: ["error"] },
  { name: "-i 'status=[45]\\d\\d'", include: ["status=[45]\\d\\d"] },
  { name: "-i '(?i)timeout|refused|reset by peer'", include: ["(?i)timeout|refused|reset by peer"] },
  { name: "-i 'timeout after \\d+s' (needs its literal)", include: ["timeout after \\d+s"] },
  { name: "-e healthz (literal)", exclude: ["healthz"] },
  { name: "-e '^\\S+ (DEBUG|TRACE) .*(db|cache)'", exclude: ["^\\S+ (DEBUG|TRACE) .*(db|cache)"] },
  { name: "-e healthz -e readyz -i ERROR", include: ["ERROR"], exclude: ["healthz", "readyz"] },
  { name: "-H error (literal)", highlight: ["error"] },
  { name: "-H 'user=\\w+' -H 'latency=\\d+ms'", highlight: ["user=\\w+", "latency=\\d+ms"] },
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

const rows: string[][] = [];
for (const c of cases) {
  let before: (l: Buffer) => unknown;
  let after: (l: Buffer) => unknown;
  if (c.highlight) {
    const b = highlightBefore(c.highlight.map(compileBefore));
    const joined = joinGoRegexes(c.highlight.map(compileGoRegex));
    if (!joined) throw new Error("no pattern");
    before = (l) => b(l);
    after = (l) => highlightBytes(l, joined);
  } else {
    const b = filterBefore((c.include ?? []).map(compileBefore), (c.exclude ?? []).map(compileBefore));
    const a = lineFilter((c.include ?? []).map(compileGoRegex), (c.exclude ?? []).map(compileGoRegex));
    if (!a) throw new Error("no filter");
    before = (l) => b(l, 0, l.length);
    after = (l) => a(l, 0, l.length);
  }
  const bs: number[] = [];
  const as: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    bs.push(perLine(before));
    as.push(perLine(after));
  }
  const [mb, ma] = [median(bs), median(as)];
  rows.push([c.name, mb.toFixed(0), ma.toFixed(0), `${(ma / mb).toFixed(2)}×`]);
}

const header = [
  "case (~100-byte lines)",
  `before: V8 translation (${BEFORE_REV}), ns/line`,
  "after: Go regexp, ns/line",
  "after ÷ before",
];
console.log(`| ${header.join(" | ")} |`);
console.log(`| ${header.map(() => "---").join(" | ")} |`);
for (const r of rows) console.log(`| ${r.join(" | ")} |`);
console.log(
  `\n${ROUNDS} rounds of ${LINES.toLocaleString("en-US")} lines per case (medians), Node ${process.version}`,
);
