// `npm run sim [-- --port N] [--rate N] [--chaos-ms N]`: a living simulated cluster until Ctrl-C.
import { parseArgs } from "node:util";
import { populateDemo } from "./demo.ts";
import { startSim } from "./scenario.ts";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "0" },
    rate: { type: "string", default: "2" },
    "chaos-ms": { type: "string", default: "20000" },
    quiet: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});

if (values.help) {
  process.stdout.write(
    "usage: npm run sim -- [--port N] [--rate LINES_PER_S] [--chaos-ms MS] [--quiet]\n" +
      "Starts a simulated Kubernetes API server on 127.0.0.1 and prints `export KUBECONFIG=…`.\n",
  );
  process.exit(0);
}

const sim = await startSim({
  port: Number(values.port),
  namespaces: ["default", "kube-system"],
  contexts: [
    { name: "sim", namespace: "default" },
    { name: "sim-kube-system", namespace: "kube-system" },
  ],
  currentContext: "sim",
});
const demo = populateDemo(sim, {
  rate: Number(values.rate),
  chaosIntervalMs: Number(values["chaos-ms"]),
  onEvent: values.quiet ? undefined : (m) => process.stderr.write(`sim: ${m}\n`),
});

process.stdout.write(`export KUBECONFIG=${sim.kubeconfigPath}\n`);
process.stderr.write(
  `sim: API server at ${sim.url} (namespaces default, kube-system; deployments service, web, coredns)\n` +
    "sim: in another shell, paste the line above, then try: kubectl get pods -A, or stern service\n" +
    "sim: Ctrl-C to stop\n",
);

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  demo.stop();
  await sim.stop();
  process.stderr.write("sim: stopped\n");
  process.exit(0);
};
process.on("SIGINT", () => void shutdown());
process.on("SIGTERM", () => void shutdown());
