// The store's spill file: a temporary file of its own, removed when closed (and at exit at the latest).
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SpillFile } from "./store.ts";

export function tempSpillFile(): SpillFile {
  const dir = mkdtempSync(join(tmpdir(), "stern-view-"));
  const path = join(dir, "lines");
  const fd = openSync(path, "w+", 0o600);
  let size = 0;
  let closed = false;
  const remove = () => {
    if (closed) return;
    closed = true;
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", remove);
  return {
    write(data) {
      let done = 0;
      while (done < data.length) done += writeSync(fd, data, done, data.length - done, size + done);
      size += data.length;
    },
    read(into, length, position) {
      let done = 0;
      while (done < length) {
        const n = readSync(fd, into, done, length - done, position + done);
        if (n === 0)
          throw new Error(`the view's spill file ended at ${position + done} of ${position + length}`);
        done += n;
      }
    },
    close() {
      process.removeListener("exit", remove);
      remove();
    },
  };
}
