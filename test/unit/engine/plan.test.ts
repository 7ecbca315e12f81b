// --dry-run's count of what a run would request (pure), and its words.
import { describe, expect, it } from "vitest";
import { plannedRequests } from "../../../src/engine/plan.ts";
import type { SternConfig } from "../../../src/engine/stern.ts";
import { planSummary, stateText } from "../../../src/format/plan.ts";

const scope = (namespace: string) => ({ namespace, labelSelector: undefined, fieldSelector: undefined });
const config = (o: Partial<SternConfig>): SternConfig =>
  ({ scopes: [scope("a")], follow: true, maxLogRequests: 50, ...o }) as SternConfig;

describe("plannedRequests", () => {
  it("a list and a watch per scope while following; lists only without", () => {
    expect(plannedRequests(config({ scopes: [scope("a"), scope("b")] }), 3)).toEqual({
      logs: 3,
      logsAtOnce: 3,
      lists: 2,
      watches: 2,
      checks: 0,
    });
    expect(plannedRequests(config({ follow: false, maxLogRequests: 5 }), 9)).toMatchObject({
      logsAtOnce: 5,
      lists: 1,
      watches: 0,
    });
  });

  it("--sort --no-follow opens every stream at once", () => {
    expect(
      plannedRequests(config({ follow: false, maxLogRequests: 5, sort: { windowMs: 0 } }), 9).logsAtOnce,
    ).toBe(9);
  });

  it("nodes, Jobs (--until-done), events (one request to find their group), --stream's checks", () => {
    const c = config({
      scopes: [{ ...scope("a"), workload: { kind: "job", name: "m", uid: "u" } }],
      untilDone: true,
      nodeSelector: "zone=a",
      events: { types: [], notBeforeMs: 0 },
      stream: "Stderr",
    });
    expect(plannedRequests(c, 2)).toEqual({ logs: 2, logsAtOnce: 2, lists: 5, watches: 4, checks: 2 });
    expect(plannedRequests(c, 0).checks).toBe(0);
  });
});

describe("the words", () => {
  it("states", () => {
    expect(stateText({ name: "running" }, false)).toBe("running");
    expect(stateText({ name: "waiting", reason: "ImagePullBackOff" }, false)).toBe(
      "waiting: ImagePullBackOff",
    );
    expect(stateText({ name: "waiting", reason: undefined }, false)).toBe("waiting");
    const end = {
      exitCode: 1,
      signal: undefined,
      reason: "Error",
      message: undefined,
      restartCount: 2,
      evicted: undefined,
    };
    expect(stateText({ name: "terminated", end }, true)).toBe(
      "terminated (previous): exit 1, Error, restart 2",
    );
  });

  it("the summary", () => {
    expect(planSummary(1, { logs: 1, logsAtOnce: 1, lists: 1, watches: 1, checks: 2 })).toBe(
      "1 container: 1 log stream (at most 1 open at once); 5 requests in all: 1 log stream, 1 list, 1 watch, 2 checks of the server\n",
    );
  });
});
