// Which pods the run follows beyond the API's selectors: a scope's filter, --ignore, --node-selector's
// nodes (and which pods a node's change concerns); and which Services an Ingress sends traffic to.
import { describe, expect, it } from "vitest";
import { parseLabelSelector } from "../../../src/engine/label-selector.ts";
import { PodSelection } from "../../../src/engine/pod-selection.ts";
import { ingressServices } from "../../../src/engine/resources.ts";
import type { Pod } from "../../../src/shared/pod.ts";

const scope = { namespace: "ns", labelSelector: undefined, fieldSelector: undefined };
const pod = (name: string, labels: Record<string, string> = {}, nodeName?: string): Pod => ({
  metadata: { name, namespace: "ns", uid: name, labels },
  spec: nodeName ? { nodeName } : {},
});

describe("PodSelection", () => {
  it("--ignore leaves out pods matching any selector; a scope's filter still applies", () => {
    const s = new PodSelection([{ ...scope, podFilter: (p) => p.metadata.name !== "x" }], {
      ignore: [parseLabelSelector("kail.ignore=true"), parseLabelSelector("tier=debug,team=a")],
    });
    expect(s.selected(pod("a", { "kail.ignore": "true" }), 0)).toBe(false);
    expect(s.selected(pod("b", { tier: "debug" }), 0)).toBe(true);
    expect(s.selected(pod("c", { tier: "debug", team: "a" }), 0)).toBe(false);
    expect(s.selected(pod("x"), 0)).toBe(false);
    expect(s.byNodes).toBe(false);
  });

  it("--node-selector: pods on matching nodes only; unscheduled pods wait", () => {
    const s = new PodSelection([scope], { nodeSelector: "zone=a" });
    expect(s.byNodes).toBe(true);
    expect([...s.nodesMatching(["n1", "n2"], true)].sort()).toEqual(["n1", "n2"]);
    expect(s.selected(pod("a", {}, "n1"), 0)).toBe(true);
    expect(s.selected(pod("b", {}, "n3"), 0)).toBe(false);
    expect(s.selected(pod("c"), 0)).toBe(false);
    // One node from a watch event: only a new one is a change.
    expect([...s.nodesMatching(["n1"], false)]).toEqual([]);
    expect([...s.nodesMatching(["n3"], false)]).toEqual(["n3"]);
    // A whole list: the ones it lacks changed too.
    expect([...s.nodesMatching(["n3", "n4"], true)].sort()).toEqual(["n1", "n2", "n4"]);
    expect(s.nodeGone("n4")).toBe(true);
    expect(s.nodeGone("n4")).toBe(false);
  });

  it("remembers pods only when nodes decide, and finds the ones on changed nodes", () => {
    const s = new PodSelection([scope, scope], { nodeSelector: "zone=a" });
    s.remember(pod("a", {}, "n1"), 0);
    s.remember(pod("b", {}, "n2"), 1);
    s.rememberAll([pod("c", {}, "n1")], 1);
    expect(
      s
        .podsOn(new Set(["n1"]))
        .map(([p, i]) => `${p.metadata.name}@${i}`)
        .sort(),
    ).toEqual(["a@0", "c@1"]);
    s.forget(pod("a", {}, "n1"), 0);
    expect(s.podsOn(new Set(["n1", "n2"])).map(([p]) => p.metadata.name)).toEqual(["c"]);
    const plain = new PodSelection([scope], {});
    plain.remember(pod("a", {}, "n1"), 0);
    expect(plain.podsOn(new Set(["n1"]))).toEqual([]);
  });
});

describe("ingressServices", () => {
  it("its rules' Services, then its default backend's, each once", () => {
    const backend = (name: string) => ({ service: { name } });
    expect(
      ingressServices({
        metadata: { name: "shop" },
        spec: {
          rules: [
            { http: { paths: [{ backend: backend("web") }, { backend: backend("api") }] } },
            { http: { paths: [{ backend: backend("web") }] } },
            {},
          ],
          defaultBackend: backend("fallback"),
        },
      }),
    ).toEqual(["web", "api", "fallback"]);
    expect(ingressServices({ metadata: { name: "empty" } })).toEqual([]);
  });
});
