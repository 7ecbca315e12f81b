// Exec credential plugins over a run: a token the server rejects is renewed by running the plugin
// again (once, however many requests failed together), and an expired credential is not reused.
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { e2eHarness } from "./harness.ts";
import { lines, runStern } from "./stern-process.ts";

const { sim, freshNamespace, startStern } = e2eHarness();

/** A plugin that logs each run and answers `first` on its first run, the valid token after. */
function plugin(name: string, first: string, expires?: string): { config: string; runs: () => number } {
  const log = join(sim.dir, `${name}-runs`);
  writeFileSync(log, "");
  const status = (token: string) =>
    JSON.stringify({ token, ...(expires ? { expirationTimestamp: expires } : {}) });
  const { config } = pluginConfig(
    name,
    `echo run >> '${log}'
if [ "$(wc -l < '${log}')" -eq 1 ]; then S='${status(first)}'; else S='${status(sim.token)}'; fi
printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":%s}\\n' "$S"`,
  );
  return { config, runs: () => readFileSync(log, "utf8").split("\n").filter(Boolean).length };
}

/** A kubeconfig whose user's exec plugin is `body` (a shell script). */
function pluginConfig(name: string, body: string): { config: string; script: string } {
  const script = join(sim.dir, `${name}.sh`);
  writeFileSync(script, `#!/bin/sh\n${body}\n`);
  chmodSync(script, 0o755);
  const config = join(sim.dir, `${name}.yaml`);
  writeFileSync(
    config,
    `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "${sim.url}", certificate-authority-data: "${Buffer.from(sim.caPem).toString("base64")}"}}]
users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: "${script}", interactiveMode: Never}}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`,
  );
  return { config, script };
}

let ns: string;
beforeAll(() => {
  ns = freshNamespace();
  for (const i of [1, 2, 3])
    sim.addPod({ namespace: ns, name: `web-${i}`, containers: [{ name: "app" }] }).log("app", `line ${i}`);
});

describe("exec plugin credentials", () => {
  it("a rejected token is renewed by one more run of the plugin", async () => {
    const p = plugin("stale", "stale-token");
    const r = await runStern(["web", "-n", ns, "--no-follow", "--only-log-lines", "--kubeconfig", p.config]);
    expect(r.code, r.stderr).toBe(0);
    expect(lines(r.stdout).sort()).toEqual(["web-1 app line 1", "web-2 app line 2", "web-3 app line 3"]);
    expect(p.runs()).toBe(2);
  });

  it("a credential that has expired is not used: the plugin runs again", async () => {
    const p = plugin("expired", sim.token, "2000-01-01T00:00:00Z");
    const r = await runStern(["web", "-n", ns, "--no-follow", "--only-log-lines", "--kubeconfig", p.config]);
    expect(r.code, r.stderr).toBe(0);
    expect(lines(r.stdout)).toHaveLength(3);
    // At start, for the list, then once for the three log requests together (not once each: 5).
    expect(p.runs()).toBeGreaterThanOrEqual(2);
    expect(p.runs()).toBeLessThanOrEqual(3);
  });

  it("a credential valid for an hour is used for every request", async () => {
    const p = plugin("valid", sim.token, new Date(Date.now() + 3600_000).toISOString());
    const r = await runStern(["web", "-n", ns, "--no-follow", "--only-log-lines", "--kubeconfig", p.config]);
    expect(r.code, r.stderr).toBe(0);
    expect(p.runs()).toBe(1);
  });

  // kubectl waits on such a plugin for ever, saying nothing. The bound is 60 s; the test makes it 1 s.
  it("a plugin that never finishes is killed and named in one line", async () => {
    const p = pluginConfig("hangs", "exec sleep 1000");
    const run = startStern(["web", "-n", ns, "--no-follow", "--kubeconfig", p.config], {
      env: { STERN_EXEC_TIMEOUT_MS: "1000" },
    });
    expect(await run.exited(10_000)).toBe(1);
    expect(run.stderr()).toBe(
      `Error: cannot get credentials for user "u": the exec plugin ${p.script} did not finish within 1s\n`,
    );
    expect(run.stdout()).toBe("");
  });

  it("a plugin that writes without end is stopped after 1 MiB", async () => {
    const p = pluginConfig("floods", "exec yes");
    const run = startStern(["web", "-n", ns, "--no-follow", "--kubeconfig", p.config]);
    expect(await run.exited(10_000)).toBe(1);
    expect(run.stderr()).toBe(
      `Error: cannot get credentials for user "u": the exec plugin ${p.script} wrote more than 1 MiB (a credential is a few KB)\n`,
    );
  });
});
