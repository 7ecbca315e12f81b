// The tail in-process: a scripted API, a fake clock, the real pipeline and formatter.
import { describe, expect, it } from "vitest";
import { LinePipeline } from "../../../src/engine/pipeline.ts";
import type { InstanceState } from "../../../src/engine/registry.ts";
import { Tail, type TailOptions } from "../../../src/engine/tail.ts";
import type { Target } from "../../../src/engine/targets.ts";
import { createLineFormatter } from "../../../src/format/index.ts";
import { Zone } from "../../../src/format/timestamp.ts";
import { ApiError } from "../../../src/kube/errors.ts";
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
  const tail = new Tail(
    target,
    { follow: true, sinceSeconds: undefined, tailLines: undefined, quietCheckMs: 0, ...opts },
    { api, clock, pipeline },
    { state: () => state, onError: (m) => errors.push(m), onDebug: () => {} },
  );
  return {
    api,
    clock,
    output,
    tail,
    errors,
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
});
