// The tools compared and their command lines for each kind of run.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "./proc.ts";

export type ToolId = "this" | "kubectl" | "kubetail" | "limit";
export const ALL_TOOLS: ToolId[] = ["this", "kubectl", "kubetail", "limit"];

export const TOOL_LABEL: Record<ToolId, string> = {
  this: "this stern",
  kubectl: "kubectl",
  kubetail: "kubetail",
  limit: "plain reader (limit)",
};

let stern = fileURLToPath(new URL("../../bin/stern", import.meta.url));

/**
 * Copies bin/stern and dist/ (the build is one bundle using only Node's modules) to a scratch directory
 * and runs that copy: a rebuild during the run does not change what is measured.
 */
export function snapshotStern(): string {
  const root = fileURLToPath(new URL("../../", import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), "stern-bench-build-"));
  cpSync(join(root, "bin"), join(dir, "bin"), { recursive: true });
  cpSync(join(root, "dist"), join(dir, "dist"), { recursive: true });
  stern = join(dir, "bin", "stern");
  return dir;
}
const plainReader = fileURLToPath(new URL("../readers/plain-reader.ts", import.meta.url));
export const KUBECTL = "/usr/bin/kubectl";
export const KUBETAIL = "/usr/bin/kubetail";

/**
 * kubetail joins its per-container commands with `${@/#/ & }`; bash >= 5.2's patsub_replacement turns the
 * `&` into the (empty) match, so with more than one stream the joined command is a syntax error. Sourcing
 * it with that option off runs it as its author meant. It exits through `kill 0` in its EXIT trap (143).
 */
const KUBETAIL_BASH = ["-c", `shopt -u patsub_replacement; . ${KUBETAIL} "$@"`, "kubetail"];

export interface FixedRun {
  namespace: string;
  streams: number;
  containers: number;
}

function env(kubeconfig: string): NodeJS.ProcessEnv {
  // HOME elsewhere: no user kubeconfig, kubectl's cache in a scratch directory. This Node first on
  // PATH: bin/stern's `#!/usr/bin/env node` finds it there.
  return {
    ...process.env,
    KUBECONFIG: kubeconfig,
    NO_COLOR: "1",
    PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ""}`,
  };
}

/** The fixed-total run: every stream read to its end, then exit. */
export function fixedCommand(tool: ToolId, kubeconfig: string, r: FixedRun): Command {
  const e = env(kubeconfig);
  switch (tool) {
    case "this":
      // bin/stern itself, as a user runs it: the Node flags it sets are part of what is measured.
      return {
        cmd: stern,
        args: ["-n", r.namespace, "load-", "--no-follow", `--max-log-requests=${r.streams}`, "--color=never"],
        env: e,
      };
    case "kubectl":
      return {
        cmd: KUBECTL,
        args: [
          "logs",
          "-f",
          "-n",
          r.namespace,
          "-l",
          "app=load",
          "--prefix",
          `--max-log-requests=${r.streams}`,
          "--tail=-1",
          ...(r.containers > 1 ? ["--all-containers"] : []),
        ],
        env: e,
      };
    case "kubetail":
      // -f false: its final `tail` ends when every kubectl has; --since: its default is 10 s.
      return {
        cmd: "bash",
        args: [...KUBETAIL_BASH, "load-", "-n", r.namespace, "-f", "false", "-s", "48h", "-k", "false"],
        env: { ...e, KUBECTL_BIN: KUBECTL },
        ownSession: true,
      };
    case "limit":
      return {
        cmd: process.execPath,
        args: [plainReader, "-n", r.namespace, "-l", "app=load"],
        env: e,
      };
  }
}

/** Follow mode on pods whose names start with `prefix` (first line, replacement, idle, stall). */
export function followCommand(
  tool: ToolId,
  kubeconfig: string,
  namespace: string,
  o: { prefix: string; pod?: string; selector?: string; maxRequests?: number; echo?: boolean },
): Command {
  const e = env(kubeconfig);
  const max = o.maxRequests ? [`--max-log-requests=${o.maxRequests}`] : [];
  switch (tool) {
    case "this":
      return {
        cmd: stern,
        args: ["-n", namespace, o.pod ?? o.prefix, "--color=never", ...max],
        env: e,
      };
    case "kubectl":
      return {
        cmd: KUBECTL,
        args: [
          "logs",
          "-f",
          "-n",
          namespace,
          ...(o.pod ? [o.pod] : ["-l", o.selector ?? "", "--prefix", "--tail=-1"]),
          ...max,
        ],
        env: e,
      };
    case "kubetail":
      // Its final `tail -f` block-buffers into a pipe (its -b option passes `| grep --line-buffered` to
      // tail as arguments), so nothing shows for a long time: stdbuf -oL line-buffers it.
      return {
        cmd: "stdbuf",
        args: [
          "-oL",
          "bash",
          ...KUBETAIL_BASH,
          o.pod ?? o.prefix,
          "-n",
          namespace,
          "-s",
          "48h",
          "-k",
          "false",
        ],
        env: { ...e, KUBECTL_BIN: KUBECTL },
        ownSession: true,
      };
    case "limit":
      return {
        cmd: process.execPath,
        args: [
          plainReader,
          "-n",
          namespace,
          "--prefix",
          o.pod ?? o.prefix,
          ...(o.selector ? ["-l", o.selector] : []),
          ...(o.echo ? ["--echo"] : []),
        ],
        env: e,
      };
  }
}

/** kubetail: installed, or installed now from Debian (apt-get); undefined if it cannot be. */
export function ensureKubetail(log: (s: string) => void): string | undefined {
  if (existsSync(KUBETAIL)) return undefined;
  log("kubetail is missing: apt-get install -y kubetail");
  const r = spawnSync(
    "sh",
    ["-c", "apt-get install -y kubetail || (apt-get update && apt-get install -y kubetail)"],
    {
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    },
  );
  if (existsSync(KUBETAIL)) return undefined;
  return `kubetail could not be installed (apt-get: ${r.stderr?.toString().trim().split("\n").pop() ?? r.status})`;
}

export function versionOf(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  return (r.stdout || r.stderr || "").trim().split("\n")[0] ?? "?";
}
