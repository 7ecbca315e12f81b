// Errors from the API server and the network, each able to say in one line what went wrong.
import type { Status } from "./types.ts";

/** A non-2xx answer from the API server, with the Status it sent (or the start of its body). */
export class ApiError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly status: Status | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: number, status: Status | undefined, bodyText: string) {
    const message = status?.message || bodyText.trim().split("\n")[0]?.slice(0, 200) || `HTTP ${code}`;
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.reason = status?.reason ?? "";
    this.status = status;
    this.retryAfterSeconds = status?.details?.retryAfterSeconds;
  }
}

/** The API server could not be reached or spoke something other than HTTP(S) to us. */
export class ConnectionError extends Error {
  override readonly cause: unknown;
  constructor(message: string, cause?: unknown) {
    super(message);
    this.name = "ConnectionError";
    this.cause = cause;
  }
}

/**
 * A connection that looked open was found dead (no answer to a health check). The transport says so
 * once; the streams that ran on it resume without a word of their own.
 */
export class ConnectionLostError extends ConnectionError {
  constructor(message: string) {
    super(message);
    this.name = "ConnectionLostError";
  }
}

/** What an aborted request (or body) fails with: the name fetch and node:http give it. */
export function abortError(): Error {
  const e = new Error("The operation was aborted");
  e.name = "AbortError";
  return e;
}

export function isAbortError(err: unknown): boolean {
  return (err as Error | undefined)?.name === "AbortError";
}

/** A server that took longer than --request-timeout to connect or to answer. */
export function timeoutError(origin: string, ms: number): ConnectionError {
  return new ConnectionError(`cannot reach the API server at ${origin}: no answer within ${ms / 1000}s`);
}

/** Any failure of a request, in one line naming the server (aborts and our own errors as they are). */
export function requestFailure(err: unknown, origin: string): Error {
  if (err instanceof ConnectionError || isAbortError(err)) return err as Error;
  return describeNetworkError(err, origin);
}

const TLS_CODES = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "CERT_HAS_EXPIRED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "CERT_SIGNATURE_FAILURE",
  "ERR_SSL_WRONG_VERSION_NUMBER",
]);

const UNKNOWN_AUTHORITY = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
]);

/** Why a handshake failed, in words that point at the kubeconfig field to look at. */
function tlsReason(err: unknown): string {
  const e = err as NodeJS.ErrnoException & {
    reason?: string;
    host?: string;
    cert?: { subjectaltname?: string };
  };
  const code = e.code ?? "";
  if (UNKNOWN_AUTHORITY.has(code)) {
    return "the server's certificate is signed by an authority the kubeconfig does not trust (certificate-authority)";
  }
  if (code === "CERT_HAS_EXPIRED") return "the server's certificate has expired";
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") {
    // Node's own text ends with the certificate's names, which is empty when it has none of that kind.
    const names = e.cert?.subjectaltname?.replaceAll("IP Address:", "IP:") || "no names";
    return `the server's certificate is not valid for ${e.host ?? "the server's name"} (it is for ${names}; see tls-server-name)`;
  }
  if (code === "ERR_SSL_WRONG_VERSION_NUMBER") return "the server does not speak TLS (is it http://?)";
  return firstLine(e.reason ?? e.message);
}

/** Turns a socket/TLS error into a one-line ConnectionError naming the server. */
export function describeNetworkError(err: unknown, server: string): ConnectionError {
  const e = err as NodeJS.ErrnoException & { reason?: string };
  const code = e?.code ?? "";
  let what: string;
  if (code === "ECONNREFUSED") what = "connection refused";
  else if (code === "ENOTFOUND" || code === "EAI_AGAIN") what = "host not found";
  else if (code === "ECONNRESET") what = "connection reset by the server";
  else if (code === "ETIMEDOUT") what = "timed out";
  else if (code === "EHOSTUNREACH" || code === "ENETUNREACH") what = "host unreachable";
  else if (TLS_CODES.has(code) || code.startsWith("ERR_TLS") || code.startsWith("ERR_SSL")) {
    return new ConnectionError(`TLS handshake with ${server} failed: ${tlsReason(err)}`, err);
  } else if (/PEM|asn1|certificate|key values mismatch/i.test(e?.message ?? "")) {
    return new ConnectionError(
      `the kubeconfig's certificate or key data is not usable: ${firstLine(e.message)}`,
      err,
    );
  } else what = firstLine(e?.message ?? String(err));
  return new ConnectionError(`cannot reach the API server at ${server}: ${what}`, err);
}

function firstLine(text: string): string {
  return (text.split("\n")[0] ?? "").trim();
}
