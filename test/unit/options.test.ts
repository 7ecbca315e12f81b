import { describe, expect, it } from "vitest";
import { parseArgs } from "../../src/cli/args.ts";
import { UsageError } from "../../src/cli/errors.ts";
import { buildOptions } from "../../src/cli/options.ts";

const opts = (...argv: string[]) => buildOptions(parseArgs(argv));
const fails = (argv: string[], message: string) => {
  expect(() => opts(...argv)).toThrow(UsageError);
  expect(() => opts(...argv)).toThrow(message);
};

describe("command line", () => {
  it("has stern's defaults", () => {
    const o = opts("web");
    expect(o.engine.follow).toBe(true);
    expect(o.engine.sinceSeconds).toBe(48 * 3600);
    expect(o.engine.tailLines).toBeUndefined();
    expect(o.engine.maxLogRequests).toBe(50);
    expect(o.engine.filter.initContainers).toBe(true);
    expect(o.engine.filter.ephemeralContainers).toBe(true);
    expect(o.engine.filter.containerStates).toEqual([]);
    expect(o.engine.timestamps).toBeUndefined();
    expect(o.colorMode).toBe("auto");
    expect(o.namespaces).toBeUndefined();
  });

  it("--no-follow is a flag of its own and lowers the request limit to 5", () => {
    const o = opts("web", "--no-follow");
    expect(o.engine.follow).toBe(false);
    expect(o.engine.maxLogRequests).toBe(5);
  });

  it("namespaces repeat and split on commas, de-duplicated", () => {
    expect(opts("web", "-n", "a,b", "--namespace", "c", "-n", "a").namespaces).toEqual(["a", "b", "c"]);
  });

  it("regex flags repeat without comma splitting", () => {
    const o = opts("web", "-E", "a,b", "-E", "c", "--exclude-pod", "x{1,2}");
    expect(o.engine.filter.excludeContainer.map((r) => r.source)).toEqual(["a,b", "c"]);
    expect(o.engine.filter.excludePod.map((r) => r.source)).toEqual(["x{1,2}"]);
  });

  it("a bare -t means default and never takes the next word", () => {
    expect(opts("-t", "web").engine.timestamps).toBe("default");
    expect(opts("web", "--timestamps").engine.timestamps).toBe("default");
    expect(opts("web", "--timestamps=short").engine.timestamps).toBe("short");
  });

  it("booleans take =false", () => {
    expect(opts("web", "--init-containers=false").engine.filter.initContainers).toBe(false);
    expect(opts("web", "--ephemeral-containers=false").engine.filter.ephemeralContainers).toBe(false);
  });

  it("--node joins the field selector", () => {
    expect(opts("web", "--node", "n1").engine.fieldSelector).toBe("spec.nodeName=n1");
    expect(opts("web", "--field-selector", "status.phase=Running", "--node", "n1").engine.fieldSelector).toBe(
      "status.phase=Running,spec.nodeName=n1",
    );
  });

  it("-l or --field-selector stand in for the query", () => {
    expect(opts("-l", "app=web").engine.filter.podQuery.test("anything")).toBe(true);
    expect(opts("--field-selector", "metadata.name=x").engine.labelSelector).toBeUndefined();
  });

  it("since and tail", () => {
    expect(opts("web", "-s", "1h30m").engine.sinceSeconds).toBe(5400);
    expect(opts("web", "--since=500ms").engine.sinceSeconds).toBe(1);
    expect(opts("web", "--tail", "0").engine.tailLines).toBe(0);
    expect(opts("web", "--tail=20").engine.tailLines).toBe(20);
  });

  it("container states", () => {
    expect(opts("web", "--container-state", "running,terminated").engine.filter.containerStates).toEqual([
      "running",
      "terminated",
    ]);
    expect(
      opts("web", "--container-state", "running", "--container-state", "all").engine.filter.containerStates,
    ).toEqual([]);
  });

  it.each([
    [[], "One of pod-query, --selector or --field-selector is required"],
    [["("], 'invalid pod query regular expression "("'],
    [["web", "-c", "[a"], 'invalid --container regular expression "[a"'],
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
});
