// Which requests go through a proxy: Go's net/http/httpproxy rules (its documented NO_PROXY forms).
// The host-name forms are also checked against kubectl in test/e2e/kubeconfig-differential.test.ts;
// IPs and CIDRs cannot be there (the test's server is on loopback, which is never proxied).
import { describe, expect, it } from "vitest";
import { proxyFor } from "../../../src/kube/proxy.ts";

const via = (server: string, env: NodeJS.ProcessEnv, proxyUrl?: string) =>
  proxyFor(new URL(server), proxyUrl, env)?.href;

describe("proxyFor", () => {
  const P = { HTTPS_PROXY: "http://proxy:3128", HTTP_PROXY: "http://plain:8080" };

  it("picks the variable by the server's scheme, upper case first", () => {
    expect(via("https://kube.example:6443", P)).toBe("http://proxy:3128/");
    expect(via("http://kube.example:8080", P)).toBe("http://plain:8080/");
    expect(via("https://kube.example", { https_proxy: "http://lower:1" })).toBe("http://lower:1/");
    expect(via("https://kube.example", { HTTPS_PROXY: "http://up:1", https_proxy: "http://lower:1" })).toBe(
      "http://up:1/",
    );
  });

  it("never proxies loopback or localhost", () => {
    for (const s of [
      "https://127.0.0.1:6443",
      "https://127.1.2.3",
      "https://localhost:6443",
      "https://[::1]:6443",
    ])
      expect(via(s, P), s).toBeUndefined();
  });

  it("takes proxy-url first, and a proxy without a scheme as http", () => {
    expect(via("https://127.0.0.1", P, "http://cluster-proxy:1")).toBe("http://cluster-proxy:1/");
    expect(via("https://kube.example", { HTTPS_PROXY: "proxy:3128" })).toBe("http://proxy:3128/");
  });

  it("NO_PROXY: *, hosts, domains, IPs, CIDRs, ports", () => {
    const off = (server: string, noProxy: string) => via(server, { ...P, NO_PROXY: noProxy }) === undefined;
    expect(off("https://kube.example", "*")).toBe(true);
    expect(off("https://kube.example", "kube.example")).toBe(true);
    expect(off("https://api.kube.example", "kube.example")).toBe(true);
    expect(off("https://kube.example", ".kube.example")).toBe(false);
    expect(off("https://api.kube.example", ".kube.example")).toBe(true);
    expect(off("https://api.kube.example", "*.kube.example")).toBe(true);
    expect(off("https://notkube.example", "kube.example")).toBe(false);
    expect(off("https://10.1.2.3:6443", "10.1.2.3")).toBe(true);
    expect(off("https://10.1.2.3:6443", "10.0.0.0/8")).toBe(true);
    expect(off("https://11.1.2.3:6443", "10.0.0.0/8")).toBe(false);
    expect(off("https://[fd00::1]:6443", "fd00::/8")).toBe(true);
    expect(off("https://kube.example:6443", "kube.example:6443")).toBe(true);
    expect(off("https://kube.example:6443", "kube.example:443")).toBe(false);
    expect(off("https://kube.example", "kube.example:443")).toBe(true);
    expect(off("https://kube.example", " other.example , KUBE.example ")).toBe(true);
  });
});
