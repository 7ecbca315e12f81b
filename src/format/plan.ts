// --dry-run's output: the containers a run would follow, as a table (kubectl's layout: columns three
// spaces apart), and what it would open in all.
import type { PlannedRequests, PlannedState, PlannedStream } from "../shared/plan.ts";
import { describeEnd } from "./ending-text.ts";

export interface PlanRow {
  /** The kubeconfig context the container is in. */
  context: string;
  stream: PlannedStream;
}

export function stateText(state: PlannedState, previous: boolean): string {
  const name = previous ? `${state.name} (previous)` : state.name;
  if (state.name === "waiting" && state.reason) return `${name}: ${state.reason}`;
  if (state.name === "terminated" && state.end) return `${name}: ${describeEnd(state.end)}`;
  return name;
}

export function planTable(rows: readonly PlanRow[]): string {
  const table = [
    ["CONTEXT", "NAMESPACE", "POD", "CONTAINER", "STATE"],
    ...rows.map(({ context, stream: { target, state } }) => [
      context,
      target.namespace,
      target.podName,
      target.container,
      stateText(state, target.previous === true),
    ]),
  ];
  const widths = (table[0] as string[]).map((_, c) => Math.max(...table.map((r) => (r[c] ?? "").length)));
  return table
    .map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd((widths[c] ?? 0) + 3))).join(""))
    .map((line) => `${line}\n`)
    .join("");
}

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "2 containers: 3 log streams (at most 50 open at once); 6 requests in all: 3 log streams, 2 lists, 1 watch". */
export function planSummary(containers: number, r: PlannedRequests): string {
  const streams =
    r.logs === 0 ? "no log stream" : `${count(r.logs, "log stream")} (at most ${r.logsAtOnce} open at once)`;
  const parts = [
    count(r.logs, "log stream"),
    count(r.lists, "list"),
    count(r.watches, "watch", "watches"),
    ...(r.checks > 0 ? [count(r.checks, "check of the server", "checks of the server")] : []),
  ];
  const total = r.logs + r.lists + r.watches + r.checks;
  return `${count(containers, "container")}: ${streams}; ${count(total, "request")} in all: ${parts.join(", ")}\n`;
}
