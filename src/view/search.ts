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
  const test = (buf: Buffer, start: number, end: number) => regex.testBytes(buf, start, end);
  for (let k = 1; k <= size; k++) {
    const p = (((from + direction * k) % size) + size) % size;
    if (store.test(list.at(p), test)) return p;
  }
  return undefined;
}
