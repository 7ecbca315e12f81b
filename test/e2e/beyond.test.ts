// Beyond stern: lines in time order (--sort), structured logs (-o pretty) and multi-line records.
import { describe, expect, it } from "vitest";
import { e2eHarness } from "./harness.ts";
import { lines, runStern } from "./stern-process.ts";

const { sim, freshNamespace, startStern, streamsOpen } = e2eHarness({ namespacePrefix: "b" });

const at = (second: number, nanos = 0) =>
  `2024-05-01T10:00:${String(second).padStart(2, "0")}.${String(nanos).padStart(9, "0")}Z`;
const stern = (ns: string, ...args: string[]) =>
  runStern(["-n", ns, "--since", "100000h", ...args], { kubeconfig: sim.kubeconfigPath });

describe("--sort", () => {
  it("--no-follow merges three streams whose timestamps interleave", async () => {
    const ns = freshNamespace();
    const pods = ["a", "b", "c"].map((n) =>
      sim.addPod({ namespace: ns, name: `p-${n}`, containers: [{ name: "c" }] }),
    );
    // p-a has seconds 0,3,6,..., p-b 1,4,7,..., p-c 2,5,8,...; the same second twice to check nanoseconds
    for (let i = 0; i < 30; i++) pods[i % 3]?.logAt("c", at(i), `n=${i}`);
    pods[0]?.logAt("c", at(59, 2), "late-2");
    pods[1]?.logAt("c", at(59, 1), "late-1");
    const sorted = await stern(ns, ".", "--no-follow", "--sort", "--only-log-lines", "-o", "raw");
    expect(lines(sorted.stdout)).toEqual([
      ...Array.from({ length: 30 }, (_, i) => `n=${i}`),
      "late-1",
      "late-2",
    ]);
    const unsorted = await stern(
      ns,
      ".",
      "--no-follow",
      "--only-log-lines",
      "-o",
      "raw",
      "--max-log-requests",
      "1",
    );
    expect(lines(unsorted.stdout)).not.toEqual(lines(sorted.stdout));
  });

  it("--no-follow --sort does not read whole streams before merging (lanes are bounded)", async () => {
    const ns = freshNamespace();
    const a = sim.addPod({ namespace: ns, name: "big", containers: [{ name: "c" }] });
    const b = sim.addPod({ namespace: ns, name: "small", containers: [{ name: "c" }] });
    for (let i = 0; i < 5000; i++) a.logAt("c", at(10, i), `big ${i}`);
    b.logAt("c", at(10, 2500), "small one");
    const r = await stern(ns, ".", "--no-follow", "--sort", "--only-log-lines", "-o", "raw");
    const out = lines(r.stdout);
    expect(out).toHaveLength(5001);
    expect(out.indexOf("small one")).toBe(2501);
  });

  it("following, lines that arrive together come out in the order they happened; a late one is printed at once", async () => {
    const ns = freshNamespace();
    const a = sim.addPod({ namespace: ns, name: "a", containers: [{ name: "c" }] });
    const b = sim.addPod({ namespace: ns, name: "b", containers: [{ name: "c" }] });
    // A window wide enough that lines written together arrive within it on a busy machine too.
    const run = startStern(
      ["-n", ns, ".", "--sort", "--sort-window", "2s", "--only-log-lines", "-o", "raw", "--tail", "0"],
      { kubeconfig: sim.kubeconfigPath },
    );
    await streamsOpen(ns, 2);
    const base = Date.now();
    const iso = (ms: number) => new Date(ms).toISOString().replace("Z", "000000Z");
    a.logAt("c", iso(base + 1), "first");
    a.logAt("c", iso(base + 3), "third");
    b.logAt("c", iso(base + 2), "second");
    b.logAt("c", iso(base + 4), "fourth");
    await run.waitFor("fourth");
    expect(lines(run.stdout())).toEqual(["first", "second", "third", "fourth"]);
    // "fourth" is out: a line older than it can no longer be placed, and comes at once.
    a.logAt("c", iso(base), "too late to sort");
    await run.waitFor("too late to sort");
  });
});

describe("-o pretty", () => {
  it("shows JSON lines as LEVEL message key=value and passes other lines through", async () => {
    const ns = freshNamespace();
    const p = sim.addPod({ namespace: ns, name: "api", containers: [{ name: "app" }] });
    p.logAt(
      "app",
      at(1),
      '{"level":"info","msg":"request handled","status":200,"path":"/api/cart","ts":"2024-05-01T10:00:01Z"}',
    );
    p.logAt("app", at(2), '{"level":50,"msg":"db down","err":"timeout after 5s"}');
    p.logAt("app", at(3), "plain text");
    const r = await stern(ns, "api", "--no-follow", "--only-log-lines", "-o", "pretty");
    expect(lines(r.stdout)).toEqual([
      "api app INFO request handled status=200 path=/api/cart",
      'api app ERROR db down err="timeout after 5s"',
      "api app plain text",
    ]);
    const t = await stern(
      ns,
      "api",
      "--no-follow",
      "--only-log-lines",
      "-o",
      "pretty",
      "-t",
      "--timezone",
      "UTC",
      "-i",
      "cart",
    );
    expect(t.stdout).toBe(
      "api app 2024-05-01T10:00:01.000000000Z INFO request handled status=200 path=/api/cart\n",
    );
  });
});

describe("--multiline", () => {
  const trace = [
    'Exception in thread "main" java.lang.IllegalStateException: boom',
    "\tat com.example.Service.run(Service.java:42)",
    "\tat com.example.Main.main(Main.java:7)",
    "Caused by: java.io.IOException: disk full",
    "\t... 2 more",
  ];

  it("-o json emits one record per stack trace", async () => {
    const ns = freshNamespace();
    const p = sim.addPod({ namespace: ns, name: "java", containers: [{ name: "app" }] });
    p.logAt("app", at(1), "starting");
    p.logAt("app", at(2), ...trace);
    p.logAt("app", at(3), "recovered");
    const r = await stern(ns, "java", "--no-follow", "--only-log-lines", "-o", "json", "--multiline");
    const messages = lines(r.stdout).map((l) => (JSON.parse(l) as { message: string }).message);
    expect(messages).toEqual(["starting", trace.join("\n"), "recovered"]);
    const without = await stern(ns, "java", "--no-follow", "--only-log-lines", "-o", "json");
    expect(lines(without.stdout)).toHaveLength(7);
  });

  it("keeps a trace together while following, even when another container logs at the same time", async () => {
    const ns = freshNamespace();
    const p = sim.addPod({ namespace: ns, name: "java", containers: [{ name: "app" }, { name: "side" }] });
    const run = startStern(["-n", ns, "java", "--multiline", "--only-log-lines", "--tail", "0"], {
      kubeconfig: sim.kubeconfigPath,
    });
    await streamsOpen(ns, 2, "java");
    p.log("app", trace[0] as string, trace[1] as string);
    p.log("side", "side line");
    p.log("app", ...trace.slice(2));
    await run.waitFor("side line");
    await run.waitFor("... 2 more");
    const out = run.stdout();
    expect(out).toContain(`java app ${trace.join("\n")}\n`);
  });
});
