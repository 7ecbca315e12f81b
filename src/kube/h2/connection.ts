// What the HTTP/2 pool needs of a connection, whichever client speaks it: this project's own
// (session.ts, read straight off the socket) or node:http2's (node-session.ts, the switch and the
// fallback for a front end ours mishandles).
import type { BodyReader } from "../body.ts";
import type { HeaderList } from "./hpack.ts";

export interface H2Request {
  /** Response headers arrived: resolves with the status; rejects if the stream fails first. */
  readonly response: Promise<{ status: number }>;
  readonly body: BodyReader;
  /** Stops the stream (RST_STREAM CANCEL). */
  cancel(err?: Error): void;
}

export interface H2Connection {
  /** Resolves once the server's SETTINGS arrived; rejects if the connection fails first. */
  readonly ready: Promise<void>;
  /** Until the server's first SETTINGS. */
  readonly connecting: boolean;
  readonly closed: boolean;
  /** GOAWAY received: no new streams here. */
  readonly goingAway: boolean;
  /** The server's SETTINGS_MAX_CONCURRENT_STREAMS (unlimited until said). */
  readonly maxConcurrentStreams: number;
  /** Bytes read off the socket so far: activity, for the health check, without a listener per chunk. */
  readonly bytesRead: number;
  onGoaway: () => void;
  /** Called once, when the connection closes: with the reason when it did not close cleanly. */
  onClose: (err: Error | undefined) => void;
  /** See H2Session.onProtocolError. */
  onProtocolError: (why: string) => void;
  /** Sends a GET with these headers (pseudo-headers first). */
  request(headers: HeaderList): H2Request;
  /** A new receive window for every stream, now and from now on (SETTINGS_INITIAL_WINDOW_SIZE). */
  setStreamWindow(size: number, acknowledged?: () => void): void;
  /** Sends a PING; done() is called with its ACK, or with an error if the connection closes first. */
  ping(done: (err?: Error) => void): boolean;
  /** Closes a connection that carries no stream. */
  close(): void;
  /** Closes the connection at once; its streams fail with err. */
  destroy(err?: Error): void;
  /** For the health check: the connection is dead; its streams fail with a ConnectionLostError. */
  lose(why: string): void;
}
