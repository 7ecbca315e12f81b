// A run of stern: config file, options, kubeconfig, then the engine for each cluster (or --stdin),
// with exit codes. main.ts loads this only when there is a run: --version and --help need none of it.
import { planRun } from "../engine/plan.ts";
import { resolveResourceQuery } from "../engine/resources.ts";
import { Sink } from "../engine/sink.ts";
import { runStdin } from "../engine/stdin.ts";
import { type RunOutcome, runStern, type SternConfig } from "../engine/stern.ts";
import { LineStop } from "../engine/stop.ts";
import { untilKey, type WindowOptions } from "../engine/window.ts";
import { pickColors, shouldColor } from "../format/color.ts";
import type { FormatOptions } from "../format/index.ts";
import { describeFailure } from "../format/outcome.ts";
import { type PlanRow, planSummary, planTable } from "../format/plan.ts";
import { stdinFormatter } from "../format/stdin.ts";
import { sanitizeForTerminal } from "../format/terminal.ts";
import { ApiClient } from "../kube/client.ts";
import { healthCheckFromEnv } from "../kube/h2/health.ts";
import { listContexts, resolveKubeconfig } from "../kube/kubeconfig.ts";
import type { PlannedRequests, RunPlan } from "../shared/plan.ts";
import { recordFilter } from "../structured/filter.ts";
import type { WhereTest } from "../structured/where.ts";
import type { GoRegex } from "../util/goregex.ts";
import { RateLimiter } from "../util/rate-limit.ts";
import type { ParsedArgs } from "./args.ts";
import { applyConfigFile } from "./config-file.ts";
import { describeError } from "./describe-error.ts";

// For main.ts: the error texts come with a run, in the same chunk.
export { describeError };

import { UsageError } from "./errors.ts";
import { buildOptions, type CliOptions, lineFilter } from "./options.ts";
import { createPresenter } from "./presenter.ts";
import { writeStderr } from "./stderr.ts";
import type { Tui } from "./tui.ts";
import { userAgent } from "./version.ts";

const CONNECT_TIMEOUT_MS = 10_000;

/** Runs stern with the parsed command line; the exit code. */
export async function run(args: ParsedArgs): Promise<number> {
  for (const warning of applyConfigFile(args, process.env)) writeStderr(`warning: ${warning}\n`);
  const opts = buildOptions(args);
  const colored = shouldColor(opts.colorMode, process.stdout.isTTY === true, process.env);
  const verbosity = opts.verbosity;
  const stderr = (text: string) => writeStderr(text, colored);
  const debug = (text: string) => {
    if (verbosity > 0) stderr(`debug: ${text}\n`);
  };

  const baseFormat: FormatOptions = {
    output: opts.output,
    showNamespace: opts.allNamespaces || (opts.namespaces?.length ?? 0) > 1,
    allNamespaces: opts.allNamespaces,
    timestamps: opts.timestamps,
    zone: opts.zone,
    colored,
    ...(colored && opts.highlight ? { highlight: opts.highlight } : {}),
    fields: opts.fields,
    excludeFields: opts.excludeFields,
  };
  if (opts.templateText !== undefined) {
    const { compileLineTemplate } = await import("../format/go-template.ts");
    baseFormat.template = compileLineTemplate(opts.templateText, colored);
  }
  const keep = lineFilter(opts.include, opts.exclude);
  let where: WhereTest | undefined;
  if (opts.where !== undefined) {
    const { compileWhere } = await import("../structured/where.ts");
    try {
      where = compileWhere(opts.where);
    } catch (err) {
      throw new UsageError(`invalid --where "${opts.where}": ${(err as Error).message}`);
    }
  }
  const keepRecord = recordFilter({ minSeverity: opts.minSeverity, levelStrict: opts.levelStrict, where });
  // Lines are parsed as structured records only for the options that need them.
  const filters = {
    ...(keep ? { keep } : {}),
    ...(keepRecord ? { keepRecord } : {}),
    ...(keepRecord || (baseFormat.template ? baseFormat.template.needsRecord : opts.output === "pretty")
      ? { parse: true }
      : {}),
    ...(opts.multiline ? { multiline: true } : {}),
  };
  // Every byte for a terminal is made safe on its way out (format/terminal.ts); pipes get them as they are.
  const sink = new Sink(
    process.stdout,
    process.stdout.isTTY ? { transform: (lines) => sanitizeForTerminal(lines, colored) } : {},
  );

  let tui: Tui | undefined;
  const controller = new AbortController();
  let exitCode = 0;
  // One for every cluster: the first line that fires it is the last one shown anywhere.
  const stopOn = opts.exitOn ? new LineStop(opts.exitOn) : undefined;
  const stop = (code: number) => {
    tui?.close();
    if (controller.signal.aborted) process.exit(code); // a second Ctrl-C: no more waiting
    exitCode = code;
    controller.abort();
  };

  if (opts.tui && !process.stdout.isTTY) throw new UsageError("--tui needs a terminal on stdout");
  if (opts.tui) tui = await openTui(opts, colored, () => stop(0));

  if (opts.stdin) {
    const formatter = tui?.stdinFormatter() ?? stdinFormatter(baseFormat, (msg) => stderr(`${msg}\n`));
    const reading = runStdin(process.stdin, formatter, tui ? {} : filters, tui?.sink ?? sink, {
      timestamps: opts.timestamps !== undefined,
    });
    // The view stays until the user quits, also after the input ended; quitting stops reading it.
    if (tui) await Promise.race([reading.then(() => tui?.quit), tui.quit]);
    else await reading;
    await sink.end();
    return 0;
  }
  process.on("SIGINT", () => stop(130));
  process.on("SIGTERM", () => stop(143));

  const contexts = await chooseContexts(opts.kubeconfig, opts.contexts, opts.contextRegex);
  const multi = contexts.length > 1;
  if (multi && opts.prompt) throw new UsageError("--prompt works with one context at a time");

  /**
   * Tails one cluster; with several, a cluster that fails is reported once and the others go on.
   * Undefined when it failed; with --until-done, how the cluster's run ended.
   */
  const runCluster = async (context: string | undefined): Promise<Cluster | undefined> => {
    try {
      const kube = await resolveKubeconfig({
        kubeconfig: opts.kubeconfig,
        context,
        overrides: opts.connection,
        env: process.env,
      });
      const client = new ApiClient(kube.connection, {
        connectTimeoutMs: opts.connection.requestTimeoutMs || CONNECT_TIMEOUT_MS,
        userAgent: userAgent(),
        // DISABLE_HTTP2: client-go's switch, which kubectl users may have set.
        http1Only: process.env.STERN_HTTP1 === "1" || (process.env.DISABLE_HTTP2 ?? "") !== "",
        // Node's HTTP/2 client instead of this project's, for every stream.
        nodeHttp2: process.env.STERN_HTTP2 === "node",
        health: healthCheckFromEnv(process.env),
        onConnectionLost: debug,
        onDebug: debug,
        ...(opts.qps !== undefined ? { limiter: new RateLimiter(opts.qps, opts.burst) } : {}),
        ...(verbosity >= 6 ? { onRequest: (line: string) => debug(line) } : {}),
      });
      const namespaces = opts.allNamespaces ? [""] : (opts.namespaces ?? [kube.namespace]);
      let labelSelector = opts.labelSelector;
      if (opts.prompt) {
        const { promptForInstance } = await import("./prompt.ts");
        labelSelector = await promptForInstance(client, namespaces);
        process.stdout.write(`Selector: ${labelSelector}\n`);
      }
      const scopes: SternConfig["scopes"] = opts.resource
        ? (await resolveResourceQuery(client, opts.resource, namespaces, labelSelector)).map((r) => ({
            namespace: r.namespace,
            labelSelector: r.labelSelector,
            fieldSelector: opts.fieldSelector,
            ...(r.podFilter ? { podFilter: r.podFilter } : {}),
            ...(r.workload ? { workload: r.workload } : {}),
          }))
        : namespaces.map((namespace) => ({ namespace, labelSelector, fieldSelector: opts.fieldSelector }));
      const name = kube.contextName;
      const format: FormatOptions = {
        ...baseFormat,
        showNamespace: opts.allNamespaces || namespaces.length > 1,
      };
      const presenter =
        tui?.presenter(multi ? name : "") ??
        createPresenter({
          ...(multi ? { cluster: { name, color: pickColors(opts.palette, name, "", false).pod } } : {}),
          format,
          colored,
          palette: opts.palette,
          diffContainer: opts.diffContainer,
          ...(opts.stream ? { stream: opts.stream } : {}),
          onlyLogLines: opts.onlyLogLines,
          sink,
          stderr,
          debug,
        });
      const config: SternConfig = {
        scopes,
        filter: opts.filter,
        ...(opts.condition ? { condition: opts.condition } : {}),
        follow: opts.follow,
        sinceSeconds: opts.sinceSeconds,
        quietCheckMs: healthCheckFromEnv(process.env).readIdleMs,
        tailLines: opts.tailLines,
        maxLogRequests: opts.maxLogRequests,
        // The view filters and orders lines itself, and shows their times when asked.
        needsTime: tui !== undefined || format.timestamps !== undefined,
        ...(tui ? {} : filters),
        ...(opts.previous ? { previous: true } : {}),
        ...(opts.events ? { events: eventWindow(opts.events.types, opts) } : {}),
        ...(opts.sinceTime !== undefined ? { sinceTime: opts.sinceTime } : {}),
        ...(opts.context
          ? { context: { ...opts.context, include: opts.include, exclude: opts.exclude } }
          : {}),
        ...(Object.keys(opts.window).length > 0 ? { window: lineWindow(opts.window) } : {}),
        ...(opts.sort && !tui ? { sort: opts.sort } : {}),
        ...(stopOn ? { stop: stopOn } : {}),
        ...(opts.untilDone ? { untilDone: true } : {}),
        ...(opts.stream ? { stream: opts.stream === "stdout" ? "Stdout" : "Stderr" } : {}),
        ...(opts.ignore.length > 0 ? { ignore: opts.ignore } : {}),
        ...(opts.nodeSelector ? { nodeSelector: opts.nodeSelector.source } : {}),
      };
      if (opts.dryRun) {
        const plan = await planRun(client, config, controller.signal);
        return {
          outcome: {},
          name: multi ? name : undefined,
          showNamespace: format.showNamespace,
          plan,
          context: name,
        };
      }
      const outcome = await runStern(
        { api: client, output: { sink: tui?.sink ?? sink, presenter } },
        config,
        controller.signal,
      );
      return { outcome, name: multi ? name : undefined, showNamespace: format.showNamespace };
    } catch (err) {
      if (!multi) throw err;
      stderr(`Error: context ${context}: ${describeError(err)}\n`);
      return undefined;
    }
  };
  const results = await Promise.all(contexts.map(runCluster));
  if (opts.dryRun) printPlan(results, sink);
  // The view stays until the user quits, when the logs are read (--no-follow) too.
  if (tui && !controller.signal.aborted) await tui.quit;
  tui?.close();
  await sink.end();
  // --exit-on ends a run as it was asked to (0); --exit-on-level on the level it watches for (1).
  const stopped = stopOn?.fired;
  if (stopped) return stopped.kind === "level" ? 1 : 0;
  if (results.every((r) => !r) || (!opts.follow && results.some((r) => !r))) return 1;
  if (opts.untilDone && !controller.signal.aborted) return untilDoneCode(results, stderr, colored);
  return exitCode;
}

/** What one cluster's run gave. */
interface Cluster {
  outcome: RunOutcome;
  /** The context's name, when several clusters are tailed. */
  name: string | undefined;
  showNamespace: boolean;
  /** --dry-run: what the run would open, and the context's name. */
  plan?: RunPlan;
  context?: string;
}

/** --dry-run: one table of every cluster's containers, then what a run would open in all. */
function printPlan(results: (Cluster | undefined)[], sink: Sink): void {
  const rows: PlanRow[] = [];
  const total: PlannedRequests = { logs: 0, logsAtOnce: 0, lists: 0, watches: 0, checks: 0 };
  const containers = new Set<string>();
  for (const r of results) {
    if (!r?.plan) continue;
    for (const stream of r.plan.streams) {
      rows.push({ context: r.context ?? "", stream });
      containers.add(`${r.context ?? ""}/${stream.target.key}`);
    }
    for (const k of Object.keys(total) as (keyof PlannedRequests)[]) total[k] += r.plan.requests[k];
  }
  sink.out.putString(planTable(rows) + planSummary(containers.size, total));
  sink.commit();
}

/** --until-done: the first failure's code (and a line saying what failed for each), else 0. */
function untilDoneCode(
  results: (Cluster | undefined)[],
  stderr: (text: string) => void,
  colored: boolean,
): number {
  let code = 0;
  for (const r of results) {
    const done = r?.outcome.done;
    if (!done || done.code === 0) continue;
    if (done.failure) {
      const style = { showNamespace: r.showNamespace, colored, ...(r.name ? { context: r.name } : {}) };
      stderr(`${describeFailure(done.failure, style)}\n`);
    }
    if (code === 0) code = done.code;
  }
  return code;
}

/** Events outside what the log lines show are not printed: --since/--since-time (now with --tail=0), --until. */
function eventWindow(types: string[], opts: CliOptions): NonNullable<SternConfig["events"]> {
  // Whole seconds: core/v1 event times have no fraction.
  const now = Math.floor(Date.now() / 1000) * 1000;
  const notBeforeMs =
    opts.tailLines === 0
      ? now
      : opts.sinceTime !== undefined
        ? Math.floor(Date.parse(opts.sinceTime) / 1000) * 1000
        : opts.sinceSeconds === undefined
          ? 0
          : now - opts.sinceSeconds * 1000;
  const untilMs = opts.window.untilMs;
  return { types, notBeforeMs, ...(untilMs !== undefined ? { notAfterMs: untilMs } : {}) };
}

function lineWindow(w: CliOptions["window"]): WindowOptions {
  return {
    ...(w.head !== undefined ? { head: w.head } : {}),
    ...(w.untilMs !== undefined ? { untilKey: untilKey(w.untilMs) } : {}),
    ...(w.limitBytes !== undefined ? { limitBytes: w.limitBytes } : {}),
  };
}

/** --context (repeatable) and --context-regex: the contexts to tail; [undefined] = the current one. */
async function chooseContexts(
  kubeconfig: string | undefined,
  given: string[],
  pattern: GoRegex | undefined,
): Promise<(string | undefined)[]> {
  if (!pattern) return given.length > 0 ? given : [undefined];
  const all = listContexts({ kubeconfig, env: process.env });
  const matching = all.filter((c) => pattern.test(c) && !given.includes(c));
  const chosen = [...given, ...matching];
  if (chosen.length === 0) {
    throw new UsageError(`no context in the kubeconfig matches --context-regex ${pattern.source}`);
  }
  return chosen;
}

/** --tui: the interactive view, loaded only then, with the command line's filters as its start. */
async function openTui(opts: CliOptions, colored: boolean, onQuit: () => void) {
  const { startTui } = await import("./tui.ts");
  const { systemClock } = await import("../engine/clock.ts");
  return startTui({
    colored,
    zone: opts.zone,
    timestamps: opts.timestamps === undefined ? "none" : opts.timestamps === "short" ? "short" : "full",
    initial: {
      include: opts.include.map((r) => r.source).join("|") || undefined,
      exclude: opts.exclude.map((r) => r.source).join("|") || undefined,
      minLevel: opts.minSeverity,
      levelStrict: opts.levelStrict,
      ...(opts.where !== undefined ? { where: await whereOf(opts.where) } : {}),
    },
    timeOrder: opts.sort !== undefined,
    showNamespace: opts.allNamespaces || (opts.namespaces?.length ?? 0) > 1,
    clock: systemClock,
    onQuit,
  });
}

async function whereOf(text: string) {
  const { compileWhere } = await import("../structured/where.ts");
  return { text, test: compileWhere(text) };
}
