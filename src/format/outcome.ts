// --until-done's one-line summary of what failed, on stderr: "job/migrate failed, BackoffLimitExceeded:
// Job has reached the specified backoff limit; its last failed container: migrate-x7k2p › run (exit 3,
// Error)".
import type { DoneFailure } from "../shared/outcome.ts";
import { FAILURE, paint } from "./color.ts";
import { describeEnd } from "./ending-text.ts";

export interface OutcomeStyle {
  /** The namespace before names (several namespaces are shown). */
  showNamespace: boolean;
  colored: boolean;
  /** The kubeconfig context, when several clusters are tailed. */
  context?: string;
}

export function describeFailure(f: DoneFailure, o: OutcomeStyle): string {
  const ns = (namespace: string) => (o.showNamespace ? `${namespace} ` : "");
  const oneLine = (text: string) => text.replace(/\s*\n\s*/g, " ");
  const why = (reason: string | undefined, message: string | undefined) =>
    [reason, message]
      .filter((x): x is string => x !== undefined)
      .map(oneLine)
      .join(": ");
  const parts: string[] = [];
  if (f.job) {
    const reason = why(f.job.reason, f.job.message);
    parts.push(`${ns(f.job.namespace)}job/${f.job.name} failed${reason ? `, ${reason}` : ""}`);
  }
  if (f.pod && f.container) {
    const which = f.job ? "its last failed container" : "the first failed container";
    const where = `${ns(f.pod.namespace)}${f.pod.name} › ${f.container.name}`;
    const head = f.job ? "" : `pod ${ns(f.pod.namespace)}${f.pod.name} failed; `;
    parts.push(`${head}${which}: ${where} (${describeEnd(f.container.end)})`);
  } else if (f.pod && !f.job) {
    const reason = why(f.pod.reason, f.pod.message);
    parts.push(`pod ${ns(f.pod.namespace)}${f.pod.name} failed${reason ? `: ${reason}` : ""}`);
  }
  const text = parts.join("; ");
  return `${o.context ? `${o.context} ` : ""}${o.colored ? paint(FAILURE, text) : text}`;
}
