import { describe, expect, it } from "vitest";
import { ContextFilter, type ContextOptions } from "../../../src/engine/context.ts";
import { compileGoRegex } from "../../../src/util/goregex.ts";

const re = (source: string) => compileGoRegex(source);

function run(o: Partial<ContextOptions>, input: string[]): string[] {
  const out: string[] = [];
  const f = new ContextFilter(
    { before: 0, after: 0, include: [re("M")], exclude: [], ...o },
    (key, buf, s, e) => out.push(`${key}:${buf.toString("utf8", s, e)}`),
  );
  for (const [i, line] of input.entries()) {
    // The chunk's buffer is reused: held lines must be copies.
    const buf = Buffer.from(`xx${line}yy`);
    f.line(String(i), buf, 2, 2 + line.length);
    buf.fill(0);
  }
  return out.map((l) => l.slice(l.indexOf(":") + 1));
}

describe("ContextFilter", () => {
  const input = ["a", "b", "M1", "c", "d", "e", "M2", "f"];
  it.each([
    [{ before: 0, after: 0 }, ["M1", "--", "M2"]], // as grep -C 0
    [{ before: 1 }, ["b", "M1", "--", "e", "M2"]],
    [{ after: 1 }, ["M1", "c", "--", "M2", "f"]],
    [{ before: 1, after: 1 }, ["b", "M1", "c", "--", "e", "M2", "f"]],
    [{ before: 2, after: 1 }, ["a", "b", "M1", "c", "d", "e", "M2", "f"]],
    [{ before: 3, after: 3 }, input],
    [{ before: 9 }, ["a", "b", "M1", "c", "d", "e", "M2"]],
  ])("%j", (o, want) => {
    expect(run(o, input)).toEqual(want);
  });

  it("no separator before the first group, even when lines came before it", () => {
    expect(run({ before: 1 }, ["a", "b", "c", "M"])).toEqual(["c", "M"]);
  });

  it("adjacent matches are one group; after-context restarts at each match", () => {
    expect(run({ after: 1 }, ["M", "M", "a", "b", "M", "c", "d"])).toEqual(["M", "M", "a", "--", "M", "c"]);
  });

  it("excluded lines are never shown and do not break a group", () => {
    expect(
      run({ before: 1, after: 1, exclude: [re("secret")] }, ["a", "secret", "M", "secret", "b", "c"]),
    ).toEqual(["a", "M", "b"]);
  });

  it("the separator carries the key of the group it opens (time order under --sort)", () => {
    const keys: string[] = [];
    const f = new ContextFilter({ before: 1, after: 0, include: [re("M")], exclude: [] }, (key) =>
      keys.push(key),
    );
    for (const [i, l] of ["M", "a", "b", "M"].entries()) f.line(`k${i}`, Buffer.from(l), 0, l.length);
    expect(keys).toEqual(["k0", "k2", "k2", "k3"]);
  });
});
