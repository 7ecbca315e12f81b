// The simulated cluster in a process of its own, driven over IPC by the benchmarks: so that what is
// measured is the client, and the simulator's work does not count against it.
import { startSim } from "../../sim/index.ts";

export type SimRequest =
  | {
      type: "fast";
      namespace: string;
      pods: number;
      containers: number;
      lines: number;
      lineBytes: number;
      gate: boolean;
      /** Bytes per write at most (1 = a line per frame; default 64 KB). */
      frameBytes?: number;
    }
  | { type: "idle"; namespace: string; pods: number }
  /** Pods that write `rate` lines a second each, every line carrying the time it was written (t=ms). */
  | { type: "rate"; namespace: string; pods: number; rate: number; seconds: number; lineBytes: number }
  | { type: "add-running"; namespace: string; name: string; line: string }
  | { type: "delete"; namespace: string; name: string }
  | { type: "release" }
  | { type: "stats" }
  | { type: "stop" };

export type SimReply =
  | { type: "ready"; kubeconfig: string; url: string }
  | { type: "done"; id: number }
  | { type: "gate-open"; namespace: string; at: number }
  | { type: "stats"; id: number; stats: unknown }
  | { type: "pod-running"; name: string; at: number };

// --plain-http: plain HTTP/1.1 without credentials, as kubectl proxy serves the API.
const sim = await startSim({
  namespaces: ["default"],
  bookmarkIntervalMs: 0,
  plainHttp: process.argv.includes("--plain-http"),
});
const send = (m: SimReply) => process.send?.(m);

process.on("message", async (raw: { id: number; req: SimRequest }) => {
  const { id, req } = raw;
  switch (req.type) {
    case "fast": {
      sim.addNamespace(req.namespace);
      if (req.gate) {
        void sim
          .gateLogs(req.pods * req.containers)
          .then(() => send({ type: "gate-open", namespace: req.namespace, at: Date.now() }));
      }
      const names = Array.from({ length: req.containers }, (_, i) => `c${i}`);
      for (let p = 0; p < req.pods; p++) {
        const pod = sim.addPod({
          namespace: req.namespace,
          name: `load-${String(p).padStart(4, "0")}`,
          labels: { app: "load" },
          containers: names.map((name) => ({ name })),
        });
        for (const c of names)
          pod.emitFast(c, {
            lines: req.lines,
            lineBytes: req.lineBytes,
            terminateAfter: true,
            ...(req.frameBytes !== undefined ? { frameBytes: req.frameBytes } : {}),
          });
      }
      break;
    }
    case "rate": {
      sim.addNamespace(req.namespace);
      for (let p = 0; p < req.pods; p++) {
        const pod = sim.addPod({
          namespace: req.namespace,
          name: `rate-${String(p).padStart(4, "0")}`,
          labels: { app: "rate" },
          containers: [{ name: "c" }],
        });
        const pad = "x".repeat(Math.max(0, req.lineBytes - 40));
        pod.emit("c", {
          lines: req.rate * req.seconds,
          rate: req.rate,
          make: (i) => `t=${Date.now()} seq=${i} ${pad}`,
        });
      }
      break;
    }
    case "idle": {
      sim.addNamespace(req.namespace);
      for (let p = 0; p < req.pods; p++) {
        sim.addPod({
          namespace: req.namespace,
          name: `idle-${String(p).padStart(4, "0")}`,
          labels: { app: "idle" },
          containers: [{ name: "c" }],
        });
      }
      break;
    }
    case "add-running": {
      sim.addNamespace(req.namespace);
      const pod = sim.addPod({
        namespace: req.namespace,
        name: req.name,
        labels: { app: "repl" },
        containers: [{ name: "c" }],
      });
      const at = Date.now();
      pod.log("c", req.line);
      send({ type: "pod-running", name: req.name, at });
      break;
    }
    case "delete":
      await sim.deletePod(req.namespace, req.name, { graceMs: 0 });
      break;
    case "release":
      // Drops a gate left waiting (a tool that timed out before opening every stream).
      sim.releaseLogs();
      break;
    case "stats":
      send({ type: "stats", id, stats: sim.stats });
      return;
    case "stop":
      await sim.stop();
      send({ type: "done", id });
      process.exit(0);
  }
  send({ type: "done", id });
});

process.on("disconnect", () => process.exit(0)); // the benchmark died: do not linger
send({ type: "ready", kubeconfig: sim.kubeconfigPath, url: sim.url });
