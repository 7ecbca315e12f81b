// Bundles the CLI into ESM files: a few modules to load instead of ~1,000 keeps start-up short, and
// @kubernetes/client-node sits in a chunk of its own that loads only when a cluster is needed.
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { build } from "esbuild";

const git = (...args) => {
  try {
    return execFileSync("git", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "unknown";
  }
};
const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));

rmSync(new URL("../dist", import.meta.url), { recursive: true, force: true });

await build({
  entryPoints: { stern: "src/cli/main.ts" },
  outdir: "dist",
  bundle: true,
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  platform: "node",
  format: "esm",
  target: "node22",
  minifySyntax: true,
  sourcemap: "linked",
  outExtension: { ".js": ".mjs" },
  banner: {
    js: "import{createRequire as __sternRequire}from'node:module';const require=__sternRequire(import.meta.url);",
  },
  logLevel: "warning",
  define: {
    __STERN_VERSION__: JSON.stringify(version),
    __STERN_COMMIT__: JSON.stringify(git("rev-parse", "HEAD")),
    __STERN_BUILT_AT__: JSON.stringify(git("log", "-1", "--format=%cI")),
  },
});
