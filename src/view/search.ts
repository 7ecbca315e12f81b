// `/` search: the next (or previous) shown line that matches a Go regexp, from the selected line.
import type { GoRegex } from "../util/goregex.ts";
import type { FilteredList } from "./filtered.ts";
import type { LineStore } from "./store.ts";

/** The position of the first match after `from` going `direction` (wrapping around), or undefined. */
export function findMatch(
  list: FilteredList,
  store: LineStore,
  regex: GoRegex,
  from: number,
  direction: 1 | -1,
): number | undefined {
  const size = list.size;
  if (size === 0) return undefined;
  const test = (buf: Buffer, start: number, end: number) => regex.testBytes(buf, start, end);
  const needle = regex.requiredBytes;
  if (needle && size > 1000 && list.currentOrder === "arrival")
    return findByBytes(list, store, needle, test, from, direction);
  for (let k = 1; k <= size; k++) {
    const p = (((from + direction * k) % size) + size) % size;
    if (store.test(list.at(p), test)) return p;
  }
  return undefined;
}

/**
 * The same, for a pattern whose matches all contain some bytes: the store is searched for those in
 * bulk (natively, a segment at a time), and only the lines that have them are tested, and looked up
 * in the shown list. Around the ends as above.
 */
function findByBytes(
  list: FilteredList,
  store: LineStore,
  needle: Buffer,
  test: (buf: Buffer, start: number, end: number) => boolean,
  from: number,
  direction: 1 | -1,
): number | undefined {
  const size = list.size;
  const origin = list.at(from);
  const shown = (i: number) => {
    const p = list.positionOf(i);
    return p < size && list.at(p) === i ? p : undefined;
  };
  // From the line after the selected one to the store's end, then from the other end back to it.
  const passes: [number, number][] =
    direction > 0
      ? [
          [origin + 1, store.count - 1],
          [0, origin],
        ]
      : [
          [origin - 1, 0],
          [store.count - 1, origin],
        ];
  for (const [start, stop] of passes) {
    let i = start;
    while (direction > 0 ? i <= stop : i >= stop) {
      const hit = store.findBytes(needle, i, direction);
      if (hit === -1 || (direction > 0 ? hit > stop : hit < stop)) break;
      const p = store.test(hit, test) ? shown(hit) : undefined;
      if (p !== undefined) return p;
      i = hit + direction;
    }
  }
  return undefined;
}
