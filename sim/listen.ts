// Binding a server to loopback: the simulator never listens anywhere else.
import type { Server } from "node:net";

/** Listens on 127.0.0.1:port (0 = any free port) and resolves the port bound. */
export async function listenOnLoopback(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const addr = server.address();
  return typeof addr === "object" && addr ? addr.port : port;
}
