// Time windows: --since-time, --until/--until-time, --head, --limit-bytes, and their bad combinations.
import { beforeAll, describe, expect, it } from "vitest";
import { e2eHarness } from "./harness.ts";
import { lines, runStern } from "./stern-process.ts";

const { sim, freshNamespace, startStern } = e2eHarness({
  sim: { namespaces: ["default"] },
  namespacePrefix: "win",
});
const MIN = 60_000;
let ns = "";
let t0 = 0;

beforeAll(() => {
  ns = freshNamespace();
  t0 = Math.floor(Date.now() / 1000) * 1000 - 30 * MIN;
  const a = sim.addPod({ namespace: ns, name: "web-1", containers: [{ name: "app" }] });
  const b = sim.addPod({ namespace: ns, name: "web-2", containers: [{ name: "app" }] });
  for (let i = 0; i < 5; i++) {
    a.logAt("app", t0 + i * 5 * MIN, `a${i}`);
    b.logAt("app", t0 + i * 5 * MIN + 1000, `b${i}`);
  }
});

const iso = (ms: number) => new Date(ms).toISOString();
const stern = (...args: string[]) =>
  runStern(["-n", ns, "web", "--no-follow", ...args], { kubeconfig: sim.kubeconfigPath });
const out = async (...args: string[]) => {
  const r = await stern(...args);
  expect(r.stderr.split("\n").filter((l) => l.startsWith("Error"))).toEqual([]);
  return lines(r.stdout)
    .map((l) => l.split(" ").at(-1))
    .sort();
};

describe("time windows", () => {
  it("--since-time is sent as sinceTime, as kubectl does", async () => {
    expect(await out("--since-time", iso(t0 + 10 * MIN))).toEqual(["a2", "a3", "a4", "b2", "b3", "b4"]);
    const q = sim.requests.filter((r) => r.path.endsWith("/web-1/log")).at(-1)?.query;
    expect(q?.get("sinceTime")).toBe(iso(t0 + 10 * MIN).replace(".000Z", "Z"));
    expect(q?.get("sinceSeconds")).toBeNull();
  });

  it("--until-time and --until stop each container's lines at that time", async () => {
    expect(await out("--until-time", iso(t0 + 5 * MIN))).toEqual(["a0", "a1", "b0"]);
    expect(await out("--since-time", iso(t0 + 5 * MIN), "--until-time", iso(t0 + 10 * MIN + 1000))).toEqual([
      "a1",
      "a2",
      "b1",
      "b2",
    ]);
    // now is t0 + 30 min: 12 min ago is t0 + 18 min
    expect(await out("--until", "12m")).toEqual(["a0", "a1", "a2", "a3", "b0", "b1", "b2", "b3"]);
  });

  it("--head N: the first N lines of each container; --limit-bytes as kubectl", async () => {
    expect(await out("--head", "2")).toEqual(["a0", "a1", "b0", "b1"]);
    const r = await runStern(["-n", ns, "web-1", "--no-follow", "--limit-bytes", "7", "-o", "raw"], {
      kubeconfig: sim.kubeconfigPath,
    });
    expect(r.stdout).toBe("a0\na1\na\n");
  });

  it("while following, --head ends a container's stream after N lines", async () => {
    const own = freshNamespace();
    const pod = sim.addPod({ namespace: own, name: "web-1", containers: [{ name: "app" }] });
    pod.log("app", "one");
    const r = startStern(["-n", own, "web", "--head", "2"], { kubeconfig: sim.kubeconfigPath });
    await r.waitFor("web-1 app one");
    pod.log("app", "two", "three");
    await r.waitFor("- web-1 › app");
    expect(lines(r.stdout())).toEqual(["web-1 app one", "web-1 app two"]);
  });

  it.each([
    [
      ["--since", "1h", "--since-time", "2024-05-01T10:00:00Z"],
      "--since and --since-time cannot be used together: pick one",
    ],
    [
      ["--since-time", "yesterday"],
      'invalid --since-time "yesterday": not an RFC3339 time like 2024-05-01T10:00:00Z',
    ],
    [
      ["--until-time", "2024-05-01 10:00"],
      'invalid --until-time "2024-05-01 10:00": not an RFC3339 time like 2024-05-01T10:00:00Z',
    ],
    [
      ["--until", "5m", "--until-time", "2024-05-01T10:00:00Z"],
      "--until and --until-time cannot be used together: pick one",
    ],
    [
      ["--since-time", "2024-05-02T00:00:00Z", "--until-time", "2024-05-01T00:00:00Z"],
      "--until-time is before --since-time: nothing would be shown",
    ],
    [["--head", "2", "--tail", "5"], "--head and --tail cannot be used together: pick one"],
    [["--head", "-1"], "--head must be a number of lines, not -1"],
    [["--limit-bytes", "-5"], "--limit-bytes must be a number of bytes, not -5"],
    [["--until", "soon"], 'invalid argument "soon" for "--until" flag: time: invalid duration "soon"'],
  ])("%j: one clear line", async (args, message) => {
    const r = await stern(...args);
    expect([r.code, r.stderr]).toEqual([1, `Error: ${message}\n`]);
  });
});
