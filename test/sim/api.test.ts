import https from "node:https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventReader, get, getJson, open, readAll } from "../../sim/client.ts";
import { fastLine, formatTimestamp, type Sim, startSim } from "../../sim/index.ts";
import {
  matchesFields,
  matchesLabels,
  normalizeFieldSelector,
  parseFieldSelector,
  parseLabelSelector,
  SelectorError,
} from "../../sim/selectors.ts";

// biome-ignore lint/suspicious/noExplicitAny: navigating arbitrary JSON bodies in assertions
type Json = Record<string, any>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const statusOf = (sim: Sim, name: string): Json => (sim.getPod("default", name)?.status ?? {}) as Json;

describe("label selectors", () => {
  it.each([
    ["a=b", [{ key: "a", op: "=", values: ["b"] }]],
    ["a==b", [{ key: "a", op: "=", values: ["b"] }]],
    ["a!=b", [{ key: "a", op: "!=", values: ["b"] }]],
    ["a", [{ key: "a", op: "exists", values: [] }]],
    ["!a", [{ key: "a", op: "!", values: [] }]],
    ["a in (x, y)", [{ key: "a", op: "in", values: ["x", "y"] }]],
    ["a notin (x)", [{ key: "a", op: "notin", values: ["x"] }]],
    ["a=", [{ key: "a", op: "=", values: [""] }]],
    ["a>5", [{ key: "a", op: "gt", values: ["5"] }]],
    ["", []],
    [
      " app.kubernetes.io/name = web , tier!=db,!legacy ",
      [
        { key: "app.kubernetes.io/name", op: "=", values: ["web"] },
        { key: "tier", op: "!=", values: ["db"] },
        { key: "legacy", op: "!", values: [] },
      ],
    ],
  ])("parses %j", (input, want) => {
    expect(parseLabelSelector(input)).toEqual(want);
  });

  it.each([
    ["a in b", "found 'b', expected: '('"],
    ["a b", "found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    ["a=b=c", "found '=', expected: ',' or 'end of string'"],
    ["=b", "found '=', expected: identifier"],
    ["a,", "found 'end of string', expected: identifier"],
    ["a in (x", "found 'end of string', expected: ',' or ')'"],
    ["-a=b", 'key: Invalid value: "-a"'],
    ["a=-b", 'Invalid value: "-b"'],
    ["a>x", "the value must be an integer"],
  ])("rejects %j", (input, msg) => {
    expect(() => parseLabelSelector(input)).toThrow(SelectorError);
    expect(() => parseLabelSelector(input)).toThrow(msg);
  });

  const labels = { app: "web", tier: "fe", n: "7" };
  it.each([
    ["app=web", true],
    ["app=db", false],
    ["app!=db", true],
    ["missing!=x", true],
    ["app in (db,web)", true],
    ["app notin (db,web)", false],
    ["missing notin (x)", true],
    ["missing in (x)", false],
    ["app", true],
    ["missing", false],
    ["!missing", true],
    ["!app", false],
    ["app=web,tier=fe", true],
    ["app=web,tier=be", false],
    ["n>5,n<8", true],
    ["n>7", false],
    ["", true],
  ])("%j matches: %s", (sel, want) => {
    expect(matchesLabels(parseLabelSelector(sel), labels)).toBe(want);
  });
});

describe("field selectors", () => {
  it("parses =, ==, != and escapes", () => {
    expect(parseFieldSelector("a=b,c!=d,e==f")).toEqual([
      { field: "a", op: "=", value: "b" },
      { field: "c", op: "!=", value: "d" },
      { field: "e", op: "=", value: "f" },
    ]);
    expect(parseFieldSelector("metadata.name=a\\,b")).toEqual([
      { field: "metadata.name", op: "=", value: "a,b" },
    ]);
    expect(parseFieldSelector("")).toEqual([]);
    expect(() => parseFieldSelector("abc")).toThrow("invalid selector: 'abc'; can't understand 'abc'");
  });

  it("normalizes aliases and rejects unsupported labels", () => {
    expect(normalizeFieldSelector("pods", parseFieldSelector("spec.host=n1"))).toEqual([
      { field: "spec.nodeName", op: "=", value: "n1" },
    ]);
    expect(() => normalizeFieldSelector("pods", parseFieldSelector("spec.foo=x"))).toThrow(
      "field label not supported: spec.foo",
    );
    expect(() => normalizeFieldSelector("namespaces", parseFieldSelector("spec.nodeName=x"))).toThrow(
      "field label not supported: spec.nodeName",
    );
  });

  it("matches", () => {
    const f = { "status.phase": "Running", "spec.nodeName": "n1" };
    expect(matchesFields(parseFieldSelector("status.phase=Running,spec.nodeName!=n2"), f)).toBe(true);
    expect(matchesFields(parseFieldSelector("status.phase!=Running"), f)).toBe(false);
  });
});

describe("sim over HTTPS", () => {
  let sim: Sim;
  beforeAll(async () => {
    sim = await startSim({
      namespaces: ["default", "other"],
      bookmarkIntervalMs: 100,
      watchHistoryLimit: 50,
    });
  });
  afterAll(async () => {
    await sim.stop();
  });

  it("answers 401 with a Status without a valid token", async () => {
    for (const token of [null, "wrong"]) {
      const r = await get(sim, "/api/v1/pods", { token });
      expect(r.status).toBe(401);
      expect(r.headers["content-type"]).toBe("application/json");
      expect(JSON.parse(r.body)).toEqual({
        kind: "Status",
        apiVersion: "v1",
        metadata: {},
        status: "Failure",
        message: "Unauthorized",
        reason: "Unauthorized",
        code: 401,
      });
    }
  });

  it("serves discovery and 404 for openapi", async () => {
    expect((await getJson<Json>(sim, "/api")).versions).toEqual(["v1"]);
    const v1 = await getJson<Json>(sim, "/api/v1");
    const names = (v1.resources as Json[]).map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(["pods", "pods/log", "namespaces", "services", "nodes"]));
    expect((v1.resources as Json[]).find((r) => r.name === "pods")?.shortNames).toEqual(["po"]);
    expect((await getJson<Json>(sim, "/apis")).kind).toBe("APIGroupList");
    expect((await getJson<Json>(sim, "/version")).major).toBe("1");
    const r = await get(sim, "/openapi/v2");
    expect(r.status).toBe(404);
    expect(JSON.parse(r.body).reason).toBe("NotFound");
  });

  it("lists with label and field selectors, all namespaces, and 400 on bad selectors", async () => {
    sim.addPod({
      namespace: "other",
      name: "sel-a",
      labels: { app: "sel", tier: "fe" },
      containers: [{ name: "c" }],
    });
    sim.addPod({
      namespace: "other",
      name: "sel-b",
      labels: { app: "sel", tier: "be" },
      containers: [{ name: "c" }],
    });
    sim.addPod({
      namespace: "other",
      name: "sel-c",
      labels: { app: "sel" },
      nodeName: "",
      containers: [{ name: "c" }],
    });
    const names = async (q: string) =>
      ((await getJson<Json>(sim, `/api/v1/namespaces/other/pods?${q}`)).items as Json[]).map(
        (p) => p.metadata.name,
      );
    expect(await names("labelSelector=app%3Dsel")).toEqual(["sel-a", "sel-b", "sel-c"]);
    expect(await names(`labelSelector=${encodeURIComponent("tier in (fe,xx)")}`)).toEqual(["sel-a"]);
    expect(await names(`labelSelector=${encodeURIComponent("app=sel,!tier")}`)).toEqual(["sel-c"]);
    expect(await names(`labelSelector=${encodeURIComponent("tier!=fe")}`)).toEqual(["sel-b", "sel-c"]);
    expect(await names("fieldSelector=spec.nodeName%3D")).toEqual(["sel-c"]);
    expect(await names("fieldSelector=status.phase%3DRunning,metadata.name!%3Dsel-a")).toEqual(["sel-b"]);
    const all = await getJson<Json>(sim, "/api/v1/pods?labelSelector=app%3Dsel");
    expect(all.kind).toBe("PodList");
    expect(all.metadata.resourceVersion).toMatch(/^\d+$/);
    expect((all.items as Json[]).map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).toContain(
      "other/sel-b",
    );
    const bad = await get(sim, "/api/v1/namespaces/other/pods?fieldSelector=spec.foo%3Dx");
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).message).toBe("field label not supported: spec.foo");
    const badLabel = await get(sim, `/api/v1/pods?labelSelector=${encodeURIComponent("a in b")}`);
    expect(badLabel.status).toBe(400);
    expect(JSON.parse(badLabel.body).reason).toBe("BadRequest");
  });

  it("paginates with limit/continue at a fixed resourceVersion", async () => {
    for (let i = 0; i < 5; i++)
      sim.addPod({ namespace: "other", name: `page-${i}`, containers: [{ name: "c" }] });
    const base = "/api/v1/namespaces/other/pods?labelSelector=&limit=2";
    const p1 = await getJson<Json>(sim, base);
    expect((p1.items as Json[]).length).toBe(2);
    expect(p1.metadata.continue).toBeTruthy();
    sim.addPod({ namespace: "other", name: "page-9", containers: [{ name: "c" }] });
    const seen = [...(p1.items as Json[])];
    let cont = p1.metadata.continue as string | undefined;
    while (cont) {
      const p = await getJson<Json>(sim, `${base}&continue=${encodeURIComponent(cont)}`);
      expect(p.metadata.resourceVersion).toBe(p1.metadata.resourceVersion);
      seen.push(...(p.items as Json[]));
      cont = p.metadata.continue;
    }
    const names = seen.map((p) => p.metadata.name);
    expect(names).not.toContain("page-9");
    expect(names).toContain("page-4");
    expect(new Set(names).size).toBe(names.length);
    const bad = await get(sim, `${base}&continue=garbage`);
    expect(bad.status).toBe(400);
  });

  it("serves Tables with real pod columns when asked", async () => {
    const accept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
    sim.addPod({
      namespace: "other",
      name: "tbl",
      containers: [{ name: "a" }, { name: "b", state: "waiting" }],
    });
    const t = await getJson<Json>(sim, "/api/v1/namespaces/other/pods?fieldSelector=metadata.name%3Dtbl", {
      headers: { accept },
    });
    expect(t.kind).toBe("Table");
    expect((t.columnDefinitions as Json[]).filter((c) => c.priority === 0).map((c) => c.name)).toEqual([
      "Name",
      "Ready",
      "Status",
      "Restarts",
      "Age",
    ]);
    expect(t.rows[0].cells.slice(0, 4)).toEqual(["tbl", "1/2", "ContainerCreating", "0"]);
    expect(t.rows[0].object.kind).toBe("PartialObjectMetadata");
    const full = await getJson<Json>(sim, "/api/v1/namespaces/other/pods/tbl?includeObject=Object", {
      headers: { accept },
    });
    expect(full.rows[0].object.kind).toBe("Pod");
  });

  it("answers 403 like the real authorizer for denied verbs", async () => {
    sim.deny({ namespace: "other", verb: "list", resource: "pods" });
    sim.deny({ namespace: "other", verb: "get", resource: "pods/log" });
    try {
      const r = await get(sim, "/api/v1/namespaces/other/pods");
      expect(r.status).toBe(403);
      expect(JSON.parse(r.body)).toMatchObject({
        reason: "Forbidden",
        details: { kind: "pods" },
        message:
          'pods is forbidden: User "system:serviceaccount:default:stern" cannot list resource "pods" in API group "" in the namespace "other"',
      });
      const l = await get(sim, "/api/v1/namespaces/other/pods/sel-a/log");
      expect(JSON.parse(l.body).message).toBe(
        'pods "sel-a" is forbidden: User "system:serviceaccount:default:stern" cannot get resource "pods/log" in API group "" in the namespace "other"',
      );
      expect((await get(sim, "/api/v1/namespaces/default/pods")).status).toBe(200);
    } finally {
      sim.clearDeny();
    }
  });
});

describe("watch", () => {
  let sim: Sim;
  beforeAll(async () => {
    sim = await startSim({ bookmarkIntervalMs: 100, watchHistoryLimit: 20 });
  });
  afterAll(async () => {
    await sim.stop();
  });
  const watchPath = (q: string) => `/api/v1/namespaces/default/pods?watch=true&${q}`;

  it("sends synthetic ADDED without resourceVersion, then changes; only later events with one", async () => {
    const p = sim.addPod({ name: "w1", labels: { app: "w" }, containers: [{ name: "c" }] });
    const w = new EventReader(await open(sim, watchPath("labelSelector=app%3Dw")));
    expect(w.res.headers["content-type"]).toBe("application/json");
    await w.until((e) => e.length >= 1);
    expect(w.events[0]?.type).toBe("ADDED");
    const rvAfterAdd = Number(sim.getPod("default", "w1")?.metadata.resourceVersion);
    p.setLabels({ app: "w", v: "2" });
    p.setLabels({ app: "other" }); // stops matching: DELETED for this watcher
    p.setLabels({ app: "w" }); // matches again: ADDED
    await sim.deletePod("default", "w1", { graceMs: 0 });
    await w.until((e) => e.length >= 6);
    expect(w.events.map((e) => e.type)).toEqual([
      "ADDED",
      "MODIFIED",
      "DELETED",
      "ADDED",
      "MODIFIED",
      "DELETED",
    ]);
    expect((w.events[4]?.object ?? {}) as Json).toHaveProperty("metadata.deletionTimestamp");
    w.close();

    const r = new EventReader(
      await open(sim, watchPath(`labelSelector=app%3Dw&resourceVersion=${rvAfterAdd}`)),
    );
    await r.until((e) => e.length >= 5);
    expect(r.events.map((e) => e.type)).toEqual(["MODIFIED", "DELETED", "ADDED", "MODIFIED", "DELETED"]);
    r.close();
  });

  it("answers a too-old resourceVersion with 200, one ERROR 410 event, then closes", async () => {
    for (let i = 0; i < 30; i++) sim.addPod({ name: `churn-${i}`, containers: [{ name: "c" }] });
    const res = await open(sim, watchPath("resourceVersion=1001"));
    expect(res.statusCode).toBe(200);
    const w = new EventReader(res);
    const events = await w.end();
    expect(events).toHaveLength(1);
    expect(events[0]?.type).toBe("ERROR");
    expect(events[0]?.object).toMatchObject({
      kind: "Status",
      code: 410,
      reason: "Expired",
      status: "Failure",
    });
    expect(String(events[0]?.object.message)).toMatch(/^too old resource version: 1001 \(\d+\)$/);
  });

  it("sends bookmarks when allowed and closes after timeoutSeconds", async () => {
    const t0 = Date.now();
    const w = new EventReader(
      await open(
        sim,
        watchPath(
          `allowWatchBookmarks=true&timeoutSeconds=1&resourceVersion=${sim.cluster.store.resourceVersion}`,
        ),
      ),
    );
    const events = await w.end(3000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    const marks = events.filter((e) => e.type === "BOOKMARK");
    expect(marks.length).toBeGreaterThanOrEqual(3);
    expect(marks[0]?.object).toEqual({
      kind: "Pod",
      apiVersion: "v1",
      metadata: { resourceVersion: String(sim.cluster.store.resourceVersion) },
    });
    const plain = new EventReader(
      await open(sim, watchPath("timeoutSeconds=1&fieldSelector=metadata.name%3Dnone")),
    );
    expect(await plain.end(3000)).toEqual([]);
  });

  it("closeWatches ends cleanly; expireWatches sends 410 and makes older versions expired", async () => {
    const rv = sim.cluster.store.resourceVersion;
    const a = new EventReader(await open(sim, watchPath(`resourceVersion=${rv}`)));
    await sleep(50);
    expect(sim.faults.closeWatches()).toBeGreaterThanOrEqual(1);
    expect(await a.end()).toEqual([]);
    const b = new EventReader(await open(sim, watchPath(`resourceVersion=${rv}`)));
    await sleep(50);
    sim.addPod({ name: "before-expire", containers: [{ name: "c" }] });
    await b.until((e) => e.length === 1);
    sim.faults.expireWatches();
    const ev = await b.end();
    expect(ev.map((e) => [e.type, e.object.code])).toEqual([
      ["ADDED", undefined],
      ["ERROR", 410],
    ]);
    sim.addPod({ name: "after-expire", containers: [{ name: "c" }] });
    const c = new EventReader(await open(sim, watchPath(`resourceVersion=${rv}`)));
    expect((await c.end()).map((e) => e.type)).toEqual(["ERROR"]);
  });
});

describe("pod logs", () => {
  let sim: Sim;
  beforeAll(async () => {
    sim = await startSim({});
  });
  afterAll(async () => {
    await sim.stop();
  });
  const logPath = (pod: string, q = "") => `/api/v1/namespaces/default/pods/${pod}/log${q ? `?${q}` : ""}`;

  it("validates PodLogOptions with 422 Invalid and causes", async () => {
    sim.addPod({ name: "v", containers: [{ name: "c" }] });
    const cases: [string, string, string][] = [
      ["sinceSeconds=0", "sinceSeconds", "must be greater than 0"],
      ["tailLines=-1", "tailLines", "must be greater than or equal to 0"],
      ["limitBytes=0", "limitBytes", "must be greater than 0"],
      [
        "sinceSeconds=5&sinceTime=2024-01-01T00:00:00Z",
        "",
        "at most one of `sinceTime` or `sinceSeconds` may be specified",
      ],
    ];
    for (const [q, field, msg] of cases) {
      const r = await get(sim, logPath("v", q));
      expect(r.status).toBe(422);
      const s = JSON.parse(r.body);
      expect(s).toMatchObject({
        kind: "Status",
        reason: "Invalid",
        code: 422,
        details: { name: "v", kind: "PodLogOptions" },
      });
      expect(s.details.causes[0].field).toBe(field);
      expect(s.details.causes[0].message).toContain(msg);
      expect(s.message).toContain(msg);
    }
    expect((await get(sim, logPath("v", "tailLines=0"))).status).toBe(200);
  });

  it("resolves containers with the exact API server and kubelet errors", async () => {
    const m = sim.addPod({
      name: "multi",
      initContainers: [{ name: "init" }],
      containers: [
        { name: "a" },
        { name: "b" },
        { name: "w", state: "waiting", waitingReason: "ImagePullBackOff" },
      ],
    });
    m.log("init", "init done");
    sim.addPod({ name: "pending", nodeName: "", containers: [{ name: "c" }] });
    const err = async (path: string) => {
      const r = await get(sim, path);
      return [r.status, JSON.parse(r.body).message];
    };
    expect(await err(logPath("multi"))).toEqual([
      400,
      "a container name must be specified for pod multi, choose one of: [init a b w]",
    ]);
    expect(await err(logPath("multi", "container=zz"))).toEqual([
      400,
      "container zz is not valid for pod multi",
    ]);
    expect(await err(logPath("multi", "container=w"))).toEqual([
      400,
      'container "w" in pod "multi" is waiting to start: trying and failing to pull image',
    ]);
    expect(await err(logPath("multi", "container=a&previous=true"))).toEqual([
      400,
      'previous terminated container "a" in pod "multi" not found',
    ]);
    expect(await err(logPath("nope"))).toEqual([404, 'pods "nope" not found']);
    expect((await get(sim, logPath("multi", "container=init"))).body).toBe("init done\n");
    const empty = await get(sim, logPath("pending"));
    expect([empty.status, empty.body, empty.headers["content-type"]]).toEqual([200, "", "text/plain"]);
    const w = sim.addPod({ name: "creating", containers: [{ name: "c", state: "waiting" }] });
    expect(await err(logPath("creating"))).toEqual([
      400,
      'container "c" in pod "creating" is waiting to start: ContainerCreating',
    ]);
    w.start("c").log("c", "up");
    expect((await get(sim, logPath("creating"))).body).toBe("up\n");
  });

  it("serves ephemeral and sidecar containers", async () => {
    const p = sim.addPod({
      name: "eph",
      initContainers: [{ name: "proxy", restartPolicy: "Always" }],
      containers: [{ name: "app" }],
    });
    const rv = Number(p.json?.metadata.resourceVersion);
    p.addEphemeralContainer({ name: "debugger", image: "busybox:1.36" }).log("debugger", "debugging");
    p.log("proxy", "proxying");
    expect(Number(p.json?.metadata.resourceVersion)).toBeGreaterThan(rv);
    const st = statusOf(sim, "eph");
    expect(st.ephemeralContainerStatuses[0]).toMatchObject({ name: "debugger", started: true });
    expect(st.initContainerStatuses[0].state.running).toBeTruthy();
    expect((await get(sim, logPath("eph", "container=debugger"))).body).toBe("debugging\n");
    expect((await get(sim, logPath("eph", "container=proxy"))).body).toBe("proxying\n");
    // One regular container: it is the default even with init and ephemeral ones around.
    expect((await get(sim, logPath("eph"))).status).toBe(200);
  });

  it("applies timestamps, tailLines, sinceSeconds, sinceTime (whole seconds) and limitBytes", async () => {
    const p = sim.addPod({ name: "hist", containers: [{ name: "c" }] });
    const base = Math.floor(Date.now() / 1000) * 1000 - 60_000;
    p.logAt("c", base - 1, "before");
    p.logAt("c", base + 123.456789, "first");
    p.logAt("c", base + 700, "second");
    p.logAt("c", base + 50_000, "recent");
    expect((await get(sim, logPath("hist", "timestamps=true&tailLines=3"))).body.split("\n")[0]).toBe(
      `${formatTimestamp(base + 123.456789)} first`,
    );
    expect(formatTimestamp(Date.UTC(2024, 0, 1) + 123.5)).toBe("2024-01-01T00:00:00.123500000Z");
    p.logAt("c", "2099-01-01T00:00:00.123456789Z", "future");
    expect((await get(sim, logPath("hist", "timestamps=true&tailLines=1"))).body).toBe(
      "2099-01-01T00:00:00.123456789Z future\n",
    );
    expect((await get(sim, logPath("hist", "tailLines=2"))).body).toBe("recent\nfuture\n");
    expect((await get(sim, logPath("hist", "tailLines=0"))).body).toBe("");
    expect((await get(sim, logPath("hist", "sinceSeconds=30"))).body).toBe("recent\nfuture\n");
    const sinceTime = new Date(base + 900).toISOString(); // truncated to `base`
    expect((await get(sim, logPath("hist", `sinceTime=${encodeURIComponent(sinceTime)}`))).body).toBe(
      "first\nsecond\nrecent\nfuture\n",
    );
    expect((await get(sim, logPath("hist", "limitBytes=10"))).body).toBe("before\nfir");
  });

  it("follows: history first, then new lines, and ends when the container terminates", async () => {
    const p = sim.addPod({ name: "fol", containers: [{ name: "c" }] });
    p.log("c", "one");
    const res = await open(sim, logPath("fol", "follow=true"));
    expect(res.headers["content-type"]).toBe("text/plain");
    let got = "";
    res.setEncoding("utf8");
    res.on("data", (s: string) => {
      got += s;
    });
    const ended = new Promise<void>((r) => res.on("end", () => r()));
    await sleep(50);
    p.log("c", "two", "three");
    await sleep(50);
    expect(got).toBe("one\ntwo\nthree\n");
    p.log("c", "last");
    p.terminate("c", { exitCode: 0 });
    await ended;
    expect(got).toBe("one\ntwo\nthree\nlast\n");
    // Following an already terminated container returns its log and ends.
    expect((await get(sim, logPath("fol", "follow=true"))).body).toBe("one\ntwo\nthree\nlast\n");
  });

  it("restart gives a new instance; previous=true reads the last terminated one", async () => {
    const p = sim.addPod({ name: "rs", containers: [{ name: "c" }] });
    const id1 = p.containerId("c");
    expect(id1).toMatch(/^containerd:\/\/[0-9a-f]{64}$/);
    p.log("c", "gen1");
    const follow = open(sim, logPath("rs", "follow=true")).then(readAll);
    await sleep(50);
    p.restart("c");
    expect(await follow).toBe("gen1\n");
    p.log("c", "gen2");
    const st = statusOf(sim, "rs").containerStatuses[0];
    expect(st.restartCount).toBe(1);
    expect(st.containerID).not.toBe(id1);
    expect(st.lastState.terminated.containerID).toBe(id1);
    expect(st.state.running).toBeTruthy();
    expect((await get(sim, logPath("rs"))).body).toBe("gen2\n");
    expect((await get(sim, logPath("rs", "previous=true"))).body).toBe("gen1\n");
  });

  it("cut resets the connection; end closes cleanly while the container runs", async () => {
    const p = sim.addPod({ name: "faulty", containers: [{ name: "c" }] });
    p.log("c", "x");
    const cut = open(sim, logPath("faulty", "follow=true")).then(readAll);
    await sleep(50);
    expect(sim.faults.cutLogStreams({ pod: "faulty" })).toBe(1);
    await expect(cut).rejects.toThrow();
    const clean = open(sim, logPath("faulty", "follow=true")).then(readAll);
    await sleep(50);
    expect(sim.faults.endLogStreams({ pod: "faulty", container: "c" })).toBe(1);
    expect(await clean).toBe("x\n");
    expect(statusOf(sim, "faulty").containerStatuses[0].state.running).toBeTruthy();
  });

  it("failNext fails matching requests, delay slows them", async () => {
    sim.faults.failNext({ path: /\/pods$/, status: 500, times: 2 });
    sim.faults.failNext({ path: "/api/v1/namespaces", status: 429, retryAfterSeconds: 3 });
    const list = "/api/v1/namespaces/default/pods";
    const r1 = await get(sim, list);
    expect([r1.status, JSON.parse(r1.body).reason]).toEqual([500, "InternalError"]);
    expect((await get(sim, list)).status).toBe(500);
    const r3 = await get(sim, "/api/v1/namespaces");
    expect([r3.status, r3.headers["retry-after"], JSON.parse(r3.body).details.retryAfterSeconds]).toEqual([
      429,
      "3",
      3,
    ]);
    expect((await get(sim, list)).status).toBe(200);
    sim.faults.delay({ path: /\/version/, ms: 200 });
    const t0 = Date.now();
    await get(sim, "/version");
    expect(Date.now() - t0).toBeGreaterThanOrEqual(190);
    sim.faults.clear();
  });

  it("deployment pods are named and owned like real ones; replacePod swaps one", async () => {
    const d = sim.addDeployment({
      name: "service",
      replicas: 2,
      containers: [{ name: "server" }, { name: "gateway" }],
    });
    expect(d.pods).toHaveLength(2);
    for (const p of d.pods) {
      expect(p.name).toMatch(/^service-[bcdfghjklmnpqrstvwxz2456789]{10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      const meta = sim.getPod("default", p.name)?.metadata;
      expect(meta?.ownerReferences?.[0]).toMatchObject({
        kind: "ReplicaSet",
        name: d.replicaSetName,
        controller: true,
      });
      expect(meta?.labels).toEqual({ app: "service", "pod-template-hash": d.podTemplateHash });
    }
    const old = d.pods[0]?.name ?? "";
    const fresh = await d.replacePod(old, { graceMs: 50 });
    expect(sim.getPod("default", old)).toBeUndefined();
    expect(d.pods.map((p) => p.name)).toContain(fresh.name);
    expect(statusOf(sim, fresh.name).phase).toBe("Running");
  });
});

describe("scale, backpressure and restart", () => {
  let sim: Sim;
  beforeAll(async () => {
    sim = await startSim({});
  });
  afterAll(async () => {
    await sim.stop();
  });

  it("stops producing while the reader does not read (backpressure)", async () => {
    const p = sim.addPod({ name: "fast", containers: [{ name: "c" }] });
    p.emitFast("c", { lines: 5_000_000, lineBytes: 100 });
    const res = await open(sim, "/api/v1/namespaces/default/pods/fast/log?follow=true");
    res.pause();
    // Wait until production stops (socket buffers full), however loaded the machine is.
    let a = -1;
    let b = sim.stats.virtualLinesGenerated;
    for (let i = 0; i < 20 && a !== b; i++) {
      a = b;
      await sleep(200);
      b = sim.stats.virtualLinesGenerated;
    }
    expect(a).toBeGreaterThan(0);
    expect(b).toBe(a); // nothing more is produced while the socket is full
    expect(a).toBeLessThan(400_000); // bounded by socket buffers, not by the 5M lines
    let bytes = 0;
    res.on("data", (c: Buffer) => {
      bytes += c.length;
    });
    res.resume();
    await sleep(300);
    expect(sim.stats.virtualLinesGenerated).toBeGreaterThan(b);
    expect(bytes).toBeGreaterThan(0);
    res.destroy();
  });

  it("emitFast with terminateAfter delivers every line then ends", async () => {
    const p = sim.addPod({ name: "burst", containers: [{ name: "c" }] });
    p.emitFast("c", { lines: 20_000, lineBytes: 100, terminateAfter: true });
    const body = await get(sim, "/api/v1/namespaces/default/pods/burst/log?follow=true");
    const lines = body.body.split("\n");
    expect(lines).toHaveLength(20_001);
    expect(lines[0]?.length).toBe(100);
    expect(lines[19_999]).toMatch(/^line 000019999 /);
    await sleep(10);
    expect(statusOf(sim, "burst").containerStatuses[0].state.terminated).toBeTruthy();
  });

  it("emitFast's byte-built lines are the lines its text maker makes, timestamps and tail included", async () => {
    const fast = sim.addPod({ name: "bytes", containers: [{ name: "c" }] });
    fast.emitFast("c", { lines: 3_000, lineBytes: 60 });
    const text = sim.addPod({ name: "text", containers: [{ name: "c" }] });
    text.emitFast("c", { lines: 3_000, make: fastLine(60) });
    for (const q of ["timestamps=true", "tailLines=1234&timestamps=true", "tailLines=7"]) {
      const a = (await get(sim, `/api/v1/namespaces/default/pods/bytes/log?${q}`)).body.split("\n");
      const b = (await get(sim, `/api/v1/namespaces/default/pods/text/log?${q}`)).body.split("\n");
      // The two pods started at different milliseconds: compare from the nanoseconds on.
      const fromNanos = (l: string) => (q.includes("timestamps") ? l.slice(23) : l);
      expect(a.map(fromNanos)).toEqual(b.map(fromNanos));
      expect(a.length).toBe(q.startsWith("tailLines=") ? Number(/tailLines=(\d+)/.exec(q)![1]) + 1 : 3_001);
      if (q.includes("timestamps")) {
        expect(a[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z line \d{9} /);
        // Every line its own timestamp, as a kubelet stamps them.
        const stamps = a.filter(Boolean).map((l) => l.slice(0, 30));
        expect(new Set(stamps).size).toBe(stamps.length);
      }
    }
  });

  it("holds 1,000 concurrent follow streams (gated) and ends them all", async () => {
    const n = 1000;
    const pods = Array.from({ length: n }, (_, i) =>
      sim
        .addPod({ name: `many-${i}`, labels: { app: "many" }, containers: [{ name: "c" }] })
        .log("c", `a${i}`, `b${i}`),
    );
    const agent = new https.Agent({ keepAlive: false, maxSockets: Infinity });
    const t0 = Date.now();
    const released = sim.gateLogs(n);
    const bodies = pods.map((p) =>
      open(sim, `/api/v1/namespaces/default/pods/${p.name}/log?follow=true`, { agent }).then(readAll),
    );
    await released;
    expect(sim.stats.openStreams).toBe(n);
    for (const p of pods) p.log("c", "live").terminate("c");
    const all = await Promise.all(bodies);
    all.forEach((b, i) => {
      expect(b).toBe(`a${i}\nb${i}\nlive\n`);
    });
    agent.destroy();
    console.log(`1000 follow streams: ${Date.now() - t0} ms`);
  });

  it("restart() drops connections and serves the same state on the same port", async () => {
    const p = sim.addPod({ name: "survivor", containers: [{ name: "c" }] }).log("c", "kept");
    const port = sim.port;
    const rv = sim.cluster.store.resourceVersion;
    const watch = new EventReader(
      await open(sim, `/api/v1/namespaces/default/pods?watch=1&resourceVersion=${rv}`),
    );
    const follow = open(sim, "/api/v1/namespaces/default/pods/survivor/log?follow=true").then(readAll);
    await sleep(50);
    await sim.restart();
    await expect(follow).rejects.toThrow();
    await watch.end();
    expect(sim.port).toBe(port);
    expect((await get(sim, "/api/v1/namespaces/default/pods/survivor/log")).body).toBe("kept\n");
    p.log("c", "more");
    const w2 = new EventReader(
      await open(sim, `/api/v1/namespaces/default/pods?watch=1&resourceVersion=${rv}`),
    );
    p.setLabels({ x: "y" });
    await w2.until((e) => e.some((x) => x.type === "MODIFIED"));
    w2.close();
  });
});
