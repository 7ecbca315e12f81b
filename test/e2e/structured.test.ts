// Structured logs end to end: -o pretty, --fields, --level, --where and templates' .Level/.Fields
// over JSON, logfmt and klog lines from the simulated cluster, with -i, --sort, --multiline and --stdin.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { e2eHarness } from "./harness.ts";
import { lines, runStern } from "./stern-process.ts";

const { sim, freshNamespace } = e2eHarness({ namespacePrefix: "st" });
const BIN = fileURLToPath(new URL("../../bin/stern", import.meta.url));

const at = (second: number) => `2024-05-01T10:00:${String(second).padStart(2, "0")}.000000000Z`;
const stern = (ns: string, ...args: string[]) =>
  runStern(["-n", ns, "--since", "100000h", "--no-follow", "--only-log-lines", ...args], {
    kubeconfig: sim.kubeconfigPath,
  });

/** An API in zap JSON, a worker in logfmt (logrus), a controller in klog, a proxy with text lines. */
function cluster(): string {
  const ns = freshNamespace();
  const api = sim.addPod({ namespace: ns, name: "api", containers: [{ name: "app" }] });
  const worker = sim.addPod({ namespace: ns, name: "worker", containers: [{ name: "w" }] });
  const ctrl = sim.addPod({ namespace: ns, name: "ctrl", containers: [{ name: "manager" }] });
  const proxy = sim.addPod({ namespace: ns, name: "proxy", containers: [{ name: "nginx" }] });
  api.logAt(
    "app",
    at(1),
    `{"level":"info","ts":1714557601.0,"caller":"http/server.go:87","msg":"request","status":200,"path":"/api/cart","http":{"method":"GET"}}`,
  );
  worker.logAt("w", at(2), `time="2024-05-01T10:00:02Z" level=debug msg="poll" queue=orders depth=0`);
  ctrl.logAt(
    "manager",
    at(3),
    `E0501 10:00:03.000000       1 controller.go:114] "Error syncing" err="conflict" key="default/web"`,
  );
  api.logAt(
    "app",
    at(4),
    `{"level":"error","ts":1714557604.0,"caller":"http/server.go:90","msg":"request","status":503,"path":"/api/pay","http":{"method":"POST"}}`,
  );
  proxy.logAt("nginx", at(5), "10.0.0.7 - - GET /healthz 200");
  worker.logAt("w", at(6), `time="2024-05-01T10:00:06Z" level=warning msg="slow job" queue=orders took=12.5`);
  proxy.logAt("nginx", at(7), "2024/05/01 10:00:07 [error] 29#29: upstream timed out");
  return ns;
}

describe("structured logs against the cluster", () => {
  it("-o pretty reads JSON, logfmt, klog and level prefixes; --sort keeps time order", async () => {
    const ns = cluster();
    const r = await stern(ns, ".", "--sort", "-o", "pretty");
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toEqual([
      "api app INFO request caller=http/server.go:87 status=200 path=/api/cart http.method=GET",
      "worker w DEBUG poll queue=orders depth=0",
      "ctrl manager ERROR Error syncing err=conflict key=default/web caller=controller.go:114",
      "api app ERROR request caller=http/server.go:90 status=503 path=/api/pay http.method=POST",
      "proxy nginx 10.0.0.7 - - GET /healthz 200",
      "worker w WARNING slow job queue=orders took=12.5",
      "proxy nginx ERROR 29#29: upstream timed out",
    ]);
  });

  it("--fields and --exclude-fields choose keys, and imply -o pretty", async () => {
    const ns = cluster();
    const f = await stern(ns, "api", "--fields", "status,http");
    expect(lines(f.stdout)).toEqual([
      "api app INFO request status=200 http.method=GET",
      "api app ERROR request status=503 http.method=POST",
    ]);
    const x = await stern(ns, "worker", "--exclude-fields", "queue");
    expect(lines(x.stdout)).toEqual(["worker w DEBUG poll depth=0", "worker w WARNING slow job took=12.5"]);
  });

  it("--level keeps lines at or above it in every format; lines without a level unless --level-strict", async () => {
    const ns = cluster();
    const r = await stern(ns, ".", "--sort", "-o", "raw", "--level", "warn");
    expect(lines(r.stdout)).toEqual([
      `E0501 10:00:03.000000       1 controller.go:114] "Error syncing" err="conflict" key="default/web"`,
      `{"level":"error","ts":1714557604.0,"caller":"http/server.go:90","msg":"request","status":503,"path":"/api/pay","http":{"method":"POST"}}`,
      "10.0.0.7 - - GET /healthz 200",
      `time="2024-05-01T10:00:06Z" level=warning msg="slow job" queue=orders took=12.5`,
      "2024/05/01 10:00:07 [error] 29#29: upstream timed out",
    ]);
    const strict = await stern(ns, ".", "--sort", "-o", "pretty", "--level", "50", "--level-strict");
    expect(lines(strict.stdout)).toEqual([
      "ctrl manager ERROR Error syncing err=conflict key=default/web caller=controller.go:114",
      "api app ERROR request caller=http/server.go:90 status=503 path=/api/pay http.method=POST",
      "proxy nginx ERROR 29#29: upstream timed out",
    ]);
  });

  it("--where filters on fields (CEL), with -i and -o json", async () => {
    const ns = cluster();
    const r = await stern(
      ns,
      ".",
      "--sort",
      "-o",
      "pretty",
      "--where",
      'status >= 500 && path.startsWith("/api")',
    );
    expect(lines(r.stdout)).toEqual([
      "api app ERROR request caller=http/server.go:90 status=503 path=/api/pay http.method=POST",
    ]);
    const logfmt = await stern(ns, ".", "-o", "raw", "--where", 'queue == "orders" && took > 10');
    expect(lines(logfmt.stdout)).toEqual([
      `time="2024-05-01T10:00:06Z" level=warning msg="slow job" queue=orders took=12.5`,
    ]);
    const klog = await stern(ns, ".", "-o", "json", "--where", 'key == "default/web"', "-i", "syncing");
    expect(lines(klog.stdout).map((l) => (JSON.parse(l) as { podName: string }).podName)).toEqual(["ctrl"]);
    const none = await stern(ns, ".", "--where", 'key == "default/web"', "-e", "syncing");
    expect(none.stdout).toBe("");
  });

  it("a bad --where is one line on stderr before anything is asked of the cluster", async () => {
    const ns = cluster();
    const before = sim.requests.length;
    const r = await stern(ns, ".", "--where", "status >>> 1");
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^Error: invalid --where "status >>> 1": [^\n]+\n$/);
    expect(sim.requests.length).toBe(before);
  });

  it("--multiline with --level: a stack trace stays with its first line, -o pretty keeps it whole", async () => {
    const ns = freshNamespace();
    const p = sim.addPod({ namespace: ns, name: "java", containers: [{ name: "app" }] });
    p.logAt("app", at(1), "2024-05-01 10:00:01,000 INFO  [main] c.e.App - started");
    p.logAt(
      "app",
      at(2),
      "2024-05-01 10:00:02,000 ERROR [main] c.e.App - request failed",
      "\tat com.example.Handler.run(Handler.java:42)",
      "Caused by: java.io.IOException: reset",
    );
    p.logAt("app", at(3), "2024-05-01 10:00:03,000 DEBUG [main] c.e.App - tick");
    const r = await stern(ns, "java", "--multiline", "--level", "error", "-o", "pretty");
    expect(r.stdout).toBe(
      "java app ERROR [main] c.e.App - request failed\n\tat com.example.Handler.run(Handler.java:42)\nCaused by: java.io.IOException: reset\n",
    );
  });

  it("templates get .Level and .Fields", async () => {
    const ns = cluster();
    const r = await stern(
      ns,
      ".",
      "--sort",
      "--template",
      '{{.PodName}} {{.Level}} {{index .Fields "status"}}{{index .Fields "queue"}}{{"\\n"}}',
      "--level",
      "warn",
      "--level-strict",
    );
    expect(lines(r.stdout)).toEqual([
      "ctrl ERROR ",
      "api ERROR 503",
      "worker WARNING orders",
      "proxy ERROR ",
    ]);
  });
});

describe("structured logs from --stdin", () => {
  it("-o pretty, --level and --where work on standard input", async () => {
    const input = [
      `{"level":30,"time":1714557600123,"pid":17,"msg":"listening","port":8080}`,
      `{"level":50,"time":1714557601123,"pid":17,"msg":"query failed","err":{"type":"Error","message":"ECONNRESET"}}`,
      "level=info msg=ok",
      "plain",
    ].join("\n");
    const run = async (...args: string[]) => {
      const child = spawn(process.execPath, [BIN, "--stdin", ...args], { stdio: ["pipe", "pipe", "pipe"] });
      let out = "";
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
      });
      child.stdin.end(input);
      const code = await new Promise((r) => child.on("close", r));
      return { code, out };
    };
    expect((await run("-o", "pretty")).out).toBe(
      "  INFO listening pid=17 port=8080\n  ERROR query failed pid=17 err.type=Error err.message=ECONNRESET\n  INFO ok\n  plain\n",
    );
    expect((await run("-o", "raw", "--level", "error")).out).toBe(`${input.split("\n")[1]}\nplain\n`);
    expect((await run("-o", "raw", "--where", 'err.message == "ECONNRESET"')).out).toBe(
      `${input.split("\n")[1]}\n`,
    );
    // -H highlights in what -o pretty shows (colors forced: stdout is a pipe here).
    const highlighted = await run("-o", "pretty", "--level", "error", "-H", "ECONN\\w+", "--color", "always");
    expect(highlighted.out).toContain("message\x1b[22m=\x1b[31;1mECONNRESET\x1b[");
    expect(highlighted.out).toContain("\x1b[31mERROR\x1b[0m query failed");
  });
});
