import { describe, expect, it } from "vitest";
import { ResumePoint } from "../../../src/engine/resume.ts";

/** Feeds "<timestamp> <message>" lines, one chunk per array; returns the messages not skipped. */
function read(rp: ResumePoint, ...chunks: string[][]): string[] {
  const out: string[] = [];
  for (const lines of chunks) {
    const buf = Buffer.from(lines.map((l) => `${l}\n`).join(""));
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(10, start);
      if (nl === -1) break;
      const sp = buf.indexOf(32, start);
      if (!rp.observe(buf, start, sp, sp + 1, nl)) out.push(buf.toString("utf8", sp + 1, nl));
      start = nl + 1;
    }
    rp.endChunk();
  }
  return out;
}

const t = (s: number, ns: number) =>
  `2026-12-01T10:00:${String(s).padStart(2, "0")}.${String(ns).padStart(9, "0")}Z`;

describe("ResumePoint", () => {
  it("has no resume point before a line is read", () => {
    const rp = new ResumePoint();
    expect(rp.positioned).toBe(false);
    expect(rp.beginResume()).toBeUndefined();
  });

  it("resumes at the whole second of the last line read, in its zone", () => {
    const rp = new ResumePoint();
    read(rp, [`${t(5, 1)} a`, `${t(6, 7)} b`]);
    expect(rp.beginResume()).toBe("2026-12-01T10:00:06Z");
    const z = new ResumePoint();
    read(z, ["2026-12-01T11:00:06.000000001+01:00 a"]);
    expect(z.beginResume()).toBe("2026-12-01T11:00:06+01:00");
  });

  it("skips the replayed lines of the resume second and prints what follows", () => {
    const rp = new ResumePoint();
    expect(read(rp, [`${t(5, 1)} a`, `${t(6, 1)} b`, `${t(6, 2)} c`])).toEqual(["a", "b", "c"]);
    rp.beginResume();
    expect(read(rp, [`${t(6, 1)} b`, `${t(6, 2)} c`, `${t(6, 3)} d`, `${t(7, 0)} e`])).toEqual(["d", "e"]);
  });

  it("after a rotation the replay lacks the rotated lines: the new file's lines of that second are kept", () => {
    const rp = new ResumePoint();
    // a, b, c were read from the file that was rotated; the new file starts with d in the same second.
    read(rp, [`${t(6, 1)} a`, `${t(6, 2)} b`, `${t(6, 3)} c`]);
    rp.beginResume();
    expect(read(rp, [`${t(6, 4)} d`, `${t(6, 5)} e`, `${t(7, 1)} f`])).toEqual(["d", "e", "f"]);
  });

  it("a replay that holds only part of what was read loses nothing and repeats nothing", () => {
    const rp = new ResumePoint();
    read(rp, [`${t(6, 1)} a`, `${t(6, 2)} b`, `${t(6, 3)} c`, `${t(6, 4)} d`]);
    rp.beginResume();
    expect(read(rp, [`${t(6, 3)} c`, `${t(6, 4)} d`, `${t(6, 5)} e`])).toEqual(["e"]);
  });

  it("tells apart lines with exactly the same timestamp by their message", () => {
    const rp = new ResumePoint();
    read(rp, [`${t(6, 1)} a`, `${t(6, 1)} b`]);
    rp.beginResume();
    // The replay has a third line of that very nanosecond, never read.
    expect(read(rp, [`${t(6, 1)} a`, `${t(6, 1)} b`, `${t(6, 1)} c`])).toEqual(["c"]);
  });

  it("a tie across chunks: the last line of a chunk keeps its message", () => {
    const rp = new ResumePoint();
    read(rp, [`${t(6, 1)} a`], [`${t(6, 1)} b`]);
    rp.beginResume();
    expect(read(rp, [`${t(6, 1)} x`, `${t(6, 1)} b`, `${t(6, 1)} a`])).toEqual(["x"]);
  });

  it("the new file's first line with the timestamp of the last line read, but another message, is printed", () => {
    const rp = new ResumePoint();
    read(rp, [`${t(6, 1)} a`, `${t(6, 9)} last`]);
    rp.beginResume();
    expect(read(rp, [`${t(6, 9)} other`, `${t(7, 0)} next`])).toEqual(["other", "next"]);
  });

  it("identical lines are a multiset: two read, three replayed, one printed", () => {
    const rp = new ResumePoint();
    read(rp, [`${t(6, 1)} same`, `${t(6, 1)} same`]);
    rp.beginResume();
    expect(read(rp, [`${t(6, 1)} same`, `${t(6, 1)} same`, `${t(6, 1)} same`])).toEqual(["same"]);
  });

  it("lines out of time order within the second (stdout and stderr) are matched wherever they are", () => {
    const rp = new ResumePoint();
    read(rp, [`${t(6, 5)} out`, `${t(6, 3)} err`]);
    rp.beginResume();
    expect(read(rp, [`${t(6, 5)} out`, `${t(6, 3)} err`, `${t(6, 4)} new`])).toEqual(["new"]);
  });

  it("lines older than the resume second are not printed again (a server that ignores sinceTime)", () => {
    const rp = new ResumePoint();
    read(rp, [`${t(4, 0)} old`, `${t(6, 1)} a`]);
    rp.beginResume();
    expect(read(rp, [`${t(4, 0)} old`, `${t(6, 1)} a`, `${t(6, 2)} b`])).toEqual(["b"]);
  });

  it("a resume that fails before reading anything keeps the point; the next one replays it whole", () => {
    const rp = new ResumePoint();
    read(rp, [`${t(6, 1)} a`, `${t(6, 2)} b`]);
    rp.beginResume();
    expect(read(rp, [`${t(6, 1)} a`])).toEqual([]);
    // Broken again: the second resume must skip a and b again, not only b.
    rp.beginResume();
    expect(read(rp, [`${t(6, 1)} a`, `${t(6, 2)} b`, `${t(6, 3)} c`])).toEqual(["c"]);
  });

  it("lines read during a replay count for the next resume", () => {
    const rp = new ResumePoint();
    read(rp, [`${t(6, 1)} a`]);
    rp.beginResume();
    expect(read(rp, [`${t(6, 1)} a`, `${t(6, 2)} b`])).toEqual(["b"]);
    rp.beginResume();
    expect(read(rp, [`${t(6, 1)} a`, `${t(6, 2)} b`, `${t(6, 3)} c`])).toEqual(["c"]);
  });

  it("after the replay has moved on to a later second, earlier-second lines are new again", () => {
    const rp = new ResumePoint();
    read(rp, [`${t(6, 1)} a`]);
    rp.beginResume();
    expect(read(rp, [`${t(7, 1)} b`, `${t(8, 1)} c`])).toEqual(["b", "c"]);
    rp.beginResume();
    expect(rp.beginResume()).toBe("2026-12-01T10:00:08Z");
  });

  it("timestamps with fewer fractional digits, or none, compare by their value", () => {
    const rp = new ResumePoint();
    read(rp, ["2026-12-01T10:00:06.5Z a", "2026-12-01T10:00:06Z b"]);
    rp.beginResume();
    expect(
      read(rp, ["2026-12-01T10:00:06.500000000Z a", "2026-12-01T10:00:06.000000000Z b", `${t(6, 7)} c`]),
    ).toEqual(["c"]);
  });

  it("a second with more lines than it tracks one by one counts the rest: a replay of it repeats nothing", () => {
    const rp = new ResumePoint();
    const many = Array.from({ length: 5000 }, (_, i) => `${t(6, 7)} line ${i}`);
    expect(read(rp, many)).toHaveLength(5000);
    rp.beginResume();
    expect(read(rp, [...many, `${t(7, 0)} next`])).toEqual(["next"]);
  });
});
