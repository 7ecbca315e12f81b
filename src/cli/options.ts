// From parsed flags to the engine's configuration: every check of the user's input happens here,
// before anything touches the network, and fails with a one-line UsageError.
import { isAscii } from "node:buffer";
import { type PodCondition, parseCondition } from "../engine/condition.ts";
import { type LabelSelector, parseLabelSelector } from "../engine/label-selector.ts";
import { parseResourceQuery, type ResourceQuery } from "../engine/resources.ts";
import type { StopRule } from "../engine/stop.ts";
import type { ContainerStateName, TargetFilter } from "../engine/targets.ts";
import { type ColorMode, type ColorPair, DEFAULT_PALETTE, parsePalette } from "../format/color.ts";
import type { OutputMode } from "../format/index.ts";
import { type TimestampFormat, Zone } from "../format/timestamp.ts";
import type { ConnectionOverrides } from "../kube/kubeconfig.ts";
import { parseLevelThreshold } from "../structured/levels.ts";
import { goDurationMs } from "../util/duration.ts";
import { compileGoRegex, type GoRegex, joinGoRegexes } from "../util/goregex.ts";
import { CappedReadError, readCapped, SMALL_FILE_MAX } from "../util/read-capped.ts";
import type { ParsedArgs } from "./args.ts";
import { UsageError } from "./errors.ts";
import type { FlagsOfType } from "./flags.ts";

export interface CliOptions {
  kubeconfig: string | undefined;
  /** --context values (none: the kubeconfig's current context, unless --context-regex). */
  contexts: string[];
  contextRegex: GoRegex | undefined;
  connection: ConnectionOverrides;
  /** Namespaces given with -n (undefined: the context's). */
  namespaces: string[] | undefined;
  allNamespaces: boolean;
  resource: ResourceQuery | undefined;
  labelSelector: string | undefined;
  fieldSelector: string | undefined;
  filter: TargetFilter;
  condition: PodCondition | undefined;
  follow: boolean;
  sinceSeconds: number | undefined;
  tailLines: number | undefined;
  maxLogRequests: number;
  onlyLogLines: boolean;
  colorMode: ColorMode;
  palette: readonly ColorPair[];
  diffContainer: boolean;
  output: OutputMode;
  /** The text of --template or --template-file, compiled later (it needs to know about color). */
  templateText: string | undefined;
  timestamps: TimestampFormat | undefined;
  zone: Zone;
  include: GoRegex[];
  exclude: GoRegex[];
  highlight: GoRegex | undefined;
  stdin: boolean;
  /** --tui: the interactive view instead of stdout. */
  tui: boolean;
  prompt: boolean;
  multiline: boolean;
  /** --since-time, as given (RFC3339); sinceSeconds is then undefined. */
  sinceTime: string | undefined;
  /** --head, --until/--until-time (ms since the epoch), --limit-bytes. */
  window: { head?: number; untilMs?: number; limitBytes?: number };
  /** -B/--after-context/-C: context lines around -i matches, per container. */
  context: { before: number; after: number } | undefined;
  /** --events and --event-types (empty = every type). */
  events: { types: string[] } | undefined;
  /** --previous: restarted containers' previous instances first (only them with --no-follow). */
  previous: boolean;
  /** --level (its place on the levels.ts scale; -Infinity for --level-strict alone) and --level-strict. */
  minSeverity: number | undefined;
  levelStrict: boolean;
  /** --where's expression, compiled later (its language loads only when it is given). */
  where: string | undefined;
  /** --fields and --exclude-fields (-o pretty). */
  fields: string[];
  excludeFields: string[];
  /** --sort and its window (ms). */
  sort: { windowMs: number } | undefined;
  /** --exit-on and --exit-on-level: the shown line that ends the run. */
  exitOn: StopRule | undefined;
  /** --until-done: follow until every matched pod has finished; exit with the outcome. */
  untilDone: boolean;
  /** --stream: stdout or stderr only. */
  stream: "stdout" | "stderr" | undefined;
  /** --ignore: pods whose labels match one of these are left out. */
  ignore: LabelSelector[];
  /** --node-selector: only pods on nodes whose labels match. */
  nodeSelector: LabelSelector | undefined;
  /** --dry-run: list what a run would follow and open, open nothing. */
  dryRun: boolean;
  verbosity: number;
  /** Requests per second to the API server (undefined: unlimited) and the burst above it. */
  qps: number | undefined;
  burst: number;
}

const CONTAINER_STATES = ["running", "waiting", "terminated"] as const;
const OUTPUTS = ["default", "raw", "json", "extjson", "ppextjson", "pretty"] as const;
/** Requests per second and burst when --qps/--burst are 0: see the README ("Talking to the API server"). */
export const DEFAULT_QPS = 50;
export const DEFAULT_BURST = 500;

/** Compiles a Go regexp; an invalid one fails as stern fails: "failed to compile regular expression <what>: <Go's error>". */
function regex(what: string, source: string): GoRegex {
  try {
    return compileGoRegex(source);
  } catch (err) {
    throw new UsageError(`failed to compile regular expression ${what}: ${(err as Error).message}`);
  }
}

/** A duration given as text (--request-timeout takes seconds or a duration). */
function duration(flag: string, text: string): number {
  try {
    return goDurationMs(text);
  } catch (err) {
    throw new UsageError(`invalid argument "${text}" for "${flag}" flag: ${(err as Error).message}`);
  }
}

export function buildOptions(args: ParsedArgs): CliOptions {
  const v = args.values;
  // Typed by the flag table: str("tail") does not compile, --tail is a number.
  const str = (name: FlagsOfType<string>): string => v[name];
  const list = (name: FlagsOfType<string[]>): string[] => v[name];
  const num = (name: FlagsOfType<number>): number => v[name];
  const bool = (name: FlagsOfType<boolean>): boolean => v[name];
  const stdin = bool("stdin");
  const prompt = bool("prompt");

  if (args.positionals.length > 1) {
    throw new UsageError(`unexpected argument "${args.positionals[1]}": stern takes one pod query`);
  }
  const query = args.positionals[0] ?? "";
  let resource: ResourceQuery | undefined;
  if (query.includes("/")) {
    try {
      resource = parseResourceQuery(query);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    if (str("selector") !== "") {
      throw new UsageError("--selector and the <resource>/<name> query cannot be set at the same time");
    }
  }
  if (query === "" && str("selector") === "" && str("field-selector") === "" && !stdin && !prompt) {
    throw new UsageError("One of pod-query, --selector, --field-selector, --prompt or --stdin is required");
  }
  const podQuery = resource ? (resource.kind === "pod" ? `^${resource.name}$` : "") : query;

  const follow = !bool("no-follow");
  const tail = num("tail");
  if (tail < -1) throw new UsageError(`--tail must be -1 (all) or a number of lines, not ${tail}`);
  if (!follow && tail === 0) throw new UsageError("--no-follow cannot be used with --tail=0");
  const stream = logStream(str("stream"), tail);
  const dryRun = bool("dry-run");
  if (dryRun && stdin)
    throw new UsageError("--dry-run lists a cluster's containers: it cannot be used with --stdin");
  const untilDone = bool("until-done");
  if (untilDone && !follow) {
    throw new UsageError("--until-done follows pods until they finish: it cannot be used with --no-follow");
  }
  if (untilDone && stdin) throw new UsageError("--until-done follows pods: it cannot be used with --stdin");

  let condition: PodCondition | undefined;
  if (str("condition") !== "") {
    try {
      condition = parseCondition(str("condition"));
    } catch (err) {
      throw new UsageError(`invalid --condition "${str("condition")}": ${(err as Error).message}`);
    }
    if (tail !== 0 && follow) {
      throw new UsageError("--condition is currently only supported with --tail=0 or --no-follow");
    }
  }

  const sinceMs = num("since");
  if (sinceMs < 0) throw new UsageError(`--since must not be negative: ${sinceMs / 1000}s`);
  const sinceTimeMs = str("since-time") === "" ? undefined : rfc3339("--since-time", str("since-time"));
  // As kubectl sends it (a metav1.Time): UTC, whole seconds.
  const sinceTime =
    sinceTimeMs === undefined ? undefined : `${new Date(sinceTimeMs).toISOString().slice(0, 19)}Z`;
  if (sinceTime !== undefined && args.explicit.has("since")) {
    throw new UsageError("--since and --since-time cannot be used together: pick one");
  }
  const window = timeWindow(args, tail, sinceTimeMs);
  if (bool("previous") && tail === 0) {
    throw new UsageError(
      "--previous cannot be used with --tail=0: no line of a previous instance would be shown",
    );
  }

  const timestampsText = str("timestamps");
  if (timestampsText !== "" && timestampsText !== "default" && timestampsText !== "short") {
    throw new UsageError(
      `invalid --timestamps "${timestampsText}": use 'default' or 'short' (as --timestamps=short)`,
    );
  }
  let zone: Zone;
  try {
    zone = new Zone(str("timezone"));
  } catch (err) {
    throw new UsageError(`invalid --timezone: ${(err as Error).message}`);
  }

  const colorMode = str("color");
  if (colorMode !== "auto" && colorMode !== "always" && colorMode !== "never") {
    throw new UsageError(`invalid --color "${colorMode}": use auto, always or never`);
  }

  let output = str("output");
  const fields = list("fields").filter((f) => f !== "");
  const excludeFields = list("exclude-fields").filter((f) => f !== "");
  if (fields.length > 0 || excludeFields.length > 0) {
    // They are -o pretty's: without -o they choose it, with another -o they would do nothing.
    if (output === "default" && !args.explicit.has("output")) output = "pretty";
    else if (output !== "pretty") {
      throw new UsageError(`--fields and --exclude-fields work with -o pretty, not -o ${output}`);
    }
  }
  if (!(OUTPUTS as readonly string[]).includes(output)) {
    throw new UsageError(
      "output should be one of 'default', 'raw', 'json', 'extjson', 'ppextjson' and 'pretty'",
    );
  }
  let templateText: string | undefined = str("template") || undefined;
  if (str("template-file") !== "") {
    try {
      templateText = readCapped(str("template-file"), SMALL_FILE_MAX).toString("utf8");
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why =
        err instanceof CappedReadError
          ? err.message
          : code === "ENOENT"
            ? "no such file"
            : code === "EISDIR"
              ? "it is a directory"
              : code;
      throw new UsageError(`cannot read --template-file ${str("template-file")}: ${why}`);
    }
  }

  const states: ContainerStateName[] = [];
  for (const s of list("container-state")) {
    if (s === "all") continue;
    if (!(CONTAINER_STATES as readonly string[]).includes(s)) {
      throw new UsageError(`invalid --container-state "${s}": use running, waiting, terminated or all`);
    }
    states.push(s as ContainerStateName);
  }

  let maxLogRequests = num("max-log-requests");
  if (maxLogRequests === -1) maxLogRequests = follow ? 50 : 5;
  if (maxLogRequests < 1)
    throw new UsageError(`--max-log-requests must be at least 1, not ${maxLogRequests}`);

  let palette = DEFAULT_PALETTE;
  if (list("pod-colors").length > 0 || list("container-colors").length > 0) {
    try {
      palette = parsePalette(list("pod-colors"), list("container-colors"));
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  }

  let minSeverity: number | undefined;
  if (str("level") !== "") {
    try {
      minSeverity = parseLevelThreshold(str("level"));
    } catch (err) {
      throw new UsageError(`invalid --level "${str("level")}": ${(err as Error).message}`);
    }
  } else if (bool("level-strict")) minSeverity = Number.NEGATIVE_INFINITY;
  const where = str("where").trim() === "" ? undefined : str("where");
  const exitOn = exitRule(list("exit-on"), str("exit-on-level"), stdin);

  const sortWindowMs = num("sort-window");
  if (sortWindowMs < 0) throw new UsageError(`--sort-window must not be negative: ${sortWindowMs / 1000}s`);

  const eventTypes = [...new Set(list("event-types"))];
  for (const t of eventTypes) {
    if (t !== "Normal" && t !== "Warning")
      throw new UsageError(`invalid --event-types "${t}": use Normal or Warning`);
  }
  if (eventTypes.length > 0 && !bool("events")) throw new UsageError("--event-types needs --events");

  const exclude = list("exclude").map((r) => regex("for exclusion filter", r));
  const include = list("include").map((r) => regex("for inclusion filter", r));
  const highlights = list("highlight").map((r) => regex("for highlight filter", r));
  let highlight: GoRegex | undefined;
  try {
    highlight = joinGoRegexes([...include, ...highlights]);
  } catch (err) {
    throw new UsageError(
      `failed to compile the highlight of --include and --highlight: ${(err as Error).message}`,
    );
  }

  let requestTimeoutMs = 0;
  const rt = str("request-timeout");
  if (rt !== "0") requestTimeoutMs = /^\d+$/.test(rt) ? Number(rt) * 1000 : duration("--request-timeout", rt);

  const qpsFlag = num("qps");
  const burstFlag = num("burst");
  if (burstFlag < 0) throw new UsageError(`--burst must not be negative, not ${burstFlag}`);
  if (qpsFlag < 0 && qpsFlag !== -1) throw new UsageError(`--qps must be -1 (no limit), 0 (default) or more`);

  const ignore = list("ignore")
    .filter((s) => s.trim() !== "")
    .map((s) => labelSelector("--ignore", s));
  const nodeSelector =
    str("node-selector").trim() === "" ? undefined : labelSelector("--node-selector", str("node-selector"));

  const fieldSelectors = [str("field-selector"), str("node") ? `spec.nodeName=${str("node")}` : ""].filter(
    (s) => s !== "",
  );
  const namespaces = [...new Set(list("namespace"))];

  return {
    kubeconfig: str("kubeconfig") || undefined,
    contexts: [...new Set(list("context"))],
    contextRegex: str("context-regex") ? regex("for --context-regex", str("context-regex")) : undefined,
    connection: {
      cluster: str("cluster") || undefined,
      user: str("user") || undefined,
      server: str("server") || undefined,
      token: str("token") || undefined,
      certificateAuthority: str("certificate-authority") || undefined,
      clientCertificate: str("client-certificate") || undefined,
      clientKey: str("client-key") || undefined,
      insecureSkipTlsVerify: bool("insecure-skip-tls-verify"),
      tlsServerName: str("tls-server-name") || undefined,
      impersonate: str("as") || undefined,
      impersonateGroups: list("as-group"),
      impersonateUid: str("as-uid") || undefined,
      requestTimeoutMs,
    },
    namespaces: namespaces.length > 0 ? namespaces : undefined,
    allNamespaces: bool("all-namespaces"),
    resource,
    labelSelector: str("selector") || undefined,
    fieldSelector: fieldSelectors.length > 0 ? fieldSelectors.join(",") : undefined,
    filter: {
      podQuery: regex("from query", podQuery),
      excludePod: list("exclude-pod").map((r) => regex("for excluded pod query", r)),
      container: regex("for container query", str("container")),
      excludeContainer: list("exclude-container").map((r) => regex("for excluded container query", r)),
      initContainers: bool("init-containers"),
      ephemeralContainers: bool("ephemeral-containers"),
      containerStates: list("container-state").includes("all") ? [] : states,
    },
    condition,
    follow,
    sinceSeconds:
      sinceTime !== undefined || sinceMs === 0 ? undefined : Math.max(1, Math.trunc(sinceMs / 1000)),
    sinceTime,
    window,
    tailLines: tail === -1 ? undefined : tail,
    maxLogRequests,
    onlyLogLines: bool("only-log-lines"),
    colorMode,
    palette,
    diffContainer: bool("diff-container"),
    output: output as OutputMode,
    templateText,
    timestamps: timestampsText === "" ? undefined : timestampsText,
    zone,
    include,
    exclude,
    highlight,
    stdin,
    tui: bool("tui"),
    prompt,
    multiline: bool("multiline"),
    previous: bool("previous"),
    events: bool("events") ? { types: eventTypes } : undefined,
    context: contextLines(args, include.length > 0),
    minSeverity,
    levelStrict: bool("level-strict"),
    where,
    fields,
    excludeFields,
    sort: bool("sort") ? { windowMs: sortWindowMs } : undefined,
    exitOn,
    untilDone,
    stream,
    ignore,
    nodeSelector,
    dryRun,
    verbosity: num("verbosity"),
    qps: qpsFlag === -1 ? undefined : qpsFlag === 0 ? DEFAULT_QPS : qpsFlag,
    // As stern (client-go): a --qps without --burst gets a burst of 10.
    burst: burstFlag === 0 ? (qpsFlag === 0 ? DEFAULT_BURST : 10) : burstFlag,
  };
}

/** A label selector flag, checked as the API would check it. */
function labelSelector(flag: string, text: string): LabelSelector {
  try {
    return parseLabelSelector(text);
  } catch (err) {
    throw new UsageError(`invalid ${flag} "${text}": ${(err as Error).message}`);
  }
}

/** --stream: stdout or stderr; the API serves one of them only from a time, not as its last lines. */
function logStream(text: string, tail: number): CliOptions["stream"] {
  if (text === "") return undefined;
  const stream = text.toLowerCase();
  if (stream !== "stdout" && stream !== "stderr") {
    throw new UsageError(`invalid --stream "${text}": use stdout or stderr`);
  }
  if (tail !== -1) {
    throw new UsageError(
      "--stream cannot be used with --tail: the API does not serve the last lines of one stream (`tailLines` and specific `stream` are mutually exclusive for now)",
    );
  }
  return stream;
}

/** --exit-on (Go regexps) and --exit-on-level (as --level takes it). */
function exitRule(patterns: string[], level: string, stdin: boolean): StopRule | undefined {
  if (patterns.length === 0 && level === "") return undefined;
  if (stdin)
    throw new UsageError("--exit-on and --exit-on-level end a run on the cluster's logs, not with --stdin");
  let minSeverity: number | undefined;
  if (level !== "") {
    try {
      minSeverity = parseLevelThreshold(level);
    } catch (err) {
      throw new UsageError(`invalid --exit-on-level "${level}": ${(err as Error).message}`);
    }
  }
  return { patterns: patterns.map((p) => regex("for --exit-on", p)), minSeverity };
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** An RFC3339 time (as kubectl takes --since-time), in ms since the epoch. */
function rfc3339(flag: string, text: string): number {
  const ms = RFC3339.test(text) ? Date.parse(text.toUpperCase()) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new UsageError(`invalid ${flag} "${text}": not an RFC3339 time like 2024-05-01T10:00:00Z`);
  }
  return ms;
}

/** --head, --until/--until-time and --limit-bytes, checked against each other and --tail. */
function timeWindow(args: ParsedArgs, tail: number, sinceTimeMs: number | undefined): CliOptions["window"] {
  const v = args.values;
  const head = v.head as number;
  const limitBytes = v["limit-bytes"] as number;
  const until = v.until;
  const untilTime = v["until-time"] as string;
  if (head < 0) throw new UsageError(`--head must be a number of lines, not ${head}`);
  if (head > 0 && tail !== -1) throw new UsageError("--head and --tail cannot be used together: pick one");
  if (limitBytes < 0) throw new UsageError(`--limit-bytes must be a number of bytes, not ${limitBytes}`);
  if (until !== 0 && untilTime !== "") {
    throw new UsageError("--until and --until-time cannot be used together: pick one");
  }
  let untilMs: number | undefined;
  if (until !== 0) {
    if (until < 0) throw new UsageError(`--until must not be negative: ${until / 1000}s`);
    untilMs = Date.now() - until;
  } else if (untilTime !== "") untilMs = rfc3339("--until-time", untilTime);
  if (untilMs !== undefined && sinceTimeMs !== undefined && untilMs < sinceTimeMs) {
    throw new UsageError("--until-time is before --since-time: nothing would be shown");
  }
  return {
    ...(head > 0 ? { head } : {}),
    ...(untilMs !== undefined ? { untilMs } : {}),
    ...(limitBytes > 0 ? { limitBytes } : {}),
  };
}

/** -B, --after-context and -C (which the other two override, as in grep); only with -i. */
function contextLines(args: ParsedArgs, hasInclude: boolean): CliOptions["context"] {
  const v = args.values;
  const both = v["context-lines"] as number;
  let before = v["before-context"] as number;
  let after = v["after-context"] as number;
  for (const [flag, n] of [
    ["-B/--before-context", before],
    ["--after-context", after],
    ["-C/--context-lines", both],
  ] as const) {
    if (n < 0) throw new UsageError(`${flag} must be a number of lines, not ${n}`);
  }
  if (!args.explicit.has("before-context")) before = both;
  if (!args.explicit.has("after-context")) after = both;
  if (before === 0 && after === 0) return undefined;
  if (!hasInclude) {
    throw new UsageError(
      "context lines (-B, --after-context, -C) are lines around -i/--include matches: give -i",
    );
  }
  return { before, after };
}

/** -e then -i, as stern: a line matching any exclude is dropped; with includes, one must match. */
export function lineFilter(
  include: GoRegex[],
  exclude: GoRegex[],
): ((buf: Buffer, start: number, end: number) => boolean) | undefined {
  if (include.length === 0 && exclude.length === 0) return undefined;
  return (buf, start, end) => {
    const bytes = buf.subarray(start, end);
    // Most lines are ASCII: decoded once, every pattern tests the same string.
    if (isAscii(bytes)) {
      const text = bytes.toString("latin1");
      for (const re of exclude) if (re.testAscii(text)) return false;
      if (include.length === 0) return true;
      for (const re of include) if (re.testAscii(text)) return true;
      return false;
    }
    for (const re of exclude) if (re.testBytes(buf, start, end)) return false;
    if (include.length === 0) return true;
    for (const re of include) if (re.testBytes(buf, start, end)) return true;
    return false;
  };
}
