// Parses and validates PodLogOptions, then picks the container instance to read (apiserver + kubelet rules).
import type { LogInstance, StreamOptions } from "./logbuffer.ts";
import type { PodModel } from "./pod-model.ts";
import { badRequest, invalid, type Status, type StatusCause } from "./status.ts";

export interface LogRequest extends StreamOptions {
  container: string | undefined;
  previous: boolean;
}

const trueValues = ["1", "t", "T", "true", "TRUE", "True"];
const falseValues = ["0", "f", "F", "false", "FALSE", "False"];

function parseBool(q: URLSearchParams, name: string): boolean | Status {
  const v = q.get(name);
  if (v === null || v === "") return false;
  if (trueValues.includes(v)) return true;
  if (falseValues.includes(v)) return false;
  return badRequest(`strconv.ParseBool: parsing "${v}": invalid syntax`);
}

function parseInt64(q: URLSearchParams, name: string): number | undefined | Status {
  const v = q.get(name);
  if (v === null || v === "") return undefined;
  if (!/^[-+]?\d+$/.test(v)) return badRequest(`strconv.ParseInt: parsing "${v}": invalid syntax`);
  return Number(v);
}

const isStatus = (v: unknown): v is Status => typeof v === "object" && v !== null && "kind" in v;

/**
 * Returns the parsed options, or the 400/422 Status the API server would send; `splitStreams`: the
 * server's PodLogsQuerySplitStreams feature gate.
 */
export function parseLogRequest(
  podName: string,
  q: URLSearchParams,
  now: number,
  splitStreams = false,
): LogRequest | Status {
  const follow = parseBool(q, "follow");
  const previous = parseBool(q, "previous");
  const timestamps = parseBool(q, "timestamps");
  const sinceSeconds = parseInt64(q, "sinceSeconds");
  const tailLines = parseInt64(q, "tailLines");
  const limitBytes = parseInt64(q, "limitBytes");
  for (const v of [follow, previous, timestamps, sinceSeconds, tailLines, limitBytes])
    if (isStatus(v)) return v;
  const sinceTimeRaw = q.get("sinceTime");
  let sinceTime: number | undefined;
  if (sinceTimeRaw) {
    const ms = Date.parse(sinceTimeRaw);
    if (Number.isNaN(ms) || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/.test(sinceTimeRaw)) {
      return badRequest(`parsing time "${sinceTimeRaw}" as "2006-01-02T15:04:05Z07:00": cannot parse`);
    }
    // Forwarded to the kubelet as RFC3339 (whole seconds).
    sinceTime = Math.floor(ms / 1000) * 1000;
  }
  const causes: StatusCause[] = [];
  const bad = (field: string, value: number, msg: string) =>
    causes.push({ reason: "FieldValueInvalid", message: `Invalid value: ${value}: ${msg}`, field });
  if (typeof tailLines === "number" && tailLines < 0)
    bad("tailLines", tailLines, "must be greater than or equal to 0");
  if (typeof limitBytes === "number" && limitBytes < 1)
    bad("limitBytes", limitBytes, "must be greater than 0");
  if (sinceTime !== undefined && sinceSeconds !== undefined) {
    causes.push({
      reason: "FieldValueForbidden",
      message: "Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified",
      field: "",
    });
  }
  if (typeof sinceSeconds === "number" && sinceSeconds < 1)
    bad("sinceSeconds", sinceSeconds, "must be greater than 0");
  // KEP-3288: `stream` is the PodLogsQuerySplitStreams feature gate's (alpha in 1.32, off by default).
  const stream = q.get("stream");
  let split: "Stdout" | "Stderr" | undefined;
  if (!splitStreams) {
    if (stream !== null) {
      causes.push({
        reason: "FieldValueForbidden",
        message: "Forbidden: may not be specified",
        field: "stream",
      });
    }
  } else if (stream !== null && !["All", "Stdout", "Stderr"].includes(stream)) {
    causes.push({
      reason: "FieldValueNotSupported",
      message: `Unsupported value: "${stream}": supported values: "All", "Stderr", "Stdout"`,
      field: "stream",
    });
  } else if (stream === "Stdout" || stream === "Stderr") {
    split = stream;
    if (typeof tailLines === "number") {
      causes.push({
        reason: "FieldValueForbidden",
        message: "Forbidden: `tailLines` and specific `stream` are mutually exclusive for now",
        field: "",
      });
    }
  }
  if (causes.length > 0) return invalid("PodLogOptions", podName, causes);
  const req: LogRequest = {
    container: q.get("container") || undefined,
    follow: follow as boolean,
    previous: previous as boolean,
    timestamps: timestamps as boolean,
  };
  if (typeof tailLines === "number") req.tailLines = tailLines;
  if (typeof limitBytes === "number") req.limitBytes = limitBytes;
  if (sinceTime !== undefined) req.sinceMs = sinceTime;
  if (typeof sinceSeconds === "number") req.sinceMs = now - sinceSeconds * 1000;
  if (split) req.stream = split;
  return req;
}

/** The instance to stream, `"empty"` for an unscheduled pod, or the error Status. */
export function resolveInstance(pod: PodModel, req: LogRequest): LogInstance | "empty" | Status {
  const p = pod.name;
  let name = req.container;
  if (!name) {
    const regular = pod.ofKind("regular");
    if (regular.length === 1) name = regular[0]?.name;
    else {
      const all = pod.containers.map((c) => c.name).join(" ");
      return badRequest(`a container name must be specified for pod ${p}, choose one of: [${all}]`);
    }
  }
  const c = name ? pod.container(name) : undefined;
  if (!c || !name) return badRequest(`container ${name} is not valid for pod ${p}`);
  if (!pod.scheduled) return "empty";
  // From here on, the kubelet's validateContainerLogStatus.
  const st = c.state;
  const last = c.lastTerminated;
  if (req.previous) {
    if (!last || !c.previous)
      return badRequest(`previous terminated container "${name}" in pod "${p}" not found`);
    return c.previous;
  }
  if ("running" in st && c.current) return c.current;
  if ("terminated" in st && c.current) return c.current;
  if (last && c.previous) return c.previous;
  if ("waiting" in st) {
    const reason = st.waiting.reason;
    const why =
      reason === "ErrImagePull"
        ? "image can't be pulled"
        : reason === "ImagePullBackOff"
          ? "trying and failing to pull image"
          : reason;
    return badRequest(`container "${name}" in pod "${p}" is waiting to start: ${why}`);
  }
  return badRequest(`container "${name}" in pod "${p}" is waiting to start - no logs yet`);
}
