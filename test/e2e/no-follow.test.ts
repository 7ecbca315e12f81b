// --no-follow against the simulated cluster: what each flag selects and how lines look, exactly.
import { beforeAll, describe, expect, it } from "vitest";
import { e2eHarness } from "./harness.ts";
import { lines, runStern } from "./stern-process.ts";

const { sim } = e2eHarness({ sim: { namespaces: ["default", "other", "third"] } });
const HOUR = 3_600_000;

beforeAll(() => {
  const now = Date.now();
  const web = sim.addPod({
    name: "web-1",
    labels: { app: "web", tier: "front" },
    nodeName: "node-a",
    initContainers: [{ name: "setup" }],
    containers: [{ name: "app" }, { name: "proxy" }],
  });
  web.logAt("setup", now - 3 * HOUR, "setup done");
  web.logAt("app", now - 3 * HOUR, "app old 1", "app old 2");
  web.logAt("app", now - 1000, "app new 1", "app new 2", "app new 3");
  web.logAt("proxy", now - 1000, "proxy 1");
  const api = sim.addPod({
    name: "api-1",
    labels: { app: "api" },
    nodeName: "node-b",
    containers: [{ name: "app" }],
  });
  api.logAt("app", now - 1000, "api says hi");
  const other = sim.addPod({
    namespace: "other",
    name: "web-2",
    labels: { app: "web" },
    containers: [{ name: "app" }],
  });
  other.logAt("app", now - 1000, "other ns line");
  const waiting = sim.addPod({ name: "web-3", containers: [{ name: "app", state: "waiting" }] });
  void waiting;
  const done = sim.addPod({ namespace: "third", name: "job-1", containers: [{ name: "work" }] });
  done.logAt("work", now - 1000, "job ran");
  done.terminate("work", { exitCode: 0 });
});

const stern = (...args: string[]) => runStern(["--no-follow", ...args], { kubeconfig: sim.kubeconfigPath });

describe("--no-follow", () => {
  it("prints every matching container's log with pod and container, and +/- on stderr", async () => {
    const r = await stern("web", "--color", "always", "--color=never");
    expect(r.code).toBe(0);
    expect(lines(r.stdout).sort()).toEqual(
      [
        "web-1 setup setup done",
        "web-1 app app old 1",
        "web-1 app app old 2",
        "web-1 app app new 1",
        "web-1 app app new 2",
        "web-1 app app new 3",
        "web-1 proxy proxy 1",
      ].sort(),
    );
    // one container's lines keep their order
    expect(lines(r.stdout).filter((l) => l.startsWith("web-1 app "))).toEqual([
      "web-1 app app old 1",
      "web-1 app app old 2",
      "web-1 app app new 1",
      "web-1 app app new 2",
      "web-1 app app new 3",
    ]);
    expect(lines(r.stderr).sort()).toEqual(
      [
        "+ web-1 › setup",
        "- web-1 › setup (exit 0, Completed)",
        "+ web-1 › app",
        "- web-1 › app",
        "+ web-1 › proxy",
        "- web-1 › proxy",
      ].sort(),
    );
  });

  it("--max-log-requests 1 prints containers one after another, init first", async () => {
    const r = await stern("web-1", "--max-log-requests", "1", "--only-log-lines");
    expect(lines(r.stdout)).toEqual([
      "web-1 setup setup done",
      "web-1 app app old 1",
      "web-1 app app old 2",
      "web-1 app app new 1",
      "web-1 app app new 2",
      "web-1 app app new 3",
      "web-1 proxy proxy 1",
    ]);
    expect(r.stderr).toBe("");
  });

  it("--since and --tail limit each container", async () => {
    const since = await stern("web-1", "-c", "app", "--since", "1h", "--only-log-lines");
    expect(lines(since.stdout)).toEqual([
      "web-1 app app new 1",
      "web-1 app app new 2",
      "web-1 app app new 3",
    ]);
    const tail = await stern("web-1", "-c", "app", "--tail", "2", "--only-log-lines");
    expect(lines(tail.stdout)).toEqual(["web-1 app app new 2", "web-1 app app new 3"]);
  });

  it("-c, -E, --exclude-pod, --init-containers=false", async () => {
    const c = await stern("web", "-c", "^pro", "--only-log-lines");
    expect(lines(c.stdout)).toEqual(["web-1 proxy proxy 1"]);
    const e = await stern("web", "-E", "app", "-E", "setup", "--only-log-lines");
    expect(lines(e.stdout)).toEqual(["web-1 proxy proxy 1"]);
    const x = await stern(".", "--exclude-pod", "web", "--only-log-lines");
    expect(lines(x.stdout)).toEqual(["api-1 app api says hi"]);
    const i = await stern("web-1", "--init-containers=false", "-c", "setup", "--only-log-lines");
    expect(i.stdout).toBe("");
  });

  it("-l, --field-selector and --node select pods on the server", async () => {
    const l = await stern("-l", "app in (api)", "--only-log-lines");
    expect(lines(l.stdout)).toEqual(["api-1 app api says hi"]);
    const f = await stern("--field-selector", "metadata.name=api-1", "--only-log-lines");
    expect(lines(f.stdout)).toEqual(["api-1 app api says hi"]);
    const n = await stern(".", "--node", "node-b", "--only-log-lines");
    expect(lines(n.stdout)).toEqual(["api-1 app api says hi"]);
    const list = sim.requests.filter(
      (r) => r.path.endsWith("/pods") && r.query.get("labelSelector") === "app in (api)",
    );
    expect(list.length).toBeGreaterThan(0);
  });

  it("several -n and -A put the namespace first", async () => {
    const n = await stern("web", "-n", "default,other", "-c", "app", "--since", "1h");
    expect(lines(n.stdout).sort()).toEqual(
      [
        "default web-1 app app new 1",
        "default web-1 app app new 2",
        "default web-1 app app new 3",
        "other web-2 app other ns line",
      ].sort(),
    );
    expect(lines(n.stderr)).toContain("+ other web-2 › app");
    const a = await stern("job", "-A");
    expect(lines(a.stdout)).toEqual(["third job-1 work job ran"]);
    expect(lines(a.stderr)).toEqual(["+ third job-1 › work", "- third job-1 › work (exit 0, Completed)"]);
  });

  it("--container-state picks containers by state", async () => {
    const running = await stern(".", "-A", "--container-state", "running", "--only-log-lines", "-c", "work");
    expect(running.stdout).toBe("");
    const terminated = await stern(".", "-A", "--container-state", "terminated", "--only-log-lines");
    // a completed init container is terminated too
    expect(lines(terminated.stdout).sort()).toEqual([
      "default web-1 setup setup done",
      "third job-1 work job ran",
    ]);
  });

  it("-t prints the API's timestamp after the container, in --timezone", async () => {
    const r = await stern("api-1", "-t", "--timezone", "UTC", "--only-log-lines");
    expect(r.stdout).toMatch(/^api-1 app \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z api says hi\n$/);
    const s = await stern("api-1", "--timestamps=short", "--timezone", "Asia/Tokyo", "--only-log-lines");
    expect(s.stdout).toMatch(/^api-1 app \d\d-\d\d \d\d:\d\d:\d\d api says hi\n$/);
    const req = sim.requests.filter((q) => q.path.endsWith("/pods/api-1/log"));
    expect(req.every((q) => q.query.get("timestamps") === "true")).toBe(true);
  });

  it("colors with --color always: pod and container from one pair, bold +/-", async () => {
    const r = await stern("api-1", "--color", "always");
    // FNV-1("api-1") picks the pair; pod in the bright variant, container in the normal one
    expect(r.stdout).toMatch(/^\x1b\[(9[1-6])mapi-1\x1b\[0m \x1b\[(3[1-6])mapp\x1b\[0m api says hi\n$/);
    const m = /^\x1b\[(\d+)mapi-1\x1b\[0m \x1b\[(\d+)m/.exec(r.stdout);
    expect(Number(m?.[1]) - 60).toBe(Number(m?.[2]));
    expect(r.stderr).toContain("\x1b[92;1m+\x1b[0;22m ");
    expect(r.stderr).toContain("\x1b[91;1m-\x1b[0;22m ");
  });

  it("colors are off when stdout is not a terminal, on with FORCE_COLOR, off with NO_COLOR", async () => {
    const plain = await stern("api-1");
    expect(plain.stdout).toBe("api-1 app api says hi\n");
    const forced = await runStern(["--no-follow", "api-1"], {
      kubeconfig: sim.kubeconfigPath,
      env: { FORCE_COLOR: "1" },
    });
    expect(forced.stdout).toContain("\x1b[");
    const never = await runStern(["--no-follow", "api-1", "--color", "always"], {
      kubeconfig: sim.kubeconfigPath,
      env: { NO_COLOR: "1" },
    });
    expect(never.stdout).toContain("\x1b[");
  });

  it("--pod-colors and --container-colors replace the palette; -d colors containers by their name", async () => {
    const r = await stern("api-1", "--color", "always", "--pod-colors", "38;5;1", "--container-colors", "4");
    // each attribute gets fatih/color's own reset: 5 (blink) -> 25, 1 (bold) -> 22, 4 (underline) -> 24
    expect(r.stdout).toBe("\x1b[38;5;1mapi-1\x1b[0;25;22m \x1b[4mapp\x1b[24m api says hi\n");
    const d = await stern(
      "api-1",
      "--color",
      "always",
      "-d",
      "--pod-colors",
      "91,92",
      "--container-colors",
      "31,32",
    );
    expect(d.stdout).toMatch(/^\x1b\[9[12]mapi-1\x1b\[0m \x1b\[3[12]mapp\x1b\[0m/);
  });

  it("a waiting container is skipped quietly", async () => {
    const r = await stern("web-3");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("");
  });
});
