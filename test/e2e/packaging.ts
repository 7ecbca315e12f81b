// The project as a user gets it: the work tree (what git would commit, uncommitted edits included)
// copied to a scratch directory with no dist/, packed there by npm (prepack builds), and Node releases
// from the npm registry (the node-<platform>-<arch> packages), cached between runs.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** This environment without npm's per-run variables (a test runs under `npm test`). */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  return { ...env, ...extra };
}

const git = (...args: string[]) =>
  execFileSync("git", args, { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();

export const headCommit = () => git("rev-parse", "HEAD");

export interface Packed {
  tarball: string;
  size: number;
  files: string[];
}

/** Copies the work tree to dir/src and runs `npm pack` there; the tarball lands in dir. */
export function packWorkTree(dir: string): Packed {
  const src = join(dir, "src");
  const listed = git("ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0");
  for (const file of listed.filter((f) => f !== "" && existsSync(join(ROOT, f)))) {
    mkdirSync(dirname(join(src, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(src, file));
  }
  symlinkSync(join(ROOT, "node_modules"), join(src, "node_modules"));
  // The copy is no git work tree: GIT_DIR lets the build stamp the checkout's commit.
  const out = execFileSync("npm", ["pack", "--json", "--pack-destination", dir], {
    cwd: src,
    encoding: "utf8",
    env: cleanEnv({ GIT_DIR: git("rev-parse", "--absolute-git-dir") }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const [report] = JSON.parse(out.slice(out.indexOf("[\n"))) as {
    filename: string;
    size: number;
    files: { path: string }[];
  }[];
  if (!report) throw new Error(`npm pack said nothing usable:\n${out}`);
  return { tarball: join(dir, report.filename), size: report.size, files: report.files.map((f) => f.path) };
}

/** Installs the tarball globally into prefix, offline: it must need nothing from the registry. */
export function installGlobal(tarball: string, prefix: string): string {
  execFileSync(
    "npm",
    [
      "install",
      "-g",
      "--prefix",
      prefix,
      "--offline",
      "--no-audit",
      "--no-fund",
      "--loglevel=error",
      tarball,
    ],
    { cwd: dirname(prefix), env: cleanEnv(), stdio: ["ignore", "pipe", "pipe"] },
  );
  return join(prefix, "bin");
}

const CACHE = join(tmpdir(), "stern-ts-test-node");

/**
 * The directory holding `node` of each Node release asked for, from the npm registry, installed once
 * into a cache under the system's temporary directory (moved into place whole, so a run that stops
 * halfway leaves nothing half-installed, and one that finds it there already keeps it).
 */
export function nodeReleases(versions: string[]): Map<string, string> {
  const pkg = `node-${process.platform}-${process.arch}`;
  const dirs = new Map(versions.map((v) => [v, join(CACHE, v, "node_modules", pkg, "bin")]));
  const missing = versions.filter((v) => !existsSync(join(dirs.get(v) as string, "node")));
  for (const v of missing) {
    const staging = join(CACHE, `${v}.${process.pid}`);
    rmSync(staging, { recursive: true, force: true });
    execFileSync(
      "npm",
      [
        "install",
        "--prefix",
        staging,
        "--no-save",
        "--no-package-lock",
        "--no-audit",
        "--no-fund",
        "--loglevel=error",
        `${pkg}@${v}`,
      ],
      { env: cleanEnv(), stdio: ["ignore", "pipe", "pipe"] },
    );
    try {
      renameSync(staging, join(CACHE, v));
    } catch (err) {
      // Another test run (another work tree) put it in place first: keep that one, it may be in use.
      rmSync(staging, { recursive: true, force: true });
      if (!existsSync(join(dirs.get(v) as string, "node"))) throw err;
    }
  }
  return dirs;
}
