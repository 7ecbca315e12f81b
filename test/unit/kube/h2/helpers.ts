// Opening our HTTP/2 session to a test server, and reading a stream whole; a server of hand-written
// frames, for what no real server sends (hostile or broken input).
import net from "node:net";
import tls, { connect } from "node:tls";
import { H2Session, type H2Stream } from "../../../../src/kube/h2/session.ts";

export async function openSession(port: number, streamWindow = 128 << 10): Promise<H2Session> {
  const socket = connect({ host: "127.0.0.1", port, rejectUnauthorized: false, ALPNProtocols: ["h2"] });
  const session = new H2Session(socket, { streamWindow, connectionWindow: 4 << 20 });
  await session.ready;
  return session;
}

export function get(session: H2Session, path: string, authority = "127.0.0.1"): H2Stream {
  return session.request([
    [":method", "GET"],
    [":scheme", "https"],
    [":authority", authority],
    [":path", path],
  ]);
}

export async function readAll(stream: H2Stream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await stream.read((buf, start, end) => {
    chunks.push(Buffer.from(buf.subarray(start, end)));
    return undefined;
  });
  return Buffer.concat(chunks);
}

/** One frame: its 9-byte header (the length taken from the payload, or given) and the payload. */
export function h2frame(
  type: number,
  flags: number,
  id: number,
  payload: Uint8Array = Buffer.alloc(0),
): Buffer {
  const b = Buffer.alloc(9 + payload.length);
  b.writeUIntBE(payload.length, 0, 3);
  b[3] = type;
  b[4] = flags;
  b.writeUInt32BE(id, 5);
  b.set(payload, 9);
  return b;
}

/** A SETTINGS payload from (identifier, value) pairs. */
export function settingsPayload(pairs: [number, number][]): Buffer {
  const b = Buffer.alloc(6 * pairs.length);
  pairs.forEach(([k, v], i) => {
    b.writeUInt16BE(k, 6 * i);
    b.writeUInt32BE(v, 6 * i + 2);
  });
  return b;
}

export interface ClientFrame {
  type: number;
  flags: number;
  id: number;
  payload: Buffer;
}

export interface FrameServer {
  port: number;
  /** Every connection accepted, open or closed. */
  sockets: net.Socket[];
  close: () => void;
}

/**
 * A server of hand-written frames: on each connection it sends SETTINGS (these pairs), then calls
 * onFrame for every frame the client sends after its preface. TLS with ALPN h2 when given a key pair.
 */
export async function frameServer(
  onFrame: (socket: net.Socket, frame: ClientFrame) => void,
  opts: {
    settings?: [number, number][];
    tls?: { cert: string; key: string };
    /** Called once the server's SETTINGS is written (to flood the client, or stop reading). */
    onConnect?: (socket: net.Socket) => void;
  } = {},
): Promise<FrameServer> {
  const sockets: net.Socket[] = [];
  const onConnection = (socket: net.Socket) => {
    sockets.push(socket);
    socket.on("error", () => {});
    socket.write(h2frame(4, 0, 0, settingsPayload(opts.settings ?? [])));
    let got = Buffer.alloc(0);
    let at = 24; // after the client's preface
    socket.on("data", (chunk: Buffer) => {
      got = Buffer.concat([got, chunk]);
      while (at + 9 <= got.length && at + 9 + got.readUIntBE(at, 3) <= got.length) {
        const len = got.readUIntBE(at, 3);
        const frame = {
          type: got[at + 3] as number,
          flags: got[at + 4] as number,
          id: got.readUInt32BE(at + 5) & 0x7fffffff,
          payload: got.subarray(at + 9, at + 9 + len),
        };
        at += 9 + len;
        onFrame(socket, frame);
      }
    });
    opts.onConnect?.(socket);
  };
  const server = opts.tls
    ? tls.createServer({ ...opts.tls, ALPNProtocols: ["h2"] }, onConnection)
    : net.createServer(onConnection);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    port: (server.address() as net.AddressInfo).port,
    sockets,
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

/** Resolves once ok() holds (polled), or rejects after ms. */
export async function eventually(ok: () => boolean, ms = 3000): Promise<void> {
  const until = performance.now() + ms;
  while (!ok()) {
    if (performance.now() > until) throw new Error(`not so within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
