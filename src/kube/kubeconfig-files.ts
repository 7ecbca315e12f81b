// Reading kubeconfig files as kubectl does: YAML, merged in order (the first file's current-context
// wins, the first definition of a name wins), relative paths resolved against the file naming them
// (an exec plugin's command too, when it has a folder in it), empty files skipped, a name used twice
// in one file refused. Read with a cap: /dev/zero is refused in milliseconds, not read forever.
import { existsSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { load } from "js-yaml";
import { CappedReadError, readCapped, SMALL_FILE_MAX } from "../util/read-capped.ts";

export interface RawCluster {
  server?: string;
  "certificate-authority"?: string;
  "certificate-authority-data"?: string;
  "insecure-skip-tls-verify"?: boolean;
  "tls-server-name"?: string;
  "proxy-url"?: string;
  "disable-compression"?: boolean;
  extensions?: { name?: string; extension?: unknown }[];
  [key: string]: unknown;
}

/** An exec credential plugin, as the kubeconfig describes it. */
export interface ExecConfig {
  apiVersion?: string;
  command?: string;
  args?: string[];
  env?: { name?: string; value?: string }[] | null;
  interactiveMode?: string;
  provideClusterInfo?: boolean;
  installHint?: string;
}

export interface RawUser {
  token?: string;
  tokenFile?: string;
  "client-certificate"?: string;
  "client-certificate-data"?: string;
  "client-key"?: string;
  "client-key-data"?: string;
  username?: string;
  password?: string;
  as?: string;
  "as-groups"?: string[];
  "as-uid"?: string;
  "as-user-extra"?: Record<string, string[]>;
  exec?: ExecConfig;
  "auth-provider"?: { name?: string; config?: Record<string, string> };
  [key: string]: unknown;
}

export interface RawContext {
  cluster?: string;
  user?: string;
  namespace?: string;
}

export interface Named<T> {
  name: string;
  value: T;
}

export interface MergedKubeconfig {
  clusters: Named<RawCluster>[];
  users: Named<RawUser>[];
  contexts: Named<RawContext>[];
  currentContext: string;
  /** Whether every file was empty (kubectl skips empty files). */
  allEmpty?: boolean;
}

export class KubeconfigError extends Error {
  override name = "KubeconfigError";
}

const PATH_FIELDS = {
  cluster: ["certificate-authority"],
  user: ["client-certificate", "client-key", "tokenFile"],
} as const;

function oneLine(err: unknown): string {
  return ((err instanceof Error ? err.message : String(err)).split("\n")[0] ?? "").trim();
}

function entries<T>(list: unknown, key: "cluster" | "user" | "context", file: string): Named<T>[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list))
    throw new KubeconfigError(`cannot load kubeconfig ${file}: ${key}s is not a list`);
  const seen = new Set<string>();
  return list.map((item) => {
    const e = (item ?? {}) as { name?: unknown } & Record<string, unknown>;
    // kubectl takes an entry without a name as the entry named "".
    const name = typeof e.name === "string" ? e.name : "";
    if (seen.has(name)) {
      throw new KubeconfigError(`cannot load kubeconfig ${file}: two ${key}s are named "${name}"`);
    }
    seen.add(name);
    const value = { ...((e[key] as object | undefined) ?? {}) } as Record<string, unknown>;
    if (key !== "context") {
      for (const f of PATH_FIELDS[key]) {
        const v = value[f];
        if (typeof v === "string" && v !== "" && !isAbsolute(v)) value[f] = resolve(dirname(file), v);
      }
    }
    const exec = value.exec as ExecConfig | undefined;
    // A command with a folder in it is relative to the kubeconfig; a bare name is looked up on PATH.
    if (key === "user" && exec?.command && exec.command.includes("/") && !isAbsolute(exec.command)) {
      value.exec = { ...exec, command: resolve(dirname(file), exec.command) };
    }
    return { name, value: value as T };
  });
}

/** A kubeconfig is a few KB (a few MB with thousands of contexts); nothing real comes near this. */
export const MAX_KUBECONFIG_BYTES = SMALL_FILE_MAX;

/** Parses one file: undefined for an empty one (kubectl skips those). */
function parse(file: string, maxBytes: number): Record<string, unknown> | undefined {
  let text: string;
  try {
    text = readCapped(file, maxBytes).toString("utf8");
  } catch (err) {
    if (err instanceof CappedReadError)
      throw new KubeconfigError(`cannot load kubeconfig ${file}: ${err.message}`);
    throw new KubeconfigError(`cannot load kubeconfig ${file}: ${oneLine(err)}`);
  }
  // Nothing but blanks and comments: an empty file, which kubectl skips.
  if (/^(\s*(#.*)?\n?)*$/.test(text)) return undefined;
  let doc: unknown;
  try {
    doc = load(text);
  } catch (err) {
    throw new KubeconfigError(`cannot load kubeconfig ${file}: ${oneLine(err)}`);
  }
  if (doc === undefined || doc === null) return undefined;
  if (typeof doc !== "object" || Array.isArray(doc)) {
    throw new KubeconfigError(`cannot load kubeconfig ${file}: it is not a kubeconfig`);
  }
  const d = doc as Record<string, unknown>;
  const { apiVersion, kind } = d;
  if ((apiVersion !== undefined && apiVersion !== "v1") || (kind !== undefined && kind !== "Config")) {
    throw new KubeconfigError(
      `cannot load kubeconfig ${file}: kind "${kind ?? ""}" of apiVersion "${apiVersion ?? ""}" is not a kubeconfig (kind Config, apiVersion v1)`,
    );
  }
  return d;
}

/** Parses and merges the files; throws a KubeconfigError that says which file and what is wrong. */
export function readKubeconfigs(files: string[], maxBytes = MAX_KUBECONFIG_BYTES): MergedKubeconfig {
  const merged: MergedKubeconfig = {
    clusters: [],
    users: [],
    contexts: [],
    currentContext: "",
    allEmpty: true,
  };
  for (const file of files) {
    const d = parse(file, maxBytes);
    if (!d) continue;
    merged.allEmpty = false;
    const add = <T>(into: Named<T>[], from: Named<T>[]) => {
      for (const e of from) if (!into.some((x) => x.name === e.name)) into.push(e);
    };
    add(merged.clusters, entries<RawCluster>(d.clusters, "cluster", file));
    add(merged.users, entries<RawUser>(d.users, "user", file));
    add(merged.contexts, entries<RawContext>(d.contexts, "context", file));
    const current = d["current-context"];
    if (!merged.currentContext && typeof current === "string") merged.currentContext = current;
  }
  return merged;
}

export function existing(paths: string[]): string[] {
  return paths.filter((p) => existsSync(p));
}
