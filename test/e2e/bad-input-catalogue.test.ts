// The catalogue of bad input: every case gets one line on stderr starting with "Error:", exit code 1,
// nothing on stdout and no stack trace. Servers and kubeconfigs that misbehave are made here.
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer as createHttpsServer, type Server } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { e2eHarness } from "./harness.ts";
import { runStern } from "./stern-process.ts";

const { sim } = e2eHarness();
const dir = mkdtempSync(join(tmpdir(), "stern-catalogue-"));
let html: Server;
let htmlUrl: string;

function kubeconfig(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, body);
  return path;
}

function withUser(
  name: string,
  user: string,
  server = sim.url,
  ca = Buffer.from(sim.caPem).toString("base64"),
) {
  return kubeconfig(
    name,
    `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster: {server: "${server}", certificate-authority-data: "${ca}"}
users:
- name: u
  user:
${user}
contexts:
- name: ctx
  context: {cluster: c, user: u}
current-context: ctx
`,
  );
}

beforeAll(async () => {
  sim.addPod({ name: "web", containers: [{ name: "app" }] });
  html = createHttpsServer({ key: sim.certs.serverKeyPem, cert: sim.certs.serverCertPem }, (_req, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end("<html><body>Welcome to nginx!</body></html>");
  });
  await new Promise<void>((r) => html.listen(0, "127.0.0.1", r));
  htmlUrl = `https://127.0.0.1:${(html.address() as { port: number }).port}`;
});

afterAll(() => {
  html?.close();
});

type Case = [
  name: string,
  args: () => string[],
  message: string | RegExp,
  env?: () => Record<string, string>,
];

const token = () => `    token: ${sim.token}`;
const cases: Case[] = [
  // flags
  ["unknown flag", () => ["web", "--folow"], "unknown flag: --folow"],
  ["unknown short flag", () => ["web", "-Z"], "unknown shorthand flag: 'Z' in -Z"],
  ["unknown flag that starts like a known one", () => ["web", "--tail-x", "1"], "unknown flag: --tail-x"],
  ["flag without its value", () => ["web", "--container"], "flag needs an argument: --container"],
  ["no query", () => [], "One of pod-query, --selector, --field-selector, --prompt or --stdin is required"],
  ["two queries", () => ["web", "api"], 'unexpected argument "api"'],
  ["tail not a number", () => ["web", "--tail", "ten"], 'invalid argument "ten" for "--tail" flag'],
  ["tail below -1", () => ["web", "--tail", "-5"], "--tail must be -1"],
  [
    "no-follow with tail 0",
    () => ["web", "--no-follow", "--tail=0"],
    "--no-follow cannot be used with --tail=0",
  ],
  ["max-log-requests 0", () => ["web", "--max-log-requests", "0"], "--max-log-requests must be at least 1"],
  ["bad --color", () => ["web", "--color", "yes"], 'invalid --color "yes"'],
  ["bad --output", () => ["web", "-o", "yaml"], "output should be one of"],
  ["bad --timestamps", () => ["web", "--timestamps=iso"], 'invalid --timestamps "iso"'],
  ["bad --timezone", () => ["web", "--timezone", "Moon/Base"], "unknown time zone Moon/Base"],
  [
    "bad --container-state",
    () => ["web", "--container-state", "asleep"],
    'invalid --container-state "asleep"',
  ],
  ["bad --pod-colors", () => ["web", "--pod-colors", "red"], 'invalid SGR sequence "red"'],
  ["bad --condition", () => ["web", "--condition", "Happy", "--tail=0"], "condition should be one of"],
  ["bad --completion", () => ["--completion", "tcsh"], 'unsupported shell type "tcsh"'],
  ["unknown resource kind", () => ["widget/x"], "resource type widget is not supported"],
  ["resource with -l", () => ["deploy/x", "-l", "a=b"], "cannot be set at the same time"],
  ["bad --level", () => ["web", "--level", "loud"], 'invalid --level "loud": use trace, debug, info'],
  [
    "bad --where syntax",
    () => ["web", "--where", "status >"],
    'invalid --where "status >": Unexpected token',
  ],
  [
    "--where not a condition",
    () => ["web", "--where", "status + 1.0"],
    'invalid --where "status + 1.0": it gives a value of type',
  ],
  ["--fields with -o json", () => ["web", "--fields", "a", "-o", "json"], "work with -o pretty, not -o json"],
  ["missing template file", () => ["web", "-T", join(dir, "none.tpl")], "cannot read --template-file"],
  // regexes and durations
  [
    "pod regex",
    () => ["web("],
    "failed to compile regular expression from query: error parsing regexp: missing closing ): `web(`",
  ],
  [
    "container regex",
    () => ["web", "-c", "*"],
    "failed to compile regular expression for container query: error parsing regexp: missing argument to repetition operator: `*`",
  ],
  [
    "exclude regex",
    () => ["web", "-e", "[z-a]"],
    "failed to compile regular expression for exclusion filter: error parsing regexp: invalid character class range: `z-a`",
  ],
  [
    "highlight regex",
    () => ["web", "-H", "a**"],
    "failed to compile regular expression for highlight filter: error parsing regexp: invalid nested repetition operator: `**`",
  ],
  ["since duration", () => ["web", "--since", "2 days"], 'invalid argument "2 days" for "-s, --since" flag'],
  [
    "request timeout",
    () => ["web", "--request-timeout", "soon"],
    'invalid argument "soon" for "--request-timeout"',
  ],
  // kubeconfigs
  [
    "missing kubeconfig file",
    () => ["web", "--kubeconfig", join(dir, "nope")],
    /kubeconfig file .*nope does not exist/,
  ],
  [
    "kubeconfig is bad YAML",
    () => ["web", "--kubeconfig", kubeconfig("bad.yaml", "clusters: [unclosed\n")],
    /cannot load kubeconfig .*bad\.yaml/,
  ],
  ["kubeconfig is a directory", () => ["web", "--kubeconfig", dir], "is a directory"],
  ["unknown context", () => ["web", "--context", "prod"], 'context "prod" does not exist in the kubeconfig'],
  // A context naming a missing user is a user without credentials for kubectl, so not here.
  [
    "the same cluster name twice in one file",
    () => [
      "web",
      "--kubeconfig",
      kubeconfig(
        "twice.yaml",
        `clusters: [{name: c, cluster: {server: "${sim.url}"}}, {name: c, cluster: {server: "${sim.url}"}}]\ncontexts: [{name: x, context: {cluster: c}}]\ncurrent-context: x\n`,
      ),
    ],
    'two clusters are named "c"',
  ],
  ["--as-group without --as", () => ["web", "--as-group", "dev"], "without a user to impersonate (--as)"],
  [
    "exec v1 without interactiveMode",
    () => [
      "web",
      "--kubeconfig",
      withUser(
        "exec-no-mode.yaml",
        `    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: ${join(dir, "fail-plugin.sh")}`,
      ),
    ],
    'the exec plugin of user "u" has no interactiveMode',
  ],
  ["server that is not a URL", () => ["web", "--server", "https://a b"], 'the server "https://a b"'],
  [
    "server certificate for another name",
    () => ["web", "--tls-server-name", "elsewhere.example"],
    /not valid for elsewhere\.example \(it is for IP:127\.0\.0\.1, DNS:localhost; see tls-server-name\)/,
  ],
  [
    "no current context",
    () => ["web", "--kubeconfig", kubeconfig("no-current.yaml", `clusters: []\ncontexts: []\nusers: []\n`)],
    "no current context is set",
  ],
  [
    "bad base64 certificate data",
    () => ["web", "--kubeconfig", withUser("bad-ca.yaml", token(), sim.url, "bm90IGEgY2VydA==")],
    /TLS handshake with .* failed|certificate or key data is not usable/,
  ],
  [
    "exec plugin that fails",
    () => [
      "web",
      "--kubeconfig",
      withUser(
        "exec-fails.yaml",
        `    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: ${join(dir, "fail-plugin.sh")}\n      interactiveMode: Never`,
      ),
    ],
    /cannot get credentials for user "u": .*token expired, run: login/,
  ],
  [
    "exec plugin that is missing",
    () => [
      "web",
      "--kubeconfig",
      withUser(
        "exec-missing.yaml",
        `    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: /nonexistent/kubelogin\n      interactiveMode: Never`,
      ),
    ],
    /cannot get credentials for user "u": .*(ENOENT|not found|no such file)/i,
  ],
  // servers
  [
    "server refuses",
    () => ["web", "--server", "https://127.0.0.1:1", "--insecure-skip-tls-verify"],
    "connection refused",
  ],
  ["401", () => ["web", "--token", "wrong"], "401 Unauthorized"],
  [
    "403 on list",
    () => ["web", "-n", "locked"],
    /403 Forbidden.*cannot list resource "pods".*namespace "locked"/,
  ],
  ["404 on list", () => ["web", "-n", "gone"], "404"],
  ["500 on list", () => ["web", "-n", "broken"], /etcd is down \(500 InternalError\)/],
  [
    "a body that is not JSON",
    () => ["web", "--kubeconfig", withUser("html.yaml", token(), htmlUrl)],
    "not JSON",
  ],
  ["resource not found", () => ["deploy/nope", "--no-follow"], "deploy/nope not found in namespace default"],
];

describe("bad input catalogue", () => {
  beforeAll(() => {
    const plugin = join(dir, "fail-plugin.sh");
    writeFileSync(plugin, "#!/bin/sh\necho 'token expired, run: login' >&2\nexit 1\n");
    chmodSync(plugin, 0o755);
    sim.addNamespace("locked");
    sim.deny({ namespace: "locked", verb: "list", resource: "pods" });
    sim.faults.failNext({
      path: "/api/v1/namespaces/gone/pods",
      status: 404,
      message: 'namespaces "gone" not found',
      times: 100,
    });
    sim.faults.failNext({
      path: "/api/v1/namespaces/broken/pods",
      status: 500,
      message: "etcd is down",
      times: 100,
    });
  });

  it("has at least 25 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
  });

  it.each(cases)("%s", async (_name, args, message, env) => {
    const r = await runStern(args(), { env: { KUBECONFIG: sim.kubeconfigPath, ...(env?.() ?? {}) } });
    expect(r.stdout).toBe("");
    expect(r.code).toBe(1);
    const errLines = r.stderr.split("\n").filter((l) => l !== "");
    expect(errLines, r.stderr).toHaveLength(1);
    expect(errLines[0]).toMatch(/^Error: /);
    if (typeof message === "string") expect(errLines[0]).toContain(message);
    else expect(errLines[0]).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at |node:internal|\.ts:\d+/);
  });
});
