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
  for (let k = 1; k <= size; k++) {
    const p = (((from + direction * k) % size) + size) % size;
    const b = store.bytes(list.at(p));
    if (regex.testBytes(b, 0, b.length)) return p;
  }
  return undefined;
}
