// The tail in-process: a scripted API, a fake clock, the real pipeline and formatter.
import { describe, expect, it } from "vitest";
import { LinePipeline } from "../../../src/engine/pipeline.ts";
import type { InstanceState } from "../../../src/engine/registry.ts";
import { Tail, type TailOptions } from "../../../src/engine/tail.ts";
import { createLineFormatter } from "../../../src/format/index.ts";
import { Zone } from "../../../src/format/timestamp.ts";
import { ApiError } from "../../../src/kube/errors.ts";
import type { Target } from "../../../src/shared/target.ts";
import { collectingOutput, FakeClock, FedBody, ScriptedApi, tick } from "./fakes.ts";

const target: Target = {
  key: "ns/web/app",
  namespace: "ns",
  podName: "web",
  podUID: "uid-web",
  container: "app",
  kind: "regular",
  containerID: "containerd://1",
  pod: { metadata: { name: "web", namespace: "ns", uid: "uid-web" } },
};
const ts = (s: number, ns: number) =>
  `2026-12-01T10:00:${String(s).padStart(2, "0")}.${String(ns).padStart(9, "0")}Z`;

function setUp(answer: ConstructorParameters<typeof ScriptedApi>[0], opts: Partial<TailOptions> = {}) {
  const api = new ScriptedApi(answer);
  const clock = new FakeClock();
  const output = collectingOutput();
  const formatter = createLineFormatter(
    {
      output: "raw",
      showNamespace: false,
      allNamespaces: false,
      timestamps: undefined,
      zone: new Zone("UTC"),
    },
    {
      context: "",
      contextColor: "",
      namespace: "ns",
      podName: "web",
      containerName: "app",
      nodeName: "",
      labels: undefined,
      annotations: undefined,
      colors: { pod: "", container: "" },
    },
    () => {},
  );
  const pipeline = new LinePipeline(formatter, output, { needsTime: false });
  let state: InstanceState = "running";
  const errors: string[] = [];
  /** What the tail told of the server's text and of lost lines, in order. */
  const notices: string[] = [];
  const tail = new Tail(
    target,
    { follow: true, sinceSeconds: undefined, tailLines: undefined, quietCheckMs: 0, ...opts },
    { api, clock, pipeline },
    {
      state: () => state,
      onError: (m) => errors.push(m),
      onDebug: () => {},
      onServerText: (text) => notices.push(`kubelet: ${text}`),
      onLinesLost: (after, before) => notices.push(`lost after ${after} before ${before}`),
    },
  );
  return {
    api,
    clock,
    output,
    tail,
    errors,
    notices,
    setState: (s: InstanceState) => {
      state = s;
    },
  };
}

describe("Tail", () => {
  it("resumes a stream that ends while the container runs, from the last second, skipping what was read", async () => {
    const bodies = [new FedBody(), new FedBody()];
    let n = 0;
    const t = setUp(() => bodies[n++]!);
    const done = t.tail.run();
    bodies[0]!.push(`${ts(1, 1)} a\n${ts(2, 1)} b\n`).end();
    await tick();
    // It waits a second before resuming: the watch may be about to say the container stopped.
    expect(t.api.requests).toHaveLength(1);
    await t.clock.advance(1000);
    expect(t.api.requests).toHaveLength(2);
    expect(t.api.requests[1]?.query.sinceTime).toBe("2026-12-01T10:00:02Z");
    bodies[1]!.push(`${ts(2, 1)} b\n${ts(2, 2)} c\n`);
    await tick();
    t.setState("stopped");
    bodies[1]!.end();
    expect(await done).toBe("completed");
    expect(t.output.text()).toBe("a\nb\nc\n");
    expect(t.output.ended).toBe(true);
  });

  it("a stream that breaks is resumed after a short back-off, and its partial last line is read again whole", async () => {
    const bodies = [new FedBody(), new FedBody()];
    let n = 0;
    const t = setUp(() => bodies[n++]!);
    const done = t.tail.run();
    bodies[0]!.push(`${ts(1, 1)} a\n${ts(1, 2)} par`).break();
    await tick();
    expect(t.api.requests).toHaveLength(1);
    await t.clock.advance(500); // backoff(1) is 250–500 ms
    expect(t.api.requests).toHaveLength(2);
    bodies[1]!.push(`${ts(1, 1)} a\n${ts(1, 2)} partial\n`);
    await tick();
    t.setState("gone");
    bodies[1]!.end();
    expect(await done).toBe("gone");
    expect(t.output.text()).toBe("a\npartial\n");
  });

  it("a 400 from the API is reported and ends the tail; a 500 is retried", async () => {
    let n = 0;
    const t = setUp(() => {
      n++;
      return n === 1
        ? new ApiError(500, undefined, "boom")
        : new ApiError(400, undefined, "container app is not valid");
    });
    const done = t.tail.run();
    await tick();
    await t.clock.advance(500);
    expect(await done).toBe("failed");
    expect(t.errors).toEqual(["ns/web/app: container app is not valid"]);
  });

  it("a failing resume does not lose its place: the next one resumes from the same second", async () => {
    const bodies = [new FedBody(), new FedBody()];
    let n = 0;
    const t = setUp(() =>
      n++ === 1 ? new ApiError(503, undefined, "unavailable") : bodies[n === 1 ? 0 : 1]!,
    );
    const done = t.tail.run();
    bodies[0]!.push(`${ts(5, 1)} x\n`).break();
    await tick();
    await t.clock.advance(500);
    await t.clock.advance(500);
    await t.clock.advance(1000);
    expect(t.api.requests.map((r) => r.query.sinceTime)).toEqual([
      undefined,
      "2026-12-01T10:00:05Z",
      "2026-12-01T10:00:05Z",
    ]);
    bodies[1]!.push(`${ts(5, 1)} x\n${ts(6, 0)} y\n`);
    await tick();
    t.tail.cancel();
    expect(await done).toBe("stopped");
    expect(t.output.text()).toBe("x\ny\n");
  });

  it("without --follow, a clean end is the end; the first request carries --tail and --since", async () => {
    const body = new FedBody();
    const t = setUp(() => body, { follow: false, tailLines: 10, sinceSeconds: 60 });
    const done = t.tail.run();
    body.push(`${ts(1, 1)} last`).end();
    expect(await done).toBe("completed");
    expect(t.api.requests[0]?.query).toMatchObject({
      follow: false,
      tailLines: 10,
      sinceSeconds: 60,
      timestamps: true,
    });
    // The last line had no newline: it is printed when the stream ends.
    expect(t.output.text()).toBe("last\n");
  });

  it("cancel stops a tail that waits to resume, at once", async () => {
    const body = new FedBody();
    const t = setUp(() => body);
    const done = t.tail.run();
    body.push(`${ts(1, 1)} a\n`).end();
    await tick();
    expect(t.clock.pending).toBe(1);
    t.tail.cancel();
    expect(await done).toBe("stopped");
  });

  describe("a stream that stalls or skips (docs/reliability.md K2)", () => {
    /** Answers probes (tailLines=1) with the given last line, and follow requests with the bodies in turn. */
    function scripted(bodies: FedBody[], lastLine: () => string) {
      let n = 0;
      return setUp(
        (req) => {
          if (req.query.tailLines === 1) return new FedBody().push(`${lastLine()} the last line\n`).end();
          return bodies[n++]!;
        },
        { quietCheckMs: 30_000 },
      );
    }
    /** Lets a chain of promises (probe, grace, resume) run to where it waits. */
    const settle = async () => {
      for (let i = 0; i < 20; i++) await tick();
    };
    const follows = (t: ReturnType<typeof setUp>) => t.api.requests.filter((r) => r.query.tailLines !== 1);
    const probes = (t: ReturnType<typeof setUp>) => t.api.requests.filter((r) => r.query.tailLines === 1);

    /** Three chunks, a tick apart: the stream counts as busy. */
    async function busy(body: FedBody, from: number) {
      for (let i = from; i < from + 3; i++) {
        body.push(`${ts(1, i)} l${i}\n`);
        await tick();
        await t0.clock.advance(100);
      }
    }
    let t0: ReturnType<typeof setUp>;

    it("a busy stream that goes silent while the container writes is resumed within 2 s, every line once", async () => {
      const bodies = [new FedBody(), new FedBody()];
      let last = ts(1, 3);
      const t = scripted(bodies, () => last);
      t0 = t;
      const done = t.tail.run();
      await busy(bodies[0]!, 1);
      // The kubelet's reader is left on the rotated file: the body stays open, nothing comes.
      last = ts(1, 9);
      await t.clock.advance(1000);
      expect(probes(t)).toHaveLength(1);
      expect(probes(t)[0]?.query).toMatchObject({ tailLines: 1, timestamps: true, limitBytes: 64 });
      expect(follows(t)).toHaveLength(1);
      await t.clock.advance(500);
      await settle();
      // Resumed at once, from the second of the last line read; replays skipped.
      expect(follows(t)).toHaveLength(2);
      expect(follows(t)[1]?.query.sinceTime).toBe("2026-12-01T10:00:01Z");
      expect(bodies[0]!.destroyed).toBe(true);
      bodies[1]!.push(`${ts(1, 2)} l2\n${ts(1, 3)} l3\n${ts(1, 4)} l4\n${ts(1, 9)} l9\n`);
      await tick();
      t.tail.cancel();
      expect(await done).toBe("stopped");
      expect(t.output.text()).toBe("l1\nl2\nl3\nl4\nl9\n");
      expect(t.notices).toEqual([]);
    });

    it("a quiet stream is never reopened: the same last line each time, and the checks back off", async () => {
      const bodies = [new FedBody()];
      const t = scripted(bodies, () => ts(1, 1));
      const done = t.tail.run();
      bodies[0]!.push(`${ts(1, 1)} only\n`);
      await tick();
      const at: number[] = [];
      for (let s = 0; s < 400; s++) {
        const before = probes(t).length;
        await t.clock.advance(1000);
        if (probes(t).length > before) at.push(t.clock.now());
      }
      // After 30 s, then 60 s and 120 s more: each answer that finds nothing doubles the wait.
      expect(at).toEqual([30_000, 90_000, 210_000]);
      expect(follows(t)).toHaveLength(1);
      t.tail.cancel();
      await done;
    });

    it("a stream that goes on from a later file after a silence is resumed; what the current file lacks is told once", async () => {
      const bodies = [new FedBody(), new FedBody()];
      let last = ts(1, 3);
      const t = scripted(bodies, () => last);
      t0 = t;
      const done = t.tail.run();
      await busy(bodies[0]!, 1);
      last = ts(2, 5); // written meanwhile, in the file the reader will skip
      await t.clock.advance(1000);
      expect(probes(t)).toHaveLength(1);
      // Within the grace period, the stream wakes in a later file: l5 of second 2 never comes.
      bodies[0]!.push(`${ts(4, 0)} m0\n${ts(4, 1)} m1\n`);
      await settle();
      expect(follows(t)).toHaveLength(2);
      expect(t.output.text()).toBe("l1\nl2\nl3\n");
      // The current file starts after the line the probe saw: that much is gone for good.
      bodies[1]!.push(`${ts(4, 0)} m0\n${ts(4, 1)} m1\n${ts(4, 2)} m2\n`);
      await tick();
      t.tail.cancel();
      await done;
      expect(t.output.text()).toBe("l1\nl2\nl3\nm0\nm1\nm2\n");
      expect(t.notices).toEqual([`lost after ${ts(1, 3)} before ${ts(4, 0)}`]);
    });

    it("a skip whose lines the current file still holds loses nothing: they are read on the resume", async () => {
      const bodies = [new FedBody(), new FedBody()];
      let last = ts(1, 3);
      const t = scripted(bodies, () => last);
      t0 = t;
      const done = t.tail.run();
      await busy(bodies[0]!, 1);
      last = ts(2, 5);
      await t.clock.advance(1000);
      bodies[0]!.push(`${ts(4, 0)} m0\n`);
      await settle();
      bodies[1]!.push(`${ts(1, 3)} l3\n${ts(2, 5)} k5\n${ts(4, 0)} m0\n`);
      await tick();
      t.tail.cancel();
      await done;
      expect(t.output.text()).toBe("l1\nl2\nl3\nk5\nm0\n");
      expect(t.notices).toEqual([]);
    });
  });

  describe("the kubelet's own text in the body (docs/reliability.md K3, K4)", () => {
    const notFound =
      'rpc error: code = NotFound desc = an error occurred when try to find container "62782a0e": not found';

    it("at the end of a body, without timestamp or newline: told apart, never a log line; the container is gone", async () => {
      const body = new FedBody();
      const t = setUp(() => body);
      const done = t.tail.run();
      body.push(`${ts(1, 1)} last words\n${notFound}`).end();
      await tick();
      t.setState("gone");
      t.tail.poke();
      expect(await done).toBe("gone");
      expect(t.output.text()).toBe("last words\n");
      expect(t.notices).toEqual([`kubelet: ${notFound}`]);
      // No resume: the kubelet said the container is gone, and the watch agreed.
      expect(t.api.requests).toHaveLength(1);
    });

    it("a line without its timestamp amid stamped lines is the server's; a server that stamps nothing is shown as is", async () => {
      const bodies = [new FedBody()];
      const t = setUp(() => bodies[0]!, { follow: false });
      const done = t.tail.run();
      bodies[0]!.push(`${ts(1, 1)} a\nfailed to read log\n${ts(1, 2)} b\n`).end();
      expect(await done).toBe("completed");
      expect(t.output.text()).toBe("a\nb\n");
      expect(t.notices).toEqual(["kubelet: failed to read log"]);
      const u = setUp(() => new FedBody().push("plain 1\nplain 2\n").end(), { follow: false });
      expect(await u.tail.run()).toBe("completed");
      expect(u.output.text()).toBe("plain 1\nplain 2\n");
      expect(u.notices).toEqual([]);
    });

    it("the previous instance right after a second crash: the kubelet's 'unable to retrieve' is retried, then the log", async () => {
      const texts = [
        "unable to retrieve container logs for containerd://abc",
        "unable to retrieve container logs for containerd://abc",
        `${ts(1, 1)} before the crash\n`,
      ];
      const t = setUp(() => new FedBody().push(texts.shift()!).end(), { follow: false, previous: true });
      const done = t.tail.run();
      for (let i = 0; i < 4; i++) await t.clock.advance(1000);
      expect(await done).toBe("completed");
      expect(t.output.text()).toBe("before the crash\n");
      expect(t.notices).toEqual([]);
      expect(t.api.requests.every((r) => r.query.previous === true)).toBe(true);
    });

    it("the kubelet's 'unable to retrieve' that lasts is told once, and the tail ends", async () => {
      const t = setUp(
        () => new FedBody().push("unable to retrieve container logs for containerd://abc").end(),
        { follow: false, previous: true },
      );
      const done = t.tail.run();
      for (let i = 0; i < 70; i++) await t.clock.advance(1000);
      expect(await done).toBe("failed");
      expect(t.notices).toEqual(["kubelet: unable to retrieve container logs for containerd://abc"]);
      expect(t.api.requests).toHaveLength(7);
    });
  });
});
