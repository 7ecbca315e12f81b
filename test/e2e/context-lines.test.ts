// Context lines around -i matches, per container, as grep's -B/-A/-C.
import { beforeAll, describe, expect, it } from "vitest";
import { e2eHarness } from "./harness.ts";
import { lines, runStern } from "./stern-process.ts";

const { sim, freshNamespace } = e2eHarness({ sim: { namespaces: ["default"] }, namespacePrefix: "ctx" });
let ns = "";

beforeAll(() => {
  ns = freshNamespace();
  const t = Date.now() - 60_000;
  const a = sim.addPod({ namespace: ns, name: "web-1", containers: [{ name: "app" }] });
  const b = sim.addPod({ namespace: ns, name: "web-2", containers: [{ name: "app" }] });
  const aLines = [
    "a1",
    "a2",
    "a3 ERROR one",
    "a4",
    "a5",
    "a6",
    "a7",
    "a8 ERROR two",
    "a9 ERROR three",
    "a10",
    "a11 secret",
  ];
  for (const [i, l] of aLines.entries()) a.logAt("app", t + i * 1000, l);
  for (const [i, l] of ["b1", "b2 ERROR", "b3"].entries()) b.logAt("app", t + i * 1000 + 500, l);
});

const stern = async (...args: string[]) => {
  const r = await runStern(["-n", ns, "web-1", "--no-follow", "-i", "ERROR", ...args], {
    kubeconfig: sim.kubeconfigPath,
  });
  expect(r.code).toBe(0);
  return lines(r.stdout).map((l) => l.replace(/^web-1 app /, ""));
};

describe("context lines", () => {
  it("-B N: lines before each match; -- between groups that are not adjacent", async () => {
    expect(await stern("-B", "1")).toEqual([
      "a2",
      "a3 ERROR one",
      "--",
      "a7",
      "a8 ERROR two",
      "a9 ERROR three",
    ]);
  });

  it("--after-context N: lines after; -C N both (-B and --after-context win over it)", async () => {
    expect(await stern("--after-context", "1")).toEqual([
      "a3 ERROR one",
      "a4",
      "--",
      "a8 ERROR two",
      "a9 ERROR three",
      "a10",
    ]);
    expect(await stern("-C", "1")).toEqual([
      "a2",
      "a3 ERROR one",
      "a4",
      "--",
      "a7",
      "a8 ERROR two",
      "a9 ERROR three",
      "a10",
    ]);
    expect(await stern("--context-lines", "2", "-B", "0")).toEqual([
      "a3 ERROR one",
      "a4",
      "a5",
      "--",
      "a8 ERROR two",
      "a9 ERROR three",
      "a10",
      "a11 secret",
    ]);
    // Groups that touch merge, with no separator.
    expect(await stern("-C", "2")).toEqual([
      "a1",
      "a2",
      "a3 ERROR one",
      "a4",
      "a5",
      "a6",
      "a7",
      "a8 ERROR two",
      "a9 ERROR three",
      "a10",
      "a11 secret",
    ]);
  });

  it("-e lines are never context; containers never mix their context", async () => {
    expect(await stern("--after-context", "3", "-e", "secret")).toEqual([
      "a3 ERROR one",
      "a4",
      "a5",
      "a6",
      "--",
      "a8 ERROR two",
      "a9 ERROR three",
      "a10",
    ]);
    const both = await runStern(["-n", ns, "web", "--no-follow", "--sort", "-i", "ERROR", "-C", "1"], {
      kubeconfig: sim.kubeconfigPath,
    });
    const b = lines(both.stdout).filter((l) => l.startsWith("web-2"));
    expect(b).toEqual(["web-2 app b1", "web-2 app b2 ERROR", "web-2 app b3"]);
  });

  it("the match stays highlighted; context lines are not", async () => {
    const r = await runStern(
      ["-n", ns, "web-1", "--no-follow", "-i", "ERROR one", "-B", "1", "--color", "always"],
      {
        kubeconfig: sim.kubeconfigPath,
      },
    );
    const out = lines(r.stdout);
    expect(out).toHaveLength(2);
    expect(out[0]).not.toContain("\x1b[31;1m");
    expect(out[1]).toContain("\x1b[31;1mERROR one\x1b[0;22m");
  });

  it.each([
    [["-B", "2"], "context lines (-B, --after-context, -C) are lines around -i/--include matches: give -i"],
    [["-i", "x", "-C", "-1"], "-C/--context-lines must be a number of lines, not -1"],
    [["-i", "x", "--after-context", "-3"], "--after-context must be a number of lines, not -3"],
  ])("%j: one clear line", async (args, message) => {
    const r = await runStern(["-n", ns, "web", "--no-follow", ...args], { kubeconfig: sim.kubeconfigPath });
    expect([r.code, r.stderr]).toEqual([1, `Error: ${message}\n`]);
  });

  it("-A is still --all-namespaces and --context the kubeconfig context", async () => {
    const r = await runStern(["web-1", "-A", "--no-follow", "-i", "ERROR one"], {
      kubeconfig: sim.kubeconfigPath,
    });
    expect(lines(r.stdout)).toEqual([`${ns} web-1 app a3 ERROR one`]);
    const c = await runStern(["web-1", "--context", "nope", "--no-follow"], {
      kubeconfig: sim.kubeconfigPath,
    });
    expect(c.code).toBe(1);
    expect(c.stderr).toContain("nope");
  });
});
