// Bundles the CLI into ESM files: a few modules to load instead of ~1,000 keeps start-up short, and
// @kubernetes/client-node sits in a chunk of its own that loads only when a cluster is needed. Every
// dependency is bundled, so the package installs with nothing to fetch and no install script.
import { execFileSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { baseOptions, buildStamp } from "./build-info.mjs";
import { writeNotices } from "./notices.mjs";

const event = process.env.npm_lifecycle_event;
// npm pack and npm publish run prepack, then prepare: prepack has just built.
if (event === "prepare" && ["pack", "publish"].includes(process.env.npm_command ?? "")) process.exit(0);
const packing = event === "prepack";

// `npm install -g <git url>` runs prepare in its clone after installing the devDependencies globally
// instead of there (npm/cli#8440): install them here, without their scripts (none is needed to build).
if (!existsSync(new URL("../node_modules/esbuild", import.meta.url))) {
  const root = new URL("..", import.meta.url);
  const args = ["install", "--global=false", "--include=dev", "--ignore-scripts", "--no-audit", "--no-fund"];
  execFileSync("npm", args, { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
}
const { build } = await import("esbuild");

rmSync(new URL("../dist", import.meta.url), { recursive: true, force: true });

const base = baseOptions(buildStamp());
const result = await build({
  ...base,
  // The command, and the engine as a library (package.json's exports).
  entryPoints: { ...base.entryPoints, index: "src/index.ts" },
  outdir: "dist",
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  format: "esm",
  // Source maps help the checkout's stack traces; the package leaves them out (3.6 MB).
  sourcemap: packing ? false : "linked",
  outExtension: { ".js": ".mjs" },
  banner: {
    js: "import{createRequire as __sternRequire}from'node:module';const require=__sternRequire(import.meta.url);",
  },
});
writeNotices(result.metafile, "dist/THIRD-PARTY-NOTICES.txt");
// The library's types: declarations of what src/index.ts exports, and what they refer to.
execFileSync(
  process.execPath,
  [new URL("../node_modules/typescript/bin/tsc", import.meta.url).pathname, "-p", "tsconfig.types.json"],
  {
    stdio: "inherit",
  },
);
