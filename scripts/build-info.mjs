// What both builds share: the esbuild settings and the values `stern --version` prints, stamped in at
// build time as stern's release builds stamp them (version, commit, build date in UTC, RFC 3339).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

const git = (...args) => {
  try {
    return execFileSync("git", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return ""; // not a git checkout (an unpacked tarball): stern then prints no commit line
  }
};

export function buildStamp() {
  const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  // SOURCE_DATE_EPOCH makes a build reproducible; otherwise the date is now, as stern's.
  const epoch = process.env.SOURCE_DATE_EPOCH;
  const date = epoch ? new Date(Number(epoch) * 1000) : new Date();
  return { version, commit: git("rev-parse", "HEAD"), builtAt: date.toISOString().replace(/\.\d+Z$/, "Z") };
}

/** esbuild options for a bundle of the CLI that needs nothing but Node's own modules. */
export function baseOptions(stamp) {
  return {
    entryPoints: { stern: "src/cli/main.ts" },
    bundle: true,
    platform: "node",
    target: "node22",
    minifySyntax: true,
    logLevel: "warning",
    metafile: true,
    define: {
      __STERN_VERSION__: JSON.stringify(stamp.version),
      __STERN_COMMIT__: JSON.stringify(stamp.commit),
      __STERN_BUILT_AT__: JSON.stringify(stamp.builtAt),
    },
  };
}
