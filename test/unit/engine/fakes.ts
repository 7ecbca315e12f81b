// In-process stand-ins for the engine's edges: a clock that moves only when told, an API that answers
// from a script, response bodies a test feeds chunk by chunk, and a line output that collects bytes.
import type { ChunkHandler, KubeApi, Query, ResponseBody } from "../../../src/engine/api.ts";
import type { Clock } from "../../../src/engine/clock.ts";
import type { LineOutput } from "../../../src/engine/output.ts";
import { OutBuffer } from "../../../src/util/out-buffer.ts";

export const tick = () => new Promise<void>((r) => setImmediate(r));

export class FakeClock implements Clock {
  private t = 0;
  private timers: { at: number; fire: () => void }[] = [];

  now(): number {
    return this.t;
  }

  coarseNow(): number {
    return this.t;
  }

  sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const timer = { at: this.t + ms, fire: resolve };
      this.timers.push(timer);
      signal.addEventListener("abort", () => {
        this.timers = this.timers.filter((x) => x !== timer);
        resolve();
      });
    });
  }

  /** Sleepers waiting now. */
  get pending(): number {
    return this.timers.length;
  }

  /** Moves time on, waking every sleeper that falls due, then lets the woken code run. */
  async advance(ms: number): Promise<void> {
    this.t += ms;
    const due = this.timers.filter((x) => x.at <= this.t);
    this.timers = this.timers.filter((x) => x.at > this.t);
    for (const x of due) x.fire();
    for (let i = 0; i < 5; i++) await tick();
  }
}

/** A response body the test writes to: chunks, then a clean end or a break. */
export class FedBody implements ResponseBody {
  complete = false;
  private queue: (Buffer | Error | null)[] = [];
  private wake: (() => void) | undefined;
  destroyed = false;

  push(text: string): this {
    this.queue.push(Buffer.from(text));
    this.wake?.();
    return this;
  }
  end(): this {
    this.queue.push(null);
    this.wake?.();
    return this;
  }
  break(err = new Error("connection reset")): this {
    this.queue.push(err);
    this.wake?.();
    return this;
  }
  destroy(): void {
    this.destroyed = true;
    this.break(new Error("destroyed"));
  }
  /** Read as a real body is, chunk by chunk, a promise from the reader pausing it. */
  async read(onChunk: ChunkHandler): Promise<void> {
    for await (const chunk of this) {
      const wait = onChunk(chunk, 0, chunk.length);
      if (wait) await wait;
    }
  }
  async *[Symbol.asyncIterator](): AsyncIterator<Buffer> {
    for (;;) {
      const next = this.queue.shift();
      if (next === undefined) {
        await new Promise<void>((r) => {
          this.wake = r;
        });
        continue;
      }
      if (next === null) {
        this.complete = true;
        return;
      }
      if (next instanceof Error) throw next;
      yield next;
    }
  }
}

export interface Request {
  path: string;
  query: Query;
}

/** An API whose every stream request is answered by `answer` (a body, or an error to throw). */
export class ScriptedApi implements KubeApi {
  readonly requests: Request[] = [];
  answer: (req: Request) => ResponseBody | Error;
  json: (req: Request) => unknown = () => ({});

  constructor(answer: (req: Request) => ResponseBody | Error) {
    this.answer = answer;
  }

  async getJSON<T>(path: string, query: Query): Promise<T> {
    return this.json({ path, query }) as T;
  }

  async stream(path: string, query: Query, signal?: AbortSignal): Promise<ResponseBody> {
    const req = { path, query };
    this.requests.push(req);
    const a = this.answer(req);
    if (a instanceof Error) throw a;
    // As a real body: a request aborted mid-stream breaks its body.
    signal?.addEventListener("abort", () => a.destroy(), { once: true });
    return a;
  }
}

/** Collects what a stream writes, as text. */
export function collectingOutput(): LineOutput & { text(): string; ended: boolean } {
  const out = new OutBuffer(1024);
  const o = {
    out,
    wantsKeys: false,
    ended: false,
    lineDone() {},
    commit: () => true,
    whenWritable: () => Promise.resolve(),
    end() {
      o.ended = true;
    },
    text: () => out.buf.toString("utf8", 0, out.len),
  };
  return o;
}

/** Steps taken by every Set, Map and Array iterator while `fn` runs: the work of each for-of and spread. */
export async function iteratorSteps(fn: () => Promise<void>): Promise<number> {
  type Next = (this: Iterator<unknown>, ...args: []) => IteratorResult<unknown>;
  const protos = [new Set().values(), new Map().values(), [].values()].map(
    (it) => Object.getPrototypeOf(it) as { next: Next },
  );
  const originals = protos.map((p) => p.next);
  let steps = 0;
  protos.forEach((p, i) => {
    const next = originals[i] as Next;
    p.next = function (this: Iterator<unknown>) {
      steps++;
      return next.call(this);
    };
  });
  try {
    await fn();
  } finally {
    protos.forEach((p, i) => {
      p.next = originals[i] as Next;
    });
  }
  return steps;
}
