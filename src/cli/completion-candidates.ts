// What `stern __complete <words...>` answers, without any I/O: the words typed so far (the one being
// completed last) are read with pflag's rules against the flag table, and the candidates come from the
// table (flag names, `choices`) or from a CandidateSource (the cluster and the kubeconfig).
import { FLAGS, type FlagSpec } from "./flags.ts";

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

/** pflag's NoOptDefVal: the value can only be attached with `=`; the next word is never it. */
const OPTIONAL_VALUE = new Set(["timestamps"]);

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

/** What the words before the current one say. */
interface LineState {
  used: Set<string>;
  positionals: number;
  afterDashDash: boolean;
  /** A flag that wants the next word (the current one) as its value. */
  pending?: FlagSpec;
  scope: ClusterScope;
  namespaces: string[];
  allNamespaces: boolean;
}

const takesValue = (f: FlagSpec) => f.type !== "bool";
const repeatable = (f: FlagSpec) => f.type === "stringArray" || f.type === "stringSlice";

/** Removes shell quoting from a word as typed (the scripts hand words over raw). */
export function unquote(word: string): string {
  let out = "";
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < word.length; i++) {
    const c = word[i] as string;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else out += c;
    } else if (c === "'" || c === '"') {
      if (quote === c) quote = undefined;
      else if (quote === undefined) quote = c;
      else out += c;
    } else if (c === "\\" && i + 1 < word.length) {
      out += word[++i];
    } else {
      out += c;
    }
  }
  return out;
}

function readLine(before: string[], flags: readonly FlagSpec[]): LineState {
  const st: LineState = {
    used: new Set(),
    positionals: 0,
    afterDashDash: false,
    scope: {},
    namespaces: [],
    allNamespaces: false,
  };
  const record = (f: FlagSpec, value: string | undefined) => {
    st.used.add(f.name);
    if (value === undefined) {
      if (f.name === "all-namespaces") st.allNamespaces = true;
      return;
    }
    const v = unquote(value);
    if (f.name === "kubeconfig") st.scope.kubeconfig = v;
    else if (f.name === "context") st.scope.context = v;
    else if (f.name === "namespace") st.namespaces.push(...v.split(",").filter((n) => n !== ""));
    else if (f.name === "all-namespaces") st.allNamespaces = v !== "false";
  };
  for (let i = 0; i < before.length; i++) {
    const w = before[i] as string;
    if (st.afterDashDash || w === "-" || !w.startsWith("-")) {
      st.positionals++;
      continue;
    }
    if (w === "--") {
      st.afterDashDash = true;
      continue;
    }
    if (w.startsWith("--")) {
      const eq = w.indexOf("=");
      const name = eq < 0 ? w.slice(2) : w.slice(2, eq);
      const f = flags.find((x) => x.name === name);
      if (!f) continue;
      if (eq >= 0) record(f, takesValue(f) ? w.slice(eq + 1) : undefined);
      else if (!takesValue(f) || OPTIONAL_VALUE.has(f.name)) record(f, undefined);
      else if (i + 1 < before.length) record(f, before[++i]);
      else {
        st.used.add(f.name);
        st.pending = f;
      }
      continue;
    }
    // A cluster of short flags: bools, then at most one that takes the rest or the next word.
    for (let j = 1; j < w.length; j++) {
      const f = flags.find((x) => x.short === w[j]);
      if (!f) break;
      if (!takesValue(f)) {
        record(f, undefined);
        continue;
      }
      const rest = w.slice(j + 1);
      if (rest !== "") record(f, rest.replace(/^=/, ""));
      else if (OPTIONAL_VALUE.has(f.name)) record(f, undefined);
      else if (i + 1 < before.length) record(f, before[++i]);
      else {
        st.used.add(f.name);
        st.pending = f;
      }
      break;
    }
  }
  return st;
}

const unique = (xs: string[]) => [...new Set(xs)];

/** Candidates for the last word of `words` (the words after `stern`). */
export async function completeWords(
  words: string[],
  source: CandidateSource,
  o: CompleteOptions = {},
): Promise<string[]> {
  const flags = o.flags ?? FLAGS;
  const before = words.slice(0, -1);
  const cur = words[words.length - 1] ?? "";
  const st = readLine(before, flags);
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<string[]>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve([]);
    }, o.timeoutMs ?? 3000);
  });
  const ask = async (what: () => Promise<string[]>): Promise<string[]> => {
    try {
      const got = await Promise.race([what(), expired]);
      return got.filter((x) => typeof x === "string" && x !== "" && !/\s/.test(x));
    } catch {
      return [];
    }
  };
  try {
    const found = await candidatesFor(cur, st, flags, {
      contexts: () => ask(() => source.contexts(st.scope, controller.signal)),
      namespaces: () => ask(() => source.namespaces(st.scope, controller.signal)),
      nodes: () => ask(() => source.nodes(st.scope, controller.signal)),
      names: (kind, ns) => ask(() => source.names(st.scope, kind, ns, controller.signal)),
    });
    return unique(found);
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

interface Ask {
  contexts(): Promise<string[]>;
  namespaces(): Promise<string[]>;
  nodes(): Promise<string[]>;
  names(kind: KindSpec, namespace: string | undefined): Promise<string[]>;
}

async function candidatesFor(
  cur: string,
  st: LineState,
  flags: readonly FlagSpec[],
  ask: Ask,
): Promise<string[]> {
  if (st.pending) return values(st.pending, "", cur, ask);
  if (st.afterDashDash || !cur.startsWith("-")) {
    return st.positionals === 0 ? query(cur, st, ask) : [];
  }
  if (cur === "-") {
    const shorts = flags.filter((f) => f.short && !f.hidden && (repeatable(f) || !st.used.has(f.name)));
    const out = shorts.map((f) => `-${f.short}`);
    if (!flags.some((f) => f.short === "h")) out.push("-h");
    return [...out, ...longFlags("--", st, flags)];
  }
  if (cur.startsWith("--")) {
    const eq = cur.indexOf("=");
    if (eq < 0) return longFlags(cur, st, flags);
    const f = flags.find((x) => x.name === cur.slice(2, eq));
    if (!f) return [];
    return values(f, cur.slice(0, eq + 1), cur.slice(eq + 1), ask);
  }
  // -x, -xVALUE, -x=VALUE, -Ax...
  for (let j = 1; j < cur.length; j++) {
    const f = flags.find((x) => x.short === cur[j]);
    if (!f) return [];
    if (!takesValue(f)) continue;
    const rest = cur.slice(j + 1);
    if (rest === "") return [cur];
    const head = cur.slice(0, j + 1) + (rest.startsWith("=") ? "=" : "");
    return values(f, head, rest.replace(/^=/, ""), ask);
  }
  return [cur];
}

/** `-` lists the short flags and the long ones; `--x` the long ones starting so. */
function longFlags(cur: string, st: LineState, flags: readonly FlagSpec[]): string[] {
  const typed = cur.slice(2);
  const offered = (f: FlagSpec) =>
    f.name.startsWith(typed) && (!f.hidden || typed.length >= 2) && (repeatable(f) || !st.used.has(f.name));
  const out = flags.filter(offered).map((f) => `--${f.name}`);
  if (!flags.some((f) => f.name === "help") && "help".startsWith(typed)) out.push("--help");
  return out;
}

async function values(f: FlagSpec, head: string, typed: string, ask: Ask): Promise<string[]> {
  // Slice flags take comma-separated lists: complete the last item, keep the others.
  const comma = f.type === "stringSlice" ? typed.lastIndexOf(",") + 1 : 0;
  const done = typed.slice(0, comma);
  const part = typed.slice(comma);
  const already = new Set(done.split(","));
  let pool: readonly string[];
  if (f.choices && f.choices.length > 0) pool = f.choices;
  else if (f.type === "bool") pool = ["true", "false"];
  else if (f.name === "namespace") pool = await ask.namespaces();
  else if (f.name === "context") pool = await ask.contexts();
  else if (f.name === "node") pool = await ask.nodes();
  else pool = [];
  return pool.filter((v) => v.startsWith(part) && !already.has(v)).map((v) => head + done + v);
}

/** The positional query: `<kind>/` for a bare word, `<kind>/<name>` once the kind is typed. */
async function query(cur: string, st: LineState, ask: Ask): Promise<string[]> {
  const parts = cur.split("/");
  if (parts.length === 1) {
    const out: string[] = [];
    for (const k of KINDS) {
      if (k.name.startsWith(cur)) out.push(`${k.name}/`);
      // Short aliases once something is typed ("deploy" -> deploy/ too); plurals would only be noise.
      if (cur === "") continue;
      for (const a of k.aliases) if (a !== `${k.name}s` && a.startsWith(cur)) out.push(`${a}/`);
    }
    return out;
  }
  const [kindWord = "", typed = ""] = parts;
  const kind = kindByName(kindWord);
  if (parts.length !== 2 || !kind) return [];
  // As stern: one namespace only (the context's when none is given).
  const namespaces = unique(st.namespaces);
  if (st.allNamespaces || namespaces.length > 1) return [];
  const names = await ask.names(kind, namespaces[0]);
  return names.filter((n) => n.startsWith(typed)).map((n) => `${kindWord}/${n}`);
}
