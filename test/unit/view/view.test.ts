// The interactive view's model, without a terminal: the store (spilling to a file), the shown list
// (filters, rebuilds in slices, time order), the viewport (follow, hold, selection) and search.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ERROR, INFO } from "../../../src/structured/levels.ts";
import { compileGoRegex } from "../../../src/util/goregex.ts";
import { FilteredList } from "../../../src/view/filtered.ts";
import { ViewModel } from "../../../src/view/model.ts";
import { findMatch } from "../../../src/view/search.ts";
import { tempSpillFile } from "../../../src/view/spill.ts";
import { LineKind, LineStore } from "../../../src/view/store.ts";

const line = (s: string) => Buffer.from(s);

describe("LineStore", () => {
  it("keeps every line, spilling the oldest segments to a file, and reads them back", () => {
    const store = new LineStore({ segmentBytes: 1024, memoryBytes: 4096, spill: tempSpillFile });
    const texts: string[] = [];
    for (let i = 0; i < 5000; i++) {
      const t = `line ${i} ${"x".repeat(i % 50)}`;
      texts.push(t);
      store.append(i % 7, i, LineKind.Log, Buffer.from(`>${t}<`), 1, t.length + 1);
    }
    expect(store.count).toBe(5000);
    expect(store.memoryUsed).toBeLessThanOrEqual(4096 + 1024);
    for (const i of [0, 1, 999, 2500, 4999, 3, 4998]) {
      expect(store.bytes(i).toString()).toBe(texts[i]);
      expect(store.source(i)).toBe(i % 7);
      expect(store.time(i)).toBe(i);
    }
    store.close();
  });

  it("a line longer than a segment, spilled, reads back whole", () => {
    const store = new LineStore({ segmentBytes: 16, memoryBytes: 32, spill: tempSpillFile });
    const long = Buffer.alloc(300, 0x61);
    store.append(1, 0, LineKind.Log, long, 0, long.length);
    for (let i = 0; i < 10; i++) store.append(1, 0, LineKind.Log, Buffer.from(`line ${i}..`), 0, 8);
    expect(store.bytes(5).toString()).toBe("line 4..");
    expect(store.bytes(0).equals(long)).toBe(true);
    expect(store.findBytes(Buffer.from("aaa"), 10, -1)).toBe(0);
    store.close();
  });

  it("any lines, any segment size: what is read back is what was appended", () => {
    fc.assert(
      fc.property(
        // size "max": lines up to 300 bytes, so many are longer than a segment.
        fc.array(fc.uint8Array({ maxLength: 300, size: "max" }), { maxLength: 200 }),
        fc.integer({ min: 16, max: 512 }),
        (lines, seg) => {
          const store = new LineStore({ segmentBytes: seg, memoryBytes: seg * 2, spill: tempSpillFile });
          for (const l of lines) store.append(1, 0, LineKind.Log, Buffer.from(l), 0, l.length);
          for (let i = lines.length - 1; i >= 0; i--)
            expect(store.bytes(i).equals(Buffer.from(lines[i]!))).toBe(true);
          store.close();
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe("FilteredList", () => {
  function filled(n: number) {
    const store = new LineStore();
    for (let i = 0; i < n; i++) store.append(1, 1000 - i, LineKind.Log, line(`n=${i}`), 0, `n=${i}`.length);
    return store;
  }

  it("a rebuild shows the newest matches at once, then all of them, in slices", () => {
    const store = filled(300_000);
    const even = (i: number) => i % 2 === 0;
    const list = new FilteredList(store, even);
    expect(list.complete).toBe(false);
    expect(list.size).toBe(1000);
    expect(list.at(list.size - 1)).toBe(299_998);
    let slices = 0;
    while (!list.step(50_000)) slices++;
    expect(slices).toBeGreaterThan(1);
    expect(list.size).toBe(150_000);
    for (let p = 1; p < list.size; p++) expect(list.at(p)).toBeGreaterThan(list.at(p - 1));
  });

  it("lines that come during a rebuild are kept, in order", () => {
    const store = filled(300_000);
    const list = new FilteredList(store, () => true);
    store.append(1, 0, LineKind.Log, line("late"), 0, 4);
    list.add(300_000);
    while (!list.step()) {}
    expect(list.size).toBe(300_001);
    expect(list.at(300_000)).toBe(300_000);
    expect(list.positionOf(123_456)).toBe(123_456);
  });

  it("in time order, by timestamp (arrival order among equals), new lines inserted in place", () => {
    const store = new LineStore();
    for (const [t, s] of [
      [5, "e"],
      [1, "a"],
      [3, "c"],
      [3, "c2"],
    ] as const)
      store.append(1, t, LineKind.Log, line(s), 0, s.length);
    const list = new FilteredList(store, () => true, "time");
    while (!list.step()) {}
    const texts = () => Array.from({ length: list.size }, (_, p) => store.bytes(list.at(p)).toString());
    expect(texts()).toEqual(["a", "c", "c2", "e"]);
    list.add(store.append(1, 2, LineKind.Log, line("b"), 0, 1));
    expect(texts()).toEqual(["a", "b", "c", "c2", "e"]);
    list.setOrder("arrival");
    expect(texts()).toEqual(["e", "a", "c", "c2", "b"]);
  });
});

describe("ViewModel", () => {
  function model(lines: string[], opts: ConstructorParameters<typeof ViewModel>[0] = {}) {
    const m = new ViewModel(opts);
    const web = m.sources.ensure("", "ns", "web-1", "app").id;
    const db = m.sources.ensure("", "ns", "db-1", "db").id;
    for (const [i, l] of lines.entries())
      m.append(i % 2 === 0 ? web : db, i, LineKind.Log, line(l), 0, l.length);
    while (!m.list.step()) {}
    return { m, web, db };
  }
  const shown = (m: ViewModel) =>
    Array.from({ length: m.list.size }, (_, p) => m.store.bytes(m.list.at(p)).toString());

  it("a filter narrows the whole history as typed; '!' inverts it; a bad pattern says why and keeps the old", () => {
    const { m } = model(["GET /a 200", "GET /b 500", "POST /c 200", "GET /d 404"]);
    expect(m.setFilter("GET")).toBe(true);
    while (!m.list.step()) {}
    expect(shown(m)).toEqual(["GET /a 200", "GET /b 500", "GET /d 404"]);
    m.setFilter("!GET");
    while (!m.list.step()) {}
    expect(shown(m)).toEqual(["POST /c 200"]);
    expect(m.setFilter("(")).toBe(false);
    expect(m.problem).toMatch(/missing closing \)/);
    expect(shown(m)).toEqual(["POST /c 200"]);
  });

  it("levels are read only when a level filter needs them; lines without one stay unless strict", () => {
    const { m } = model(['{"level":"error","msg":"boom"}', '{"level":"info","msg":"ok"}', "plain text"]);
    expect(m.store.level(0)).toBe(0);
    m.setMinLevel(ERROR);
    while (!m.list.step()) {}
    expect(shown(m)).toEqual(['{"level":"error","msg":"boom"}', "plain text"]);
    m.levelStrict = true;
    m.setMinLevel(INFO);
    while (!m.list.step()) {}
    expect(shown(m)).toEqual(['{"level":"error","msg":"boom"}', '{"level":"info","msg":"ok"}']);
  });

  it("a muted pod's lines go from the view and come back; solo shows one alone", () => {
    const { m } = model(["w1", "d1", "w2", "d2"]);
    const pod = m.sources.tree().find((n) => n.label === "db-1")!;
    m.sources.toggleMute(pod.path);
    while (!m.list.step()) {}
    expect(shown(m)).toEqual(["w1", "w2"]);
    m.sources.toggleMute(pod.path);
    m.sources.toggleSolo(pod.path);
    while (!m.list.step()) {}
    expect(shown(m)).toEqual(["d1", "d2"]);
  });

  it("held, the view stays put while lines come and counts them; End follows again", () => {
    const { m } = model(Array.from({ length: 50 }, (_, i) => `l${i}`));
    const rows = 10;
    expect(m.viewport.topPosition(rows)).toBe(40);
    m.viewport.scroll(-5, rows);
    expect(m.viewport.following).toBe(false);
    expect(m.viewport.topPosition(rows)).toBe(35);
    for (let i = 50; i < 60; i++) m.append(1, i, LineKind.Log, line(`l${i}`), 0, 3);
    expect(m.viewport.topPosition(rows)).toBe(35);
    expect(m.viewport.newSince).toBe(10);
    m.viewport.follow();
    expect(m.viewport.topPosition(rows)).toBe(50);
  });

  it("search jumps to the next and the previous match, around the ends", () => {
    const { m } = model(["a", "match 1", "b", "match 2", "c"]);
    m.setSearch("match \\d");
    expect(m.findNext(-1, 3)).toBe(true);
    expect(m.store.bytes(m.viewport.selection!).toString()).toBe("match 2");
    expect(m.findNext(-1, 3)).toBe(true);
    expect(m.store.bytes(m.viewport.selection!).toString()).toBe("match 1");
    expect(m.findNext(-1, 3)).toBe(true);
    expect(m.store.bytes(m.viewport.selection!).toString()).toBe("match 2");
    expect(m.setSearch("[")).toBe(false);
  });
});

describe("search over a long history", () => {
  it("the bulk scan finds what a line-by-line scan finds, across segments, spilled ones and filters", () => {
    const words = ["ab", "ba", "abc", "x", "needle", "need", "le"];
    fc.assert(
      fc.property(
        fc.array(
          fc.array(fc.constantFrom(...words), { maxLength: 4 }).map((w) => w.join(" ")),
          {
            minLength: 1200,
            maxLength: 1500,
          },
        ),
        fc.constantFrom("needle", "abc", "ab", "e n", "b a"),
        fc.integer({ min: 0, max: 3 }),
        fc.nat(),
        fc.constantFrom(1 as const, -1 as const),
        (lines, pattern, every, fromSeed, direction) => {
          const store = new LineStore({ segmentBytes: 512, memoryBytes: 1024, spill: tempSpillFile });
          for (const l of lines) store.append(1, 0, LineKind.Log, Buffer.from(l), 0, l.length);
          // A filter that keeps every line, or every second/third/fourth one.
          const list = new FilteredList(store, (i) => every === 0 || i % (every + 1) === 0);
          while (!list.step()) {}
          const re = compileGoRegex(pattern);
          const from = fromSeed % list.size;
          let naive: number | undefined;
          for (let k = 1; k <= list.size; k++) {
            const p = (((from + direction * k) % list.size) + list.size) % list.size;
            if (re.testBytes(store.bytes(list.at(p)))) {
              naive = p;
              break;
            }
          }
          expect(findMatch(list, store, re, from, direction)).toBe(naive);
          store.close();
        },
      ),
      { numRuns: 60 },
    );
  });
});
