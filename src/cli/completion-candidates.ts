// stern's completion functions, as cobra's RegisterFlagCompletionFunc and ValidArgsFunction would hold
// them, without any I/O: a flag's fixed values (`choices`), namespaces, contexts and nodes from a
// CandidateSource (the cluster and the kubeconfig), and the query's `<kind>/` and `<kind>/<name>`.
// cobra-complete.ts decides which of them answers a word, as cobra does.
import type {
  CompletionCommand,
  CompletionContext,
  CompletionFn,
  CompletionResult,
} from "./cobra-complete.ts";
import { Directive } from "./cobra-complete.ts";
import { commandFlags } from "./command.ts";
import { FLAGS, type FlagSpec } from "./flags.ts";
import type { PflagValue } from "./pflag.ts";

/** The kinds a `<kind>/<name>` query accepts (stern's resource matchers, plus cronjob). */
export interface KindSpec {
  name: string;
  aliases: string[];
  /** API path of the namespaced collection, `{ns}` standing for the namespace. */
  path: string;
}

export const KINDS: KindSpec[] = [
  { name: "pod", aliases: ["po", "pods"], path: "/api/v1/namespaces/{ns}/pods" },
  {
    name: "replicationcontroller",
    aliases: ["rc", "replicationcontrollers"],
    path: "/api/v1/namespaces/{ns}/replicationcontrollers",
  },
  { name: "service", aliases: ["svc", "services"], path: "/api/v1/namespaces/{ns}/services" },
  { name: "daemonset", aliases: ["ds", "daemonsets"], path: "/apis/apps/v1/namespaces/{ns}/daemonsets" },
  {
    name: "deployment",
    aliases: ["deploy", "deployments"],
    path: "/apis/apps/v1/namespaces/{ns}/deployments",
  },
  { name: "replicaset", aliases: ["rs", "replicasets"], path: "/apis/apps/v1/namespaces/{ns}/replicasets" },
  {
    name: "statefulset",
    aliases: ["sts", "statefulsets"],
    path: "/apis/apps/v1/namespaces/{ns}/statefulsets",
  },
  { name: "job", aliases: ["jobs"], path: "/apis/batch/v1/namespaces/{ns}/jobs" },
  { name: "cronjob", aliases: ["cj", "cronjobs"], path: "/apis/batch/v1/namespaces/{ns}/cronjobs" },
];

/** Exact, case-sensitive, as stern matches kinds. */
export function kindByName(word: string): KindSpec | undefined {
  return KINDS.find((k) => k.name === word || k.aliases.includes(word));
}

/** Flags whose value is a path: the shell's own file completion serves them. */
export const FILE_FLAGS = [
  "kubeconfig",
  "config",
  "template-file",
  "certificate-authority",
  "client-certificate",
  "client-key",
  "cache-dir",
];

/** Which cluster the line talks to: the connection flags already typed. */
export interface ClusterScope {
  kubeconfig?: string;
  context?: string;
}

/** Where cluster-dependent candidates come from; any of these may throw or never answer. */
export interface CandidateSource {
  contexts(scope: ClusterScope, signal: AbortSignal): Promise<string[]>;
  namespaces(scope: ClusterScope, signal: AbortSignal): Promise<string[]>;
  nodes(scope: ClusterScope, signal: AbortSignal): Promise<string[]>;
  /** Names of `kind` objects in `namespace` (undefined = the kubeconfig context's namespace). */
  names(
    scope: ClusterScope,
    kind: KindSpec,
    namespace: string | undefined,
    signal: AbortSignal,
  ): Promise<string[]>;
}

export interface CompleteOptions {
  flags?: readonly FlagSpec[];
  /** Bound on waiting for the source, in ms (default 3000); on expiry there are no candidates. */
  timeoutMs?: number;
}

const unique = (xs: string[]) => [...new Set(xs)];
const list = (v: PflagValue | undefined): string[] => (Array.isArray(v) ? v : []);

/** What the flags on the line say about the cluster and namespaces. */
function lineState(changed: ReadonlyMap<string, PflagValue>) {
  const kubeconfig = changed.get("kubeconfig");
  const context = list(changed.get("context"))[0];
  const scope: ClusterScope = {
    ...(typeof kubeconfig === "string" && kubeconfig !== "" ? { kubeconfig } : {}),
    ...(context !== undefined && context !== "" ? { context } : {}),
  };
  return {
    scope,
    namespaces: unique(list(changed.get("namespace")).filter((n) => n !== "")),
    allNamespaces: changed.get("all-namespaces") === true,
  };
}

const answer = (completions: string[], directive: number = Directive.NoFileComp): CompletionResult => ({
  completions,
  directive,
});

/**
 * stern's command for cobra-complete.ts: the table's flags, a completion function for every flag that
 * takes a value other than a path (paths: none, so the shell completes file names), and the query's.
 */
export function sternCompletion(source: CandidateSource, o: CompleteOptions = {}): CompletionCommand {
  const flags = o.flags ?? FLAGS;
  const timeoutMs = o.timeoutMs ?? 3000;
  /** Asks the source with a time bound; whatever goes wrong means no candidates. */
  const ask = async (
    ctx: CompletionContext,
    what: (scope: ClusterScope, signal: AbortSignal) => Promise<string[]>,
  ): Promise<string[]> => {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<string[]>((resolve) => {
      timer = setTimeout(() => {
        controller.abort();
        resolve([]);
      }, timeoutMs);
    });
    try {
      const got = await Promise.race([what(lineState(ctx.changed).scope, controller.signal), expired]);
      return got.filter((x) => typeof x === "string" && x !== "" && !/\s/.test(x));
    } catch {
      return [];
    } finally {
      clearTimeout(timer);
      controller.abort();
    }
  };
  /** The values of a flag: a list flag completes the last item of a comma-separated list. */
  const values =
    (
      f: FlagSpec,
      pool: (ctx: CompletionContext) => Promise<readonly string[]> | readonly string[],
    ): CompletionFn =>
    async (ctx) => {
      const comma = f.type === "stringSlice" ? ctx.toComplete.lastIndexOf(",") + 1 : 0;
      const done = ctx.toComplete.slice(0, comma);
      const part = ctx.toComplete.slice(comma);
      const already = new Set(done.split(","));
      const all = await pool(ctx);
      return answer(all.filter((v) => v.startsWith(part) && !already.has(v)).map((v) => done + v));
    };
  const fns = new Map<string, CompletionFn>();
  for (const f of flags) {
    if (FILE_FLAGS.includes(f.name)) continue;
    if (f.choices && f.choices.length > 0)
      fns.set(
        f.name,
        values(f, () => f.choices ?? []),
      );
    else if (f.type === "bool")
      fns.set(
        f.name,
        values(f, () => ["true", "false"]),
      );
    else if (f.name === "namespace")
      fns.set(
        f.name,
        values(f, (ctx) => ask(ctx, (scope, signal) => source.namespaces(scope, signal))),
      );
    else if (f.name === "context")
      fns.set(
        f.name,
        values(f, (ctx) => ask(ctx, (scope, signal) => source.contexts(scope, signal))),
      );
    else if (f.name === "node")
      fns.set(
        f.name,
        values(f, (ctx) => ask(ctx, (scope, signal) => source.nodes(scope, signal))),
      );
    // Free-form values (durations, numbers, patterns): nothing to offer, and no file names either.
    else fns.set(f.name, () => answer([]));
  }
  return {
    name: "stern",
    flags: commandFlags(flags),
    flagCompletion: (name) => fns.get(name),
    validArgs: (ctx) =>
      query(ctx, (kind, namespace) =>
        ask(ctx, (scope, signal) => source.names(scope, kind, namespace, signal)),
      ),
    // Beyond cobra: kubectl's connection flags are hidden, but "--to" finds --token.
    offerHidden: (word) => word.startsWith("--") && word.length >= 4,
    attachedValues: true,
  };
}

/** The query, the first argument: `<kind>/` for a bare word, `<kind>/<name>` once the kind is typed. */
async function query(
  ctx: CompletionContext,
  names: (kind: KindSpec, namespace: string | undefined) => Promise<string[]>,
): Promise<CompletionResult> {
  if (ctx.args.length > 0) return answer([]);
  const cur = ctx.toComplete;
  const parts = cur.split("/");
  if (parts.length === 1) {
    const out: string[] = [];
    for (const k of KINDS) {
      if (k.name.startsWith(cur)) out.push(`${k.name}/`);
      // Short aliases once something is typed ("deploy" -> deploy/ too); plurals would only be noise.
      if (cur === "") continue;
      for (const a of k.aliases) if (a !== `${k.name}s` && a.startsWith(cur)) out.push(`${a}/`);
    }
    // As stern: "<kind>/" goes on without a space.
    return answer(out, Directive.NoFileComp | Directive.NoSpace);
  }
  const [kindWord = "", typed = ""] = parts;
  const kind = kindByName(kindWord);
  if (parts.length !== 2 || !kind) return answer([]);
  // As stern: one namespace only (the context's when none is given).
  const st = lineState(ctx.changed);
  if (st.allNamespaces || st.namespaces.length > 1) return answer([]);
  const found = await names(kind, st.namespaces[0]);
  return answer(unique(found.filter((n) => n.startsWith(typed)).map((n) => `${kindWord}/${n}`)));
}
