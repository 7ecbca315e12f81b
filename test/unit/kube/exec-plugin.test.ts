// Exec credential plugins that misbehave, run for real (shell scripts): one that never ends, one that
// leaves a child holding its output open, one that writes without end.
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EXEC_LIMITS, ExecPlugin, execLimits } from "../../../src/kube/exec-plugin.ts";

const dir = mkdtempSync(join(tmpdir(), "stern-exec-plugin-"));
const CREDENTIAL = JSON.stringify({
  apiVersion: "client.authentication.k8s.io/v1",
  kind: "ExecCredential",
  status: { token: "t0ken" },
});

function script(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

function plugin(command: string, limits: { timeoutMs?: number; maxOutputBytes?: number } = {}) {
  const exec = { apiVersion: "client.authentication.k8s.io/v1", command, interactiveMode: "Never" };
  return new ExecPlugin("u", exec, { server: "https://127.0.0.1:6443" }, {}, limits);
}

describe("exec plugins that misbehave", () => {
  it("one that never finishes is killed and named, after the time given", async () => {
    const cmd = script("hangs.sh", "exec sleep 1000");
    const t0 = Date.now();
    await expect(plugin(cmd, { timeoutMs: 300 }).credential()).rejects.toThrow(
      `cannot get credentials for user "u": the exec plugin ${cmd} did not finish within 0.3s`,
    );
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it("one that leaves a child holding its output open is not waited for either", async () => {
    const cmd = script("orphan.sh", "sleep 5 &\nsleep 5");
    await expect(plugin(cmd, { timeoutMs: 300 }).credential()).rejects.toThrow(
      `the exec plugin ${cmd} did not finish within 0.3s`,
    );
  });

  it("one that writes more than the cap on stdout is stopped", async () => {
    const cmd = script("floods.sh", "exec yes");
    await expect(plugin(cmd, { maxOutputBytes: 64 * 1024 }).credential()).rejects.toThrow(
      `the exec plugin ${cmd} wrote more than 64 KiB (a credential is a few KB)`,
    );
  });

  it("a long stderr is kept to its tail: its last line still ends the error", async () => {
    const cmd = script("chatty.sh", "yes debug | head -c 3000000 >&2\necho 'login expired' >&2\nexit 3");
    await expect(plugin(cmd).credential()).rejects.toThrow(
      `the exec plugin ${cmd} failed (exit code 3): login expired`,
    );
  });

  it("a good plugin within the limits answers its credential", async () => {
    const cmd = script("good.sh", `yes debug | head -c 300000 >&2\necho '${CREDENTIAL}'`);
    await expect(plugin(cmd, { timeoutMs: 20_000 }).credential()).resolves.toEqual({ token: "t0ken" });
  });

  it("60 s and 1 MiB unless the environment (tests) says otherwise", () => {
    expect(EXEC_LIMITS).toEqual({ timeoutMs: 60_000, maxOutputBytes: 1024 * 1024 });
    expect(execLimits({})).toEqual(EXEC_LIMITS);
    expect(execLimits({ STERN_EXEC_TIMEOUT_MS: "1500" }).timeoutMs).toBe(1500);
    expect(execLimits({ STERN_EXEC_TIMEOUT_MS: "soon" }).timeoutMs).toBe(60_000);
    expect(execLimits({ STERN_EXEC_TIMEOUT_MS: "1500" }, { timeoutMs: 10 }).timeoutMs).toBe(10);
  });
});
