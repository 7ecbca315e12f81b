// Go's text/template is the reference: test/oracle/template/main.go runs every template of the
// corpus with a Go rendering of stern's functions and record (spf13/cast's own code for time strings);
// the project must print the same bytes or fail with the same error. Beside the corpus written by
// hand, generated families (template/generated.ts) cover what differs between Go's strings and
// JavaScript's: bytes that are not UTF-8, spf13/cast's time layouts, printf's flags, JSON surrogates.
import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compileLineTemplate } from "../../src/format/go-template.ts";
import { stdinStream } from "../../src/format/stdin.ts";
import { renderLine } from "../../src/format/template.ts";
import type { StreamInfo } from "../../src/format/types.ts";
import { decodeGoBytes } from "../../src/util/gostring.ts";
import { goMinor, hex, runOracle } from "./go.ts";
import { MESSAGES, SINCE_GO, TEMPLATES } from "./template/corpus.ts";
import { GENERATED } from "./template/generated.ts";

interface Result {
  parseErr: string;
  execErr: string;
  out: string;
}

interface Case {
  tpl: string;
  msg: string;
  ts: string;
  info: StreamInfo;
  colored: boolean;
}

const POD: StreamInfo = {
  context: "",
  contextColor: "",
  namespace: "shop",
  podName: "web-7b9d8f6c5d-2rbt1",
  containerName: "server",
  nodeName: "node-1",
  labels: { app: "web", "app.kubernetes.io/instance": "web-1", tier: "front" },
  annotations: {},
  colors: { pod: "96", container: "36" },
};

const STDIN_STREAM = stdinStream(true);

const sgr = (s: string) => (s === "" ? [] : s.split(";").map(Number));

/** Every template on every message: a pod's record with colors on and off, and --stdin's with colors. */
function cases(): Case[] {
  const out: Case[] = [];
  for (const tpl of TEMPLATES.filter((t) => (SINCE_GO[t] ?? 0) <= goMinor())) {
    for (const m of MESSAGES) {
      const msg = hex(m);
      out.push({ tpl, msg, ts: "2026-11-26T07:06:28.123Z", info: POD, colored: true });
      out.push({ tpl, msg, ts: "", info: POD, colored: false });
      out.push({ tpl, msg, ts: "", info: STDIN_STREAM, colored: true });
    }
  }
  // The generated families: a pod's record with colors, a text message and one of bytes not UTF-8.
  for (const tpl of Object.values(GENERATED).flat())
    for (const m of [MESSAGES[0], MESSAGES[3]] as (string | Uint8Array)[])
      out.push({ tpl, msg: hex(m), ts: "2026-11-26T07:06:28.123Z", info: POD, colored: true });
  return out;
}

/**
 * The project cuts the node in an execution error's context to 20 characters ("at <slice .Message
 * 0 100...>"), as Go's current text/template (stern's Go) does; Debian's Go 1.19 prints it whole, so
 * an older oracle's context is cut the same way before comparing.
 */
function asNewerGo(r: Result): Result {
  if (goMinor() >= 20 || r.execErr === "") return r;
  const m = /^(template: [^ ]+ executing "[^"]*" at <)(.*?)(>: .*)$/s.exec(r.execErr);
  if (!m) return r;
  const runes = [...(m[2] as string)];
  const ctx = runes.length > 20 ? `${runes.slice(0, 20).join("")}...` : m[2];
  return { ...r, execErr: `${m[1]}${ctx}${m[3]}` };
}

function project(c: Case): Result {
  let template: ReturnType<typeof compileLineTemplate>;
  try {
    template = compileLineTemplate(c.tpl, c.colored);
  } catch (err) {
    return { parseErr: (err as Error).message, execErr: "", out: "" };
  }
  const msg = Buffer.from(c.msg, "hex");
  try {
    const r = renderLine(template, c.info, msg, 0, msg.length, c.ts);
    return { parseErr: "", execErr: "", out: Buffer.from(r).toString("hex") };
  } catch (err) {
    return { parseErr: "", execErr: (err as Error).message, out: "" };
  }
}

describe("templates, against Go's text/template", () => {
  const all = cases();
  const go = runOracle<Result[]>(
    "template",
    all.map((c) => ({
      tpl: c.tpl,
      msg: c.msg,
      ts: c.ts,
      node: c.info.nodeName,
      ns: c.info.namespace,
      pod: c.info.podName,
      ctr: c.info.containerName,
      labels: c.info.labels ?? null,
      annotations: c.info.annotations ?? null,
      // The record's colors are always set (stdin's are color.New(color.Reset)); off means NoColor.
      podColor: c.info === STDIN_STREAM ? [0] : sgr(c.info.colors.pod),
      ctrColor: c.info === STDIN_STREAM ? [0] : sgr(c.info.colors.container),
      colored: c.colored,
    })),
  );

  const generated = Object.entries(GENERATED)
    .map(([family, t]) => `${t.length} ${family}`)
    .join(", ");
  // Go's errors come as bytes; read as the project holds strings (bytes not UTF-8 as raw-byte surrogates).
  const fromGo = (r: Result): Result => ({
    ...r,
    parseErr: decodeGoBytes(Buffer.from(r.parseErr, "hex")),
    execErr: decodeGoBytes(Buffer.from(r.execErr, "hex")),
  });
  it(`renders all ${all.length} cases (${TEMPLATES.length} templates, and generated: ${generated}) as Go does`, () => {
    const differ: { tpl: string; msg: string; colored: boolean; stdin: boolean; go: Result; mine: Result }[] =
      [];
    all.forEach((c, i) => {
      const mine = project(c);
      const want = asNewerGo(fromGo(go[i] as Result));
      if (JSON.stringify(mine) !== JSON.stringify(want)) {
        differ.push({
          tpl: c.tpl,
          msg: c.msg,
          colored: c.colored,
          stdin: c.info === STDIN_STREAM,
          go: want,
          mine,
        });
      }
    });
    if (process.env.ORACLE_DUMP) writeFileSync(process.env.ORACLE_DUMP, JSON.stringify(differ, null, 1));
    expect(differ.length, JSON.stringify(differ.slice(0, 40), null, 1)).toBe(0);
  });
});
