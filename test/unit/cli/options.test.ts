import { describe, expect, it } from "vitest";
import { parseArgs } from "../../../src/cli/args.ts";
import { UsageError } from "../../../src/cli/errors.ts";
import { buildOptions, lineFilter } from "../../../src/cli/options.ts";
import { compileGoRegex } from "../../../src/util/goregex.ts";

const opts = (...argv: string[]) => buildOptions(parseArgs(argv));
const fails = (argv: string[], message: string) => {
  expect(() => opts(...argv)).toThrow(UsageError);
  expect(() => opts(...argv)).toThrow(message);
};

describe("command line", () => {
  it("has stern's defaults", () => {
    const o = opts("web");
    expect(o.follow).toBe(true);
    expect(o.sinceSeconds).toBe(48 * 3600);
    expect(o.tailLines).toBeUndefined();
    expect(o.maxLogRequests).toBe(50);
    expect(o.filter.initContainers).toBe(true);
    expect(o.filter.ephemeralContainers).toBe(true);
    expect(o.filter.containerStates).toEqual([]);
    expect(o.timestamps).toBeUndefined();
    expect(o.colorMode).toBe("auto");
    expect(o.namespaces).toBeUndefined();
  });

  it("--no-follow is a flag of its own and lowers the request limit to 5", () => {
    const o = opts("web", "--no-follow");
    expect(o.follow).toBe(false);
    expect(o.maxLogRequests).toBe(5);
  });

  it("namespaces repeat and split on commas, de-duplicated", () => {
    expect(opts("web", "-n", "a,b", "--namespace", "c", "-n", "a").namespaces).toEqual(["a", "b", "c"]);
  });

  it("regex flags repeat without comma splitting", () => {
    const o = opts("web", "-E", "a,b", "-E", "c", "--exclude-pod", "x{1,2}");
    expect(o.filter.excludeContainer.map((r) => r.source)).toEqual(["a,b", "c"]);
    expect(o.filter.excludePod.map((r) => r.source)).toEqual(["x{1,2}"]);
  });

  it("a bare -t means default and never takes the next word", () => {
    expect(opts("-t", "web").timestamps).toBe("default");
    expect(opts("web", "--timestamps").timestamps).toBe("default");
    expect(opts("web", "--timestamps=short").timestamps).toBe("short");
  });

  it("booleans take =false", () => {
    expect(opts("web", "--init-containers=false").filter.initContainers).toBe(false);
    expect(opts("web", "--ephemeral-containers=false").filter.ephemeralContainers).toBe(false);
  });

  it("--node joins the field selector", () => {
    expect(opts("web", "--node", "n1").fieldSelector).toBe("spec.nodeName=n1");
    expect(opts("web", "--field-selector", "status.phase=Running", "--node", "n1").fieldSelector).toBe(
      "status.phase=Running,spec.nodeName=n1",
    );
  });

  it("-l or --field-selector stand in for the query", () => {
    expect(opts("-l", "app=web").filter.podQuery.test("anything")).toBe(true);
    expect(opts("--field-selector", "metadata.name=x").labelSelector).toBeUndefined();
  });

  it("since and tail", () => {
    expect(opts("web", "-s", "1h30m").sinceSeconds).toBe(5400);
    expect(opts("web", "--since=500ms").sinceSeconds).toBe(1);
    expect(opts("web", "--tail", "0").tailLines).toBe(0);
    expect(opts("web", "--tail=20").tailLines).toBe(20);
  });

  it("container states", () => {
    expect(opts("web", "--container-state", "running,terminated").filter.containerStates).toEqual([
      "running",
      "terminated",
    ]);
    expect(
      opts("web", "--container-state", "running", "--container-state", "all").filter.containerStates,
    ).toEqual([]);
  });

  it.each([
    [[], "One of pod-query, --selector, --field-selector, --prompt or --stdin is required"],
    [["("], "failed to compile regular expression from query: error parsing regexp: missing closing ): `(`"],
    [
      ["web", "-c", "[a"],
      "failed to compile regular expression for container query: error parsing regexp: missing closing ]: `[a`",
    ],
    [["web", "--bogus"], "unknown flag: --bogus"],
    [["web", "-s", "forever"], 'invalid argument "forever" for "-s, --since" flag'],
    [["web", "--color", "sometimes"], 'invalid --color "sometimes"'],
    [["web", "--tail", "x"], 'invalid argument "x" for "--tail" flag'],
    [["web", "--tail", "-2"], "--tail must be -1"],
    [["web", "--no-follow", "--tail", "0"], "--no-follow cannot be used with --tail=0"],
    [["web", "--timestamps=long"], 'invalid --timestamps "long"'],
    [["web", "--timezone", "Nowhere/City"], "invalid --timezone"],
    [["web", "--container-state", "sleeping"], 'invalid --container-state "sleeping"'],
    [["web", "--max-log-requests", "0"], "--max-log-requests must be at least 1"],
    [["web", "--pod-colors", "91,92", "--container-colors", "31"], "same length"],
    [["web", "extra"], 'unexpected argument "extra"'],
    [["web", "-n"], "flag needs an argument"],
  ])("rejects %j", (argv, message) => {
    fails(argv, message);
  });

  it("output, templates and line filters", () => {
    expect(opts("web", "-o", "json").output).toBe("json");
    expect(opts("web", "--template", "{{.Message}}").templateText).toBe("{{.Message}}");
    const f = opts("web", "-i", "err", "-i", "warn", "-e", "noise", "-H", "x+");
    expect(f.include.map((r) => r.source)).toEqual(["err", "warn"]);
    expect(f.exclude.map((r) => r.source)).toEqual(["noise"]);
    expect(f.highlight?.source).toBe("(warn|err|x+)");
  });

  it("the line filter drops excluded lines, then keeps included ones", () => {
    const f = lineFilter([compileGoRegex("err")], [compileGoRegex("noise")])!;
    const keep = (text: string) => f(Buffer.from(`xx${text}yy`), 2, 2 + Buffer.byteLength(text));
    expect(keep("an err")).toBe(true);
    expect(keep("an err with noise")).toBe(false);
    expect(keep("fine")).toBe(false);
    expect(lineFilter([], [])).toBeUndefined();
    expect(lineFilter([], [compileGoRegex("x")])!(Buffer.from("y"), 0, 1)).toBe(true);
  });

  it("resource queries", () => {
    expect(opts("deploy/web").resource).toEqual({ kind: "deployment", name: "web", written: "deploy" });
    const pod = opts("po/web-1");
    expect(pod.filter.podQuery.test("web-1")).toBe(true);
    expect(pod.filter.podQuery.test("web-12")).toBe(false);
    expect(opts("cj/nightly").resource?.kind).toBe("cronjob");
  });

  it("--condition and --stdin", () => {
    expect(opts("web", "--condition", "ready=false", "--tail=0").condition).toEqual({
      type: "Ready",
      status: "False",
    });
    expect(opts("web", "--condition", "PodScheduled", "--no-follow").condition).toEqual({
      type: "PodScheduled",
      status: "True",
    });
    expect(opts("--stdin").stdin).toBe(true);
  });

  it("--qps and --burst: defaults, stern's burst of 10 for a bare --qps, -1 for none", () => {
    expect(opts("web")).toMatchObject({ qps: 50, burst: 500 });
    expect(opts("web", "--qps", "5")).toMatchObject({ qps: 5, burst: 10 });
    expect(opts("web", "--qps", "5", "--burst", "20")).toMatchObject({ qps: 5, burst: 20 });
    expect(opts("web", "--qps=-1").qps).toBeUndefined();
  });

  it("connection flags", () => {
    const o = opts(
      "web",
      "--server",
      "https://k:6443",
      "--token",
      "t",
      "--as",
      "jane",
      "--as-group",
      "a",
      "--as-group",
      "b",
    );
    expect(o.connection).toMatchObject({
      server: "https://k:6443",
      token: "t",
      impersonate: "jane",
      impersonateGroups: ["a", "b"],
    });
    expect(opts("web", "--request-timeout", "5").connection.requestTimeoutMs).toBe(5000);
    expect(opts("web", "--request-timeout", "1m").connection.requestTimeoutMs).toBe(60000);
  });

  it.each([
    [["web", "-o", "yaml"], "output should be one of"],
    [
      ["web", "-i", "("],
      "failed to compile regular expression for inclusion filter: error parsing regexp: missing closing ): `(`",
    ],
    [["web", "--condition", "ready"], "--condition is currently only supported with --tail=0 or --no-follow"],
    [["web", "--condition", "happy", "--tail=0"], "condition should be one of"],
    [["web", "--condition", "ready=maybe", "--tail=0"], "condition value should be one of"],
    [
      ["deploy/web", "-l", "app=x"],
      "--selector and the <resource>/<name> query cannot be set at the same time",
    ],
    [["bogus/web"], "resource type bogus is not supported"],
    [["deploy/"], 'resource must be specified in the form "<resource>/<name>"'],
    [
      ["web", "--template-file", "/nonexistent/t.tpl"],
      "cannot read --template-file /nonexistent/t.tpl: no such file",
    ],
    [["web", "--qps", "fast"], 'invalid argument "fast" for "--qps" flag'],
  ])("rejects %j", (argv, message) => {
    fails(argv, message);
  });
});
