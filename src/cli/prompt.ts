// -p/--prompt: pick one app.kubernetes.io/instance among the pods found, as stern does.
import { listPods } from "../engine/podwatch.ts";
import type { ApiClient } from "../kube/client.ts";
import { UsageError } from "./errors.ts";

export const INSTANCE_LABEL = "app.kubernetes.io/instance";

export async function promptForInstance(client: ApiClient, namespaces: string[]): Promise<string> {
  if (!process.stdin.isTTY) {
    throw new UsageError(
      "--prompt needs an interactive terminal on stdin; use -l app.kubernetes.io/instance=<name>",
    );
  }
  const values = new Set<string>();
  for (const namespace of namespaces) {
    const list = await listPods(client, {
      namespace,
      labelSelector: INSTANCE_LABEL,
      fieldSelector: undefined,
    });
    for (const pod of list.items) {
      const v = pod.metadata.labels?.[INSTANCE_LABEL];
      if (v) values.add(v);
    }
  }
  if (values.size === 0)
    throw new UsageError(`no pods with the label ${INSTANCE_LABEL} found to choose from`);
  const { default: select } = await import("@inquirer/select");
  const choice = await select(
    {
      message: `Select ${INSTANCE_LABEL}`,
      choices: [...values].sort().map((v) => ({ name: v, value: v })),
      pageSize: 15,
    },
    { output: process.stderr },
  );
  return `${INSTANCE_LABEL}=${choice}`;
}
