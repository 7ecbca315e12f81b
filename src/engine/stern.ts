// The engine: pod watch -> target tracker -> one tail per container instance -> sink. Embeddable:
// it takes a client, a config and output streams, and knows nothing of the command line.
import PQueue from "p-queue";
import { type ColorPair, pickColors, type Sgr } from "../format/color.ts";
import { createLineFormatter, type FormatOptions, type StreamInfo } from "../format/index.ts";
import { noticeLine } from "../format/notice.ts";
import type { ApiClient } from "../kube/client.ts";
import type { Pod } from "../kube/types.ts";
import { conditionMatches, type PodCondition } from "./condition.ts";
import { listPods, type PodScope, PodWatch } from "./podwatch.ts";
import type { Sink } from "./sink.ts";
import { KWayMerge, WindowSorter } from "./sort.ts";
import { type InstanceState, type OrderedOutput, Tail } from "./tail.ts";
import { logContainerID, type Target, type TargetFilter, TargetTracker } from "./targets.ts";

export interface SternConfig {
  /** The kubeconfig context, when several clusters are tailed at once: shown first on every line. */
  cluster?: { name: string; color: Sgr };
  /** Where to look for pods: one scope per namespace ("" = all namespaces), each with its selectors. */
  scopes: PodScope[];
  filter: TargetFilter;
  /** --condition: pods that stop matching it have their streams ended. */
  condition?: PodCondition;
  follow: boolean;
  sinceSeconds: number | undefined;
  tailLines: number | undefined;
  maxLogRequests: number;
  onlyLogLines: boolean;
  format: FormatOptions;
  colored: boolean;
  palette: readonly ColorPair[];
  diffContainer: boolean;
  /** --multiline: continuation lines stay with their first line (see multiline.ts for the rule). */
  multiline?: boolean;
  /** --sort: lines of all containers in timestamp order (a k-way merge without --follow, a window with). */
  sort?: { windowMs: number };
  /** Lines to keep (include/exclude filters); absent keeps all. */
  keep?: (buf: Buffer, start: number, end: number) => boolean;
}

export interface SternOutput {
  sink: Sink;
  /** "+"/"-" notices and errors. */
  stderr(text: string): void;
  debug(text: string): void;
}

/** How long a deleted pod's streams may still run to deliver their last lines. */
const DELETED_POD_GRACE_MS = 5000;
const PREVIOUS_INSTANCE_WAIT_MS = 2000;

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

export async function runStern(
  client: ApiClient,
  config: SternConfig,
  out: SternOutput,
  signal: AbortSignal,
): Promise<void> {
  const engine = new Engine(client, config, out, signal);
  await engine.run();
}

class Engine {
  private readonly client: ApiClient;
  private readonly config: SternConfig;
  private readonly out: SternOutput;
  private readonly signal: AbortSignal;
  private readonly tracker: TargetTracker;
  private readonly queue: PQueue;
  /** Latest state of every pod seen, by namespace/name. */
  private readonly pods = new Map<string, Pod>();
  private readonly tails = new Set<Tail>();
  /** The newest tail job of every target key. */
  private readonly lastOfKey = new Map<string, Promise<void>>();
  private waitingReported = false;
  /** --sort: the merge (without --follow) or the window sorter (with it). */
  private readonly merge: KWayMerge | undefined;
  private readonly sorter: WindowSorter | undefined;

  constructor(client: ApiClient, config: SternConfig, out: SternOutput, signal: AbortSignal) {
    this.client = client;
    this.config = config;
    this.out = out;
    this.signal = signal;
    this.tracker = new TargetTracker(config.filter);
    const emit = (line: Buffer) => {
      out.sink.out.putAll(line);
      out.sink.commit();
    };
    if (config.sort && !config.follow) this.merge = new KWayMerge(emit);
    if (config.sort && config.follow)
      this.sorter = new WindowSorter(emit, { windowMs: config.sort.windowMs });
    // A merge waits for a line from every stream, so with --sort they must all be open at once.
    this.queue = new PQueue({ concurrency: this.merge ? Number.POSITIVE_INFINITY : config.maxLogRequests });
    signal.addEventListener("abort", () => {
      for (const t of this.tails) t.cancel();
      this.queue.clear();
      this.sorter?.flush();
    });
  }

  async run(): Promise<void> {
    const scopes = this.config.scopes;
    if (!this.config.follow) {
      const lists = await Promise.all(scopes.map((s) => listPods(this.client, s, this.signal)));
      for (const [i, list] of lists.entries()) {
        const podFilter = scopes[i]?.podFilter;
        for (const pod of list.items) if (!podFilter || podFilter(pod)) this.upsert(pod);
      }
      this.merge?.close();
      await this.queue.onIdle();
      await this.merge?.done;
      return;
    }
    const watches = scopes.map(
      (scope) =>
        new PodWatch(this.client, scope, {
          upsert: (pod) => {
            if (!scope.podFilter || scope.podFilter(pod)) this.upsert(pod);
          },
          remove: (pod) => this.remove(pod),
          onError: (msg) => this.out.stderr(`${msg}\n`),
          onDebug: (msg) => this.out.debug(msg),
        }),
    );
    await Promise.all(watches.map((w) => w.start(this.signal)));
    await Promise.all(watches.map((w) => w.watchForever(this.signal)));
  }

  private upsert(pod: Pod): void {
    this.pods.set(podKey(pod), pod);
    const condition = this.config.condition;
    if (condition && !conditionMatches(condition, pod)) {
      // It no longer matches: end its streams and start afresh should it match again.
      this.tracker.forget(pod);
      for (const t of this.tails) if (t.target.podUID === pod.metadata.uid) t.cancel();
      return;
    }
    for (const t of this.tails) if (t.target.podUID === pod.metadata.uid) t.poke();
    for (const target of this.tracker.observe(pod)) this.startTail(target);
  }

  private remove(pod: Pod): void {
    const key = podKey(pod);
    if (this.pods.get(key)?.metadata.uid === pod.metadata.uid) this.pods.delete(key);
    this.tracker.forget(pod);
    // A deleted pod's containers have stopped: its streams end on their own. Cut the ones that don't.
    setTimeout(() => {
      for (const t of this.tails) if (t.target.podUID === pod.metadata.uid) t.cancel();
    }, DELETED_POD_GRACE_MS).unref();
  }

  /** A "+"/"-" line goes out after the log lines read before it, not ahead of them. */
  private notice(text: string): void {
    this.out.sink.flush();
    this.out.stderr(text);
  }

  private instanceState(target: Target): InstanceState {
    const pod = this.pods.get(`${target.namespace}/${target.podName}`);
    if (!pod || pod.metadata.uid !== target.podUID) return "gone";
    const statuses = [
      ...(pod.status?.initContainerStatuses ?? []),
      ...(pod.status?.containerStatuses ?? []),
      ...(pod.status?.ephemeralContainerStatuses ?? []),
    ];
    const cs = statuses.find((s) => s.name === target.container);
    if (!cs) return "gone";
    if (cs.state?.running && cs.containerID === target.containerID) return "running";
    return logContainerID(cs) === target.containerID ? "stopped" : "gone";
  }

  private startTail(target: Target): void {
    const cfg = this.config;
    const recordColors = pickColors(cfg.palette, target.podName, target.container, cfg.diffContainer);
    const colors = cfg.colored ? recordColors : { pod: "", container: "" };
    const info: StreamInfo = {
      context: cfg.cluster?.name ?? "",
      contextColor: cfg.colored ? (cfg.cluster?.color ?? "") : "",
      namespace: target.namespace,
      podName: target.podName,
      containerName: target.container,
      nodeName: target.pod.spec?.nodeName ?? "",
      labels: target.pod.metadata.labels,
      annotations: target.pod.metadata.annotations,
      colors,
      recordColors,
    };
    const lane = this.merge?.lane();
    const sorter = this.sorter;
    const ordered: OrderedOutput | undefined =
      lane ??
      (sorter
        ? {
            push: (key, line) => {
              sorter.push(key, line);
              return true;
            },
            whenWritable: () => this.out.sink.whenWritable(),
          }
        : undefined);
    const tail = new Tail(
      target,
      {
        follow: cfg.follow,
        sinceSeconds: cfg.sinceSeconds,
        tailLines: cfg.tailLines,
        needsTime: cfg.format.timestamps !== undefined,
      },
      {
        formatter: createLineFormatter(cfg.format, info, (msg) => this.out.stderr(`${msg}\n`)),
        sink: this.out.sink,
        state: () => this.instanceState(target),
        keep: cfg.keep,
        ...(cfg.multiline ? { multiline: true } : {}),
        ...(ordered ? { ordered } : {}),
        onError: (msg) => this.out.stderr(`failed to tail ${msg}\n`),
        onDebug: (msg) => this.out.debug(msg),
      },
    );
    this.tails.add(tail);
    const showNs = cfg.format.showNamespace;
    // A new instance of a container starts after the previous one's "-" line, so that the output
    // reads in order; a previous stream that hangs delays it by PREVIOUS_INSTANCE_WAIT_MS at most.
    const previous = this.lastOfKey.get(target.key);
    const job = this.queue
      .add(async () => {
        if (previous) await Promise.race([previous, delay(PREVIOUS_INSTANCE_WAIT_MS)]);
        if (tail.cancelled) return;
        if (!cfg.onlyLogLines) this.notice(noticeLine("+", info, showNs, cfg.colored));
        await tail.run(this.client);
        if (!cfg.onlyLogLines && !this.signal.aborted)
          this.notice(noticeLine("-", info, showNs, cfg.colored));
      })
      .finally(() => {
        lane?.end();
        this.tails.delete(tail);
        if (this.lastOfKey.get(target.key) === job) this.lastOfKey.delete(target.key);
        if (this.queue.size === 0) this.waitingReported = false;
      });
    this.lastOfKey.set(target.key, job);
    if (cfg.follow && this.queue.size > 0 && !this.waitingReported) {
      this.waitingReported = true;
      // stern exits here; waiting is kinder: the container starts as soon as another stream ends.
      setImmediate(() => {
        if (this.queue.size === 0) return;
        this.out.stderr(
          `${this.queue.size} container(s) wait for a free log stream (--max-log-requests=${cfg.maxLogRequests}); they start as others end\n`,
        );
      });
    }
  }
}

function podKey(pod: Pod): string {
  return `${pod.metadata.namespace ?? ""}/${pod.metadata.name}`;
}
