// Cost of running stern's default template once per line (was a timed unit test; timing belongs here).
// Run: node bench/template-exec.ts [calls]
import { LogType } from "../src/format/go-template.ts";
import { GoColor, parseTemplate, StringMap, sternFuncs } from "../src/template/index.ts";

const n = Number(process.argv[2] ?? 1_000_000);
const t = parseTemplate(
  "log",
  '{{color .PodColor .PodName}} {{color .ContainerColor .ContainerName}} {{.Message}}{{"\\n"}}',
  sternFuncs({ colorEnabled: true }),
);
const log = LogType.make({
  Message: "some log message",
  Timestamp: "",
  NodeName: "node1",
  Namespace: "ns1",
  PodName: "pod1",
  ContainerName: "container1",
  Labels: new StringMap({ app: "nginx" }),
  Annotations: new StringMap({}),
  PodColor: new GoColor("31"),
  ContainerColor: new GoColor("34"),
});
for (let i = 0; i < 20_000; i++) t.execute(log);
const start = process.hrtime.bigint();
let len = 0;
for (let i = 0; i < n; i++) len += t.execute(log).length;
const ns = Number(process.hrtime.bigint() - start) / n;
console.log(
  `| template | calls | ns per call |\n|---|---|---|\n| default (colored) | ${n} | ${ns.toFixed(0)} (${len} bytes) |`,
);
