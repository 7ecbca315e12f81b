// What the engine needs of the Kubernetes API: a JSON GET and a streaming GET whose body is read chunk
// by chunk. ApiClient (src/kube/) is the real one; tests give the engine a scripted one and run it
// in-process. The engine knows these types and nothing else of the transport.

export type Query = Record<string, string | number | boolean | undefined>;

/**
 * A body's reader, given each chunk as buf[start, end); a promise it returns pauses the body until it
 * settles. The bytes stay valid after the call.
 */
export type ChunkHandler = (buf: Buffer, start: number, end: number) => undefined | Promise<void>;

/** A response body: read once, chunk by chunk (iteration is built on that, for the few that want it). */
export interface ResponseBody extends AsyncIterable<Buffer> {
  /** The server ended the body (not the connection breaking). */
  readonly complete: boolean;
  /** Calls onChunk for every chunk; settles at the end, rejects if the body breaks. */
  read(onChunk: ChunkHandler): Promise<void>;
  /** Stops the body; a read still going fails. */
  destroy(): void;
}

/**
 * Requests fail with an Error; two kinds the engine tells apart by name: "ApiError" (the server
 * answered, `code` is the HTTP status) and "ConnectionLostError" (a connection found dead, already
 * reported once for all its streams).
 */
export interface KubeApi {
  getJSON<T>(path: string, query: Query, signal?: AbortSignal): Promise<T>;
  stream(path: string, query: Query, signal?: AbortSignal): Promise<ResponseBody>;
}

/** An answer from the API server that is not a success. */
export interface ApiFailure extends Error {
  readonly code: number;
}

export function isApiFailure(err: unknown): err is ApiFailure {
  return (
    err instanceof Error && err.name === "ApiError" && typeof (err as { code?: unknown }).code === "number"
  );
}

export function isConnectionLost(err: unknown): boolean {
  return err instanceof Error && err.name === "ConnectionLostError";
}
