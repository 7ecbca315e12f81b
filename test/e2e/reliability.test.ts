// Faults injected through the simulated cluster, checked line by line.
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { execPluginKubeconfig } from "./exec-kubeconfig.ts";
import { e2eHarness } from "./harness.ts";
import { lines, runStern, spawnStern } from "./stern-process.ts";

const BIN = fileURLToPath(new URL("../../bin/stern", import.meta.url));
const { sim, freshNamespace, startStern } = e2eHarness({ namespacePrefix: "r", clearFaults: true });

const logRequests = (ns: string) =>
  sim.requests.filter((q) => q.path.startsWith(`/api/v1/namespaces/${ns}/`) && q.path.endsWith("/log"));

describe("streams", () => {
  it("a stream that ends cleanly while the container runs is resumed: nothing lost, nothing repeated", async () => {
    const ns = freshNamespace();
    const pod = sim.addPod({ namespace: ns, name: "web", containers: [{ name: "app" }] });
    pod.log("app", "a1", "a2", "a3");
    const run = startStern(["-n", ns, "web", "--verbosity=1"], { kubeconfig: sim.kubeconfigPath });
    await run.waitFor("web app a3");
    sim.faults.endLogStreams({ namespace: ns });
    pod.log("app", "b1", "b2");
    await run.waitFor("web app b2");
    sim.faults.cutLogStreams({ namespace: ns });
    pod.log("app", "c1");
    await run.waitFor("web app c1");
    expect(lines(run.stdout())).toEqual([
      "web app a1",
      "web app a2",
      "web app a3",
      "web app b1",
      "web app b2",
      "web app c1",
    ]);
    expect(run.stderr()).toContain(
      `debug: ${ns}/web/app: log stream ended while the container runs; resuming`,
    );
    const reqs = logRequests(ns);
    expect(reqs.length).toBe(3);
    expect(reqs[0]?.query.get("sinceTime")).toBeNull();
    expect(reqs[1]?.query.get("sinceTime")).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(reqs.every((q) => q.query.get("timestamps") === "true")).toBe(true);
    expect(lines(run.stderr()).filter((l) => l.startsWith("+") || l.startsWith("-"))).toEqual([
      "+ web › app",
    ]);
  });

  it("a resume that fails does not start over: the next try still resumes where it stopped", async () => {
    const ns = freshNamespace();
    const pod = sim.addPod({ namespace: ns, name: "web", containers: [{ name: "app" }] });
    pod.log("app", "one", "two");
    const run = startStern(["-n", ns, "web"], { kubeconfig: sim.kubeconfigPath });
    await run.waitFor("web app two");
    sim.faults.failNext({
      path: new RegExp(`^/api/v1/namespaces/${ns}/pods/web/log$`),
      status: 500,
      times: 2,
    });
    sim.faults.cutLogStreams({ namespace: ns });
    pod.log("app", "three");
    await run.waitFor("web app three");
    // A line after: a repeat of the lines before it would come first, on the same stream.
    pod.log("app", "four");
    await run.waitFor("web app four");
    expect(lines(run.stdout())).toEqual(["web app one", "web app two", "web app three", "web app four"]);
    expect(
      logRequests(ns)
        .slice(1)
        .every((q) => q.query.get("sinceTime") !== null),
    ).toBe(true);
  });

  it("an API server restart mid-run loses no line and repeats none", async () => {
    const ns = freshNamespace();
    const pod = sim.addPod({ namespace: ns, name: "web", containers: [{ name: "app" }] });
    const emit = pod.emit("app", { lines: 300, rate: 200, make: (i) => `n=${i}` });
    const run = startStern(["-n", ns, "web", "--only-log-lines", "-o", "raw"], {
      kubeconfig: sim.kubeconfigPath,
    });
    await run.waitFor("n=50");
    await sim.restart();
    await emit.done;
    await run.waitFor("n=299");
    sim.addPod({ namespace: ns, name: "web-2", containers: [{ name: "app" }] }).log("app", "after restart");
    await run.waitFor("after restart");
    const nums = lines(run.stdout())
      .filter((l) => l.startsWith("n="))
      .map((l) => Number(l.slice(2)));
    expect(nums).toEqual(Array.from({ length: 300 }, (_, i) => i));
  });

  it("a 403 on one pod's log says so once, naming it and the permission; the others go on", async () => {
    const ns = freshNamespace();
    const locked = freshNamespace();
    sim.deny({ namespace: locked, verb: "get", resource: "pods/log" });
    sim.addPod({ namespace: ns, name: "open", containers: [{ name: "app" }] }).log("app", "visible");
    sim.addPod({ namespace: locked, name: "secret", containers: [{ name: "app" }] }).log("app", "hidden");
    const r = await runStern(["-n", `${ns},${locked}`, ".", "--no-follow"], {
      kubeconfig: sim.kubeconfigPath,
    });
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toEqual([`${ns} open app visible`]);
    const errors = lines(r.stderr).filter((l) => !l.startsWith("+ ") && !l.startsWith("- "));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`failed to tail ${locked}/secret/app`);
    expect(errors[0]).toContain('cannot get resource "pods/log"');
  });
});

describe("credentials", () => {
  it("a 401 mid-run reloads credentials once (an exec plugin's new token) and goes on", async () => {
    const ns = freshNamespace();
    const tokenFile = join(sim.dir, "exec-token");
    writeFileSync(tokenFile, sim.token);
    const kc = execPluginKubeconfig(sim, tokenFile, ns);
    const pod = sim.addPod({ namespace: ns, name: "web", containers: [{ name: "app" }] });
    pod.log("app", "before");
    const run = startStern(["web"], { kubeconfig: kc });
    await run.waitFor("web app before");
    // The token expires and the plugin hands out a new one.
    sim.addToken("rotated-token", "system:serviceaccount:default:stern");
    writeFileSync(tokenFile, "rotated-token");
    sim.revokeToken(sim.token);
    sim.faults.cutLogStreams({ namespace: ns });
    sim.faults.closeWatches();
    pod.log("app", "after");
    await run.waitFor("web app after");
    sim.addPod({ namespace: ns, name: "web-2", containers: [{ name: "app" }] }).log("app", "new pod");
    await run.waitFor("web-2 app new pod");
    expect(lines(run.stdout())).toEqual(["web app before", "web app after", "web-2 app new pod"]);
    expect(sim.requests.filter((q) => q.status === 401).length).toBeGreaterThan(0);
    expect(run.stderr()).not.toContain("Error");
    sim.addToken(sim.token, "system:serviceaccount:default:stern");
  });
});

describe("the terminal and the pipe", () => {
  it("stern x | head -n 1 ends at once with exit 0 and no error text", async () => {
    const ns = freshNamespace();
    const pod = sim.addPod({ namespace: ns, name: "chatty", containers: [{ name: "app" }] });
    const emit = pod.emit("app", { lines: 100_000, rate: 200 });
    const started = Date.now();
    const sh = spawn("/bin/sh", ["-c", `"${process.execPath}" "${BIN}" -n ${ns} chatty | head -n 1`], {
      env: { ...process.env, KUBECONFIG: sim.kubeconfigPath },
    });
    let out = "";
    let err = "";
    sh.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    sh.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    const code = await new Promise((r) => sh.on("close", r));
    emit.stop();
    expect(code).toBe(0);
    expect(out).toBe("chatty app line 1\n");
    expect(err).toBe("+ chatty › app\n");
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("SIGTERM exits 143, SIGINT 130, flushing what was read and printing no stack trace", async () => {
    const ns = freshNamespace();
    sim.addPod({ namespace: ns, name: "web", containers: [{ name: "app" }] }).log("app", "hello");
    const run = startStern(["-n", ns, "web"], { kubeconfig: sim.kubeconfigPath });
    await run.waitFor("web app hello");
    run.kill("SIGTERM");
    expect(await run.exited()).toBe(143);
    expect(run.stderr()).toBe("+ web › app\n");
    const again = spawnStern(["-n", ns, "web"], { kubeconfig: sim.kubeconfigPath });
    await again.waitFor("web app hello");
    again.kill("SIGINT");
    again.kill("SIGINT");
    expect(await again.exited()).toBe(130);
    expect(again.stdout()).toBe("web app hello\n");
  });
});

describe("hostile log content", () => {
  it("a 10 MB line, NUL bytes, escapes and carriage returns pass through a pipe as they are", async () => {
    const ns = freshNamespace();
    const pod = sim.addPod({ namespace: ns, name: "evil", containers: [{ name: "app" }] });
    const big = "x".repeat(10 * 1024 * 1024);
    pod.log("app", big, "nul\u0000byte", "esc \x1b]0;title\x07 \x1b[31mred\x1b[0m", "cr\rhere");
    pod.terminate("app", { exitCode: 0 });
    const r = await runStern(["-n", ns, "evil", "--no-follow", "--only-log-lines", "-o", "raw"], {
      kubeconfig: sim.kubeconfigPath,
    });
    expect(r.code).toBe(0);
    const out = r.stdout.split("\n");
    // cut at the 8 MiB line limit (the first piece carries the timestamp prefix the API added)
    expect(out[0]?.length).toBe(8 * 1024 * 1024 - "2026-01-01T00:00:00.000000000Z ".length);
    expect((out[0]?.length ?? 0) + (out[1]?.length ?? 0)).toBe(10 * 1024 * 1024);
    expect(out.slice(2)).toEqual([
      "nul\u0000byte",
      "esc \x1b]0;title\x07 \x1b[31mred\x1b[0m",
      "cr\rhere",
      "",
    ]);
  });
});
