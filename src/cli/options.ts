// From parsed flags to the engine's configuration: every check of the user's input happens here,
// before anything touches the network, and fails with a one-line UsageError.
import { type ColorMode, DEFAULT_PALETTE, parsePalette } from "../engine/color.ts";
import type { SternConfig } from "../engine/stern.ts";
import type { ContainerStateName } from "../engine/targets.ts";
import { type TimestampFormat, Zone } from "../engine/timestamp.ts";
import { parseGoDuration } from "../util/duration.ts";
import { compileGoRegex } from "../util/goregex.ts";
import type { ParsedArgs } from "./args.ts";
import { UsageError } from "./errors.ts";

export interface CliOptions {
  kubeconfig: string | undefined;
  context: string | undefined;
  /** Namespaces given with -n (undefined: the context's). */
  namespaces: string[] | undefined;
  allNamespaces: boolean;
  colorMode: ColorMode;
  verbosity: number;
  /** Bound on connecting and on response headers, in ms. */
  connectTimeoutMs: number;
  /** The engine's settings, less what depends on the cluster (namespaces) and the terminal (color). */
  engine: Omit<SternConfig, "namespaces" | "colored" | "format"> & {
    timestamps: TimestampFormat | undefined;
    zone: Zone;
  };
}

const CONTAINER_STATES = ["running", "waiting", "terminated"] as const;

function regex(what: string, source: string): RegExp {
  try {
    return compileGoRegex(source);
  } catch (err) {
    throw new UsageError(`invalid ${what} regular expression "${source}": ${(err as Error).message}`);
  }
}

export function buildOptions(args: ParsedArgs): CliOptions {
  const v = args.values;
  const str = (name: string) => v[name] as string;
  const list = (name: string) => v[name] as string[];
  const num = (name: string) => v[name] as number;
  const bool = (name: string) => v[name] as boolean;

  if (args.positionals.length > 1) {
    throw new UsageError(`unexpected argument "${args.positionals[1]}": stern takes one pod query`);
  }
  const query = args.positionals[0] ?? "";
  if (query.includes("/")) {
    throw new UsageError(`resource queries like "${query}" are not supported yet; use a pod regex or -l`);
  }
  if (query === "" && str("selector") === "" && str("field-selector") === "") {
    throw new UsageError("One of pod-query, --selector or --field-selector is required");
  }

  const follow = !bool("no-follow");
  const tail = num("tail");
  if (tail < -1) throw new UsageError(`--tail must be -1 (all) or a number of lines, not ${tail}`);
  if (!follow && tail === 0) throw new UsageError("--no-follow cannot be used with --tail=0");

  let sinceMs: number;
  try {
    sinceMs = parseGoDuration(str("since"));
  } catch {
    throw new UsageError(
      `invalid argument "${str("since")}" for "-s, --since" flag: not a duration like 5s, 2m or 3h`,
    );
  }
  if (sinceMs < 0) throw new UsageError(`--since must not be negative: ${str("since")}`);

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

  const states: ContainerStateName[] = [];
  for (const s of list("container-state")) {
    if (s === "all") continue;
    if (!(CONTAINER_STATES as readonly string[]).includes(s)) {
      throw new UsageError(`invalid --container-state "${s}": use running, waiting, terminated or all`);
    }
    states.push(s as ContainerStateName);
  }
  const containerStates = list("container-state").includes("all") ? [] : states;

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

  let connectTimeoutMs = 10_000;
  const rt = str("request-timeout");
  if (rt !== "0") {
    try {
      connectTimeoutMs = /^\d+$/.test(rt) ? Number(rt) * 1000 : parseGoDuration(rt);
    } catch {
      throw new UsageError(`invalid --request-timeout "${rt}": use a duration like 5s`);
    }
  }

  const fieldSelectors = [str("field-selector"), str("node") ? `spec.nodeName=${str("node")}` : ""].filter(
    (s) => s !== "",
  );
  const namespaces = [...new Set(list("namespace"))];

  return {
    kubeconfig: str("kubeconfig") || undefined,
    context: str("context") || undefined,
    namespaces: namespaces.length > 0 ? namespaces : undefined,
    allNamespaces: bool("all-namespaces"),
    colorMode,
    verbosity: num("verbosity"),
    connectTimeoutMs,
    engine: {
      labelSelector: str("selector") || undefined,
      fieldSelector: fieldSelectors.length > 0 ? fieldSelectors.join(",") : undefined,
      filter: {
        podQuery: regex("pod query", query),
        excludePod: list("exclude-pod").map((r) => regex("--exclude-pod", r)),
        container: regex("--container", str("container")),
        excludeContainer: list("exclude-container").map((r) => regex("--exclude-container", r)),
        initContainers: bool("init-containers"),
        ephemeralContainers: bool("ephemeral-containers"),
        containerStates,
      },
      follow,
      sinceSeconds: sinceMs === 0 ? undefined : Math.max(1, Math.trunc(sinceMs / 1000)),
      tailLines: tail === -1 ? undefined : tail,
      maxLogRequests,
      onlyLogLines: bool("only-log-lines"),
      palette,
      diffContainer: bool("diff-container"),
      timestamps: timestampsText === "" ? undefined : timestampsText,
      zone,
    },
  };
}
