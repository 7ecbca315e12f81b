// Reads a file that must be small (a kubeconfig), refusing what is not: a directory, a file over the
// cap, or a device or pipe that gives more than the cap (/dev/zero, /dev/urandom) — where a plain
// readFileSync would grow without end. Devices and pipes are read, not refused: /dev/null is an
// empty kubeconfig and --kubeconfig <(sops -d ...) a pipe.
import { closeSync, openSync, readSync, type Stats, statSync } from "node:fs";

/** What a file is, in words ("a character device"), for the one-line errors. */
export function fileKind(st: Stats): string {
  if (st.isDirectory()) return "a directory";
  if (st.isFIFO()) return "a pipe";
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  if (st.isSocket()) return "a socket";
  return "a special file";
}

/** Why a file of this kind and size cannot be read as one of at most `max` bytes; undefined: it can. */
export function cappedReadProblem(st: Stats, max: number): string | undefined {
  if (st.isDirectory()) return "it is a directory";
  if (st.isFile() && st.size > max) return `it is larger than ${describeBytes(max)}`;
  return undefined;
}

const describeBytes = (n: number): string =>
  n % 1048576 === 0 ? `${n / 1048576} MiB` : n % 1024 === 0 ? `${n / 1024} KiB` : `${n} bytes`;

export class CappedReadError extends Error {}

/** The cap for the small files a user or a kubeconfig points at: kubeconfigs, certificates, tokens, templates. */
export const SMALL_FILE_MAX = 16 << 20;

/**
 * The file's bytes, at most `max`; throws CappedReadError ("it is a directory", "it is larger than
 * 16 MiB", "it is a character device that gave more than 16 MiB") or the fs error.
 */
export function readCapped(file: string, max: number): Buffer {
  const st = statSync(file);
  const problem = cappedReadProblem(st, max);
  if (problem) throw new CappedReadError(problem);
  const fd = openSync(file, "r");
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    // One byte past the cap says it is over, also for a file that grew since statSync.
    let chunk = Buffer.allocUnsafe(Math.min(max + 1, st.isFile() ? st.size + 1 : 65536));
    for (;;) {
      const n = readSync(fd, chunk, 0, Math.min(chunk.length, max + 1 - total), null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > max) {
        throw new CappedReadError(
          st.isFile()
            ? `it is larger than ${describeBytes(max)}`
            : `it is ${fileKind(st)} that gave more than ${describeBytes(max)}`,
        );
      }
      if (n === chunk.length) chunk = Buffer.allocUnsafe(Math.min(65536, max + 1 - total));
      else chunk = chunk.subarray(n);
    }
    return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}
