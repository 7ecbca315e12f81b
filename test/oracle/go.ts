// Runs a Go reference program (test/oracle/<name>/main.go) on one JSON request. Each program is
// built once per source and Go version, cached in the temp folder; Go's standard library and
// Debian's Go packages (GOPATH mode, /usr/share/gocode) only, nothing fetched.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ORACLE_DIR = new URL(".", import.meta.url).pathname;
const GOPATH = "/usr/share/gocode";

function goEnv(): NodeJS.ProcessEnv {
  const cache = join(tmpdir(), "stern-oracle-gocache");
  return { ...process.env, GO111MODULE: "off", GOPATH, GOCACHE: cache, GOFLAGS: "", CGO_ENABLED: "0" };
}

let version: string | undefined;
/** The Go version the oracles run with ("go1.19.8"); throws when Go is missing. */
export function goVersion(): string {
  if (version === undefined) {
    try {
      version = execFileSync("go", ["env", "GOVERSION"], { env: goEnv(), encoding: "utf8" }).trim();
    } catch {
      throw new Error("the Go toolchain is needed for the oracle tests: apt-get install golang-go");
    }
  }
  return version;
}

/** Go's minor version (19 for go1.19.8). */
export function goMinor(): number {
  return Number(/^go1\.(\d+)/.exec(goVersion())?.[1] ?? 0);
}

/** The built program (for one that runs as a server rather than on one request). */
export function oracleBinary(name: string): string {
  // Every Go file of the program (main.go and its local packages) goes into the hash.
  const hasher = createHash("sha256").update(goVersion());
  const files = readdirSync(join(ORACLE_DIR, name), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".go"))
    .sort();
  for (const f of files) hasher.update(f).update(readFileSync(join(ORACLE_DIR, name, f)));
  const hash = hasher.digest("hex").slice(0, 16);
  const dir = join(tmpdir(), "stern-oracles");
  const bin = join(dir, `${name}-${hash}`);
  if (existsSync(bin)) return bin;
  mkdirSync(dir, { recursive: true });
  // Built under a private name, then renamed: parallel test files never run a half-written binary.
  const partial = `${bin}.${process.pid}`;
  execFileSync("go", ["build", "-o", partial, join(ORACLE_DIR, name, "main.go")], {
    env: goEnv(),
    stdio: ["ignore", "ignore", "pipe"],
  });
  renameSync(partial, bin);
  return bin;
}

/** Runs oracle `name` on `request` (JSON in, JSON out). */
export function runOracle<T>(name: string, request: unknown): T {
  const out = execFileSync(oracleBinary(name), [], {
    input: JSON.stringify(request),
    maxBuffer: 256 * 1024 * 1024,
    encoding: "utf8",
  });
  return JSON.parse(out) as T;
}

export const hex = (b: string | Uint8Array): string =>
  Buffer.from(typeof b === "string" ? Buffer.from(b, "utf8") : b).toString("hex");
