import { describe, expect, it } from "vitest";
import { LineWindow, untilKey } from "../../../src/engine/window.ts";

/** A kubelet line: "<ts> <message>", and the window's view of it. */
function take(w: LineWindow, ts: string, msg: string): string | undefined {
  const buf = Buffer.from(`${ts}${ts ? " " : ""}${msg}\n`);
  const msgStart = ts ? ts.length + 1 : 0;
  const end = buf.length - 1;
  const last = w.take(buf, 0, ts.length, msgStart, end);
  return last < 0 ? undefined : buf.toString("utf8", msgStart, last);
}

const T = (s: number) => `2025-01-01T00:00:0${s}.000000000Z`;

describe("LineWindow", () => {
  it("--head: the first N lines, then closed", () => {
    const w = new LineWindow({ head: 2 });
    expect([take(w, T(1), "a"), take(w, T(2), "b"), take(w, T(3), "c")]).toEqual(["a", "b", undefined]);
    expect(w.closed).toBe(true);
  });

  it("--until: lines up to the time (inclusive to the millisecond), then closed for good", () => {
    const w = new LineWindow({ untilKey: untilKey(Date.parse("2025-01-01T00:00:02Z")) });
    expect(take(w, T(1), "a")).toBe("a");
    expect(take(w, "2025-01-01T00:00:02.000999999Z", "b")).toBe("b");
    expect(take(w, "2025-01-01T00:00:02.001000000Z", "c")).toBeUndefined();
    expect(take(w, T(1), "late but after the end")).toBeUndefined();
    expect(w.closed).toBe(true);
  });

  it("a line without a timestamp is inside --until", () => {
    const w = new LineWindow({ untilKey: untilKey(0) });
    expect(take(w, "", "no time")).toBe("no time");
    expect(w.closed).toBe(false);
  });

  it("--limit-bytes counts message bytes and newlines, and cuts the last line", () => {
    const w = new LineWindow({ limitBytes: 7 });
    expect([take(w, T(1), "abc"), take(w, T(2), "defg"), take(w, T(3), "h")]).toEqual([
      "abc",
      "def",
      undefined,
    ]);
    const exact = new LineWindow({ limitBytes: 4 });
    expect([take(exact, T(1), "abc"), take(exact, T(2), "d")]).toEqual(["abc", undefined]);
  });

  it("no options: everything is inside", () => {
    const w = new LineWindow({});
    for (let i = 0; i < 100; i++) expect(take(w, T(1), `l${i}`)).toBe(`l${i}`);
    expect(w.closed).toBe(false);
  });
});

describe("untilKey", () => {
  it("is the kubelet's fixed width, the whole millisecond included", () => {
    expect(untilKey(Date.parse("2025-01-01T00:00:02.5Z"))).toBe("2025-01-01T00:00:02.500999999Z");
  });
});
