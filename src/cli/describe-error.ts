// The one line an error that ended the run is told in. Loaded only when there is one: it knows the
// API client's errors, which a run that never reaches a cluster (--version, --help) need not load.
import { LogStreamsUnsupported } from "../engine/log-streams.ts";
import { ApiError, ConnectionError } from "../kube/errors.ts";
import { KubeconfigError } from "../kube/kubeconfig.ts";
import { UsageError } from "./errors.ts";

/** The one line to print for an error that ended the run. */
export function describeError(err: unknown): string {
  if (err instanceof UsageError || err instanceof KubeconfigError || err instanceof ConnectionError) {
    return err.message;
  }
  if (err instanceof ApiError) return describeApiError(err);
  if (err instanceof LogStreamsUnsupported) {
    const needs =
      "--stream needs a server that serves stdout and stderr apart (Kubernetes 1.32 or later, with the PodLogsQuerySplitStreams feature gate)";
    return err.version !== undefined
      ? `${needs}: this one is ${err.version}`
      : `${needs}; this one said: ${err.said ?? ""}`;
  }
  if (err instanceof Error && err.name === "TemplateParseError")
    return `unable to parse template: ${err.message}`;
  if (err instanceof Error) return err.message.split("\n")[0] ?? String(err);
  return String(err);
}

function describeApiError(err: ApiError): string {
  switch (err.code) {
    case 401:
      return `the API server rejected our credentials (401 Unauthorized): ${err.message}`;
    case 403:
      return `permission denied (403 Forbidden): ${err.message}`;
    default:
      return err.reason ? `${err.message} (${err.code} ${err.reason})` : `${err.message} (HTTP ${err.code})`;
  }
}
