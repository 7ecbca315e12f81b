// The rest of stern's surface end to end: output modes, filters, --stdin, config file, connection
// flags, --qps, --verbosity, --version.
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { startSim } from "../../sim/index.ts";
import { e2eHarness } from "./harness.ts";
import { lines, runStern } from "./stern-process.ts";

const { sim, startStern } = e2eHarness({ sim: { namespaces: ["default", "other"] } });
const BIN = fileURLToPath(new URL("../../bin/stern", import.meta.url));

beforeAll(() => {
  const p = sim.addPod({
    name: "api-1",
    labels: { app: "api" },
    annotations: { team: "core" },
    nodeName: "node-a",
    containers: [{ name: "app" }],
  });
  p.logAt("app", "2024-05-01T10:00:00.000000001Z", '{"level":"info","msg":"started"}');
  p.logAt("app", "2024-05-01T10:00:01.5Z", "GET /healthz 200", "ERROR db timeout", "noise: tick");
  sim.addPod({ namespace: "other", name: "api-2", containers: [{ name: "app" }] }).log("app", "other ns");
});

const stern = (args: string[], env: Record<string, string> = {}) =>
  runStern(["--no-follow", "--only-log-lines", "--since", "100000h", ...args], {
    env: { KUBECONFIG: sim.kubeconfigPath, ...env },
  });

describe("output modes", () => {
  it("-o raw", async () => {
    const r = await stern(["api-1", "-o", "raw"]);
    expect(lines(r.stdout)).toEqual([
      '{"level":"info","msg":"started"}',
      "GET /healthz 200",
      "ERROR db timeout",
      "noise: tick",
    ]);
  });
  it("-o json", async () => {
    const r = await stern(["api-1", "-o", "json", "-i", "started"]);
    expect(r.stdout).toBe(
      `{"message":"{\\"level\\":\\"info\\",\\"msg\\":\\"started\\"}","nodeName":"node-a","namespace":"default","podName":"api-1","containerName":"app","labels":{"app":"api"},"annotations":{"team":"core"}}\n`,
    );
    const t = await stern(["api-1", "-o", "json", "-i", "started", "-t", "--timezone", "UTC"]);
    expect(JSON.parse(t.stdout)).toMatchObject({
      timestamp: "2024-05-01T10:00:00.000000001Z",
      podName: "api-1",
    });
  });
  it("-o extjson and ppextjson", async () => {
    const e = await stern(["api-1", "-o", "extjson", "-i", "started"]);
    expect(e.stdout).toBe(
      `{"pod": "api-1", "container": "app", "message": {"level":"info","msg":"started"}}\n`,
    );
    const a = await stern(["api", "-A", "-o", "extjson", "-i", "other"]);
    expect(a.stdout).toBe(
      `{"namespace": "other", "pod": "api-2", "container": "app", "message": "other ns"}\n`,
    );
    const p = await stern(["api-1", "-o", "ppextjson", "-i", "healthz"]);
    expect(p.stdout).toBe(
      `{\n  "pod": "api-1",\n  "container": "app",\n  "message": "GET /healthz 200"\n}\n`,
    );
  });
});

describe("line filters", () => {
  it("-i keeps matching lines, -e drops matching ones, -e first", async () => {
    const i = await stern(["api-1", "-i", "ERROR", "-i", "healthz"]);
    expect(lines(i.stdout)).toEqual(["api-1 app GET /healthz 200", "api-1 app ERROR db timeout"]);
    const e = await stern(["api-1", "-e", "noise", "-e", "^\\{"]);
    expect(lines(e.stdout)).toEqual(["api-1 app GET /healthz 200", "api-1 app ERROR db timeout"]);
    const both = await stern(["api-1", "-i", "T", "-e", "db"]);
    expect(lines(both.stdout)).toEqual(["api-1 app GET /healthz 200"]);
  });
  it("-H highlights on the whole rendered line with color, and is a no-op without", async () => {
    const r = await stern([
      "api-1",
      "-H",
      "api-1 app",
      "-i",
      "timeout",
      "--color",
      "always",
      "--pod-colors",
      "1",
    ]);
    // "api-1 app" is not highlighted: colors sit between the words of the rendered line, as in stern
    expect(r.stdout).toBe("\x1b[1mapi-1\x1b[22m \x1b[1mapp\x1b[22m ERROR db \x1b[31;1mtimeout\x1b[0;22m\n");
    const plain = await stern(["api-1", "-H", "timeout", "-i", "timeout"]);
    expect(plain.stdout).toBe("api-1 app ERROR db timeout\n");
  });
});

describe("--stdin", () => {
  it("filters, highlights and formats lines from stdin, with stern's empty pod and container", async () => {
    const child = spawn(process.execPath, [BIN, "--stdin", "-e", "skip", "-o", "raw"], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.stdin.end("one\nskip me\ntwo without newline");
    const code = await new Promise((r) => child.on("close", r));
    expect(code).toBe(0);
    expect(out).toBe("one\ntwo without newline\n");
    const def = spawn(process.execPath, [BIN, "--stdin"], { stdio: ["pipe", "pipe", "pipe"] });
    let defOut = "";
    def.stdout.on("data", (d: Buffer) => {
      defOut += d.toString();
    });
    def.stdin.end("line\n");
    await new Promise((r) => def.on("close", r));
    expect(defOut).toBe("  line\n");
  });

  /** bin/stern --stdin with `args`, `input` piped in: its stdout, and the wall clock either side of the run. */
  const piped = async (args: string[], input: string) => {
    const before = Date.now();
    const child = spawn(process.execPath, [BIN, "--stdin", ...args], { stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.stdin.end(input);
    const code = await new Promise((r) => child.on("close", r));
    expect(code).toBe(0);
    return { out, before, after: Date.now() };
  };
  const INPUT = "2026-08-20T10:00:00.123456789Z hello from kubectl\nplain line with no timestamp\n";

  it("--timestamps: a line's own RFC 3339 timestamp is kept, any other line gets the time it was read (stern #379)", async () => {
    const { out, before, after } = await piped(["--timestamps", "--timezone", "UTC"], INPUT);
    const [first, second, rest] = out.split("\n");
    expect(first).toBe("  2026-08-20T10:00:00.123456789Z hello from kubectl");
    const m = /^ {2}(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z) plain line with no timestamp$/.exec(
      second ?? "",
    );
    expect(m, second).not.toBeNull();
    const read = Date.parse(m?.[1] as string);
    expect(read).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(read).toBeLessThanOrEqual(after);
    expect(rest).toBe("");
  });

  it("--timestamps=short and --timezone show both times in that format and zone", async () => {
    const { out } = await piped(["--timestamps=short", "--timezone", "Asia/Tokyo", "-o", "raw"], INPUT);
    const [first, second] = out.split("\n");
    expect(first).toBe("08-20 19:00:00 hello from kubectl");
    expect(second).toMatch(/^\d\d-\d\d \d\d:\d\d:\d\d plain line with no timestamp$/);
    const zoned = await piped(
      ["-t", "--timezone", "America/New_York", "-o", "raw"],
      "2026-01-20T10:00:00+01:00 x\n",
    );
    expect(zoned.out).toBe("2026-01-20T04:00:00.000000000-05:00 x\n");
  });

  it("--timestamps gives a template .Timestamp and the rest of the line as .Message; without it the line is whole", async () => {
    const { out } = await piped(
      ["-t", "--timezone", "UTC", "--template", '{{.Timestamp}}|{{.Message}}{{"\\n"}}'],
      INPUT,
    );
    expect(out.split("\n")[0]).toBe("2026-08-20T10:00:00.123456789Z|hello from kubectl");
    const plain = await piped(["--template", '[{{.Timestamp}}]{{.Message}}{{"\\n"}}'], INPUT);
    expect(plain.out).toBe(
      "[]2026-08-20T10:00:00.123456789Z hello from kubectl\n[]plain line with no timestamp\n",
    );
  });
});

describe("config file", () => {
  it("fills flags from YAML (arrays for repeatable ones), the command line wins, unknown keys warn", async () => {
    const cfg = join(sim.dir, "config.yaml");
    writeFileSync(cfg, "output: raw\ninclude:\n  - ERROR\n  - healthz\ncolour: always\ntail: 2\n");
    const r = await stern(["api-1", "--config", cfg]);
    expect(lines(r.stdout)).toEqual(["ERROR db timeout"]);
    expect(r.stderr).toContain('warning: unknown key "colour" in config file');
    const cli = await stern(["api-1", "--config", cfg, "--tail", "-1", "-o", "default"]);
    expect(lines(cli.stdout)).toEqual(["api-1 app GET /healthz 200", "api-1 app ERROR db timeout"]);
  });
  it("STERNCONFIG overrides --config; the default path may be absent; an explicit one must exist", async () => {
    const a = join(sim.dir, "a.yaml");
    const b = join(sim.dir, "b.yaml");
    writeFileSync(a, "output: raw\n");
    writeFileSync(b, "output: json\n");
    const r = await stern(["api-1", "--config", a, "-i", "ERROR"], { STERNCONFIG: b });
    expect(JSON.parse(r.stdout).message).toBe("ERROR db timeout");
    const home = await stern(["api-1", "-i", "ERROR"], { HOME: join(sim.dir, "nohome") });
    expect(home.stdout).toBe("api-1 app ERROR db timeout\n");
    const missing = await stern(["api-1", "--config", join(sim.dir, "nope.yaml")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^Error: config file .*nope\.yaml does not exist\n$/);
  });
  it("honours every key, also those that choose the cluster (context, namespace, kubeconfig)", async () => {
    const kc = sim.writeKubeconfig(join(sim.dir, "ctx-kubeconfig"), {
      contexts: [
        { name: "main", namespace: "default" },
        { name: "side", namespace: "other" },
      ],
      currentContext: "main",
    });
    const cfg = join(sim.dir, "cluster.yaml");
    writeFileSync(cfg, `kubeconfig: ${kc}\ncontext: side\n`);
    const r = await stern(["api", "--config", cfg], { KUBECONFIG: "" });
    expect(lines(r.stdout)).toEqual(["api-2 app other ns"]);
    writeFileSync(cfg, `kubeconfig: ${kc}\nnamespace: [default, other]\nonly-log-lines: true\n`);
    const n = await stern(["api", "--config", cfg, "-i", "ns|ERROR"], { KUBECONFIG: "" });
    expect(lines(n.stdout).sort()).toEqual([
      "default api-1 app ERROR db timeout",
      "other api-2 app other ns",
    ]);
  });

  it("~/.config/stern/config.yaml is read by default, and a bad value is one clear error", async () => {
    const home = join(sim.dir, "home");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(join(home, ".config", "stern"), { recursive: true });
    writeFileSync(join(home, ".config", "stern", "config.yaml"), "max-log-requests: many\n");
    const r = await stern(["api-1"], { HOME: home });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('invalid argument "many" for "--max-log-requests" flag');
  });
  it("$XDG_CONFIG_HOME/stern/config.yaml is read first when XDG_CONFIG_HOME is set", async () => {
    const home = join(sim.dir, "xdg-home");
    const xdg = join(sim.dir, "xdg-config");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(join(home, ".config", "stern"), { recursive: true });
    mkdirSync(join(xdg, "stern"), { recursive: true });
    writeFileSync(join(home, ".config", "stern", "config.yaml"), "output: json\n");
    writeFileSync(join(xdg, "stern", "config.yaml"), "output: raw\n");
    const r = await stern(["api-1", "-i", "ERROR"], { HOME: home, XDG_CONFIG_HOME: xdg });
    expect(r.stdout).toBe("ERROR db timeout\n");
    // Without the XDG file, stern's own place.
    const j = await stern(["api-1", "-i", "ERROR"], { HOME: home, XDG_CONFIG_HOME: join(sim.dir, "none") });
    expect(JSON.parse(j.stdout).message).toBe("ERROR db timeout");
  });
});

describe("connection flags, rate limit, verbosity", () => {
  it("--token and --as reach the API server; the token is never printed, even at --verbosity=9", async () => {
    const kc = sim.writeKubeconfig(join(sim.dir, "no-token"), { token: "wrong" });
    const bad = await stern(["api-1"], { KUBECONFIG: kc });
    expect(bad.code).toBe(1);
    sim.clearRequests();
    const r = await stern(
      ["api-1", "--token", sim.token, "--as", "jane", "--as-group", "devs", "--verbosity=9"],
      {
        KUBECONFIG: kc,
      },
    );
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toHaveLength(4);
    const req = sim.requests.find((q) => q.path.endsWith("/log"));
    expect(req?.headers["impersonate-user"]).toBe("jane");
    expect(req?.headers["impersonate-group"]).toBe("devs");
    expect(r.stderr).toMatch(/debug: GET https:\/\/127\.0\.0\.1:\d+\/api\/v1\/namespaces\/default\/pods\?/);
    expect(r.stderr).not.toContain(sim.token);
  });
  it("--server and --insecure-skip-tls-verify without any kubeconfig", async () => {
    const r = await runStern(
      [
        "api-1",
        "--no-follow",
        "--only-log-lines",
        "--since=100000h",
        "--server",
        sim.url,
        "--token",
        sim.token,
        "--insecure-skip-tls-verify",
      ],
      { env: { KUBECONFIG: "", HOME: join(sim.dir, "nohome") } },
    );
    expect(r.stderr).toBe("");
    expect(lines(r.stdout)).toHaveLength(4);
  });
  it("--certificate-authority replaces the kubeconfig's CA", async () => {
    const other = await startSim();
    try {
      const kc = other.writeKubeconfig(join(sim.dir, "other-ca"), { server: sim.url, token: sim.token });
      const fails = await stern(["api-1"], { KUBECONFIG: kc });
      expect(fails.stderr).toContain("TLS handshake");
      const caFile = join(sim.dir, "ca.pem");
      writeFileSync(caFile, sim.caPem);
      const ok = await stern(["api-1", "--certificate-authority", caFile], { KUBECONFIG: kc });
      expect(lines(ok.stdout)).toHaveLength(4);
    } finally {
      await other.stop();
    }
  });
  it("--qps and --burst space out requests", async () => {
    for (let i = 0; i < 8; i++)
      sim.addPod({ namespace: "other", name: `rl-${i}`, containers: [{ name: "c" }] });
    sim.clearRequests();
    const r = await stern(["rl-", "-n", "other", "--qps", "4", "--burst", "1"]);
    expect(r.code).toBe(0);
    expect(sim.requests.length).toBe(9);
    // 1 LIST + 8 log requests at 4/s after a burst of 1: the log requests 250 ms apart, ~1,750 ms from
    // first to last. The LIST is left out: it waits for the connection, which a loaded machine slows.
    const times = sim.requests.filter((q) => q.path.endsWith("/log")).map((q) => q.time);
    expect(times.length).toBe(8);
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(1400);
  });
});

describe("HTTP/2", () => {
  it("puts every request on HTTP/2 when the server speaks it, and on HTTP/1.1 with STERN_HTTP1=1", async () => {
    const h2 = (q: { headers: Record<string, unknown> }) => q.headers[":scheme"] === "https";
    const ours = () => sim.requests.filter((q) => q.userAgent.startsWith("stern-ts/"));
    sim.clearRequests();
    const r = await stern(["api", "-A"]);
    expect(r.code).toBe(0);
    expect(ours().length).toBeGreaterThanOrEqual(3);
    expect(ours().every(h2)).toBe(true);
    sim.clearRequests();
    const h1 = await stern(["api", "-A"], { STERN_HTTP1: "1" });
    expect(lines(h1.stdout).sort()).toEqual(lines(r.stdout).sort());
    expect(ours().length).toBeGreaterThanOrEqual(3);
    expect(ours().some(h2)).toBe(false);
  });

  it("follows more streams than one connection may carry: every stream gets a connection with room", async () => {
    // 100 streams a connection is what HTTP/2 asks servers to allow at least; 250 followed streams
    // started at once must spread over connections before the first has even connected.
    const small = await startSim({ maxConcurrentStreams: 100 });
    try {
      for (let i = 0; i < 250; i++)
        small.addPod({ name: `many-${i}`, containers: [{ name: "c" }] }).log("c", `hello ${i}`);
      const run = startStern(["many-", "--max-log-requests", "300", "--only-log-lines"], {
        kubeconfig: small.kubeconfigPath,
      });
      await run.waitFor((out) => lines(out).length >= 250, 20_000);
      expect(new Set(lines(run.stdout())).size).toBe(250);
      expect(small.connections).toBeGreaterThanOrEqual(3);
    } finally {
      await small.stop();
    }
  });
});

describe("informational flags", () => {
  it("-v prints version, commit and build date", async () => {
    const r = await runStern(["-v"]);
    // The checkout is a git work tree, so the build stamps its commit; the date is the build's, in UTC.
    expect(r.stdout).toMatch(
      /^version: \d+\.\d+\.\d+\ncommit: [0-9a-f]{40}\nbuilt at: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n$/,
    );
  });
  it("--show-hidden-options lists kubectl's connection flags", async () => {
    const r = await runStern(["--show-hidden-options"]);
    expect(r.stdout.split("\n")[0]).toBe("The following options can also be used in stern:");
    for (const f of [
      "--as ",
      "--as-group",
      "--token",
      "--server",
      "--insecure-skip-tls-verify",
      "--request-timeout",
    ]) {
      expect(r.stdout).toContain(f);
    }
  });
  it("--help lists the visible flags and points to the hidden ones", async () => {
    const r = await runStern(["--help"]);
    expect(r.stdout).toContain("-o, --output string");
    expect(r.stdout).not.toContain("--token");
    expect(r.stdout).toContain('Use "stern --show-hidden-options"');
  });
});
