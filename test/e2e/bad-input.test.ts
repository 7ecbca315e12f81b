// Bad input and unreachable or unwilling servers: one clear line on stderr, exit 1, no stack trace.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sim, startSim } from "../../sim/index.ts";
import { runStern } from "./stern-process.ts";

let sim: Sim;
let other: Sim;
let dir: string;
let silent: Server;
let silentPort: number;

function kubeconfig(name: string, server: string, caPem: string, token: string, extra = ""): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster:
    server: ${server}
    certificate-authority-data: ${Buffer.from(caPem).toString("base64")}
users:
- name: u
  user:
    token: ${token}
contexts:
- name: ctx
  context: {cluster: c, user: u, namespace: default}
current-context: ctx
${extra}`,
  );
  return path;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "stern-bad-"));
  [sim, other] = await Promise.all([startSim(), startSim()]);
  sim.addPod({ name: "web", containers: [{ name: "app" }] });
  silent = createServer(() => {
    // accepts the connection and never answers: an API server that hangs
  });
  await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
  silentPort = (silent.address() as { port: number }).port;
});

afterAll(async () => {
  silent?.close();
  await Promise.all([sim?.stop(), other?.stop()]);
});

async function expectOneLineError(
  args: string[],
  message: string | RegExp,
  env: Record<string, string> = {},
) {
  const r = await runStern(args, { env: { KUBECONFIG: sim.kubeconfigPath, ...env } });
  expect(r.code).toBe(1);
  expect(r.stdout).toBe("");
  const errLines = r.stderr.split("\n").filter((l) => l !== "");
  expect(errLines).toHaveLength(1);
  expect(errLines[0]).toMatch(/^Error: /);
  if (typeof message === "string") expect(errLines[0]).toContain(message);
  else expect(errLines[0]).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  return errLines[0];
}

describe("bad input", () => {
  it("an invalid regex", async () => {
    await expectOneLineError(
      ["("],
      "failed to compile regular expression from query: error parsing regexp: missing closing ): `(`",
    );
  });
  it("an unknown flag", async () => {
    await expectOneLineError(["web", "--follow-me"], "unknown flag: --follow-me");
  });
  it("a bad duration", async () => {
    await expectOneLineError(
      ["web", "--since", "10 minutes"],
      'invalid argument "10 minutes" for "-s, --since" flag',
    );
  });
  it("a bad --color", async () => {
    await expectOneLineError(["web", "--color", "rainbow"], 'invalid --color "rainbow"');
  });
  it("no query", async () => {
    await expectOneLineError(
      [],
      "One of pod-query, --selector, --field-selector, --prompt or --stdin is required",
    );
  });
  it("an unknown context", async () => {
    await expectOneLineError(["web", "--context", "nope"], 'context "nope" does not exist in the kubeconfig');
  });
  it("a missing kubeconfig", async () => {
    await expectOneLineError(["web", "--kubeconfig", join(dir, "absent")], "does not exist");
    await expectOneLineError(["web"], "none of the KUBECONFIG files exist", {
      KUBECONFIG: join(dir, "absent"),
    });
  });
  it("a malformed kubeconfig", async () => {
    const bad = join(dir, "bad.yaml");
    writeFileSync(bad, "clusters: [\n  - name: x\n    cluster: {server: \n");
    await expectOneLineError(["web", "--kubeconfig", bad], `cannot load kubeconfig ${bad}`);
    const empty = join(dir, "empty.yaml");
    writeFileSync(empty, "");
    await expectOneLineError(["web", "--kubeconfig", empty], /cannot load kubeconfig .*empty/);
  });
  it("/dev/zero as a template file, a config file or a kubeconfig's token file: one line, at once", async () => {
    await expectOneLineError(
      ["web", "--template-file", "/dev/zero"],
      "cannot read --template-file /dev/zero: it is a character device that gave more than 16 MiB",
    );
    await expectOneLineError(
      ["web", "--config", "/dev/zero"],
      "cannot read config file /dev/zero: it is a character device that gave more than 16 MiB",
    );
    const withTokenFile = join(dir, "token-file.yaml");
    writeFileSync(
      withTokenFile,
      readFileSync(sim.kubeconfigPath, "utf8").replace(/token: .*/, "tokenFile: /dev/zero"),
    );
    await expectOneLineError(
      ["web", "--kubeconfig", withTokenFile],
      "cannot read the token file /dev/zero: it is a character device that gave more than 16 MiB",
    );
  });
  it("an unreachable API server", async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const cfg = kubeconfig("refused", `https://127.0.0.1:${port}`, sim.caPem, sim.token);
    await expectOneLineError(
      ["web", "--kubeconfig", cfg],
      `cannot reach the API server at https://127.0.0.1:${port}: connection refused`,
    );
  });
  it("an API server that never answers, within --request-timeout", async () => {
    const cfg = kubeconfig("silent", `https://127.0.0.1:${silentPort}`, sim.caPem, sim.token);
    const started = Date.now();
    await expectOneLineError(["web", "--kubeconfig", cfg, "--request-timeout", "1s"], "no answer within 1s");
    expect(Date.now() - started).toBeLessThan(5000);
  });
  it("a TLS failure: the server's certificate is not from the kubeconfig's CA", async () => {
    const cfg = kubeconfig("wrong-ca", sim.url, other.caPem, sim.token);
    await expectOneLineError(["web", "--kubeconfig", cfg], `TLS handshake with ${sim.url} failed`);
  });
  it("401: a wrong token", async () => {
    const cfg = kubeconfig("bad-token", sim.url, sim.caPem, "not-the-token");
    await expectOneLineError(["web", "--kubeconfig", cfg], "401 Unauthorized");
  });
  it("403 on LIST names the namespace and the missing permission", async () => {
    sim.addNamespace("locked");
    sim.deny({ namespace: "locked", verb: "list", resource: "pods" });
    const line = await expectOneLineError(["web", "-n", "locked", "--no-follow"], "403 Forbidden");
    expect(line).toContain('cannot list resource "pods"');
    expect(line).toContain('in the namespace "locked"');
  });
});
