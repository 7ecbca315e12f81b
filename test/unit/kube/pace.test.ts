// When a socket rests: never during its first bytes (start-up's small reads would only delay the first
// line), then after a turn that read little. A real TCP socket, so pause and resume are Node's own.
import { once } from "node:events";
import { connect, createServer, type Socket } from "node:net";
import { setImmediate as turn } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { Hold, PACE_AFTER, SocketFlow } from "../../../src/kube/pace.ts";

const opened: Socket[] = [];
afterEach(() => {
  for (const s of opened.splice(0)) s.destroy();
});

async function socket(): Promise<Socket> {
  const server = createServer((s) => opened.push(s));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  const s = connect(port, "127.0.0.1");
  opened.push(s);
  await once(s, "connect");
  server.close();
  return s;
}

describe("SocketFlow's rest", () => {
  it("a small read rests only once the socket has read its start-up's bytes", async () => {
    const flow = new SocketFlow(await socket());
    // Start-up: 60 KB in small reads, each in a turn of its own, and no rest after any of them.
    for (let read = 0; read < 60_000; read += 1000) {
      flow.read(1000);
      await turn();
      expect(flow.held(Hold.Rest)).toBe(false);
    }
    flow.read(PACE_AFTER);
    await turn();
    // Past it, a small read is followed by a rest, released soon after.
    flow.read(100);
    await turn();
    expect(flow.held(Hold.Rest)).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    expect(flow.held(Hold.Rest)).toBe(false);
  });

  it("a large read never rests", async () => {
    const flow = new SocketFlow(await socket());
    flow.read(PACE_AFTER);
    flow.read(1 << 20);
    await turn();
    expect(flow.held(Hold.Rest)).toBe(false);
  });
});
