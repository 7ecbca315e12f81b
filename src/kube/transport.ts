// How requests travel, as one interface every route implements: HTTP/2 (src/kube/h2/pool.ts: our own
// client or node:http2) and HTTP/1.1 (src/kube/http1.ts: node:http). Sockets come from one connector
// (src/kube/connector.ts); bodies are one BodyReader (src/kube/body.ts); a request's timeout and abort
// signal are bounded once (src/kube/deadline.ts).
import type * as HttpModule from "node:http";
import type { BodyReader } from "./body.ts";

export type Headers = Record<string, string | string[]>;

export interface Response {
  status: number;
  body: BodyReader;
}

export interface RequestSpec {
  url: URL;
  headers: Headers;
  signal: AbortSignal | undefined;
  /** Bound on connecting and on waiting for response headers, in ms; 0 = none. */
  timeoutMs: number;
  /** A stream (a log, a watch) that holds its connection for long: its socket rests after small reads. */
  streaming?: boolean;
  /** @kubernetes/client-node's agent (OIDC, HTTPS proxies): its sockets are its own. */
  agent?: HttpModule.Agent | undefined;
}

export interface Transport {
  request(spec: RequestSpec): Promise<Response>;
  /** Closes the connections kept open (a program embedding the engine then ends). */
  close(): void;
}
