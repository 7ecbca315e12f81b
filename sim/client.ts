// A minimal HTTPS client for talking to the sim directly in tests (trusts the sim's CA, sends its token).
import type { IncomingMessage } from "node:http";
import https from "node:https";
import type { Sim } from "./scenario.ts";

export interface SimResponse {
  status: number;
  headers: IncomingMessage["headers"];
  body: string;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  token?: string | null;
  agent?: https.Agent;
}

/** Opens a request and resolves with the response as soon as the headers arrive. */
export function open(sim: Sim, path: string, o: RequestOptions = {}): Promise<IncomingMessage> {
  const headers: Record<string, string> = { ...o.headers };
  const token = o.token === undefined ? sim.token : o.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: "127.0.0.1",
        port: sim.port,
        path,
        method: o.method ?? "GET",
        ca: sim.caPem,
        headers,
        agent: o.agent,
      },
      resolve,
    );
    req.on("error", reject);
    req.end();
  });
}

export function readAll(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on("data", (c: Buffer) => chunks.push(c));
    res.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    res.on("error", reject);
    res.on("aborted", () => reject(new Error("aborted")));
  });
}

export async function get(sim: Sim, path: string, o: RequestOptions = {}): Promise<SimResponse> {
  const res = await open(sim, path, o);
  const body = await readAll(res);
  return { status: res.statusCode ?? 0, headers: res.headers, body };
}

export async function getJson<T = Record<string, unknown>>(
  sim: Sim,
  path: string,
  o: RequestOptions = {},
): Promise<T> {
  const r = await get(sim, path, o);
  return JSON.parse(r.body) as T;
}

/** Collects newline-delimited JSON events from a watch response. */
export class EventReader<T = { type: string; object: Record<string, unknown> }> {
  readonly events: T[] = [];
  ended = false;
  private buf = "";
  private waiters: (() => void)[] = [];
  readonly res: IncomingMessage;

  constructor(res: IncomingMessage) {
    this.res = res;
    res.setEncoding("utf8");
    res.on("data", (s: string) => {
      this.buf += s;
      let i = this.buf.indexOf("\n");
      while (i >= 0) {
        const line = this.buf.slice(0, i);
        this.buf = this.buf.slice(i + 1);
        if (line.trim()) this.events.push(JSON.parse(line) as T);
        i = this.buf.indexOf("\n");
      }
      this.notify();
    });
    const end = () => {
      this.ended = true;
      this.notify();
    };
    res.on("end", end);
    res.on("close", end);
    res.on("error", end);
  }

  private notify(): void {
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w();
  }

  /** Waits until the predicate holds over the events so far (or the stream ends, or the timeout). */
  async until(pred: (events: T[]) => boolean, timeoutMs = 5000): Promise<T[]> {
    const deadline = Date.now() + timeoutMs;
    while (!pred(this.events)) {
      if (this.ended) throw new Error(`stream ended; events: ${JSON.stringify(this.events).slice(0, 2000)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timeout; events: ${JSON.stringify(this.events).slice(0, 2000)}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
    return this.events;
  }

  async end(timeoutMs = 5000): Promise<T[]> {
    await this.until(() => this.ended, timeoutMs).catch((e: unknown) => {
      if (!this.ended) throw e;
    });
    return this.events;
  }

  close(): void {
    this.res.destroy();
  }
}
