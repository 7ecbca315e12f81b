// A small "living" cluster for `npm run sim` and the demo: pods that log, get replaced and restart.
import { randomInt } from "node:crypto";
import type { DeploymentHandle } from "./deployments.ts";
import type { EmitHandle, PodHandle } from "./pod-handle.ts";
import type { Sim } from "./scenario.ts";

export interface DemoOptions {
  /** Lines per second per container (default 2). */
  rate?: number;
  /** Every this often a pod is replaced or a container restarted (default 20 s; 0 = never). */
  chaosIntervalMs?: number;
  /** Report what happens (default: nothing). */
  onEvent?: (message: string) => void;
}

export interface Demo {
  deployments: DeploymentHandle[];
  stop(): void;
}

const paths = [
  "/api/orders",
  "/api/orders/1842",
  "/api/users/me",
  "/api/cart",
  "/healthz",
  "/api/search?q=boots",
];
const methods = ["GET", "GET", "GET", "POST", "PUT", "DELETE"];
const pick = <T>(xs: readonly T[]): T => xs[randomInt(xs.length)] as T;

function clf(now: Date): string {
  const m = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][
    now.getUTCMonth()
  ];
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(now.getUTCDate())}/${m}/${now.getUTCFullYear()}:${p(now.getUTCHours())}:${p(now.getUTCMinutes())}:${p(now.getUTCSeconds())} +0000`;
}

/** A realistic line for a container of the given name. */
export function demoLine(container: string): string {
  const now = new Date();
  const status = pick([200, 200, 200, 201, 204, 304, 404, 500]);
  const ip = `10.244.${randomInt(4)}.${randomInt(2, 250)}`;
  switch (container) {
    case "gateway":
    case "nginx":
      return `${ip} - - [${clf(now)}] "${pick(methods)} ${pick(paths)} HTTP/1.1" ${status} ${randomInt(2, 5000)} "-" "Mozilla/5.0 (X11; Linux x86_64)"`;
    case "coredns":
      return `[INFO] ${ip}:${randomInt(30000, 60000)} - ${randomInt(1, 65535)} "A IN service.default.svc.cluster.local. udp 52 false 512" NOERROR qr,aa,rd 106 0.000${randomInt(100, 999)}s`;
    default: {
      const level = status >= 500 ? "error" : pick(["info", "info", "info", "debug", "warn"]);
      return JSON.stringify({
        level,
        ts: now.toISOString(),
        msg: status >= 500 ? "request failed" : "request handled",
        method: pick(methods),
        path: pick(paths),
        status,
        duration_ms: randomInt(1, 400),
      });
    }
  }
}

export function populateDemo(sim: Sim, o: DemoOptions = {}): Demo {
  const rate = o.rate ?? 2;
  const say = o.onEvent ?? (() => {});
  const emitters = new Map<string, EmitHandle[]>();
  const feed = (p: PodHandle) => {
    const hs = p.model
      .ofKind("regular")
      .map((c) => p.emit(c.name, { lines: Number.MAX_SAFE_INTEGER, rate, make: () => demoLine(c.name) }));
    emitters.set(`${p.namespace}/${p.name}`, hs);
  };
  for (const ns of ["default", "kube-system"]) sim.addNamespace(ns);
  const deployments = [
    sim.addDeployment({
      name: "service",
      replicas: 3,
      containers: [{ name: "server" }, { name: "gateway" }],
    }),
    sim.addDeployment({
      name: "web",
      replicas: 2,
      containers: [{ name: "nginx", image: "docker.io/library/nginx:1.27" }],
    }),
    sim.addDeployment({
      namespace: "kube-system",
      name: "coredns",
      replicas: 1,
      labels: { "k8s-app": "kube-dns" },
      containers: [{ name: "coredns", image: "registry.k8s.io/coredns/coredns:v1.11.3" }],
    }),
  ];
  for (const d of deployments) for (const p of d.pods) feed(p);
  const db = sim.addStatefulSet({
    name: "db",
    replicas: 2,
    containers: [{ name: "postgres", image: "docker.io/library/postgres:16" }],
  });
  for (const p of db.pods) feed(p);
  sim.addService({ name: "web", selector: { app: "web" } });
  sim.addService({ name: "db", selector: { app: "db" }, ports: [{ port: 5432 }], clusterIP: "None" });
  const report = sim.addCronJob({ name: "report", containers: [{ name: "report" }], jobs: 2 });
  for (const p of report.pods) p.log("report", "report generated: 1842 orders");

  let round = 0;
  const chaos = async () => {
    round++;
    const d = pick(deployments.slice(0, 2));
    const victim = pick(d.pods);
    if (!victim) return;
    if (round % 2 === 1) {
      say(`replacing pod ${victim.namespace}/${victim.name}`);
      const fresh = await d.replacePod(victim.name, { graceMs: 2000 });
      for (const e of emitters.get(`${victim.namespace}/${victim.name}`) ?? []) e.stop();
      emitters.delete(`${victim.namespace}/${victim.name}`);
      feed(fresh);
      say(`pod ${fresh.namespace}/${fresh.name} is running`);
    } else {
      const c = pick(victim.model.ofKind("regular")).name;
      if (round % 4 === 0) {
        // An OOM kill, the kubelet's back-off (with its event), and a start 5 s later.
        victim.log(c, "fatal error: runtime: out of memory");
        victim.wait(c, "CrashLoopBackOff", { exitCode: 137, endReason: "OOMKilled" });
        setTimeout(() => {
          if (!victim.deleted) victim.start(c);
        }, 5000);
        say(`container ${victim.namespace}/${victim.name}/${c} was OOMKilled; restarting in 5 s`);
        return;
      }
      victim.log(c, "panic: runtime error: invalid memory address or nil pointer dereference");
      victim.restart(c, { exitCode: 2, reason: "Error" });
      say(`restarted container ${victim.namespace}/${victim.name}/${c}`);
    }
  };
  const timer =
    o.chaosIntervalMs === 0 ? undefined : setInterval(() => void chaos(), o.chaosIntervalMs ?? 20_000);
  return {
    deployments,
    stop() {
      if (timer) clearInterval(timer);
      for (const hs of emitters.values()) for (const e of hs) e.stop();
      emitters.clear();
    },
  };
}
