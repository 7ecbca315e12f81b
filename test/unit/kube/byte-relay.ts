// A TCP relay that forwards what the server sends one byte per write, each on a later turn: every
// frame or chunk of a response arrives cut at every byte.
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
