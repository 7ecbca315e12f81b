// Which zone names Go's time.LoadLocation takes. stern loads --timezone and toTimestamp's zone from
// the system's zoneinfo files (it embeds no tzdata): a name is a file there, case as the file system
// has it, and a name that is a folder or not a zone file fails with the error reading it gave. The
// zone's rules still come from Intl here; this only decides which names load, and Go's error.
import { closeSync, existsSync, openSync, readSync } from "node:fs";

/** Go's platformZoneSources on Unix. */
const SOURCES = ["/usr/share/zoneinfo/", "/usr/share/lib/zoneinfo/", "/usr/lib/locale/TZ/"];

/** Go's syscall error texts for what reading a zone file can meet. */
const ERRNO_TEXT: Record<string, string> = {
  EISDIR: "is a directory",
  ENOTDIR: "not a directory",
  EACCES: "permission denied",
  ENAMETOOLONG: "file name too long",
  ELOOP: "too many levels of symbolic links",
  EINVAL: "invalid argument",
};

const MALFORMED = "malformed time zone information";

/** Reads the zone file's first bytes: "ok", "ENOENT", "malformed", or Go's text of another error. */
function probe(path: string): string {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "";
    return code === "ENOENT" ? "ENOENT" : (ERRNO_TEXT[code] ?? code);
  }
  try {
    const head = Buffer.alloc(4);
    const n = readSync(fd, head, 0, 4, 0);
    return n === 4 && head.toString("latin1") === "TZif" ? "ok" : MALFORMED;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "";
    return ERRNO_TEXT[code] ?? code;
  } finally {
    closeSync(fd);
  }
}

let hasZoneinfo: boolean | undefined;

/**
 * Go's error for LoadLocation(name), from the files it would read; undefined when it loads, or when
 * this system has no zoneinfo files at all (Windows): then Intl alone decides.
 */
export function goZoneError(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (name === "" || name === "UTC" || name === "Local") return undefined;
  if (name.includes("..") || name[0] === "/" || name[0] === "\\") return "time: invalid location name";
  // Opening a path with a NUL in it: EINVAL, for every source.
  if (name.includes("\0")) return "invalid argument";
  // A zip of zone files (Go reads those too) is not looked into.
  const zoneinfo = env.ZONEINFO?.endsWith(".zip") ? "" : (env.ZONEINFO ?? "");
  hasZoneinfo ??= SOURCES.some((s) => existsSync(s));
  if (!hasZoneinfo && zoneinfo === "") return undefined;
  let first: string | undefined;
  if (zoneinfo !== "") {
    const r = probe(`${zoneinfo}/${name}`);
    if (r === "ok") return undefined;
    // Go keeps a read error from $ZONEINFO, but not a malformed file (its `err` there is shadowed).
    if (r !== "ENOENT" && r !== MALFORMED) first = r;
  }
  for (const dir of SOURCES) {
    const r = probe(dir + name);
    if (r === "ok") return undefined;
    if (r !== "ENOENT") first ??= r;
  }
  return first ?? `unknown time zone ${name}`;
}
