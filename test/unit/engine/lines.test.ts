import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LineSplitter } from "../../../src/engine/lines.ts";

function split(chunks: string[], flush = true): string[] {
  const s = new LineSplitter();
  const out: string[] = [];
  const on = (b: Buffer, a: number, e: number) => out.push(b.toString("utf8", a, e));
  for (const c of chunks) s.push(Buffer.from(c), on);
  if (flush) s.flush(on);
  return out;
}

describe("LineSplitter", () => {
  it("splits whole lines", () => {
    expect(split(["a\nb\n"])).toEqual(["a", "b"]);
  });
  it("joins lines cut across chunks", () => {
    expect(split(["he", "ll", "o\nwor", "ld\n"])).toEqual(["hello", "world"]);
  });
  it("keeps empty lines", () => {
    expect(split(["\n\nx\n"])).toEqual(["", "", "x"]);
  });
  it("holds a last line without newline until flushed", () => {
    expect(split(["a\nb"], false)).toEqual(["a"]);
    expect(split(["a\nb"])).toEqual(["a", "b"]);
  });
  it("does not split multi-byte characters cut across chunks", () => {
    const bytes = Buffer.from("é€\n");
    const s = new LineSplitter();
    const out: string[] = [];
    for (const b of bytes) s.push(Buffer.from([b]), (buf, a, e) => out.push(buf.toString("utf8", a, e)));
    expect(out).toEqual(["é€"]);
  });
  it("reports held bytes", () => {
    const s = new LineSplitter();
    s.push(Buffer.from("abc"), () => {});
    expect(s.heldBytes).toBe(3);
  });
});

describe("LineSplitter with a maximum line length", () => {
  it("cuts a line longer than the maximum into pieces", () => {
    const s = new LineSplitter(4);
    const out: string[] = [];
    const on = (b: Buffer, a: number, e: number, c: boolean) =>
      out.push(`${c ? "+" : ""}${b.toString("utf8", a, e)}`);
    s.push(Buffer.from("abcdefghij"), on);
    expect(out).toEqual(["abcd", "+efgh"]);
    expect(s.heldBytes).toBe(2);
    s.push(Buffer.from("k\nxy\n"), on);
    expect(out).toEqual(["abcd", "+efgh", "+ijk", "xy"]);
  });
  it("holds at most the maximum while no newline comes", () => {
    const s = new LineSplitter(1024);
    let lines = 0;
    for (let i = 0; i < 1000; i++) s.push(Buffer.alloc(100, 97), () => lines++);
    expect(s.heldBytes).toBeLessThan(1024);
    expect(lines).toBe(97);
  });
});

describe("LineSplitter at a cut that ends exactly on the newline", () => {
  it("emits no empty piece", () => {
    const s = new LineSplitter(4);
    const out: string[] = [];
    s.push(Buffer.from("abcd"), (b, a, e, c) => out.push(`${c ? "+" : ""}${b.toString("utf8", a, e)}`));
    s.push(Buffer.from("\nnext\n"), (b, a, e, c) => out.push(`${c ? "+" : ""}${b.toString("utf8", a, e)}`));
    expect(out).toEqual(["abcd", "next"]);
  });
});

/** Node's gc(), exposed at run time (a new context sees the flag). */
function exposedGc(): () => void {
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

describe("LineSplitter memory", () => {
  // Each read of a socket is a buffer of its own; an unfinished line arriving a byte per read kept
  // a view of every one (20-40 K held bytes held 390-706 MB over HTTP/2). Only the bytes are kept.
  it("an unfinished line in 1-byte pieces holds its bytes, not the buffers they came in", async () => {
    const gc = exposedGc();
    const s = new LineSplitter();
    const reads: WeakRef<ArrayBuffer>[] = [];
    const PIECES = 5000;
    for (let i = 0; i < PIECES; i++) {
      const read = Buffer.alloc(64 * 1024, 97);
      reads.push(new WeakRef(read.buffer as ArrayBuffer));
      s.push(read.subarray(i % 100, (i % 100) + 1), () => {});
    }
    // WeakRefs made in this turn are kept until it ends.
    await new Promise((r) => setImmediate(r));
    gc();
    expect(reads.filter((r) => r.deref() !== undefined)).toHaveLength(0);
    expect(s.heldBytes).toBe(PIECES);
    expect(s.heldCapacity).toBeLessThanOrEqual(2 * PIECES);
    const lines: string[] = [];
    s.push(Buffer.from("b\n"), (b, a, e) => lines.push(b.toString("latin1", a, e)));
    expect(lines).toEqual([`${"a".repeat(PIECES)}b`]);
    expect(s.heldBytes).toBe(0);
  });

  it("lets a large buffer go once its long line has ended", () => {
    const s = new LineSplitter();
    s.push(Buffer.alloc(1 << 20, 97), () => {});
    expect(s.heldCapacity).toBeGreaterThanOrEqual(1 << 20);
    s.push(Buffer.from("\n"), () => {});
    expect(s.heldCapacity).toBeLessThanOrEqual(64 * 1024);
  });
});

/** What a splitter must give for `bytes`: every line, cut into pieces of `max`, the last unended one too. */
function reference(bytes: Buffer, max: number): [string, boolean][] {
  const out: [string, boolean][] = [];
  let start = 0;
  for (;;) {
    const nl = bytes.indexOf(10, start);
    const end = nl === -1 ? bytes.length : nl;
    if (nl !== -1 && end === start) out.push(["", false]);
    for (let at = start; at < end; at += max)
      out.push([bytes.toString("hex", at, Math.min(at + max, end)), at > start]);
    if (nl === -1) return out;
    start = nl + 1;
  }
}

interface Split {
  lines: [string, boolean][];
  maxHeld: number;
}

/**
 * The splitter's lines for `bytes` pushed in pieces cut at `cuts`, each piece inside a larger buffer
 * (junk with newlines around it, given as from/to). Checks on the way that a line handed over stays
 * as it was until push returns (what resume.ts relies on).
 */
function splitAt(bytes: Buffer, cuts: number[], max: number | undefined): Split {
  const s = max === undefined ? new LineSplitter() : new LineSplitter(max);
  const lines: [string, boolean][] = [];
  let maxHeld = 0;
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const bounds = [0, ...at, bytes.length];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const piece = bytes.subarray(bounds[i], bounds[i + 1]);
    const wrapped = Buffer.concat([Buffer.from("x\ny"), piece, Buffer.from("\nz")]);
    const handed: [Buffer, number, number, string][] = [];
    s.push(
      wrapped,
      (b, a, e, c) => {
        const text = b.toString("hex", a, e);
        lines.push([text, c]);
        handed.push([b, a, e, text]);
      },
      3,
      3 + piece.length,
    );
    for (const [b, a, e, text] of handed) expect(b.toString("hex", a, e)).toBe(text);
    maxHeld = Math.max(maxHeld, s.heldBytes);
  }
  s.flush((b, a, e, c) => lines.push([b.toString("hex", a, e), c]));
  return { lines, maxHeld };
}

describe("LineSplitter properties", () => {
  // Bytes with many newlines, and runs long enough to be cut with a small maximum.
  const stream = fc
    .array(fc.oneof(fc.constant(10), fc.integer({ min: 0, max: 255 }), fc.constant(97)), {
      maxLength: 300,
      size: "max",
    })
    .map((a) => Buffer.from(a));
  const cuts = fc.array(fc.nat(), { maxLength: 40 });

  it("whatever the cut points, the lines and pieces are those of the stream in one piece", () => {
    fc.assert(
      fc.property(stream, cuts, fc.integer({ min: 1, max: 17 }), (bytes, at, max) => {
        const whole = splitAt(bytes, [], max);
        const cut = splitAt(bytes, at, max);
        expect(cut.lines).toEqual(whole.lines);
        expect(whole.lines).toEqual(reference(bytes, max));
        expect(cut.maxHeld).toBeLessThan(max);
      }),
      { numRuns: 500 },
    );
  });

  it("with the default maximum: the lines of the stream, whatever the cuts (a byte at a time too)", () => {
    fc.assert(
      fc.property(stream, cuts, (bytes, at) => {
        const lines = reference(bytes, Number.POSITIVE_INFINITY);
        expect(splitAt(bytes, at, undefined).lines).toEqual(lines);
        const everyByte = Array.from({ length: bytes.length }, (_, i) => i);
        expect(splitAt(bytes, everyByte, undefined).lines).toEqual(lines);
      }),
      { numRuns: 300 },
    );
  });

  it("never throws, on any bytes, any from/to, any maximum", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.uint8Array({ maxLength: 64 }), fc.nat(), fc.nat())),
        fc.integer({ min: 1, max: 9 }),
        (chunks, max) => {
          const s = new LineSplitter(max);
          for (const [b, x, y] of chunks) {
            const buf = Buffer.from(b);
            const from = Math.min(x, y) % (buf.length + 1);
            const to = Math.max(from, Math.max(x, y) % (buf.length + 1));
            s.push(buf, () => {}, from, to);
            expect(s.heldBytes).toBeLessThan(max);
          }
          s.flush(() => {});
          expect(s.heldBytes).toBe(0);
        },
      ),
    );
  });
});
