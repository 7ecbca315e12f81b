// Which kubeconfig, context and namespace: --kubeconfig, KUBECONFIG with several files, --context.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { e2eHarness } from "./harness.ts";
import { lines, runStern } from "./stern-process.ts";

const { sim, startStern } = e2eHarness({ sim: { namespaces: ["alpha", "beta", "gamma"] } });
let first: string;
let second: string;

beforeAll(() => {
  for (const ns of ["alpha", "beta", "gamma"]) {
    sim
      .addPod({ namespace: ns, name: `web-${ns}`, containers: [{ name: "app" }] })
      .log("app", `hello from ${ns}`);
  }
  // The first file sets current-context "a"; the second defines "a" again (other namespace) and "b".
  first = sim.writeKubeconfig(join(sim.dir, "first"), {
    contexts: [{ name: "a", namespace: "alpha" }],
    currentContext: "a",
  });
  second = sim.writeKubeconfig(join(sim.dir, "second"), {
    contexts: [
      { name: "a", namespace: "gamma" },
      { name: "b", namespace: "beta" },
    ],
    currentContext: "b",
  });
});

const stern = (args: string[], env: Record<string, string>) =>
  runStern(["web", "--no-follow", "--only-log-lines", ...args], { env });

describe("kubeconfig", () => {
  it("--kubeconfig takes one file and its current context's namespace", async () => {
    const r = await stern(["--kubeconfig", second], { KUBECONFIG: first });
    expect(lines(r.stdout)).toEqual(["web-beta app hello from beta"]);
  });

  it("KUBECONFIG with several files: the first current-context and the first definition of a name win", async () => {
    const r = await stern([], { KUBECONFIG: `${first}:${second}` });
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toEqual(["web-alpha app hello from alpha"]);
  });

  it("--context picks a context from any of the files", async () => {
    const r = await stern(["--context", "b"], { KUBECONFIG: `${first}:${second}` });
    expect(lines(r.stdout)).toEqual(["web-beta app hello from beta"]);
  });

  it("missing files in KUBECONFIG are skipped, as kubectl does", async () => {
    const r = await stern([], { KUBECONFIG: `${join(sim.dir, "absent")}:${second}` });
    expect(lines(r.stdout)).toEqual(["web-beta app hello from beta"]);
  });

  it("-n overrides the context's namespace", async () => {
    const r = await stern(["-n", "gamma"], { KUBECONFIG: first });
    expect(lines(r.stdout)).toEqual(["web-gamma app hello from gamma"]);
  });

  it("a context without a namespace means default", async () => {
    const path = join(sim.dir, "nons");
    sim.writeKubeconfig(path, { contexts: [{ name: "x", namespace: "" }], currentContext: "x" });
    writeFileSync(path, readFileSync(path, "utf8").replace(/\n\s+namespace: .*/, ""));
    sim.addPod({ name: "web-default", containers: [{ name: "app" }] }).log("app", "hello from default");
    const r = await stern([], { KUBECONFIG: path });
    expect(lines(r.stdout)).toEqual(["web-default app hello from default"]);
  });

  // Read without a cap these grew by gigabytes a second (kubectl too); a stern still running after
  // 8 s has failed, and the harness kills it.
  it.each([
    ["--kubeconfig /dev/zero", () => ({ args: ["--kubeconfig", "/dev/zero"], env: {} })],
    ["/dev/zero in a KUBECONFIG list", () => ({ args: [], env: { KUBECONFIG: `${first}:/dev/zero` } })],
  ])("%s: one line, exit 1, at once", async (_name, input) => {
    const { args, env } = input();
    const run = startStern(["web", "--no-follow", ...args], { env });
    expect(await run.exited(8_000)).toBe(1);
    expect(run.stderr()).toBe(
      "Error: cannot load kubeconfig /dev/zero: it is a character device that gave more than 16 MiB\n",
    );
    expect(run.stdout()).toBe("");
  });

  it("--kubeconfig /dev/null is an empty kubeconfig, as for kubectl: --server and --token work", async () => {
    const ns = "alpha";
    const r = await stern(
      [
        "-n",
        ns,
        "--kubeconfig",
        "/dev/null",
        "--server",
        sim.url,
        "--token",
        sim.token,
        "--insecure-skip-tls-verify",
      ],
      {},
    );
    expect(r.stderr).toBe("");
    expect(lines(r.stdout)).toEqual(["web-alpha app hello from alpha"]);
  });
});
