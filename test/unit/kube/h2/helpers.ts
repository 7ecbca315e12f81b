// Opening our HTTP/2 session to a test server, and reading a stream whole.
import { connect } from "node:tls";
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
