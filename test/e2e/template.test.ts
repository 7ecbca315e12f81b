// --template and --template-file end to end, with stern's README examples.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { e2eHarness } from "./harness.ts";
import { lines, runStern } from "./stern-process.ts";

const { sim } = e2eHarness({ sim: { namespaces: ["default"] } });

beforeAll(() => {
  const p = sim.addPod({
    name: "backend-1",
    nodeName: "node-7",
    labels: { app: "backend" },
    containers: [{ name: "api" }],
  });
  p.logAt(
    "api",
    "2024-05-01T10:00:00.123456789Z",
    '{"level":"info","message":"listening","ts":"2024-05-01T10:00:00.1Z","caller":"main.go:12","msg":"up"}',
    "plain text line",
    '{"level":"error","message":"boom","ts":1714557600.5,"caller":"db.go:3","msg":"db down"}',
  );
});

const stern = (...args: string[]) =>
  runStern(["backend", "--no-follow", "--only-log-lines", "--since", "100000h", ...args], {
    kubeconfig: sim.kubeconfigPath,
  });

describe("--template", () => {
  it("README: printf of the record's fields", async () => {
    const r = await stern(
      "--template",
      '{{printf "%s (%s/%s/%s/%s)\\n" .Message .NodeName .Namespace .PodName .ContainerName}}',
      "-i",
      "plain",
    );
    expect(r.stdout).toBe("plain text line (node-7/default/backend-1/api)\n");
  });

  it("README: stern's colors in a template", async () => {
    const t =
      '{{.Message}} ({{.Namespace}}/{{color .PodColor .PodName}}/{{color .ContainerColor .ContainerName}}){{"\\n"}}';
    const plain = await stern("--template", t, "-i", "plain");
    expect(plain.stdout).toBe("plain text line (default/backend-1/api)\n");
    const colored = await stern(
      "--template",
      t,
      "-e",
      "^\\{",
      "--color",
      "always",
      "--pod-colors",
      "91",
      "--container-colors",
      "31",
    );
    expect(colored.stdout).toBe("plain text line (default/\x1b[91mbackend-1\x1b[0m/\x1b[31mapi\x1b[0m)\n");
  });

  it("README: parseJSON; a line that is not JSON is reported and skipped", async () => {
    const r = await stern(
      "--template",
      '{{.PodName}}/{{.ContainerName}} {{with $d := .Message | parseJSON}}[{{$d.level}}] {{$d.message}}{{end}}{{"\\n"}}',
    );
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toEqual(["backend-1/api [info] listening", "backend-1/api [error] boom"]);
    expect(r.stderr).toMatch(
      /^expanding template failed: template: log:1:\d+: executing "log" at <parseJSON>: error calling parseJSON: invalid character 'p' looking for beginning of value\n$/,
    );
  });

  it("README: tryParseJSON with levelColor, colorGreen and toRFC3339Nano, falling back to the raw line", async () => {
    const t =
      '{{.PodName}}/{{.ContainerName}} {{ with $msg := .Message | tryParseJSON }}[{{ colorGreen (toRFC3339Nano $msg.ts) }}] {{ levelColor $msg.level }} ({{ colorCyan $msg.caller }}) {{ $msg.msg }}{{ else }} {{ .Message }} {{ end }}{{"\\n"}}';
    const r = await stern("--template", t);
    expect(lines(r.stdout)).toEqual([
      "backend-1/api [2024-05-01T10:00:00.1Z] info (main.go:12) up",
      "backend-1/api  plain text line ",
      "backend-1/api [2024-05-01T10:00:00.5Z] error (db.go:3) db down",
    ]);
    // -e filters without highlighting (-i would also highlight its matches, as in stern)
    const c = await stern("--template", t, "--color", "always", "-e", "listening|plain");
    expect(c.stdout).toBe(
      "backend-1/api [\x1b[32m2024-05-01T10:00:00.5Z\x1b[0m] \x1b[31merror\x1b[0m (\x1b[36mdb.go:3\x1b[0m) db down\n",
    );
  });

  it("README: prettyJSON", async () => {
    const r = await stern("--template", '{{ .Message | prettyJSON }}{{"\\n"}}', "-i", "listening");
    expect(r.stdout).toBe(
      '{\n  "caller": "main.go:12",\n  "level": "info",\n  "message": "listening",\n  "msg": "up",\n  "ts": "2024-05-01T10:00:00.1Z"\n}\n',
    );
  });

  it("labels, annotations-less pods, json of the record, and .Timestamp with -t", async () => {
    const r = await stern(
      "--template",
      '{{.Labels.app}} {{.Annotations.x}} {{.Timestamp}}|{{.Message}}{{"\\n"}}',
      "-i",
      "plain",
      "-t",
      "--timezone",
      "UTC",
    );
    expect(r.stdout).toBe("backend <no value> 2024-05-01T10:00:00.123456789Z|plain text line\n");
    const j = await stern("--template", '{{json .}}{{"\\n"}}', "-i", "plain");
    expect(j.stdout).toBe(
      '{"message":"plain text line","nodeName":"node-7","namespace":"default","podName":"backend-1","containerName":"api","labels":{"app":"backend"},"annotations":null}\n',
    );
  });

  it("--template-file overrides --template", async () => {
    const file = join(sim.dir, "t.tpl");
    writeFileSync(file, "{{- /* a comment */ -}}\nfile: {{.Message}}\n");
    const r = await stern("--template", "ignored {{.Message}}", "-T", file, "-i", "plain");
    expect(r.stdout).toBe("file: plain text line\n");
  });

  it("a template that does not parse stops before anything is read, saying where", async () => {
    sim.clearRequests();
    const r = await stern("--template", "{{.Message}}\n{{if .PodName}}unclosed");
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("Error: unable to parse template: template: log:2: unexpected EOF\n");
    expect(sim.requests).toHaveLength(0);
    const f = await stern("--template", "{{nope .Message}}");
    expect(f.stderr).toBe('Error: unable to parse template: template: log:1: function "nope" not defined\n');
  });
});
