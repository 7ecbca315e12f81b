// A SOCKS5 CONNECT (RFC 1928, with RFC 1929 username/password), as Go's proxy dialer makes it: the
// host name goes to the proxy, which resolves it.
import type * as NetModule from "node:net";

const net = process.getBuiltinModule("node:net") as typeof NetModule;

const REPLIES: Record<number, string> = {
  1: "general failure",
  2: "not allowed by the rules",
  3: "network unreachable",
  4: "host unreachable",
  5: "connection refused",
  6: "TTL expired",
  7: "command not supported",
  8: "address type not supported",
};

function address(host: string): Buffer {
  if (net.isIPv4(host)) return Buffer.from([1, ...host.split(".").map(Number)]);
  if (net.isIPv6(host)) {
    const full = new net.SocketAddress({ address: host, family: "ipv6" }).address;
    const groups = full.includes("::") ? expand(full) : full.split(":");
    return Buffer.concat([
      Buffer.from([4]),
      Buffer.from(groups.map((g) => g.padStart(4, "0")).join(""), "hex"),
    ]);
  }
  const name = Buffer.from(host);
  return Buffer.concat([Buffer.from([3, name.length]), name]);
}

function expand(ip: string): string[] {
  const [head = "", tail = ""] = ip.split("::");
  const h = head ? head.split(":") : [];
  const t = tail ? tail.split(":") : [];
  return [...h, ...Array(8 - h.length - t.length).fill("0"), ...t];
}

/** Opens a tunnel to host:port through the SOCKS5 proxy; calls back with the socket ready for bytes. */
export function socksConnect(
  proxy: URL,
  host: string,
  port: number,
  cb: (err: Error | null, socket: NetModule.Socket) => void,
): void {
  const socket = net.connect({
    host: proxy.hostname.replace(/^\[|\]$/g, ""),
    port: Number(proxy.port || 1080),
  });
  const user = decodeURIComponent(proxy.username);
  const pass = decodeURIComponent(proxy.password);
  let buf = Buffer.alloc(0);
  let step: "method" | "auth" | "reply" = "method";
  const fail = (why: string) => {
    socket.destroy();
    cb(new Error(`the SOCKS5 proxy ${proxy.host} ${why}`), socket);
  };
  const request = () => {
    const p = Buffer.alloc(2);
    p.writeUInt16BE(port);
    socket.write(Buffer.concat([Buffer.from([5, 1, 0]), address(host), p]));
    step = "reply";
  };
  const onData = (d: Buffer) => {
    buf = Buffer.concat([buf, d]);
    if (step === "method") {
      if (buf.length < 2) return;
      const method = buf[1];
      buf = buf.subarray(2);
      if (method === 2) {
        const u = Buffer.from(user);
        const pw = Buffer.from(pass);
        socket.write(Buffer.concat([Buffer.from([1, u.length]), u, Buffer.from([pw.length]), pw]));
        step = "auth";
      } else if (method === 0) request();
      else return fail("accepts none of our authentication methods");
    }
    if (step === "auth") {
      if (buf.length < 2) return;
      if (buf[1] !== 0) return fail("refused the username and password");
      buf = buf.subarray(2);
      request();
    }
    if (step === "reply") {
      if (buf.length < 5) return;
      const atyp = buf[3];
      const size = 4 + (atyp === 1 ? 4 : atyp === 4 ? 16 : 1 + (buf[4] ?? 0)) + 2;
      if (buf.length < size) return;
      if (buf[1] !== 0)
        return fail(`could not connect to ${host}:${port}: ${REPLIES[buf[1] ?? 1] ?? "failure"}`);
      socket.off("data", onData);
      socket.pause();
      const rest = buf.subarray(size);
      if (rest.length > 0) socket.unshift(rest);
      cb(null, socket);
    }
  };
  socket.on("connect", () => {
    socket.write(user ? Buffer.from([5, 2, 0, 2]) : Buffer.from([5, 1, 0]));
  });
  socket.on("data", onData);
  socket.once("error", (err) => cb(err, socket));
}
