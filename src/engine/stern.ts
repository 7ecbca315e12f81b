// The engine: pod watch -> registry -> one tail per container instance -> pipeline -> output.
// Embeddable: it takes an API, a config and an output, and knows nothing of the command line or of
// how lines and notices look (the presenter's business).
import PQueue from "p-queue";
import type { InstanceEnd, Waiting } from "../shared/endings.ts";
import type { KubeEvent } from "../shared/kube-event.ts";
import type { DoneOutcome } from "../shared/outcome.ts";
import type { Pod } from "../shared/pod.ts";
import type { Target } from "../shared/target.ts";
import type { RecordFilter } from "../structured/filter.ts";
import { OutBuffer } from "../util/out-buffer.ts";
import type { KubeApi } from "./api.ts";
import { after, type Clock, systemClock } from "./clock.ts";
import type { PodCondition } from "./condition.ts";
import type { ContextOptions } from "./context.ts";
import { DoneTracker } from "./done-tracker.ts";
import { instanceEnd } from "./endings.ts";
import { EventFeed } from "./event-feed.ts";
import { eventSortKey } from "./events.ts";
import type { LabelSelector } from "./label-selector.ts";
import { checkLogStreams, type LogStreamName } from "./log-streams.ts";
import { type EngineOutput, type LineOutput, sinkOutput } from "./output.ts";
import { LinePipeline } from "./pipeline.ts";
import { NODES, type NodeObject, PodSelection } from "./pod-selection.ts";
import { JOBS, listObjects, listPods, ObjectWatch, type PodScope, PodWatch } from "./podwatch.ts";
import { ContainerRegistry, type Decision } from "./registry.ts";
import { KWayMerge, type Lane, WindowSorter } from "./sort.ts";
import { ProbeBudget } from "./stall-watch.ts";
import type { LineStop, StopCause } from "./stop.ts";
import { Tail } from "./tail.ts";
import { TailIndex } from "./tail-index.ts";
import { instancesToRead, podMatches, statusesOf, type TargetFilter } from "./targets.ts";
import type { JobObject } from "./until-done.ts";
import type { WindowOptions } from "./window.ts";

export interface SternConfig {
  /** Where to look for pods: one scope per namespace ("" = all namespaces), each with its selectors. */
  scopes: PodScope[];
  filter: TargetFilter;
  /** --condition: pods that stop matching it have their streams ended. */
  condition?: PodCondition;
  follow: boolean;
  sinceSeconds: number | undefined;
  /** --since-time (RFC3339), instead of sinceSeconds. */
  sinceTime?: string;
  tailLines: number | undefined;
  /** --head, --until, --limit-bytes: where each container's lines stop. */
  window?: WindowOptions;
  /**
   * A quiet follow stream that reads nothing for this long is checked against the log's last line
   * (stall-watch.ts: a busy one that goes silent is checked within a second or two); 0 or absent = never.
   */
  quietCheckMs?: number;
  maxLogRequests: number;
  /** Whether each line's timestamp is parsed (-t). */
  needsTime: boolean;
  /** --multiline: continuation lines stay with their first line (see multiline.ts for the rule). */
  multiline?: boolean;
  /** --sort: lines of all containers in timestamp order (a k-way merge without --follow, a window with). */
  sort?: { windowMs: number };
  /**
   * --previous: a restarted container's previous instance is printed (previous=true) before its
   * current one; without follow only the previous instances are.
   */
  previous?: boolean;
  /** --events: the events of what is followed, of these types (empty = all), not older than notBeforeMs. */
  events?: { types: string[]; notBeforeMs: number; notAfterMs?: number };
  /** -B/--after-context/-C: context lines around -i matches (used instead of keep). */
  context?: ContextOptions;
  /** Lines to keep (include/exclude filters); absent keeps all. */
  keep?: (buf: Buffer, start: number, end: number) => boolean;
  /** Lines parsed as structured records (--level, --where, -o pretty, --fields). */
  parse?: boolean;
  /** Lines to keep by their records (--level, --where). */
  keepRecord?: RecordFilter;
  /** --exit-on, --exit-on-level: the shown line that ends the run (shared by every cluster's engine). */
  stop?: LineStop;
  /**
   * --until-done (with follow): the run ends once every matched pod has finished (a job/ or
   * cronjob/ query: once its Job's condition says so) and every stream has ended.
   */
  untilDone?: boolean;
  /**
   * --stream: one of each container's streams. The server must know it (Kubernetes 1.32+ with the
   * PodLogsQuerySplitStreams feature gate): before the first stream the run ends with
   * LogStreamsUnsupported when it does not. Not with tailLines, which the API refuses with it.
   */
  stream?: LogStreamName;
  /** --ignore: pods whose labels match any of these are left out. */
  ignore?: LabelSelector[];
  /**
   * --node-selector: only pods on the nodes whose labels match (a label selector the API takes);
   * the nodes are watched, and a node that starts matching brings its pods in.
   */
  nodeSelector?: string;
}

/** How a run ended, beyond its signal or the end of every log. */
export interface RunOutcome {
  /** A shown line fired config.stop. */
  stop?: StopCause;
  /** --until-done: everything finished, with this outcome. */
  done?: DoneOutcome;
}

export interface EngineDeps {
  api: KubeApi;
  output: EngineOutput;
  clock?: Clock;
}

/** A new instance of a container waits at most this long for its previous instance's stream to end. */
const PREVIOUS_INSTANCE_WAIT_MS = 2000;

export async function runStern(
  deps: EngineDeps,
  config: SternConfig,
  signal: AbortSignal,
): Promise<RunOutcome> {
  const engine = new Engine(deps, config, signal);
  await engine.run();
  const stop = config.stop?.fired;
  const done = engine.outcome;
  return { ...(stop ? { stop } : {}), ...(done ? { done } : {}) };
}

class Engine {
  private readonly api: KubeApi;
  private readonly clock: Clock;
  private readonly config: SternConfig;
  private readonly output: EngineOutput;
  private readonly signal: AbortSignal;
  private readonly registry: ContainerRegistry;
  private readonly queue: PQueue;
  private readonly tails = new TailIndex<Tail>();
  /** The job of every target started, until it ends: a new instance of a key waits for the old. */
  private readonly jobs = new Map<Target, Promise<void>>();
  private waitingReported = false;
  /** --sort: the merge (without --follow) or the window sorter (with it). */
  private readonly merge: KWayMerge | undefined;
  private readonly sorter: WindowSorter | undefined;
  /** The stall checks of quiet streams share this budget (stall-watch.ts). */
  private readonly probes: ProbeBudget;
  /** Ends the run from inside: --until-done once everything finished. */
  private readonly finish = new AbortController();
  /** --until-done: the pods and Jobs that say when the run is done. */
  private readonly done: DoneTracker | undefined;
  private draining = false;
  /** --until-done: how the run ended, once it did. */
  outcome: DoneOutcome | undefined;
  /** An error that ends the run (thrown by run() once everything stopped). */
  private fatal: Error | undefined;
  /** --stream: whether the server serves one stream, asked once, before the first stream starts. */
  private streamsChecked: Promise<boolean> | undefined;
  /** Which pods the API sends are followed (a scope's filter, --ignore, --node-selector). */
  private readonly selection: PodSelection;

  constructor(deps: EngineDeps, config: SternConfig, signal: AbortSignal) {
    this.api = deps.api;
    this.clock = deps.clock ?? systemClock;
    this.output = deps.output;
    this.config = config;
    // A line that fires --exit-on ends the run as the caller's signal does, and so does the end of --until-done.
    this.signal = AbortSignal.any([signal, this.finish.signal, ...(config.stop ? [config.stop.signal] : [])]);
    this.registry = new ContainerRegistry(config.filter, config.condition);
    this.selection = new PodSelection(config.scopes, {
      ignore: config.ignore,
      nodeSelector: config.nodeSelector,
    });
    if (config.untilDone && config.follow)
      this.done = new DoneTracker(config.scopes, (pod) => podMatches(config.filter, pod.metadata.name));
    this.probes = new ProbeBudget(this.clock);
    const sink = deps.output.sink;
    const emit = (line: Buffer) => {
      sink.out.putAll(line);
      sink.commit();
    };
    if (config.sort && !config.follow) this.merge = new KWayMerge(emit);
    if (config.sort && config.follow)
      this.sorter = new WindowSorter(emit, {
        windowMs: config.sort.windowMs,
        now: () => this.clock.now(),
        schedule: (fn, ms) => after(this.clock, ms, fn),
      });
    // A merge waits for a line from every stream, so with --sort they must all be open at once.
    this.queue = new PQueue({ concurrency: this.merge ? Number.POSITIVE_INFINITY : config.maxLogRequests });
    this.signal.addEventListener("abort", () => {
      for (const t of this.tails.all()) t.cancel();
      this.queue.clear();
      this.sorter?.flush();
    });
  }

  async run(): Promise<void> {
    const scopes = this.config.scopes;
    if (!this.config.follow) {
      // The events' merge lane opens before any stream's, so the merge waits for it.
      const eventLane = this.config.events ? this.merge?.lane() : undefined;
      if (this.selection.byNodes) await this.listNodes();
      const lists = await Promise.all(scopes.map((s) => listPods(this.api, s, this.signal)));
      for (const [i, list] of lists.entries()) {
        this.apply(this.registry.resync(this.selection.select(list.items, i), i));
      }
      if (this.config.events) await this.printEvents(eventLane);
      this.merge?.close();
      await this.queue.onIdle();
      await this.merge?.done;
      if (this.fatal) throw this.fatal;
      return;
    }
    const presenter = this.output.presenter;
    const watches = scopes.map(
      (scope, i) =>
        new PodWatch(
          this.api,
          scope,
          {
            upsert: (pod) => this.podChanged(pod, i),
            remove: (pod) => this.podDeleted(pod, i),
            resync: (pods) => this.podsListed(pods, i),
            onError: (msg) => presenter.error(msg),
            onDebug: (msg) => presenter.debug(msg),
          },
          this.clock,
        ),
    );
    const jobWatches = this.done ? this.jobWatches(this.done) : [];
    const nodeWatch = this.selection.byNodes ? this.nodeWatch() : undefined;
    // Which nodes match decides which pods are followed: known before the first pod is.
    await nodeWatch?.start(this.signal);
    await Promise.all([...jobWatches, ...watches].map((w) => w.start(this.signal)));
    const events = this.eventFeed()
      ?.follow(this.signal)
      .catch((err: unknown) => this.eventsFailed(err));
    const all = [...jobWatches, ...watches, ...(nodeWatch ? [nodeWatch] : [])];
    await Promise.all([...all.map((w) => w.watchForever(this.signal)), events]);
    if (this.fatal) throw this.fatal;
  }

  /** A pod was added or changed: followed if selected, let go if it no longer is. */
  private podChanged(pod: Pod, scope: number): void {
    this.selection.remember(pod, scope);
    if (this.selection.selected(pod, scope)) {
      this.apply(this.registry.upsert(pod, scope));
      this.done?.pod(pod, scope);
    } else if (this.registry.knows(pod)) {
      this.apply(this.registry.drop(pod));
      this.done?.podGone(pod);
    } else return;
    this.checkDone();
  }

  private podDeleted(pod: Pod, scope: number): void {
    this.selection.forget(pod, scope);
    this.apply(this.registry.remove(pod));
    this.done?.podGone(pod);
    this.checkDone();
  }

  /** A full list of a scope's pods. */
  private podsListed(pods: Pod[], scope: number): void {
    this.selection.rememberAll(pods, scope);
    const selected = this.selection.select(pods, scope);
    this.apply(this.registry.resync(selected, scope));
    this.done?.podList(selected, scope);
    this.checkDone();
  }

  /** --node-selector without --follow: the nodes that match, once. */
  private async listNodes(): Promise<void> {
    const list = await listObjects<NodeObject>(this.api, NODES, this.nodeScope(), this.signal);
    this.selection.nodesMatching(
      list.items.map((n) => n.metadata.name),
      true,
    );
  }

  private nodeScope() {
    return { namespace: "", labelSelector: this.config.nodeSelector, fieldSelector: undefined };
  }

  /** --node-selector: the nodes that match; a change brings in (or lets go) the pods on the node. */
  private nodeWatch(): ObjectWatch<NodeObject> {
    const presenter = this.output.presenter;
    const changed = (nodes: Set<string>) => {
      for (const [pod, scope] of this.selection.podsOn(nodes)) this.podChanged(pod, scope);
    };
    return new ObjectWatch<NodeObject>(
      this.api,
      NODES,
      this.nodeScope(),
      {
        upsert: (node) => changed(this.selection.nodesMatching([node.metadata.name], false)),
        remove: (node) => {
          if (this.selection.nodeGone(node.metadata.name)) changed(new Set([node.metadata.name]));
        },
        resync: (nodes) =>
          changed(
            this.selection.nodesMatching(
              nodes.map((n) => n.metadata.name),
              true,
            ),
          ),
        onError: (msg) => presenter.error(msg),
        onDebug: (msg) => presenter.debug(msg),
      },
      this.clock,
    );
  }

  /** Ends the run with an error. */
  private fail(err: Error): void {
    this.fatal ??= err;
    this.finish.abort();
  }

  /** --stream: whether streams may start (false: the run ends, the server cannot serve one stream). */
  private streamsOk(target: Target): Promise<boolean> {
    const stream = this.config.stream;
    if (!stream) return Promise.resolve(true);
    this.streamsChecked ??= checkLogStreams(this.api, target, stream, this.signal).then(
      () => true,
      (err: unknown) => {
        if (!this.signal.aborted) this.fail(err as Error);
        return false;
      },
    );
    return this.streamsChecked;
  }

  /** --until-done on a job/ or cronjob/ query: a watch of the Jobs of each scope's. */
  private jobWatches(done: DoneTracker): ObjectWatch<JobObject>[] {
    const presenter = this.output.presenter;
    return this.config.scopes.flatMap((scope, i) => {
      const w = scope.workload;
      if (!w) return [];
      const hooks = {
        upsert: (job: JobObject) => {
          done.job(job, i);
          this.checkDone();
        },
        remove: (job: JobObject) => done.jobGone(job),
        resync: (jobs: JobObject[]) => {
          done.jobList(jobs, i);
          this.checkDone();
        },
        onError: (msg: string) => presenter.error(msg),
        onDebug: (msg: string) => presenter.debug(msg),
      };
      const fieldSelector = w.kind === "job" ? `metadata.name=${w.name}` : undefined;
      return [
        new ObjectWatch<JobObject>(
          this.api,
          JOBS,
          { namespace: scope.namespace, labelSelector: undefined, fieldSelector },
          hooks,
          this.clock,
        ),
      ];
    });
  }

  /** --until-done: once everything has finished, the rest is read and the run ends. */
  private checkDone(): void {
    if (!this.done || this.draining || !this.done.progress().done) return;
    this.draining = true;
    void this.drain(this.done).catch((err: unknown) => {
      this.draining = false;
      if (!this.signal.aborted) this.output.presenter.error(`${(err as Error).message}`);
    });
  }

  private async drain(done: DoneTracker): Promise<void> {
    if (done.byJobs) {
      // The Job controller decided on pod states the pod watch may not have delivered yet: a list
      // now holds them (and any pod made and finished in between).
      const lists = await Promise.all(this.config.scopes.map((s) => listPods(this.api, s, this.signal)));
      for (const [i, list] of lists.entries()) this.podsListed(list.items, i);
    }
    // Every stream reads to its end: the last lines of the last pod are part of the outcome.
    while (this.jobs.size > 0 && !this.signal.aborted) await Promise.allSettled([...this.jobs.values()]);
    const progress = done.progress();
    if (!progress.done) {
      // A new run began meanwhile (a CronJob's next Job): it is followed too.
      this.draining = false;
      return;
    }
    this.outcome = progress.outcome;
    this.finish.abort();
  }

  /** --events: a feed of the events of what the registry follows, or none. */
  private eventFeed(): EventFeed | undefined {
    const ev = this.config.events;
    if (!ev) return undefined;
    const presenter = this.output.presenter;
    return new EventFeed(
      this.api,
      { namespaces: [...new Set(this.config.scopes.map((s) => s.namespace))], ...ev },
      {
        follows: (e) => this.registry.followsObject(e.namespace, e.kind, e.name),
        print: (e) => this.printEvent(e),
        onError: (msg) => presenter.error(msg),
        onDebug: (msg) => presenter.debug(msg),
      },
      this.clock,
    );
  }

  /** Without --follow: the events there are, in time order (a lane of their own under --sort). */
  private async printEvents(lane: Lane | undefined): Promise<void> {
    const events =
      (await this.eventFeed()
        ?.list(this.signal)
        .catch((err: unknown) => this.eventsFailed(err))) ?? [];
    for (const e of events) {
      if (lane) lane.push(eventSortKey(e), Buffer.from(this.output.presenter.formatEvent(e)));
      else this.printEvent(e);
    }
    lane?.end();
  }

  /** Events that cannot be read (no permission, say) are reported once; the logs go on. */
  private eventsFailed(err: unknown): undefined {
    if (!this.signal.aborted) this.output.presenter.error(`cannot read events: ${(err as Error).message}`);
    return undefined;
  }

  private printEvent(e: KubeEvent): void {
    const line = this.output.presenter.formatEvent(e);
    if (this.sorter) this.sorter.push(eventSortKey(e), Buffer.from(line));
    else {
      this.output.sink.out.putString(line);
      this.output.sink.commit();
    }
  }

  /** Carries out the registry's decisions. */
  private apply(decisions: Decision[]): void {
    for (const d of decisions) {
      if (d.type === "start") this.startTail(d.target, d.after);
      else if (d.type === "waiting") this.reportWaiting(d.target, d.waiting);
      else if (d.type === "changed") {
        for (const t of this.tails.ofPod(d.podUID)) t.poke();
      } else if (d.delayMs === 0) {
        for (const t of this.tails.ofPod(d.podUID)) t.cancel();
      } else {
        // A tail waiting on news (the kubelet said its container is gone) looks again now.
        for (const t of this.tails.ofPod(d.podUID)) t.poke();
        void this.clock.sleep(d.delayMs, this.signal).then(() => {
          for (const t of this.tails.ofPod(d.podUID)) t.cancel();
        });
      }
    }
  }

  /** After the "-" line of the instance that ended, when its stream is still draining. */
  private reportWaiting(target: Target, waiting: Waiting): void {
    const presenter = this.output.presenter;
    const draining = this.tails.ofKey(target.key).map((t) => this.jobs.get(t.target));
    if (draining.length === 0) {
      presenter.waiting(target, waiting);
      return;
    }
    void Promise.race([Promise.all(draining), this.clock.sleep(PREVIOUS_INSTANCE_WAIT_MS, this.signal)]).then(
      () => {
        if (!this.signal.aborted) presenter.waiting(target, waiting);
      },
    );
  }

  /** Where a stream's formatted lines go: the sink, a merge lane or the window sorter. */
  private lineOutput(): { output: LineOutput; lane: Lane | undefined } {
    const sink = this.output.sink;
    const lane = this.merge?.lane();
    const sorter = this.sorter;
    if (!lane && !sorter) return { output: sinkOutput(sink), lane: undefined };
    // Formatted into a scratch buffer, then copied at its exact size (small ones from Node's pool).
    const scratch = new OutBuffer(1024);
    let full = false;
    const output: LineOutput = {
      out: scratch,
      wantsKeys: true,
      lineDone(key) {
        const line = Buffer.allocUnsafe(scratch.len);
        scratch.buf.copy(line, 0, 0, scratch.len);
        scratch.clear();
        if (lane) {
          if (!lane.push(key, line)) full = true;
        } else sorter?.push(key, line);
      },
      // The merge writes to the sink while other streams push: the sink's backpressure holds everyone.
      commit: () => sink.commit() && !full,
      async whenWritable() {
        await sink.whenWritable();
        if (full && lane) {
          full = false;
          await lane.whenWritable();
        }
      },
      end: () => lane?.end(),
    };
    return { output, lane };
  }

  /** A tail of the target's stream, its lines through a pipeline of their own. */
  private makeTail(target: Target): { tail: Tail; output: LineOutput } {
    const cfg = this.config;
    const presenter = this.output.presenter;
    const { output } = this.lineOutput();
    const pipeline = new LinePipeline(presenter.formatterFor(target), output, {
      keep: cfg.keep,
      parse: cfg.parse,
      keepRecord: cfg.keepRecord,
      multiline: cfg.multiline,
      needsTime: cfg.needsTime,
      context: cfg.context,
      clock: this.clock,
      stop: cfg.stop,
    });
    const tail = new Tail(
      target,
      {
        // A previous instance has ended: its log is read once, whole.
        follow: cfg.follow && !target.previous,
        sinceSeconds: cfg.sinceSeconds,
        tailLines: cfg.tailLines,
        // A quiet stream is checked with tailLines=1, which the API refuses with one stream.
        quietCheckMs: cfg.stream ? 0 : (cfg.quietCheckMs ?? 0),
        ...(cfg.stream ? { stream: cfg.stream } : {}),
        ...(target.previous ? { previous: true } : {}),
        ...(cfg.sinceTime !== undefined ? { sinceTime: cfg.sinceTime } : {}),
        ...(cfg.window ? { window: cfg.window } : {}),
      },
      { api: this.api, clock: this.clock, pipeline, probes: this.probes },
      {
        state: () => (target.previous ? "stopped" : this.registry.state(target)),
        onError: (msg) => presenter.error(`failed to tail ${msg}`),
        onDebug: (msg) => presenter.debug(msg),
        onServerText: (text) => presenter.serverText(target, text),
        onLinesLost: (after, before) => presenter.linesLost(target, after, before),
      },
    );
    return { tail, output };
  }

  /** Runs one tail between its "+" and "-" lines. */
  private async runTail(tail: Tail, output: LineOutput): Promise<void> {
    const presenter = this.output.presenter;
    const target = tail.target;
    if (tail.cancelled) {
      output.end();
      return;
    }
    presenter.streamStarted(target);
    const why = await tail.run();
    if (this.signal.aborted) return;
    presenter.streamEnded(target, why, target.previous ? previousEnd(target) : this.registry.ended(target));
  }

  private startTail(target: Target, previous: Target | undefined): void {
    const cfg = this.config;
    const presenter = this.output.presenter;
    const tails = instancesToRead(target, previous, cfg).map((t) => this.makeTail(t));
    if (tails.length === 0) return;
    for (const t of tails) this.tails.add(t.tail);
    // A new instance of a container starts after the previous one's "-" line, so that the output
    // reads in order; a previous stream that hangs delays it by PREVIOUS_INSTANCE_WAIT_MS at most.
    const earlier = previous ? this.jobs.get(previous) : undefined;
    const job = this.queue
      .add(async () => {
        if (earlier) await Promise.race([earlier, this.clock.sleep(PREVIOUS_INSTANCE_WAIT_MS, this.signal)]);
        if (!(await this.streamsOk(target))) {
          for (const t of tails) t.output.end();
          return;
        }
        for (const t of tails) await this.runTail(t.tail, t.output);
      })
      // Ctrl-C clears the queue, which rejects the jobs still waiting for a slot: they never ran.
      .catch((err: unknown) => {
        if (!this.signal.aborted) throw err;
      })
      .finally(() => {
        for (const t of tails) this.tails.delete(t.tail);
        this.jobs.delete(target);
        if (this.queue.size === 0) this.waitingReported = false;
      });
    this.jobs.set(target, job);
    if (cfg.follow && this.queue.size > 0 && !this.waitingReported) {
      this.waitingReported = true;
      // stern exits here; waiting is kinder: the container starts as soon as another stream ends.
      setImmediate(() => {
        if (this.queue.size === 0) return;
        presenter.streamsQueued(this.queue.size, cfg.maxLogRequests);
      });
    }
  }
}

/** How a previous instance ended: its pod's lastState when it was found. */
function previousEnd(target: Target): InstanceEnd | undefined {
  const cs = statusesOf(target.pod).find(([s]) => s.name === target.container)?.[0];
  return cs ? instanceEnd(target.pod, cs, target.containerID) : undefined;
}
