import { describe, expect, it } from "vitest";
import { recordFilter } from "../../../src/structured/filter.ts";
import { parseLevelThreshold, severityOfName, severityOfNumber } from "../../../src/structured/levels.ts";
import { parseRecord } from "../../../src/structured/parse.ts";
import { compileWhere } from "../../../src/structured/where.ts";

const rec = (line: string) => parseRecord(Buffer.from(line), 0, Buffer.byteLength(line));

describe("levels on one scale", () => {
  it("names of every library, in order", () => {
    const order = [
      ["trace", "finest", "verbose"],
      ["debug", "DBG", "fine", "config"],
      ["info", "INFORMATION", "Informational", "default"],
      ["notice"],
      ["warn", "WARNING", "wrn"],
      ["error", "ERR", "severe", "eror"],
      ["dpanic", "critical", "crit"],
      ["alert"],
      ["fatal", "panic", "emergency", "emerg"],
    ];
    let last = Number.NEGATIVE_INFINITY;
    for (const group of order) {
      const values = group.map((n) => severityOfName(n));
      expect(new Set(values).size, group.join()).toBe(1);
      const v = values[0] as number;
      expect(v).toBeGreaterThan(last);
      last = v;
    }
    expect(severityOfName("bogus")).toBeUndefined();
    expect(severityOfName("constructor")).toBeUndefined();
  });
  it("slog's offsets", () => {
    expect(severityOfName("INFO+2")).toBe(35);
    expect(severityOfName("ERROR-4")).toBe(40);
    expect(severityOfName("x+1")).toBeUndefined();
  });
  it("numbers: syslog 0-7, pino/bunyan 10 and up", () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map(severityOfNumber)).toEqual([60, 57, 55, 50, 40, 35, 30, 20]);
    expect(severityOfNumber(30)).toBe(30);
    expect(severityOfNumber(35)).toBe(35);
    expect(severityOfNumber(8)).toBeUndefined();
    expect(severityOfNumber(-1)).toBeUndefined();
  });
  it("--level takes names and numbers, and rejects the rest with the choices", () => {
    expect(parseLevelThreshold("warn")).toBe(40);
    expect(parseLevelThreshold("WARNING")).toBe(40);
    expect(parseLevelThreshold("40")).toBe(40);
    expect(parseLevelThreshold("4")).toBe(40);
    expect(parseLevelThreshold("3")).toBe(50);
    expect(() => parseLevelThreshold("loud")).toThrow(/use trace, debug, info/);
    expect(() => parseLevelThreshold("9")).toThrow(/syslog 0-7, pino 10-60/);
    expect(() => parseLevelThreshold("-1")).toThrow();
  });
});

describe("--level", () => {
  const lines = [
    `{"level":"debug","msg":"d"}`,
    `{"level":30,"msg":"i"}`,
    `level=warn msg=w`,
    `E0501 10:00:00.000000       1 a.go:1] "e"`,
    `[fatal] f`,
    `plain text`,
    `{"msg":"no level"}`,
    `{"level":"custom","msg":"unknown level"}`,
  ];
  const kept = (min: number | undefined, strict: boolean) => {
    const f = recordFilter({ minSeverity: min, levelStrict: strict });
    return lines.filter((l) => f?.(rec(l)) ?? true);
  };
  it("keeps lines at or above, and those without a level", () => {
    expect(kept(40, false)).toEqual([
      `level=warn msg=w`,
      `E0501 10:00:00.000000       1 a.go:1] "e"`,
      `[fatal] f`,
      `plain text`,
      `{"msg":"no level"}`,
      `{"level":"custom","msg":"unknown level"}`,
    ]);
  });
  it("--level-strict drops those without a known level", () => {
    expect(kept(50, true)).toEqual([`E0501 10:00:00.000000       1 a.go:1] "e"`, `[fatal] f`]);
    expect(kept(Number.NEGATIVE_INFINITY, true)).toHaveLength(5);
  });
  it("no option, no filter", () => {
    expect(recordFilter({})).toBeUndefined();
  });
});

describe("--where (CEL)", () => {
  const lines = [
    `{"level":"error","status":503,"path":"/api/pay","latency":1.5,"user":{"id":42,"roles":["admin"]}}`,
    `{"level":"info","status":200,"path":"/api/cart","latency":0.01}`,
    `{"level":"info","status":500,"path":"/healthz"}`,
    `time=2024-05-01T10:00:00Z level=ERROR msg="upstream" status=502 path=/api/x`,
    `E0501 10:00:00.000000       1 a.go:1] "Failed" pod="kube-system/dns" attempts=3`,
    `[warn] text with a level`,
    `plain text`,
  ];
  const kept = (expr: string) => {
    const f = recordFilter({ where: compileWhere(expr) });
    return lines.filter((l) => f?.(rec(l))).map((l) => lines.indexOf(l));
  };
  it("the brief's example, in CEL", () => {
    expect(kept(`status >= 500 && path.matches("^/api")`)).toEqual([0, 3]);
  });
  it("numbers compare across int and double; strings, lists, nested fields", () => {
    expect(kept("latency > 1")).toEqual([0]);
    expect(kept("status == 200")).toEqual([1]);
    expect(kept("status in [500, 502]")).toEqual([2, 3]);
    expect(kept(`"admin" in user.roles && user.id == 42`)).toEqual([0]);
    expect(kept(`path.startsWith("/api") || !path.contains("/")`)).toEqual([0, 1, 3]);
  });
  it("klog and prefixed lines have level and msg; logfmt its pairs as written", () => {
    expect(kept(`level == "error"`)).toEqual([0, 4]);
    expect(kept(`level == "ERROR"`)).toEqual([3]);
    expect(kept(`msg == "Failed" && attempts >= 3 && pod.endsWith("/dns")`)).toEqual([4]);
    expect(kept(`level == "warn"`)).toEqual([5]);
  });
  it("a missing field or a value of another type is not a match, nor an error", () => {
    expect(kept("missing == 1")).toEqual([]);
    expect(kept("!(missing == 1)")).toEqual([]);
    expect(kept(`has(user.id)`)).toEqual([0]);
    expect(kept(`status == "503"`)).toEqual([]);
    expect(kept(`path.matches("[")`)).toEqual([]);
  });
  it("text lines never match", () => {
    expect(kept("true")).toEqual([0, 1, 2, 3, 4, 5]);
  });
  it("bad expressions are one line that says what is wrong", () => {
    expect(() => compileWhere("status >")).toThrow(/^Unexpected token: EOF$/);
    expect(() => compileWhere("nosuch(status)")).toThrow(/no matching overload for 'nosuch/);
    expect(() => compileWhere(`"a" + 1`)).toThrow(/no such overload/);
    expect(() => compileWhere("1 + 2")).toThrow(/type int, not a condition/);
    expect(() => compileWhere("status = 5")).toThrow(/^[^\n]+$/);
  });
});
