// Reading kubeconfig files as kubectl does: YAML, merged in order (the first file's current-context
// wins, the first definition of a name wins), relative paths resolved against the file naming them.
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { load } from "js-yaml";

export interface RawCluster {
  server?: string;
  "certificate-authority"?: string;
  "certificate-authority-data"?: string;
  "insecure-skip-tls-verify"?: boolean;
  "tls-server-name"?: string;
  "proxy-url"?: string;
  [key: string]: unknown;
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
  exec?: unknown;
  "auth-provider"?: unknown;
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
  return list.map((item, i) => {
    const e = item as { name?: unknown } & Record<string, unknown>;
    if (!e || typeof e.name !== "string" || e.name === "") {
      throw new KubeconfigError(`cannot load kubeconfig ${file}: ${key}s[${i}] has no name`);
    }
    const value = { ...((e[key] as object | undefined) ?? {}) } as Record<string, unknown>;
    if (key !== "context") {
      for (const f of PATH_FIELDS[key]) {
        const v = value[f];
        if (typeof v === "string" && v !== "" && !isAbsolute(v)) value[f] = resolve(dirname(file), v);
      }
    }
    return { name: e.name, value: value as T };
  });
}

/** Parses and merges the files; throws a KubeconfigError that says which file and what is wrong. */
export function readKubeconfigs(files: string[]): MergedKubeconfig {
  const merged: MergedKubeconfig = { clusters: [], users: [], contexts: [], currentContext: "" };
  for (const file of files) {
    if (statSync(file).isDirectory()) throw new KubeconfigError(`kubeconfig ${file} is a directory`);
    let doc: unknown;
    try {
      doc = load(readFileSync(file, "utf8"));
    } catch (err) {
      throw new KubeconfigError(`cannot load kubeconfig ${file}: ${oneLine(err)}`);
    }
    if (doc === undefined || doc === null || typeof doc !== "object" || Array.isArray(doc)) {
      throw new KubeconfigError(`cannot load kubeconfig ${file}: it is empty or not a kubeconfig`);
    }
    const d = doc as Record<string, unknown>;
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
