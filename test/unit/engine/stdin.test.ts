// --stdin under -t (stern #379, PR #380): a line that starts with an RFC 3339 timestamp keeps it, any
// other line gets the time it was read; without -t every line is printed as it is.
import { PassThrough, Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { PipelineOptions } from "../../../src/engine/pipeline.ts";
import { Sink } from "../../../src/engine/sink.ts";
import { runStdin, type StdinOptions } from "../../../src/engine/stdin.ts";
import { compileLineTemplate } from "../../../src/format/go-template.ts";
import type { FormatOptions } from "../../../src/format/index.ts";
import { stdinFormatter } from "../../../src/format/stdin.ts";
import { Zone } from "../../../src/format/timestamp.ts";
import { parseRfc3339 } from "../../../src/shared/instant.ts";

const READ_AT = "2026-09-14T12:29:01.598158861Z";

async function stdin(
  input: string | Buffer[],
  format: Partial<FormatOptions> = {},
  opts: StdinOptions = { timestamps: format.timestamps !== undefined, now: () => parseRfc3339(READ_AT)! },
  filters: Omit<PipelineOptions, "needsTime"> = {},
): Promise<string> {
  const written = new PassThrough();
  const chunks: Buffer[] = [];
  written.on("data", (d: Buffer) => chunks.push(d));
  const sink = new Sink(written);
  const formatter = stdinFormatter(
    {
      output: "default",
      showNamespace: false,
      allNamespaces: false,
      timestamps: undefined,
      zone: new Zone("UTC"),
      ...format,
    },
    (msg) => chunks.push(Buffer.from(`ERR ${msg}\n`)),
  );
  await runStdin(
    Readable.from(typeof input === "string" ? [Buffer.from(input)] : input),
    formatter,
    filters,
    sink,
    opts,
  );
  await sink.end();
  return Buffer.concat(chunks).toString();
}

const INPUT = "2026-08-20T10:00:00.123456789Z hello from kubectl\nplain line with no timestamp\n";

describe("--stdin with --timestamps", () => {
  it("keeps a line's own timestamp and stamps the others with the time they were read (PR #380's example)", async () => {
    expect(await stdin(INPUT, { timestamps: "default" })).toBe(
      "  2026-08-20T10:00:00.123456789Z hello from kubectl\n  2026-09-14T12:29:01.598158861Z plain line with no timestamp\n",
    );
  });

  it("shows both in --timezone and --timestamps=short", async () => {
    expect(await stdin(INPUT, { timestamps: "default", zone: new Zone("Asia/Tokyo") })).toBe(
      "  2026-08-20T19:00:00.123456789+09:00 hello from kubectl\n  2026-09-14T21:29:01.598158861+09:00 plain line with no timestamp\n",
    );
    expect(await stdin(INPUT, { timestamps: "short", output: "raw" })).toBe(
      "08-20 10:00:00 hello from kubectl\n09-14 12:29:01 plain line with no timestamp\n",
    );
  });

  it("reads the timestamp as Go's time.Parse does: offsets, any fraction, a one-digit hour", async () => {
    const input = [
      "2026-08-20T10:00:00+02:00 offset",
      "2026-08-20T10:00:00,5Z comma",
      "2026-08-20T1:02:03.1234567891234Z short hour, long fraction",
      "2026-08-20 10:00:00 hello",
      "2026-02-30T10:00:00Z no such day",
      "2026-08-20T10:00:00Z",
      "0001-01-01T00:00:00+01:00 year zero",
    ].join("\n");
    expect(await stdin(input, { timestamps: "default", output: "raw" })).toBe(
      [
        "2026-08-20T08:00:00.000000000Z offset",
        "2026-08-20T10:00:00.500000000Z comma",
        "2026-08-20T01:02:03.123456789Z short hour, long fraction",
        `${READ_AT} 2026-08-20 10:00:00 hello`,
        `${READ_AT} 2026-02-30T10:00:00Z no such day`,
        // No space after it: stern's split needs one, so the line is all message.
        `${READ_AT} 2026-08-20T10:00:00Z`,
        "0000-12-31T23:00:00.000000000Z year zero",
        "",
      ].join("\n"),
    );
  });

  it("gives templates and -o json the timestamp as .Timestamp and the rest as .Message", async () => {
    const template = compileLineTemplate("{{.Timestamp}}|{{.Message}}\n", false);
    expect(await stdin(INPUT, { timestamps: "default", template })).toBe(
      "2026-08-20T10:00:00.123456789Z|hello from kubectl\n2026-09-14T12:29:01.598158861Z|plain line with no timestamp\n",
    );
    const json = (await stdin(INPUT, { timestamps: "default", output: "json" })).split("\n");
    expect(JSON.parse(json[0] as string)).toMatchObject({
      message: "hello from kubectl",
      timestamp: "2026-08-20T10:00:00.123456789Z",
    });
  });

  it("filters the message, without the timestamp", async () => {
    const keep = (buf: Buffer, start: number) => buf[start] !== 0x32; // drops a message starting with "2"
    const out = await stdin(INPUT, { timestamps: "default", output: "raw" }, undefined, { keep });
    expect(out).toBe(
      "2026-08-20T10:00:00.123456789Z hello from kubectl\n2026-09-14T12:29:01.598158861Z plain line with no timestamp\n",
    );
  });

  it("takes the time of each line as it is read, and keeps it for --multiline records", async () => {
    let n = 0;
    const now = () => parseRfc3339(`2026-09-14T12:29:0${n++}Z`)!;
    const out = await stdin(
      ["first\n", "second\n  at continuation\n"].map((s) => Buffer.from(s)),
      { timestamps: "default", output: "raw" },
      { timestamps: true, now },
      { multiline: true },
    );
    expect(out).toBe(
      "2026-09-14T12:29:00.000000000Z first\n2026-09-14T12:29:01.000000000Z second\n  at continuation\n",
    );
  });
});

describe("--stdin without --timestamps", () => {
  it("prints every line whole, a timestamp at its start included", async () => {
    expect(await stdin(INPUT, { output: "raw" })).toBe(INPUT);
    expect(await stdin(INPUT)).toBe(
      "  2026-08-20T10:00:00.123456789Z hello from kubectl\n  plain line with no timestamp\n",
    );
  });
});
