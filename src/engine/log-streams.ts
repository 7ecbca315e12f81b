// --stream: one of a container's two streams (KEP-3288, `stream=Stdout|Stderr` on the log endpoint).
// Only servers with the PodLogsQuerySplitStreams feature gate (Kubernetes 1.32 and later) take it: an
// older one ignores the parameter and would send both streams, one without the gate rejects it (422
// "stream: Forbidden: may not be specified"). Both are found before the first stream is shown.
import { ApiError } from "../kube/errors.ts";
import type { Target } from "../shared/target.ts";
import type { KubeApi } from "./api.ts";

export type LogStreamName = "Stdout" | "Stderr";

/** The server cannot serve one stream: it is too old (`version`), or it said why (`said`). */
export class LogStreamsUnsupported extends Error {
  readonly version: string | undefined;
  readonly said: string | undefined;

  constructor(o: { version?: string; said?: string }) {
    super(o.said ?? o.version ?? "");
    this.name = "LogStreamsUnsupported";
    this.version = o.version;
    this.said = o.said;
  }
}

interface VersionInfo {
  major?: string;
  minor?: string;
  gitVersion?: string;
}

/** Whether a server of this /version can know `stream` (1.32+); undefined when it does not say. */
export function knowsStreams(v: VersionInfo): boolean | undefined {
  // Managed clusters say "29+" in minor; gitVersion "v1.29.3-gke.1" says the same.
  const m = /^v?(\d+)\.(\d+)/.exec(v.gitVersion ?? "");
  const major = Number.parseInt(v.major ?? m?.[1] ?? "", 10);
  const minor = Number.parseInt(v.minor ?? m?.[2] ?? "", 10);
  if (!Number.isFinite(major) || !Number.isFinite(minor)) return undefined;
  return major > 1 || (major === 1 && minor >= 32);
}

/** Whether an error is the API server refusing the `stream` parameter. */
export function refusesStream(err: unknown): err is ApiError {
  if (!(err instanceof ApiError) || err.code !== 422) return false;
  const causes = (err.status?.details as { causes?: { field?: string }[] } | undefined)?.causes ?? [];
  return causes.some((c) => c.field === "stream");
}

/**
 * Throws LogStreamsUnsupported when the server cannot serve one stream: its version, then one small
 * request for the target's log (the API validates `stream` before it looks at the pod).
 */
export async function checkLogStreams(
  api: KubeApi,
  target: Target,
  stream: LogStreamName,
  signal: AbortSignal,
): Promise<void> {
  let version: VersionInfo | undefined;
  try {
    version = await api.getJSON<VersionInfo>("/version", {}, signal);
  } catch {
    // A server that does not say its version is asked by the log request alone.
  }
  if (version && knowsStreams(version) === false) {
    throw new LogStreamsUnsupported({ version: version.gitVersion ?? `${version.major}.${version.minor}` });
  }
  const path = `/api/v1/namespaces/${encodeURIComponent(target.namespace)}/pods/${encodeURIComponent(target.podName)}/log`;
  try {
    const body = await api.stream(path, { container: target.container, stream, limitBytes: 1 }, signal);
    body.destroy();
  } catch (err) {
    if (refusesStream(err)) throw new LogStreamsUnsupported({ said: err.message });
    // Anything else (the container waits, the pod is gone) is the tail's to meet and report.
  }
}
