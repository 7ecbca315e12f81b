// -o pretty: structured log lines (JSON, logfmt, klog, lines that start with a level; see
// src/structured/) as `[prefix][timestamp ]LEVEL message key=value ...`; every other line exactly as
// -o default prints it.
//
// - level: upper-cased, colored as stern's levelColor by name (klog's I/W/E/F as INFO, WARNING, ERROR,
//   FATAL), or a numeric level by stern's bunyanLevelColor ranges with bunyan's names for 10-60;
// - time: with -t, the line's own time (when it gives one with its zone) replaces the API timestamp;
//   either way it is not repeated among the fields;
// - the other fields in their written order as key=value: nested JSON objects flattened (a.b=1),
//   strings bare unless empty or holding whitespace, '=', quotes or control characters (then
//   JSON-quoted), numbers exactly as written, arrays as compact JSON. --fields keeps only the keys
//   named (a key also keeps what is nested under it), --exclude-fields drops them;
// - line breaks inside the message are shown as \n so a record stays one output line; the
//   continuation lines of a --multiline record follow as they are.

import { parseRecord } from "../structured/parse.ts";
import type { Level } from "../structured/record.ts";
import { OutBuffer } from "../util/out-buffer.ts";
import { paint, type Sgr } from "./color.ts";
import { plainFormatter } from "./plain.ts";
import { formatTimestamp } from "./timestamp.ts";
import type { FormatOptions, LineFormatter, StreamInfo } from "./types.ts";

// stern's levelColor (src/template/stern.ts), by lower-cased name.
const LEVEL_SGR: Record<string, Sgr> = {
  debug: "35",
  info: "34",
  warn: "33",
  warning: "33",
  error: "31",
  dpanic: "31",
  panic: "31",
  fatal: "36",
  critical: "36",
};

const DIM: Sgr = "2";

/** stern's bunyanLevelColor ranges. */
function bunyanSgr(level: number): Sgr {
  const lv = Math.trunc(level);
  return lv < 30 ? "35" : lv < 40 ? "34" : lv < 50 ? "33" : lv < 60 ? "31" : lv < 100 ? "36" : "";
}

const NEEDS_QUOTES = /[\s="'\x00-\x1f\x7f-\x9f]/;
// JSON.stringify leaves these as they are; escaped, a quoted value has no control character left.
const MORE_ESCAPES = /[\x7f-\x9f\u2028\u2029]/g;

function fieldText(text: string): string {
  if (text !== "" && !NEEDS_QUOTES.test(text)) return text;
  return JSON.stringify(text).replace(
    MORE_ESCAPES,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

function levelText(level: Level, colored: boolean): string {
  if (level.number !== undefined) return colored ? paint(bunyanSgr(level.number), level.text) : level.text;
  const name = level.text;
  const lower = level.text.toLowerCase();
  const sgr = Object.hasOwn(LEVEL_SGR, lower) ? LEVEL_SGR[lower] : undefined;
  return colored && sgr !== undefined ? paint(sgr, name) : name;
}

/** --fields and --exclude-fields: a key names itself and every key nested under it. */
export function fieldChooser(
  fields: readonly string[] | undefined,
  exclude: readonly string[] | undefined,
): ((key: string) => boolean) | undefined {
  const inc = fields && fields.length > 0 ? fields : undefined;
  const exc = exclude && exclude.length > 0 ? exclude : undefined;
  if (!inc && !exc) return undefined;
  const under = (key: string, names: readonly string[]) =>
    names.some((n) => key === n || (key.startsWith(n) && key.charCodeAt(n.length) === 0x2e));
  return (key) => (!inc || under(key, inc)) && !(exc && under(key, exc));
}

/**
 * The stream's prefix exactly as -o default writes it. Taken from plainFormatter itself (a line with
 * an empty message, minus its newline) so the two can never disagree.
 */
export function defaultPrefix(opts: FormatOptions, info: StreamInfo): string {
  const out = new OutBuffer(256);
  plainFormatter({ ...opts, output: "default", timestamps: undefined }, info).append(
    out,
    undefined,
    Buffer.alloc(0),
    0,
    0,
  );
  return out.buf.toString("utf8", 0, out.len - 1);
}

export function prettyFormatter(opts: FormatOptions, info: StreamInfo, colored: boolean): LineFormatter {
  const plain = plainFormatter({ ...opts, output: "default" }, info);
  const prefix = defaultPrefix(opts, info);
  const tsFormat = opts.timestamps;
  const render = colored ? (k: string) => paint(DIM, fieldText(k)) : fieldText;
  // The same keys come back line after line: each is rendered once (a few hundred at most).
  const keys = new Map<string, string>();
  const key = (k: string) => {
    let text = keys.get(k);
    if (text === undefined) {
      text = render(k);
      if (keys.size < 512) keys.set(k, text);
    }
    return text;
  };
  const chosen = fieldChooser(opts.fields, opts.excludeFields);
  return {
    append(out, time, buf, start, end, parsed) {
      const rec = parsed === undefined ? parseRecord(buf, start, end) : parsed;
      if (!rec) {
        plain.append(out, time, buf, start, end);
        return;
      }
      const parts: string[] = [];
      const t = rec.time ?? time;
      if (tsFormat !== undefined && t) parts.push(formatTimestamp(t, tsFormat, opts.zone));
      if (rec.level) parts.push(levelText(rec.level, colored));
      if (rec.message) parts.push(rec.message.replace(/\r?\n|\r/g, (m) => (m === "\r" ? "\\r" : "\\n")));
      for (const f of rec.fields) {
        if (chosen && !chosen(f.key)) continue;
        parts.push(`${key(f.key)}=${f.kind === "string" ? fieldText(f.value) : f.value}`);
      }
      out.putString(`${prefix}${parts.join(" ")}\n`);
      // --multiline: the record's continuation lines, as -o default shows them.
      if (rec.firstEnd < end) out.putLine(buf, rec.firstEnd + 1, end);
    },
  };
}
