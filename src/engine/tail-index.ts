// The engine's running tails, found by pod UID (a pod changed, was deleted) and by container key (a
// new instance waits for the old one's stream): a lookup per pod event, not a scan of every tail,
// so taking in N pods at start-up is linear in N (a scan made 20k pods 4 s of CPU, 100k endless).

interface Indexed {
  readonly target: { readonly podUID: string; readonly key: string };
}

const NONE: readonly never[] = [];

export class TailIndex<T extends Indexed> {
  private readonly byPod = new Map<string, Set<T>>();
  private readonly byKey = new Map<string, Set<T>>();

  add(tail: T): void {
    addTo(this.byPod, tail.target.podUID, tail);
    addTo(this.byKey, tail.target.key, tail);
  }

  delete(tail: T): void {
    deleteFrom(this.byPod, tail.target.podUID, tail);
    deleteFrom(this.byKey, tail.target.key, tail);
  }

  /** The tails of a pod (a copy: acting on one may remove it). */
  ofPod(podUID: string): readonly T[] {
    const set = this.byPod.get(podUID);
    return set ? [...set] : NONE;
  }

  /** The tails of a container key, every instance of it. */
  ofKey(key: string): readonly T[] {
    const set = this.byKey.get(key);
    return set ? [...set] : NONE;
  }

  /** Every tail (for the end of the run). */
  all(): T[] {
    return [...this.byPod.values()].flatMap((s) => [...s]);
  }
}

function addTo<T>(map: Map<string, Set<T>>, k: string, v: T): void {
  const set = map.get(k);
  if (set) set.add(v);
  else map.set(k, new Set([v]));
}

function deleteFrom<T>(map: Map<string, Set<T>>, k: string, v: T): void {
  const set = map.get(k);
  if (!set) return;
  set.delete(v);
  if (set.size === 0) map.delete(k);
}
