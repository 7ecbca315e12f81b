// The network between clients and the API server, for the faults that live there: a TCP relay in front
// of the server that can stop delivering on a connection while keeping it open. Through a black hole
// (a NAT or load-balancer entry forgotten, a laptop on another network) the connection stays
// established and the kernel still ACKs what fits in its buffers, but nothing more arrives at either
// end; no FIN, no RST. A frozen server takes new connections too and answers none of them.
import net from "node:net";
import { listenOnLoopback } from "./listen.ts";

interface Relay {
  client: net.Socket;
  backend: net.Socket | undefined;
  /** Delivers nothing, both ways; "blackhole" for good, "frozen" until thaw(). */
  held: "blackhole" | "frozen" | undefined;
}

export class SimNetwork {
  private readonly backendPort: () => number;
  private server: net.Server | undefined;
  private readonly relays = new Set<Relay>();
  private frozen = false;
  port = 0;

  constructor(backendPort: () => number) {
    this.backendPort = backendPort;
  }

  /** Connections open now (held ones included). */
  get connections(): number {
    return this.relays.size;
  }

  async listen(port: number): Promise<number> {
    const server = net.createServer((client) => this.accept(client));
    this.port = await listenOnLoopback(server, port);
    this.server = server;
    return this.port;
  }

  /** Every connection open now goes silent for good; new ones work. Returns how many. */
  blackhole(): number {
    let n = 0;
    for (const r of this.relays) {
      if (r.held === "blackhole") continue;
      this.hold(r, "blackhole");
      n++;
    }
    return n;
  }

  /** The server stops answering: open connections go silent, new ones are accepted and never served. */
  freeze(): void {
    this.frozen = true;
    for (const r of this.relays) if (!r.held) this.hold(r, "frozen");
  }

  /** The server answers again, on the connections it froze and on new ones (black holes stay). */
  thaw(): void {
    this.frozen = false;
    for (const r of this.relays) {
      if (r.held !== "frozen") continue;
      r.held = undefined;
      if (r.backend) this.pipe(r);
      else this.connect(r);
    }
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const r of this.relays) {
      r.client.destroy();
      r.backend?.destroy();
    }
    this.relays.clear();
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }

  private accept(client: net.Socket): void {
    const r: Relay = { client, backend: undefined, held: undefined };
    this.relays.add(r);
    client.on("error", () => {});
    client.on("close", () => this.drop(r));
    if (this.frozen) {
      // Accepted by the kernel, never read: the TLS handshake never gets an answer.
      this.hold(r, "frozen");
      return;
    }
    this.connect(r);
  }

  private connect(r: Relay): void {
    const backend = net.connect(this.backendPort(), "127.0.0.1");
    r.backend = backend;
    backend.on("error", () => {});
    backend.on("close", () => {
      // What a held connection's server does is not seen by the client: nothing crosses a black hole.
      if (!r.held) this.drop(r);
    });
    this.pipe(r);
  }

  private pipe(r: Relay): void {
    const b = r.backend;
    if (!b) return;
    r.client.pipe(b);
    b.pipe(r.client);
    r.client.resume();
    b.resume();
  }

  private hold(r: Relay, why: "blackhole" | "frozen"): void {
    r.held = why;
    r.client.unpipe();
    r.backend?.unpipe();
    // Paused sockets are not read: the kernel ACKs until its buffers fill, then the window closes.
    r.client.pause();
    r.backend?.pause();
  }

  private drop(r: Relay): void {
    if (!this.relays.delete(r)) return;
    r.client.destroy();
    r.backend?.destroy();
  }
}
