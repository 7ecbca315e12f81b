// When a socket is read. Three reasons stop it, each held and released on its own: the body's reader
// waits (stdout is behind), our own frames wait to be written, or the socket rests after a small read.
// The rest: at one log line per frame (or per TCP segment), a read and a wakeup per line is most of
// what a line costs; a rest of a couple of milliseconds lets what the server sends meanwhile come in
// one read. Busy streams (large reads) never rest; a line that comes alone is delayed by the rest at
// most. A socket's first bytes never rest: at start-up every read is small (settings, the pod list, a
// log's headers and first line) and a rest would only delay the first line. STERN_PACE_MS=0 turns it off.
import type { Socket } from "node:net";
import { readBytes } from "./reclaim.ts";

/** A turn of the event loop that read less than this is followed by a rest. */
export const PACE_BELOW = 16 << 10;

/** Bytes a socket reads before it may rest: what a start-up exchanges. */
export const PACE_AFTER = 64 << 10;

/** How long the socket rests, in ms. */
export const PACE_MS = ((): number => {
  const v = Number(process.env.STERN_PACE_MS ?? 2);
  return Number.isFinite(v) && v >= 0 ? v : 2;
})();

/** Why a socket is not read (bits: any one set keeps it paused). */
export const Hold = { Reader: 1, Writes: 2, Rest: 4 } as const;
export type Hold = (typeof Hold)[keyof typeof Hold];

export class SocketFlow {
  private readonly socket: Socket;
  private readonly pauseSocket: () => void;
  private readonly resumeSocket: () => void;
  private holds = 0;
  /** Bytes read in this turn of the event loop (a TLS socket hands them over a record at a time). */
  private turn = 0;
  private counting = false;
  /** Bytes read in all, up to PACE_AFTER. */
  private total = 0;

  constructor(socket: Socket) {
    this.socket = socket;
    const { pause, resume } = socket;
    this.pauseSocket = () => pause.call(socket);
    this.resumeSocket = () => resume.call(socket);
  }

  /** A socket that node:http reads: its own pauses and resumes (backpressure) become the reader's hold. */
  static underNodeHttp(socket: Socket): SocketFlow {
    const flow = new SocketFlow(socket);
    socket.pause = () => {
      flow.hold(Hold.Reader);
      return socket;
    };
    socket.resume = () => {
      flow.release(Hold.Reader);
      return socket;
    };
    socket.on("data", (chunk: Buffer) => flow.read(chunk.length));
    return flow;
  }

  hold(why: Hold): void {
    const was = this.holds;
    this.holds |= why;
    if (was === 0) this.pauseSocket();
  }

  release(why: Hold): void {
    if ((this.holds & why) === 0) return;
    this.holds &= ~why;
    if (this.holds === 0 && !this.socket.destroyed) this.resumeSocket();
  }

  held(why: Hold): boolean {
    return (this.holds & why) !== 0;
  }

  /** Counts a read; a turn that read little is followed by a rest. */
  read(bytes: number): void {
    readBytes(bytes);
    if (PACE_MS <= 0) return;
    if (this.total < PACE_AFTER) {
      this.total += bytes;
      return;
    }
    this.turn += bytes;
    if (this.counting) return;
    this.counting = true;
    setImmediate(this.endTurn);
  }

  private readonly endTurn = (): void => {
    this.counting = false;
    const small = this.turn < PACE_BELOW;
    this.turn = 0;
    if (!small || this.held(Hold.Rest) || this.socket.destroyed) return;
    this.hold(Hold.Rest);
    setTimeout(this.rested, PACE_MS);
  };

  private readonly rested = (): void => this.release(Hold.Rest);
}
