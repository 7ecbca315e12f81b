// Runs the real kubectl and the real bin/stern with the same arguments, environment and working folder,
// each against its own fresh moment of a Recorder, and reduces what reached the server to what a
// kubeconfig decides. In-cluster runs get a fake service-account folder mounted where both look for it
// (/var/run/secrets/kubernetes.io/serviceaccount), in a private mount namespace.
import { execFile, execFileSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { setPriority } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Hit, Recorder } from "./recorder.ts";

export const KUBECTL = process.env.KUBECTL_PATH ?? "/usr/bin/kubectl";
const STERN = fileURLToPath(new URL("../../bin/stern", import.meta.url));
const SERVICE_ACCOUNT = "/run/secrets/kubernetes.io/serviceaccount";

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Invocation {
  args: string[];
  env: Record<string, string>;
  cwd: string;
  /** A folder to mount as the service-account folder (in-cluster scenarios). */
  serviceAccount?: string;
  /** Where the exec plugins of the scenario write the KUBERNETES_EXEC_INFO they got. */
  execInfoFile: string;
}

/** What reached the server, as far as the kubeconfig and flags decide it. */
export interface Observation {
  failed: boolean;
  /** kubectl asked for a username and password (a user without credentials on https). */
  prompted: boolean;
  /** The pod list request, reduced ("" when none came). */
  request: string;
  /** Every distinct request identity (credentials, TLS, proxy) seen, sorted. */
  identities: string[];
  /** The KUBERNETES_EXEC_INFO the exec plugin got, parsed ("" when it did not run). */
  execInfo: string;
}

/** How an in-cluster run gets its mount namespace: as root, or as a mapped root in a user namespace. */
function namespaceWrapper(): string[] | undefined {
  for (const flags of [["-m"], ["-rm"]]) {
    try {
      execFileSync("unshare", [...flags, "--propagation", "private", "sh", "-c", "mount -t tmpfs t /mnt"], {
        stdio: "ignore",
      });
      return ["unshare", ...flags, "--propagation", "private"];
    } catch {
      // try the next way
    }
  }
  return undefined;
}

let wrapper: string[] | undefined | null = null;
export function inClusterPossible(): boolean {
  if (wrapper === null) wrapper = namespaceWrapper();
  return wrapper !== undefined;
}

function command(client: "kubectl" | "stern", inv: Invocation): string[] {
  const base =
    client === "kubectl"
      ? [KUBECTL, "get", "pods", "-o", "name", ...inv.args]
      : [process.execPath, STERN, "web", "--no-follow", "--only-log-lines", ...inv.args];
  if (!inv.serviceAccount) return base;
  if (!inClusterPossible() || !wrapper) throw new Error("no mount namespace for an in-cluster run");
  const script = `mount -t tmpfs sa /run && mkdir -p ${SERVICE_ACCOUNT} && mount --bind "$SA_DIR" ${SERVICE_ACCOUNT} && exec "$@"`;
  return [...wrapper, "env", `SA_DIR=${inv.serviceAccount}`, "sh", "-c", script, "sh", ...base];
}

function run(argv: string[], inv: Invocation): Promise<Run> {
  const [file, ...args] = argv;
  return new Promise((resolve) => {
    const child = execFile(
      file ?? "",
      args,
      { env: inv.env, cwd: inv.cwd, timeout: 20_000, maxBuffer: 1 << 20 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : 124) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    // No terminal and nothing to read: a prompt for credentials ends at once.
    child.stdin?.end();
    // Hundreds of runs must not starve the timing-sensitive tests that run beside this one.
    try {
      if (child.pid) setPriority(child.pid, 10);
    } catch {
      // the child has already ended
    }
  });
}

function identity(h: Hit): string {
  const imp = Object.entries(h.impersonation)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v.join("|")}`)
    .join(" ");
  return [
    `${h.scheme}://${h.listener}`,
    `auth=${h.authorization || "-"}`,
    `cert=${h.clientCert || "-"}`,
    `sni=${h.sni || "-"}`,
    `proxy=${h.proxiedTo || "-"}`,
    ...(imp ? [imp] : []),
  ].join(" ");
}

function podListRequest(hits: Hit[]): string {
  const h = hits.find((x) => /\/api\/v1\/namespaces\/[^/]+\/pods$/.test(x.path));
  return h ? `${identity(h)} path=${h.path}` : "";
}

/** Key order and formatting differ between Go and JavaScript: compare the parsed value. */
function canonical(text: string): string {
  if (text === "") return "";
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v && typeof v === "object"
        ? Object.fromEntries(
            Object.entries(v as Record<string, unknown>)
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([k, x]) => [k, sort(x)]),
          )
        : v;
  try {
    return JSON.stringify(sort(JSON.parse(text)));
  } catch {
    return `not JSON: ${text}`;
  }
}

export async function observe(
  client: "kubectl" | "stern",
  rec: Recorder,
  inv: Invocation,
): Promise<{ run: Run; seen: Observation }> {
  rec.reset();
  rmSync(inv.execInfoFile, { force: true });
  const r = await run(command(client, inv), inv);
  const execInfo = existsSync(inv.execInfoFile) ? readFileSync(inv.execInfoFile, "utf8") : "";
  return {
    run: r,
    seen: {
      failed: r.code !== 0,
      prompted: /Please enter Username/.test(r.stdout + r.stderr),
      request: podListRequest(rec.hits),
      identities: [...new Set(rec.hits.map(identity))].sort(),
      execInfo: canonical(execInfo),
    },
  };
}

export const execInfoPath = (dir: string) => join(dir, "exec-info.json");
