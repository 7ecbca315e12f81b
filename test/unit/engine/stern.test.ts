// The engine in-process: pod events from a scripted watch, log streams from a scripted API, time from
// a fake clock; what comes out is the sink's bytes and the presenter's events.
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import type { Presenter, StreamEnd } from "../../../src/engine/output.ts";
import { Sink } from "../../../src/engine/sink.ts";
import { runStern, type SternConfig } from "../../../src/engine/stern.ts";
import { describeEnd, describeWaiting } from "../../../src/format/ending-text.ts";
import { createLineFormatter } from "../../../src/format/index.ts";
import { Zone } from "../../../src/format/timestamp.ts";
import type { Pod } from "../../../src/shared/pod.ts";
import { FakeClock, FedBody, iteratorSteps, ScriptedApi, tick } from "./fakes.ts";

const ts = (s: number) => `2026-12-01T10:00:${String(s).padStart(2, "0")}.000000001Z`;

function pod(name: string, id: string, state: "running" | "terminated" = "running"): Pod {
  return {
    metadata: { name, namespace: "ns", uid: `uid-${name}`, resourceVersion: "2" },
    spec: { nodeName: "node-1", containers: [{ name: "app" }] },
    status: {
      containerStatuses: [
        {
          name: "app",
          containerID: id,
          state: state === "running" ? { running: {} } : { terminated: { exitCode: 0, containerID: id } },
        },
      ],
    },
  } as Pod;
}

/** `listed`: the pods the first list answers (the only one without --follow). */
function setUp(extra: Partial<SternConfig> = {}, listed: Pod[] = []) {
  const clock = new FakeClock();
  const watch = new FedBody();
  const logs = new Map<string, FedBody>();
  const api = new ScriptedApi((req) => {
    if (req.query.watch) return watch;
    const id = `${req.path}#${logs.size}`;
    const body = new FedBody();
    logs.set(id, body);
    return body;
  });
  api.json = () => ({ metadata: { resourceVersion: "1" }, items: listed });
  const written = new PassThrough();
  let out = "";
  written.on("data", (d: Buffer) => {
    out += d.toString();
  });
  const sink = new Sink(written);
  const events: string[] = [];
  const format = {
    output: "raw" as const,
    showNamespace: false,
    allNamespaces: false,
    timestamps: undefined,
    zone: new Zone("UTC"),
  };
  const presenter: Presenter = {
    formatterFor: (t) =>
      createLineFormatter(
        format,
        {
          context: "",
          contextColor: "",
          namespace: t.namespace,
          podName: t.podName,
          containerName: t.container,
          nodeName: "",
          labels: undefined,
          annotations: undefined,
          colors: { pod: "", container: "" },
        },
        () => {},
      ),
    streamStarted: (t) => events.push(`+ ${t.podName}/${t.container}@${t.containerID}`),
    streamEnded: (t, why: StreamEnd, end) =>
      events.push(
        `- ${t.podName}/${t.container}@${t.containerID} ${why}${end ? ` (${describeEnd(end)})` : ""}`,
      ),
    waiting: (t, w) => events.push(`! ${t.podName}/${t.container} ${describeWaiting(w)}`),
    serverText: (t, text) => events.push(`! ${t.podName}/${t.container} kubelet: ${text}`),
    linesLost: (t, after, before) => events.push(`! ${t.podName}/${t.container} lost ${after}..${before}`),
    formatEvent: (e) => `event ${e.type} ${e.kind}/${e.name} ${e.reason}: ${e.message}\n`,
    streamsQueued: (n, limit) => events.push(`queued ${n} of limit ${limit}`),
    error: (m) => events.push(`error ${m}`),
    debug: () => {},
  };
  const config: SternConfig = {
    scopes: [{ namespace: "ns", labelSelector: undefined, fieldSelector: undefined }],
    filter: {
      podQuery: /web/,
      excludePod: [],
      container: /.*/,
      excludeContainer: [],
      initContainers: true,
      ephemeralContainers: true,
      containerStates: [],
    },
    follow: true,
    sinceSeconds: undefined,
    tailLines: undefined,
    maxLogRequests: 50,
    needsTime: false,
    ...extra,
  };
  const abort = new AbortController();
  const done = runStern({ api, output: { sink, presenter }, clock }, config, abort.signal);
  const send = (type: string, p: Pod) => watch.push(`${JSON.stringify({ type, object: p })}\n`);
  const flush = async () => {
    for (let i = 0; i < 5; i++) await tick();
    sink.flush();
    await tick();
  };
  return { clock, api, logs, events, send, flush, out: () => out, abort, done };
}

const logBodies = (e: ReturnType<typeof setUp>) => [...e.logs.values()];

describe("engine, in-process", () => {
  it("a pod that appears is followed: + and its lines; a restart's new instance starts after the old one's -", async () => {
    const e = setUp();
    await e.flush();
    e.send("ADDED", pod("web-1", "c1"));
    await e.flush();
    expect(e.events).toEqual(["+ web-1/app@c1"]);
    logBodies(e)[0]!.push(`${ts(1)} one\n`);
    await e.flush();
    expect(e.out()).toBe("one\n");
    // A restart: the pod says c2 runs; the old stream then ends (the kubelet ends it).
    e.send("MODIFIED", pod("web-1", "c2"));
    await e.flush();
    logBodies(e)[0]!.end();
    await e.flush();
    expect(e.events).toEqual(["+ web-1/app@c1", "- web-1/app@c1 gone", "+ web-1/app@c2"]);
    logBodies(e)[1]!.push(`${ts(2)} two\n`);
    await e.flush();
    expect(e.out()).toBe("one\ntwo\n");
    e.abort.abort();
    await e.done;
  });

  it("a deleted pod's stream that does not end by itself is cut after the grace period", async () => {
    const e = setUp();
    await e.flush();
    e.send("ADDED", pod("web-1", "c1"));
    await e.flush();
    e.send("DELETED", pod("web-1", "c1"));
    await e.flush();
    await e.clock.advance(4999);
    await e.flush();
    expect(e.events).toEqual(["+ web-1/app@c1"]);
    await e.clock.advance(1);
    await e.flush();
    expect(e.events).toEqual(["+ web-1/app@c1", "- web-1/app@c1 stopped"]);
    e.abort.abort();
    await e.done;
  });

  it("a container that terminates ends its stream when the log ends: completed", async () => {
    const e = setUp();
    await e.flush();
    e.send("ADDED", pod("web-1", "c1"));
    await e.flush();
    e.send("MODIFIED", pod("web-1", "c1", "terminated"));
    await e.flush();
    logBodies(e)[0]!
      .push(`${ts(1)} bye\n`)
      .end();
    await e.flush();
    expect(e.events).toEqual(["+ web-1/app@c1", "- web-1/app@c1 completed (exit 0)"]);
    expect(e.out()).toBe("bye\n");
    expect(e.api.requests.filter((r) => r.path.endsWith("/log"))).toHaveLength(1);
    e.abort.abort();
    await e.done;
  });

  it("a waiting reason the watch reports while the old stream drains is said after its - line", async () => {
    const e = setUp();
    await e.flush();
    e.send("ADDED", pod("web-1", "c1"));
    await e.flush();
    const crashing = pod("web-1", "c1");
    const cs = crashing.status!.containerStatuses![0]!;
    cs.restartCount = 1;
    cs.state = { waiting: { reason: "CrashLoopBackOff", message: "back-off 10s" } };
    cs.lastState = { terminated: { containerID: "c1", exitCode: 137, reason: "OOMKilled" } };
    e.send("MODIFIED", crashing);
    await e.flush();
    expect(e.events).toEqual(["+ web-1/app@c1"]);
    logBodies(e)[0]!
      .push(`${ts(1)} out of memory\n`)
      .end();
    await e.flush();
    expect(e.events).toEqual([
      "+ web-1/app@c1",
      "- web-1/app@c1 completed (exit 137, OOMKilled, restart 1)",
      "! web-1/app CrashLoopBackOff: back-off 10s",
    ]);
    e.abort.abort();
    await e.done;
  });

  it("--previous: the previous instance is read whole (previous=true) before the current one is followed", async () => {
    const e = setUp({ previous: true });
    await e.flush();
    const restarted = pod("web-1", "c2");
    const cs = restarted.status!.containerStatuses![0]!;
    cs.restartCount = 1;
    cs.lastState = { terminated: { containerID: "c1", exitCode: 2, reason: "Error" } };
    e.send("ADDED", restarted);
    await e.flush();
    expect(e.events).toEqual(["+ web-1/app@c1"]);
    const first = e.api.requests.filter((r) => r.path.endsWith("/log"))[0];
    expect([first?.query.previous, first?.query.follow]).toEqual([true, false]);
    logBodies(e)[0]!
      .push(`${ts(1)} before\n`)
      .end();
    await e.flush();
    expect(e.events).toEqual([
      "+ web-1/app@c1",
      "- web-1/app@c1 completed (exit 2, Error, restart 1)",
      "+ web-1/app@c2",
    ]);
    const second = e.api.requests.filter((r) => r.path.endsWith("/log"))[1];
    expect([second?.query.previous, second?.query.follow]).toEqual([undefined, true]);
    logBodies(e)[1]!.push(`${ts(2)} after\n`);
    await e.flush();
    expect(e.out()).toBe("before\nafter\n");
    e.abort.abort();
    await e.done;
  });

  // Ctrl-C clears the queue of containers waiting for a --max-log-requests slot, which rejects their
  // jobs: nothing may be left unhandled (the process would end with 1 and a stack trace).
  it.each([
    ["--follow", true],
    ["--no-follow", false],
  ])("an abort while containers wait for a slot (%s) ends the run cleanly", async (_name, follow) => {
    const unhandled: unknown[] = [];
    const onUnhandled = (err: unknown) => unhandled.push(err);
    process.on("unhandledRejection", onUnhandled);
    try {
      const pods = ["web-1", "web-2", "web-3"].map((n) => pod(n, `c-${n}`));
      const e = setUp({ follow, maxLogRequests: 1 }, follow ? [] : pods);
      await e.flush();
      if (follow) for (const p of pods) e.send("ADDED", p);
      await e.flush();
      expect(e.events.filter((x) => x.startsWith("+ "))).toEqual(["+ web-1/app@c-web-1"]);
      e.abort.abort();
      await e.done;
      for (let i = 0; i < 5; i++) await tick();
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });

  // Every pod event finds its pod's tails: with a scan of all tails that made start-up quadratic (20k
  // pods: 4 s of CPU; 100k: minutes). Counted, not timed: the steps of every Set, Map and Array
  // iterator (each for-of and spread) while the engine takes in a list of N pods, for N and 2N.
  it("taking in N pods at start-up is linear in N: twice the pods, twice the work", async () => {
    const steps = async (n: number) => {
      const pods = Array.from({ length: n }, (_, i) => pod(`web-${i}`, `c-${i}`));
      let e: ReturnType<typeof setUp> | undefined;
      const count = await iteratorSteps(async () => {
        e = setUp({ maxLogRequests: 50 }, pods);
        await e.flush();
      });
      expect(e?.api.requests.filter((r) => r.path.endsWith("/log"))).toHaveLength(50);
      e?.abort.abort();
      await e?.done;
      return count;
    };
    const [small, large] = [await steps(2000), await steps(4000)];
    expect(large / small).toBeLessThan(2.5);
    // About 40 steps a pod today; a scan of the tails made it 2,000 a pod at 4000 pods.
    expect(large).toBeLessThan(4000 * 100);
  });
});
