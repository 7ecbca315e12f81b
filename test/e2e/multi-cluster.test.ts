// Several clusters at once: --context repeated or comma-separated, and --context-regex.
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Sim, startSim } from "../../sim/index.ts";
import { lines, runStern, type SternRun, spawnStern } from "./stern-process.ts";

let alpha: Sim;
let beta: Sim;
let kubeconfig: string;
let run: SternRun | undefined;

beforeAll(async () => {
  [alpha, beta] = await Promise.all([
    startSim({ namespaces: ["default"] }),
    startSim({ namespaces: ["default"] }),
  ]);
  alpha.addPod({ name: "web-a", containers: [{ name: "app" }] }).log("app", "from alpha");
  beta.addPod({ name: "web-b", containers: [{ name: "app" }] }).log("app", "from beta");
  // Each cluster has its own CA and token; one kubeconfig file each, merged through KUBECONFIG.
  const a = alpha.writeKubeconfig(join(alpha.dir, "a"), {
    clusterName: "alpha",
    userName: "alpha-user",
    contexts: [{ name: "alpha", namespace: "default" }],
    currentContext: "alpha",
  });
  const b = beta.writeKubeconfig(join(beta.dir, "b"), {
    clusterName: "beta",
    userName: "beta-user",
    contexts: [
      { name: "beta", namespace: "default" },
      { name: "gamma", namespace: "default" },
    ],
    currentContext: "beta",
  });
  kubeconfig = `${a}:${b}`;
});
afterAll(async () => {
  await Promise.all([alpha?.stop(), beta?.stop()]);
});
afterEach(async () => {
  run?.kill("SIGKILL");
  await run?.exited().catch(() => {});
  run = undefined;
});

const stern = (...args: string[]) => runStern(["web", "--no-follow", ...args], { kubeconfig });

describe("several clusters", () => {
  it("--context a,b tails both, each line and +/- line led by the context", async () => {
    const r = await stern("--context", "alpha,beta");
    expect(r.code).toBe(0);
    expect(lines(r.stdout).sort()).toEqual(["alpha web-a app from alpha", "beta web-b app from beta"]);
    expect(lines(r.stderr).sort()).toEqual([
      "+ alpha web-a › app",
      "+ beta web-b › app",
      "- alpha web-a › app",
      "- beta web-b › app",
    ]);
    const repeated = await stern("--context", "alpha", "--context", "beta");
    expect(lines(repeated.stdout).sort()).toEqual(lines(r.stdout).sort());
  });

  it("--context-regex picks contexts by name; one context alone looks like stern", async () => {
    const r = await stern("--context-regex", "^(alpha|beta)$");
    expect(lines(r.stdout).sort()).toEqual(["alpha web-a app from alpha", "beta web-b app from beta"]);
    const one = await stern("--context", "beta");
    expect(one.stdout).toBe("web-b app from beta\n");
    const none = await stern("--context-regex", "^prod");
    expect(none.code).toBe(1);
    expect(none.stderr).toBe("Error: no context in the kubeconfig matches --context-regex ^prod\n");
  });

  it("colors the context, and -o json gains a context key", async () => {
    const c = await stern("--context", "alpha,beta", "--color", "always", "-e", "beta");
    expect(c.stdout).toMatch(
      /^\x1b\[9\dmalpha\x1b\[0m \x1b\[9\dmweb-a\x1b\[0m \x1b\[3\dmapp\x1b\[0m from alpha\n$/,
    );
    const j = await stern("--context", "alpha,beta", "-o", "json");
    const records = lines(j.stdout).map((l) => JSON.parse(l) as { context: string; podName: string });
    expect(records.map((x) => `${x.context}/${x.podName}`).sort()).toEqual(["alpha/web-a", "beta/web-b"]);
  });

  it("a cluster that cannot be reached is reported once; the others go on", async () => {
    // gamma points at beta's server with alpha's token: beta answers 401
    const r = await stern("--context", "alpha,gamma", "--user", "alpha-user");
    expect(lines(r.stdout)).toEqual(["alpha web-a app from alpha"]);
    const errors = lines(r.stderr).filter((l) => l.startsWith("Error"));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^Error: context gamma: .*401 Unauthorized/);
    expect(r.code).toBe(1);
  });

  it("a cluster that goes down mid-run does not stop the others", async () => {
    const other = await startSim({ namespaces: ["default"] });
    const pod = other.addPod({ name: "web-c", containers: [{ name: "app" }] });
    pod.log("app", "from c");
    const c = other.writeKubeconfig(join(other.dir, "c"), {
      clusterName: "charlie",
      userName: "charlie-user",
      contexts: [{ name: "charlie", namespace: "default" }],
      currentContext: "charlie",
    });
    run = spawnStern(["web", "--context", "alpha,charlie"], { kubeconfig: `${kubeconfig}:${c}` });
    await run.waitFor("charlie web-c app from c");
    await run.waitFor("alpha web-a app from alpha");
    await other.stop();
    alpha.pod("default", "web-a")?.log("app", "alpha still here");
    await run.waitFor("alpha web-a app alpha still here");
    expect(run.stderr()).not.toContain("Error");
  });
});
