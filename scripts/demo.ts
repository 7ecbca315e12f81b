// npm run demo: stern's announcement example, on the simulated cluster. A "service" deployment of three
// pods (server + gateway) logs requests; stern --events follows it while one pod is replaced and one
// container crashes (OOMKilled), waits in CrashLoopBackOff and starts again. Ends by itself after
// DEMO_SECONDS (default 30). `npm run demo -- --tui` shows it in the interactive view instead, until q.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { demoLine, type EmitHandle, type PodHandle, startSim } from "../sim/index.ts";

const seconds = Number(process.env.DEMO_SECONDS ?? 30);
const sternBin = fileURLToPath(new URL("../bin/stern", import.meta.url));
const extra = process.argv.slice(2);
const tui = extra.includes("--tui");
// The view owns the terminal: the demo's own words would draw over it.
const say = (text: string) => {
  if (!tui) process.stderr.write(`\x1b[2m▶ demo: ${text}\x1b[0m\n`);
};

const sim = await startSim({ namespaces: ["default"] });
const service = sim.addDeployment({
  name: "service",
  replicas: 3,
  containers: [{ name: "server" }, { name: "gateway" }],
});
const emitters: EmitHandle[] = [];
const feed = (pod: PodHandle) => {
  for (const c of ["server", "gateway"]) {
    emitters.push(pod.emit(c, { lines: Number.MAX_SAFE_INTEGER, rate: 1.5, make: () => demoLine(c) }));
  }
};
for (const pod of service.pods) feed(pod);

say(`simulated cluster at ${sim.url}; running: stern service --events (for ${seconds} s)`);
const stern = spawn(process.execPath, [sternBin, "service", "--events", "--since", "1s", ...extra], {
  stdio: "inherit",
  env: { ...process.env, KUBECONFIG: sim.kubeconfigPath },
});

const at = (fraction: number, action: () => Promise<void> | void) =>
  setTimeout(() => void action(), fraction * seconds * 1000);

at(1 / 3, async () => {
  const victim = service.pods[0] as PodHandle;
  say(`rolling out: replacing pod ${victim.name}`);
  const fresh = await service.replacePod(victim.name, { graceMs: 1500 });
  feed(fresh);
  say(`new pod ${fresh.name} is running`);
});
at(2 / 3, () => {
  const pod = service.pods[service.pods.length - 1] as PodHandle;
  pod.log("server", "fatal error: runtime: out of memory");
  pod.wait("server", "CrashLoopBackOff", { exitCode: 137, endReason: "OOMKilled" });
  say(`container server of ${pod.name} was OOMKilled; the kubelet backs off before restarting it`);
  setTimeout(() => {
    pod.start("server");
    say(`container server of ${pod.name} started again`);
  }, 2500);
});
at(1, () => {
  if (tui) return; // the view stays until q
  say("done; stopping stern");
  stern.kill("SIGINT");
});

stern.on("exit", async (code) => {
  for (const e of emitters) e.stop();
  await sim.stop();
  process.exit(code === 130 || code === 0 ? 0 : (code ?? 1));
});
