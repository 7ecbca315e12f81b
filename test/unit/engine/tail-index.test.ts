import { describe, expect, it } from "vitest";
import { TailIndex } from "../../../src/engine/tail-index.ts";

const tail = (podUID: string, key: string, id: string) => ({ id, target: { podUID, key } });

describe("TailIndex", () => {
  it("finds tails by pod and by container key, and forgets them", () => {
    const index = new TailIndex<ReturnType<typeof tail>>();
    const a1 = tail("uid-a", "ns/a/x", "a1");
    const a2 = tail("uid-a", "ns/a/y", "a2");
    const a1next = tail("uid-a", "ns/a/x", "a1next");
    const b = tail("uid-b", "ns/b/x", "b");
    for (const t of [a1, a2, a1next, b]) index.add(t);
    expect(index.ofPod("uid-a").map((t) => t.id)).toEqual(["a1", "a2", "a1next"]);
    expect(index.ofKey("ns/a/x").map((t) => t.id)).toEqual(["a1", "a1next"]);
    expect(index.ofPod("uid-none")).toEqual([]);
    index.delete(a1);
    index.delete(a1);
    expect(index.ofKey("ns/a/x").map((t) => t.id)).toEqual(["a1next"]);
    expect(index.all().map((t) => t.id)).toEqual(["a2", "a1next", "b"]);
    for (const t of [a2, a1next, b]) index.delete(t);
    expect(index.all()).toEqual([]);
  });

  it("gives copies: a tail removed while the caller goes through them does not disturb it", () => {
    const index = new TailIndex<ReturnType<typeof tail>>();
    const ts = ["1", "2", "3"].map((id) => tail("uid-a", `k${id}`, id));
    for (const t of ts) index.add(t);
    const seen: string[] = [];
    for (const t of index.ofPod("uid-a")) {
      index.delete(t);
      seen.push(t.id);
    }
    expect(seen).toEqual(["1", "2", "3"]);
  });
});
