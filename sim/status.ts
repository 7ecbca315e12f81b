// meta/v1 Status bodies, shaped like the real API server's.
import type { ServerResponse } from "node:http";

export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: "Status";
  apiVersion: "v1";
  metadata: Record<string, never>;
  status: "Failure" | "Success";
  message: string;
  reason: string;
  details?: StatusDetails;
  code: number;
}

const reasonByCode: Record<number, string> = {
  400: "BadRequest",
  401: "Unauthorized",
  403: "Forbidden",
  404: "NotFound",
  405: "MethodNotAllowed",
  406: "NotAcceptable",
  409: "Conflict",
  410: "Expired",
  415: "UnsupportedMediaType",
  422: "Invalid",
  429: "TooManyRequests",
  500: "InternalError",
  503: "ServiceUnavailable",
  504: "Timeout",
};

export function reasonFor(code: number): string {
  return reasonByCode[code] ?? "Unknown";
}

export function status(code: number, message: string, details?: StatusDetails, reason?: string): Status {
  const s: Status = {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message,
    reason: reason ?? reasonFor(code),
    code,
  };
  if (details) s.details = details;
  return s;
}

export const notFound = (kind: string, name: string, group = ""): Status =>
  status(404, `${kind}${group ? `.${group}` : ""} "${name}" not found`, {
    name,
    group: group || undefined,
    kind,
  });

export const badRequest = (message: string): Status => status(400, message);

export const expired = (message: string): Status => status(410, message, undefined, "Expired");

export function invalid(kind: string, name: string, causes: StatusCause[]): Status {
  const list = causes.map((c) => `${c.field}: ${c.message}`).join(", ");
  const msg = `${kind} "${name}" is invalid: ${causes.length > 1 ? `[${list}]` : list}`;
  return status(422, msg, { name, group: "", kind, causes });
}

export function forbidden(
  user: string,
  verb: string,
  resource: string,
  namespace: string | undefined,
  name?: string,
): Status {
  // "pods/log" is reported as kind "pods"; the full resource appears in the sentence.
  const kind = resource.split("/")[0] ?? resource;
  const where = namespace ? `in the namespace "${namespace}"` : "at the cluster scope";
  const what = name ? `${kind} "${name}"` : kind;
  const msg = `${what} is forbidden: User "${user}" cannot ${verb} resource "${resource}" in API group "" ${where}`;
  const details: StatusDetails = { kind };
  if (name) details.name = name;
  return status(403, msg, details);
}

export function sendStatus(res: ServerResponse, s: Status, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify(s);
  res.writeHead(s.code, {
    "content-type": "application/json",
    "cache-control": "no-cache, private",
    "content-length": Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}
