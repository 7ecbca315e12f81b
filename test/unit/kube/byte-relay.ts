// A TCP relay that forwards what the server sends one byte per write, each on a later turn: every
// frame or chunk of a response arrives cut at every byte. And a writer that cuts where it is told.
import net from "node:net";

/** Starts a relay to 127.0.0.1:target; returns its port and a function that closes it. */
export async function byteRelay(target: number): Promise<{ port: number; close: () => void }> {
  const relay = net.createServer((client) => {
    const upstream = net.connect(target, "127.0.0.1");
    client.pipe(upstream);
    const queue: number[] = [];
    let pumping = false;
    const pump = () => {
      const b = queue.shift();
      if (b === undefined) {
        pumping = false;
        if (upstream.readableEnded) client.end();
        return;
      }
      client.write(Buffer.from([b]), () => setImmediate(pump));
    };
    upstream.on("data", (chunk: Buffer) => {
      for (const b of chunk) queue.push(b);
      if (!pumping) {
        pumping = true;
        pump();
      }
    });
    upstream.on("end", () => {
      if (!pumping) client.end();
    });
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
    client.on("close", () => upstream.destroy());
  });
  await new Promise<void>((r) => relay.listen(0, "127.0.0.1", r));
  return { port: (relay.address() as net.AddressInfo).port, close: () => relay.close() };
}

/**
 * Writes each piece once the client has read every byte before it, so that each comes in a read of
 * its own: cuts where a test wants them (the relay above cuts at every byte). Resolves true once all
 * are read, false if the client closed first; rejects if the client, still open, stops reading.
 */
export async function writeInReads(
  server: net.Socket,
  client: net.Socket,
  pieces: Uint8Array[],
  stallMs = 2000,
): Promise<boolean> {
  let target = client.bytesRead;
  for (const piece of pieces) {
    if (client.destroyed || server.destroyed) return false;
    target += piece.length;
    server.write(piece);
    const since = performance.now();
    while (client.bytesRead < target) {
      if (client.destroyed || server.destroyed) return false;
      if (performance.now() - since > stallMs) throw new Error("the client stopped reading");
      await new Promise((r) => setTimeout(r, 1));
    }
  }
  return true;
}
