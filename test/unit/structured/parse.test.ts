// Each format with lines in the exact shape the libraries write them.
import { describe, expect, it } from "vitest";
import { parseRecord } from "../../../src/structured/parse.ts";
import type { LogRecord } from "../../../src/structured/record.ts";

function parse(line: string): LogRecord | null {
  // Inside a larger buffer with its newline, as the engine passes a line.
  const buf = Buffer.from(`xx${line}\nyy`);
  return parseRecord(buf, 2, buf.length - 3);
}

/** What a record says, in one comparable shape. */
function summary(line: string) {
  const r = parse(line);
  if (!r) return null;
  return {
    format: r.format,
    level: r.level?.text,
    severity: r.level?.severity,
    message: r.message,
    time: r.time ? new Date(r.time.ms).toISOString() : undefined,
    fields: r.fields.map((f) => `${f.key}=${f.value}`),
  };
}

describe("JSON", () => {
  it("zap (NewProduction)", () => {
    expect(
      summary(
        `{"level":"info","ts":1714557600.1234567,"caller":"server/handler.go:87","msg":"request completed","method":"GET","path":"/api/v1/orders","status":200,"latency":0.0042}`,
      ),
    ).toEqual({
      format: "json",
      level: "INFO",
      severity: 30,
      message: "request completed",
      time: "2024-05-01T10:00:00.123Z",
      fields: [
        "caller=server/handler.go:87",
        "method=GET",
        "path=/api/v1/orders",
        "status=200",
        "latency=0.0042",
      ],
    });
  });
  it("zap error with a stack trace, dpanic", () => {
    const r = summary(
      `{"level":"error","ts":1714557601.5,"caller":"db/pool.go:112","msg":"query failed","error":"pq: connection refused","stacktrace":"main.run\\n\\t/app/main.go:42"}`,
    );
    expect(r?.severity).toBe(50);
    expect(r?.fields).toContain("stacktrace=main.run\n\t/app/main.go:42");
    expect(summary(`{"level":"dpanic","msg":"m"}`)?.severity).toBe(55);
  });
  it("logrus (JSONFormatter)", () => {
    expect(
      summary(
        `{"level":"warning","msg":"cache miss rate high","rate":0.42,"time":"2024-05-01T10:00:00+02:00"}`,
      ),
    ).toEqual({
      format: "json",
      level: "WARNING",
      severity: 40,
      message: "cache miss rate high",
      time: "2024-05-01T08:00:00.000Z",
      fields: ["rate=0.42"],
    });
  });
  it("slog (JSONHandler) with a group and a level between the named ones", () => {
    expect(
      summary(
        `{"time":"2024-05-01T10:00:00.123456789Z","level":"WARN+2","msg":"slow request","req":{"method":"GET","id":"7f3a"},"duration":1.5e9}`,
      ),
    ).toEqual({
      format: "json",
      level: "WARN+2",
      severity: 45,
      message: "slow request",
      time: "2024-05-01T10:00:00.123Z",
      fields: ["req.method=GET", "req.id=7f3a", "duration=1.5e9"],
    });
  });
  it("pino", () => {
    expect(
      summary(
        `{"level":30,"time":1714557600123,"pid":17,"hostname":"api-7d9f","req":{"id":1,"method":"GET","url":"/api","headers":{"host":"api"}},"res":{"statusCode":200},"responseTime":4,"msg":"request completed"}`,
      ),
    ).toEqual({
      format: "json",
      level: "INFO",
      severity: 30,
      message: "request completed",
      time: "2024-05-01T10:00:00.123Z",
      fields: [
        "pid=17",
        "hostname=api-7d9f",
        "req.id=1",
        "req.method=GET",
        "req.url=/api",
        "req.headers.host=api",
        "res.statusCode=200",
        "responseTime=4",
      ],
    });
  });
  it("bunyan", () => {
    const r = summary(
      `{"name":"orders","hostname":"api-7d9f","pid":17,"level":50,"err":{"message":"boom","name":"Error","stack":"Error: boom\\n    at main (/app/index.js:3:9)"},"msg":"boom","time":"2024-05-01T10:00:00.123Z","v":0}`,
    );
    expect(r?.level).toBe("ERROR");
    expect(r?.severity).toBe(50);
    expect(r?.fields).toEqual([
      "name=orders",
      "hostname=api-7d9f",
      "pid=17",
      "err.message=boom",
      "err.name=Error",
      "err.stack=Error: boom\n    at main (/app/index.js:3:9)",
      "v=0",
    ]);
  });
  it("GELF's syslog numbers, Google Cloud's severity, ECS", () => {
    expect(summary(`{"level":3,"short_message":"x"}`)?.severity).toBe(50);
    expect(summary(`{"severity":"CRITICAL","message":"m"}`)?.severity).toBe(55);
    expect(summary(`{"log.level":"warn","message":"m"}`)?.severity).toBe(40);
    expect(summary(`{"level":"verbose","msg":"m"}`)?.severity).toBe(10);
    expect(summary(`{"level":"custom","msg":"m"}`)).toMatchObject({ level: "CUSTOM", severity: undefined });
  });
  it("not an object, or not JSON: text", () => {
    for (const line of [`[1,2]`, `{"a":1`, `{"a":1} x`, "{}", "{ nope }", `"{}"`])
      expect(parse(line)).toBeNull();
  });
  it("values for --where are the object as written", () => {
    expect(parse(`{"level":50,"req":{"status":503}}`)?.values()).toEqual({ level: 50, req: { status: 503 } });
  });
});

describe("logfmt", () => {
  it("logrus (TextFormatter without a terminal)", () => {
    expect(
      summary(`time="2024-05-01T10:00:00Z" level=warning msg="cache miss rate high" rate=0.42 shard=3`),
    ).toEqual({
      format: "logfmt",
      level: "WARNING",
      severity: 40,
      message: "cache miss rate high",
      time: "2024-05-01T10:00:00.000Z",
      fields: ["rate=0.42", "shard=3"],
    });
  });
  it("slog (TextHandler) with a group and quoting", () => {
    expect(
      summary(
        `time=2024-05-01T10:00:00.123Z level=ERROR msg="connect failed" err="dial tcp 10.0.0.1:5432: connect: connection refused" attempt=3 req.id=7f3a q="say \\"hi\\"\\n"`,
      ),
    ).toEqual({
      format: "logfmt",
      level: "ERROR",
      severity: 50,
      message: "connect failed",
      time: "2024-05-01T10:00:00.123Z",
      fields: [
        "err=dial tcp 10.0.0.1:5432: connect: connection refused",
        "attempt=3",
        "req.id=7f3a",
        'q=say "hi"\n',
      ],
    });
  });
  it("go-kit / Prometheus / Grafana: ts, caller, empty values", () => {
    const r = summary(
      `ts=2024-05-01T10:00:00.000Z caller=main.go:512 level=info component=tsdb msg="Replaying WAL" empty=`,
    );
    expect(r).toMatchObject({ level: "INFO", message: "Replaying WAL", time: "2024-05-01T10:00:00.000Z" });
    expect(r?.fields).toEqual(["caller=main.go:512", "component=tsdb", "empty="]);
  });
  it("a time that is not one stays a field", () => {
    expect(summary(`level=info t=soon msg=x`)?.fields).toEqual(["t=soon"]);
  });
  it("values for --where are typed; dotted keys nest", () => {
    expect(parse(`level=INFO status=503 ok=true ratio=0.5 req.method=GET name=x`)?.values()).toMatchObject({
      level: "INFO",
      status: 503,
      ok: true,
      ratio: 0.5,
      req: { method: "GET" },
      name: "x",
    });
  });
  it("prose with '=' in it, and broken quoting, stay text", () => {
    for (const line of [
      "a = b",
      "Starting server with port=8080",
      "x=1 and more",
      `msg="unterminated`,
      `msg="bad \\q escape"`,
      "=value",
    ]) {
      expect(parse(line)).toBeNull();
    }
  });
});

describe("klog", () => {
  it("kube-controller-manager, structured (InfoS)", () => {
    expect(
      summary(
        `I0501 10:00:00.123456       1 leaderelection.go:258] "Attempting to acquire leader lease" lock="kube-system/kube-controller-manager"`,
      ),
    ).toEqual({
      format: "klog",
      level: "INFO",
      severity: 30,
      message: "Attempting to acquire leader lease",
      time: undefined,
      fields: ["lock=kube-system/kube-controller-manager", "caller=leaderelection.go:258"],
    });
  });
  it("ErrorS: err first, quotes inside", () => {
    expect(
      summary(
        `E0501 10:00:04.000000       1 controller.go:114] "Error syncing deployment" err="Operation cannot be fulfilled on deployments.apps \\"web\\": the object has been modified" deployment="default/web"`,
      ),
    ).toMatchObject({
      level: "ERROR",
      severity: 50,
      message: "Error syncing deployment",
      fields: [
        'err=Operation cannot be fulfilled on deployments.apps "web": the object has been modified',
        "deployment=default/web",
        "caller=controller.go:114",
      ],
    });
  });
  it("kube-scheduler and kubelet: numbers, slices, structs", () => {
    const s = summary(
      `I0501 10:00:03.000000       1 schedule_one.go:286] "Successfully bound pod to node" pod="default/web-5d8f-x" node="worker-1" evaluatedNodes=3 feasibleNodes=2`,
    );
    expect(s?.fields).toEqual([
      "pod=default/web-5d8f-x",
      "node=worker-1",
      "evaluatedNodes=3",
      "feasibleNodes=2",
      "caller=schedule_one.go:286",
    ]);
    const k = summary(
      `I0501 10:00:05.000000    2301 kubelet.go:2468] "SyncLoop ADD" source="api" pods=["default/web-5d8f-x"] opts={Delay:0s Reason:"x y"}`,
    );
    expect(k?.fields).toEqual([
      "source=api",
      'pods=["default/web-5d8f-x"]',
      'opts={Delay:0s Reason:"x y"}',
      "caller=kubelet.go:2468",
    ]);
  });
  it("text messages (Infof, Warningf, Errorf, Fatalf)", () => {
    expect(
      summary(
        `W0501 10:00:02.000000       1 reflector.go:539] k8s.io/client-go/informers/factory.go:159: failed to list *v1.Pod: Unauthorized`,
      ),
    ).toMatchObject({
      format: "klog",
      level: "WARNING",
      severity: 40,
      message: "k8s.io/client-go/informers/factory.go:159: failed to list *v1.Pod: Unauthorized",
      fields: ["caller=reflector.go:539"],
    });
    expect(summary(`F0501 10:00:06.000000       1 server.go:12] unable to load config`)?.severity).toBe(60);
  });
  it("a multi-line value, whole in a --multiline record", () => {
    const r = parse(`I0501 10:00:00.000000       1 main.go:9] "Config" data=<\n\tline one\n\tline two\n >`);
    // Read from the first line only: the header and message, the rest is continuation.
    expect(r?.message).toBe("Config");
  });
  it("values for --where: level and msg by name", () => {
    expect(parse(`E0501 10:00:00.000000       1 a.go:1] "boom" n=3`)?.values()).toMatchObject({
      level: "error",
      msg: "boom",
      n: 3,
      caller: "a.go:1",
    });
  });
  it("a header that is not klog's stays text", () => {
    expect(parse("I0501 hello")).toBeNull();
    expect(parse("E0501 10:00:00 1 a.go:1] x")).toBeNull();
  });
});

describe("lines that start with a level", () => {
  const cases: [string, string | undefined, string | undefined][] = [
    ["ERROR something broke", "ERROR", "something broke"],
    ["[warn] deprecated option", "WARN", "deprecated option"],
    ["[Error] x", "ERROR", "x"],
    ["Warning: deprecated", "WARNING", "deprecated"],
    ["INFO:root:started", "INFO", "root:started"],
    ["2024-05-01 10:00:00,123 ERROR [main] c.e.App - boom", "ERROR", "[main] c.e.App - boom"],
    ["2024-05-01T10:00:00.123Z  WARN orders::api: slow", "WARN", "orders::api: slow"],
    ["2024/05/01 10:00:00 [error] 29#29: *1 open() failed", "ERROR", "29#29: *1 open() failed"],
    ["2024-05-01T10:00:00.123Z\tINFO\tserver/main.go:12\tstarted", "INFO", "server/main.go:12\tstarted"],
  ];
  for (const [line, level, message] of cases) {
    it(line, () => {
      expect(summary(line)).toMatchObject({ format: "text", level, message });
    });
  }
  it("a zoned time is the line's time; one without a zone is not guessed", () => {
    expect(summary("2024-05-01T10:00:00.5Z INFO x")?.time).toBe("2024-05-01T10:00:00.500Z");
    expect(summary("2024-05-01 10:00:00,123 INFO x")?.time).toBeUndefined();
  });
  it("words that only look like levels stay text", () => {
    for (const line of ["error connecting", "Info about x", "WARNINGS ahead", "NOTHING here", "plain", ""]) {
      expect(parse(line)).toBeNull();
    }
  });
});

describe("--multiline records", () => {
  it("are read from their first line; firstEnd marks where the continuation starts", () => {
    const text = `2024-05-01 10:00:00,123 ERROR [main] boom\n\tat com.example.A.run(A.java:1)`;
    const buf = Buffer.from(text);
    const r = parseRecord(buf, 0, buf.length);
    expect(r?.level?.severity).toBe(50);
    expect(r?.firstEnd).toBe(text.indexOf("\n"));
  });
});

describe("the JSON check agrees with JSON.parse", () => {
  const bodies = [
    `{"a":1}`,
    `{"a":-0.5e+10,"b":[1,2,{"c":null}],"d":true,"e":false,"f":"\\u00e9\\n\\"\\/"}`,
    `{ "a" : 1 , "b" : [ ] , "c" : { } }`,
    `{"a":01}`,
    `{"a":1.}`,
    `{"a":.5}`,
    `{"a":-}`,
    `{"a":1e}`,
    `{"a":+1}`,
    `{"a":"\\x41"}`,
    `{"a":"\\u12G4"}`,
    `{"a":"tab\there"}`,
    `{"a":tru}`,
    `{"a":nul}`,
    `{"a":1,}`,
    `{,"a":1}`,
    `{"a" 1}`,
    `{a:1}`,
    `{'a':1}`,
    `{"a":[1,]}`,
    `{"a":[1 2]}`,
    `{"a":1}}`,
    `{"a":{"b":1}`,
    `{"a":"unterminated}`,
    `{"a":NaN}`,
    `{"a":Infinity}`,
    `{"a":1} {"b":2}`,
    `{"emoji":"😀","cjk":"日本"}`,
    `{"a":{"b":}}`,
    `{"a":{"b":1,}}`,
    `{"a":"x","b":{"c":[1,{"d":"\u00e9"}]}}`,
    `{"a\u0062":1}`,
    `{"a":[[[[]]]]}`,
    `{"a":1 }`,
  ];
  it("escaped keys and values are decoded", () => {
    expect(summary(`{"a\\u0062":"c\\u00e9","n":{"k\\"q":1}}`)?.fields).toEqual(["ab=cé", 'n.k"q=1']);
  });
  for (const body of bodies) {
    it(body, () => {
      let valid = true;
      try {
        JSON.parse(body);
      } catch {
        valid = false;
      }
      expect(parse(body) !== null).toBe(valid);
    });
  }
});
