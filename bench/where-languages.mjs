// Per-line cost of --where candidates: the same records and filter (status >= 500 and a regex or prefix
// test on path) in each expression language with a JavaScript implementation. Its figures are in
// docs/performance.md ("The language of --where"). The candidates other than CEL are not dependencies of
// this project, so it runs from a scratch directory:
//   mkdir /tmp/where && cd /tmp/where && npm init -y && npm install @marcbachmann/cel-js @bufbuild/cel \
//     jsonata @jmespath-community/jmespath filtrex @jq-tools/jq jq-web
//   cp <checkout>/bench/where-languages.mjs . && node where-languages.mjs
import { parse as bufParse, plan as bufPlan, celEnv } from "@bufbuild/cel";
import { compile as jmesCompile, TreeInterpreter } from "@jmespath-community/jmespath";
import jqTools from "@jq-tools/jq";
import { parse as celParse } from "@marcbachmann/cel-js";
import { compileExpression } from "filtrex";
import jqWeb from "jq-web";
import jsonata from "jsonata";

const records = Array.from({ length: 1000 }, (_, i) => ({
  level: i % 3 ? "info" : "error",
  msg: "request done",
  status: 200 + (i % 4) * 100,
  path: i % 2 ? "/api/v1/users" : "/healthz",
  latency: 0.012 * i,
  user: { id: i },
}));

/** ns per call, after a warm-up; async candidates are awaited one call at a time, as a pipeline would. */
async function time(name, test, calls = 200_000) {
  for (let i = 0; i < 2000; i++) await test(records[i % 1000]);
  let hits = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) if ((await test(records[i % 1000])) === true) hits++;
  const ns = Number(process.hrtime.bigint() - t0) / calls;
  console.log(`| ${name} | ${ns.toFixed(0)} | ${((hits / calls) * 100).toFixed(0)} % |`);
}

console.log("| implementation | ns per line | lines kept |\n|---|---|---|");
await time("plain JavaScript", (r) => r.status >= 500 && /^\/api/.test(r.path));
const cel = celParse('status >= 500 && path.matches("^/api")');
await time("CEL: @marcbachmann/cel-js", (r) => cel(r));
const buf = bufPlan(celEnv(), bufParse('status >= 500.0 && path.matches("^/api")'));
await time("CEL: @bufbuild/cel", (r) => buf(r));
const filtrex = compileExpression('status >= 500 and path ~= "^/api"');
await time("filtrex", (r) => filtrex(r));
const jmes = jmesCompile("status >= `500` && starts_with(path, '/api')");
await time("JMESPath: @jmespath-community/jmespath (no regex)", (r) => TreeInterpreter.search(jmes, r));
const jqAst = jqTools.parse('.status >= 500 and (.path | test("^/api"))');
await time(
  "jq: @jq-tools/jq",
  (r) => {
    for (const v of jqTools.evaluate(jqAst, [r])) return v;
    return false;
  },
  20_000,
);
const ja = jsonata("status >= 500 and $contains(path, /^\\/api/)");
await time("JSONata (asynchronous)", (r) => ja.evaluate(r), 20_000);
const jq = await jqWeb;
await time(
  "jq: jq-web (jq 1.7 in WebAssembly)",
  (r) => jq.json(r, '.status >= 500 and (.path | test("^/api"))'),
  2000,
);
