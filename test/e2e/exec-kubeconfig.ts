// A kubeconfig whose user gets its token from an exec credential plugin (src/kube/exec-plugin.ts,
// renewed after a 401). The plugin is a shell script that reads the token from a file with shell
// builtins only, so it runs with any PATH (or none).
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Sim } from "../../sim/index.ts";

let count = 0;

/** Writes the plugin and the kubeconfig into sim.dir; returns the kubeconfig's path. */
export function execPluginKubeconfig(sim: Sim, tokenFile: string, namespace: string): string {
  const n = ++count;
  const plugin = join(sim.dir, `exec-plugin-${n}.sh`);
  writeFileSync(
    plugin,
    `#!/bin/sh\nread -r t < "${tokenFile}"\nprintf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s"}}' "$t"\n`,
  );
  chmodSync(plugin, 0o755);
  const kubeconfig = join(sim.dir, `exec-kubeconfig-${n}`);
  writeFileSync(
    kubeconfig,
    `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "${sim.url}", certificate-authority-data: "${Buffer.from(sim.caPem).toString("base64")}"}}]
users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: ${plugin}, interactiveMode: Never}}}]
contexts: [{name: x, context: {cluster: c, user: u, namespace: ${namespace}}}]
current-context: x
`,
  );
  return kubeconfig;
}
