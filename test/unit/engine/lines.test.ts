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
