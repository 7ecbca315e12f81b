// The limit: the least a Node client can do to read the same log streams. It LISTs the pods, opens one
// request per container (all at once, as stern does with --max-log-requests=N), with timestamps as this
// stern asks for them, counts newlines and writes nothing (with --echo it copies the bytes to stdout, for
// the time-to-first-line run). HTTP/1.1 by default, one connection per stream (node:https, or node:http
// for a plain http:// server); --http2 puts every stream on one HTTP/2 session, as this stern does.
// Run: node bench/readers/plain-reader.ts -n NS [--selector app=load] [--prefix load-] [--echo] [--http2]
// KUBECONFIG names the kubeconfig (the simulator's: the first cluster and user, CA + token or client cert).
import { readFileSync } from "node:fs";
import http from "node:http";
import http2 from "node:http2";
import https from "node:https";
import { parseArgs } from "node:util";
import { load as loadYaml } from "js-yaml";

const { values } = parseArgs({
  options: {
    namespace: { type: "string", short: "n", default: "default" },
    selector: { type: "string", short: "l" },
    prefix: { type: "string" },
    echo: { type: "boolean", default: false },
    "no-follow": { type: "boolean", default: false },
    http2: { type: "boolean", default: false },
  },
});

interface Kubeconfig {
  clusters: { cluster: { server: string; "certificate-authority-data"?: string } }[];
  users: {
    user: { token?: string; "client-certificate-data"?: string; "client-key-data"?: string } | null;
  }[];
}
const path = process.env.KUBECONFIG;
if (!path) throw new Error("KUBECONFIG is not set");
const kc = loadYaml(readFileSync(path, "utf8")) as Kubeconfig;
const cluster = kc.clusters[0]?.cluster;
const user = kc.users[0]?.user ?? {};
if (!cluster) throw new Error("no cluster in the kubeconfig");
const b64 = (s: string | undefined) => (s ? Buffer.from(s, "base64") : undefined);
const server = new URL(cluster.server);
const tlsOptions = {
  ca: b64(cluster["certificate-authority-data"]),
  cert: b64(user["client-certificate-data"]),
  key: b64(user["client-key-data"]),
};
const plain = server.protocol === "http:";
const agent = plain
  ? new http.Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY })
  : new https.Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY, ...tlsOptions });
const headers: Record<string, string> = user.token ? { authorization: `Bearer ${user.token}` } : {};
const session = values.http2 ? http2.connect(server.origin, tlsOptions) : undefined;

function get(path: string, onData: (b: Buffer) => void): Promise<number> {
  if (session) {
    return new Promise((resolve, reject) => {
      const req = session.request({ ":path": path, ...headers }, { endStream: true });
      req.on("response", (h) => {
        const status = Number(h[":status"]);
        if (status !== 200) reject(new Error(`${path}: HTTP ${status}`));
      });
      req.on("data", onData);
      req.on("end", () => resolve(200));
      req.on("error", reject);
    });
  }
  return new Promise((resolve, reject) => {
    const req = (plain ? http : https).get(
      { host: server.hostname, port: server.port, path, agent, headers },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          reject(new Error(`${path}: HTTP ${res.statusCode}`));
          return;
        }
        res.on("data", onData);
        res.on("end", () => resolve(res.statusCode ?? 0));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
  });
}

const ns = encodeURIComponent(values.namespace);
const query = values.selector ? `?labelSelector=${encodeURIComponent(values.selector)}` : "";
const chunks: Buffer[] = [];
await get(`/api/v1/namespaces/${ns}/pods${query}`, (b) => chunks.push(b));
const list = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
  items: { metadata: { name: string }; spec: { containers: { name: string }[] } }[];
};
const prefix = values.prefix ?? "";
const targets = list.items
  .filter((p) => p.metadata.name.startsWith(prefix))
  .flatMap((p) => p.spec.containers.map((c) => [p.metadata.name, c.name] as const));

let lines = 0;
const follow = values["no-follow"] ? "false" : "true";
const count = (b: Buffer) => {
  for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) lines++;
};
const onData = values.echo ? (b: Buffer) => process.stdout.write(b) : count;
await Promise.all(
  targets.map(([pod, container]) =>
    get(
      `/api/v1/namespaces/${ns}/pods/${encodeURIComponent(pod)}/log?container=${encodeURIComponent(container)}&follow=${follow}&timestamps=true`,
      onData,
    ),
  ),
);
process.stderr.write(`plain-reader: ${targets.length} streams, ${lines} lines\n`);
agent.destroy();
session?.close();
