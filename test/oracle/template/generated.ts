// Generated templates for the text/template oracle, one family per way Go's strings and values can
// differ from JavaScript's: string literals of bytes that are not UTF-8 through every function and
// verb that takes a string, strings ordered as bytes, every time layout spf13/cast tries (its
// StringToDate list) with each kind of zone and the variations Go's time.Parse allows, printf's
// flags on floats and integers, and JSON whose strings hold lone surrogates re-encoded. Each runs on
// a pod's record with colors, on two messages (one of bytes that are not UTF-8).
import { fixedZone, formatTime, GoTime } from "../../../src/template/time.ts";

/** A Go interpreted string literal of these bytes: printable ASCII as it is, everything else \xHH. */
export function goLiteral(bytes: readonly number[]): string {
  let s = '"';
  for (const b of bytes) {
    if (b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c) s += String.fromCharCode(b);
    else s += `\\x${b.toString(16).padStart(2, "0")}`;
  }
  return `${s}"`;
}

const utf8 = (s: string): number[] => [...Buffer.from(s, "utf8")];

/** Byte strings: invalid UTF-8 of each kind, and valid UTF-8 written as bytes. */
const BYTE_STRINGS: number[][] = [
  [0xff],
  [0x80],
  [0xc3], // a first byte without its second
  [0xc3, 0xa9], // é, as bytes
  [0xe2, 0x82], // three-byte sequence cut short
  [0xed, 0xa0, 0x80], // a UTF-16 surrogate encoded: not UTF-8
  [0xf4, 0x90, 0x80, 0x80], // past U+10FFFF
  [0xc0, 0x80], // overlong NUL
  [0x61, 0xff, 0x62],
  [0xf0, 0x9f, 0x98, 0x80], // 😀, as bytes
  [0xef, 0xbf, 0xbd], // U+FFFD itself
  [0xff, 0xfe, 0x3c, 0x26, 0x27, 0x22], // with html's and js's specials
  [0x00, 0xff, 0x0a],
  [0xe2, 0x80, 0xa8], // U+2028, which js escapes
  [0x20, 0xfe, 0x25, 0x64], // "%d" after a bad byte: a format
];

/** The same bytes, another spelling: octal escapes. */
const OCTAL_LITERALS = ['"\\377\\300"', '"a\\200b"'];

/** Strings whose order as bytes differs from their order as UTF-16 units. */
const ORDERED = ['"\\x80"', '"é"', '"\\uffff"', '"😀"', '"\\xff"', '""', '"\\U00010000"', '"\\ue000"'];

/** Every place a template hands a string to Go: S is the literal. */
const STRING_USES = [
  "{{S}}",
  "{{print S}}",
  "{{println S 1}}",
  '{{printf "%s|" S}}',
  '{{printf "%q" S}}',
  '{{printf "%+q" S}}',
  '{{printf "%#q" S}}',
  '{{printf "%#+q" S}}',
  '{{printf "%x" S}}',
  '{{printf "% x" S}}',
  '{{printf "%X" S}}',
  '{{printf "% #X" S}}',
  '{{printf "%v" S}}',
  '{{printf "%8s|%-8s|%08s|" S S S}}',
  '{{printf "%.1s|%.2q|%.1x|" S S S}}',
  '{{printf "%c" S}}',
  '{{printf "%d" S}}',
  '{{printf "%U" S}}',
  '{{printf "%T" S}}',
  '{{printf "%#v" S}}',
  "{{printf S 1}}",
  '{{printf (print S "|%d") 7}}',
  "{{len S}}",
  "{{index S 0}}",
  "{{slice S 1}}",
  "{{slice S 0 1}}",
  "{{html S}}",
  "{{html S 1}}",
  "{{js S}}",
  '{{js S "<"}}',
  "{{urlquery S}}",
  "{{urlquery S S}}",
  "{{eq S S}} {{ne S S}}",
  "{{eq S .Message}} {{lt S .Message}}",
  "{{print S .Message}}",
  "{{and S 1}} {{or S 2}} {{not S}}",
  "{{if S}}yes{{else}}no{{end}}",
  "{{$x := S}}{{$x}}{{$x = print $x S}}{{$x}}",
  "{{with S}}[{{.}}]{{end}}",
  '{{S | printf "%q"}}',
  "{{json S}}",
  "{{parseJSON S}}",
  "{{tryParseJSON S}}",
  '{{extractJSONParts S "a"}}',
  '{{tryExtractJSONParts S "a"}}',
  '{{extractJSONParts `{"a":1}` S}}',
  "{{extjson S}}",
  "{{prettyJSON S}}",
  "{{toRFC3339Nano S}}",
  "{{toUTC S}}",
  '{{toTimestamp S "2006"}}',
  '{{toTimestamp "2026-11-26T07:06:28Z" S}}',
  '{{toTimestamp "2026-11-26T07:06:28Z" "2006" S}}',
  '{{(toUTC "2026-11-26T07:06:28Z").Format S}}',
  "{{color .PodColor S}}",
  "{{colorCustom S 1}}",
  "{{colorRed S}}",
  '{{colorGreen "%s|%q" S S}}',
  "{{colorBlue S 1}}",
  "{{levelColor S}}",
  "{{bunyanLevelColor S}}",
  "{{.PodColor.Sprint S}}",
  '{{.ContainerColor.Sprintf "%q" S}}',
  "{{.ContainerColor.Sprintf S}}",
  "{{index .Labels S}}",
  "{{template S}}",
];

/** String literals of bytes that are not UTF-8 (and of UTF-8 as bytes) through every use of a string. */
function invalidUtf8(): string[] {
  const literals = [...BYTE_STRINGS.map(goLiteral), ...OCTAL_LITERALS];
  const out: string[] = [];
  for (const s of literals) for (const use of STRING_USES) out.push(use.replaceAll("S", s));
  // Comparisons: Go orders strings by their bytes.
  for (const a of [...literals, ...ORDERED])
    for (const b of ORDERED)
      out.push(`{{lt ${a} ${b}}}{{le ${a} ${b}}}{{gt ${a} ${b}}}{{ge ${a} ${b}}}{{eq ${a} ${b}}}`);
  return out;
}

// --- times ---------------------------------------------------------------------------------------

/**
 * spf13/cast's StringToDate layouts (cast 1.10, internal/time.go TimeFormats, in its order; Debian's
 * golang-github-spf13-cast-dev 1.5.0 has the same 24 less "2006-01-02" at the top), and whether each
 * has a numeric zone, a zone name, both, or none.
 */
const CAST_LAYOUTS: [string, "none" | "named" | "numeric" | "both" | "timeOnly"][] = [
  ["2006-01-02", "none"],
  ["2006-01-02T15:04:05Z07:00", "numeric"],
  ["2006-01-02T15:04:05", "none"],
  ["Mon, 02 Jan 2006 15:04:05 -0700", "numeric"],
  ["Mon, 02 Jan 2006 15:04:05 MST", "named"],
  ["02 Jan 06 15:04 -0700", "numeric"],
  ["02 Jan 06 15:04 MST", "named"],
  ["Monday, 02-Jan-06 15:04:05 MST", "named"],
  ["2006-01-02 15:04:05.999999999 -0700 MST", "both"],
  ["2006-01-02T15:04:05-0700", "numeric"],
  ["2006-01-02 15:04:05Z0700", "numeric"],
  ["2006-01-02 15:04:05", "none"],
  ["Mon Jan _2 15:04:05 2006", "none"],
  ["Mon Jan _2 15:04:05 MST 2006", "named"],
  ["Mon Jan 02 15:04:05 -0700 2006", "numeric"],
  ["2006-01-02 15:04:05Z07:00", "numeric"],
  ["02 Jan 2006", "none"],
  ["2006-01-02 15:04:05 -07:00", "numeric"],
  ["2006-01-02 15:04:05 -0700", "numeric"],
  ["3:04PM", "timeOnly"],
  ["Jan _2 15:04:05", "timeOnly"],
  ["Jan _2 15:04:05.000", "timeOnly"],
  ["Jan _2 15:04:05.000000", "timeOnly"],
  ["Jan _2 15:04:05.000000000", "timeOnly"],
];

/** Instants to write in each layout: Go's reference time, midnight and noon, a leap day, odd offsets. */
const INSTANTS: [string, number][] = [
  ["2006-01-02T15:04:05.123456789Z", -7 * 3600],
  ["2026-11-26T00:06:28Z", 0],
  ["2024-02-29T12:00:00.5Z", 5 * 3600 + 1800],
  ["1999-12-31T23:59:59.000001Z", -(3 * 3600 + 1800)],
  ["2000-07-04T09:05:00Z", 14 * 3600],
];

/** Zone names for layouts with MST: known abbreviations, GMT with hours, signed hours, and not zones. */
const ZONE_NAMES = [
  "UTC",
  "GMT",
  "MST",
  "PST",
  "CET",
  "CEST",
  "JST",
  "GMT+3",
  "GMT-11",
  "+03",
  "-0530",
  "ChST",
  "WITA",
  "ABCDT",
  "XY",
];

function instant(iso: string, offset: number, name: string): GoTime {
  const ms = Date.parse(iso);
  const nanos = Number(/\.(\d+)Z$/.exec(iso)?.[1]?.padEnd(9, "0") ?? 0);
  return new GoTime(Math.floor(ms / 1000), nanos, fixedZone(name, offset));
}

/** Variations Go's parser reads differently, or not at all. */
function variations(s: string): string[] {
  return [
    s,
    s.toLowerCase(),
    s.toUpperCase(),
    s.replaceAll(" ", "  "),
    s.replace(".", ","),
    ` ${s}`,
    `${s} `,
    s.replace(/(^|\D)0(\d)/, "$1$2"), // the first zero-padded number without its zero
    s.replace(/:(\d\d)(\D|$)/, ":$1.123456789123$2"), // a fraction the layout does not have
    s.replace(/\d(\D*)$/, "$1"), // the last digit gone
  ];
}

function timeStrings(): string[] {
  const out = new Set<string>();
  for (const [layout, kind] of CAST_LAYOUTS) {
    for (const [iso, offset] of INSTANTS) {
      const names = kind === "named" || kind === "both" ? ZONE_NAMES : ["Z"];
      for (const name of names) {
        const t = instant(iso, kind === "named" ? 0 : offset, name);
        for (const v of variations(formatTime(t, layout))) out.add(v);
      }
    }
  }
  return [...out];
}

/** Every generated time string through stern's three time functions. */
function times(): string[] {
  const out: string[] = [];
  for (const s of timeStrings()) {
    const lit = goLiteral(utf8(s));
    out.push(`{{toRFC3339Nano ${lit}}}|{{toUTC ${lit}}}|{{(toUTC ${lit}).Unix}}`);
    out.push(
      `{{toTimestamp ${lit} "Mon Jan _2 2006 15:04:05.000000000 MST -07:00:00 Z0700" "America/New_York"}}`,
    );
  }
  return out;
}

// --- printf on numbers ---------------------------------------------------------------------------

const FLAGS = ["", "#", "+", " ", "-", "0", "+#", "#0", "-#", "# "];
const WIDTHS = ["", "9"];
const PRECISIONS = ["", ".0", ".1", ".3"];
const FLOATS = "0.0 -0.0 1.0 3.0 9.5 0.001 1e21 1e-7 123456.789 -2.5 100.0 0.5 1e6 0.00001";
const INTS = "0 1 -1 42 255 -255 65 128512 1000000";

function printfNumbers(): string[] {
  const out: string[] = [];
  for (const verb of ["e", "E", "f", "F", "g", "G", "x", "X", "b", "v"])
    for (const f of FLAGS)
      for (const w of WIDTHS)
        for (const p of PRECISIONS) {
          const spec = `%${f}${w}${p}${verb}|`;
          out.push(`{{printf "${spec.repeat(14)}" ${FLOATS}}}`);
        }
  for (const verb of ["d", "x", "X", "o", "O", "b", "c", "q", "U", "v"])
    for (const f of FLAGS)
      for (const w of WIDTHS)
        for (const p of PRECISIONS) {
          const spec = `%${f}${w}${p}${verb}|`;
          out.push(`{{printf "${spec.repeat(9)}" ${INTS}}}`);
        }
  return out;
}

// --- JSON with lone surrogates -------------------------------------------------------------------

/** JSON texts (raw template strings) whose strings hold escapes of surrogates, alone and paired. */
const JSON_TEXTS = [
  '{"a":"\\ud800"}',
  '{"a":"\\udbff\\udbff"}',
  '{"a":"\\udc00"}',
  '{"a":"\\udfff x"}',
  '{"a":"\\ud800\\udc00"}',
  '{"a":"\\udc00\\ud800"}',
  '{"a":"\\ud83d\\ude00","b":"\\ud83d"}',
  '{"a":"x\\ud800\\u0041"}',
  '{"a":"\\uffff\\ufffd\\u0000\\u2028\\u2029<>&"}',
  '{"\\ud800":1,"b":{"\\udfff":"\\ud800"}}',
  '{"a":["\\ud800",{"c":"\\udc80"}]}',
  '{"a":"\\udc80\\udcff"}',
];

function jsonSurrogates(): string[] {
  const out: string[] = [];
  for (const j of JSON_TEXTS) {
    const d = `\`${j}\``;
    out.push(
      `{{json (parseJSON ${d})}}`,
      `{{json (tryParseJSON ${d})}}`,
      `{{prettyJSON ${d}}}`,
      `{{prettyJSON (tryParseJSON ${d})}}`,
      `{{parseJSON ${d}}}`,
      `{{extractJSONParts ${d} "a" "b"}}`,
      `{{with $d := parseJSON ${d}}}{{printf "%q %x %v %d" $d.a $d.a $d.a (len (print $d.a))}}{{end}}`,
      `{{with $d := tryParseJSON ${d}}}{{printf "%q" $d.a}} {{json $d.a}}{{end}}`,
      `{{extjson ${d}}}`,
      `{{json (print (parseJSON ${d}))}}`,
    );
  }
  return out;
}

export const GENERATED: Record<string, string[]> = {
  "invalid UTF-8": invalidUtf8(),
  "time layouts": times(),
  "printf flags": printfNumbers(),
  "JSON surrogates": jsonSurrogates(),
};
