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

/**
 * `import { existsSync } from "node:fs"` in our sources becomes a read of process.getBuiltinModule's
 * node:fs. An ES module namespace of node:fs reads every export, and the lazy ones (promises, the
 * streams) load some 20 more of Node's modules that stern never uses: 3-4 ms of every start. Each
 * export is a pure read, so esbuild drops those nothing imports.
 */
const fsWithoutNamespace = {
  name: "node-fs-without-namespace",
  setup(b) {
    b.onResolve({ filter: /^(node:)?fs$/ }, (args) =>
      args.importer.includes("node_modules") ? undefined : { path: "fs", namespace: "stern-node-fs" },
    );
    b.onLoad({ filter: /.*/, namespace: "stern-node-fs" }, () => {
      // Object.keys reads no getter: listing the exports loads nothing.
      const names = Object.keys(process.getBuiltinModule("node:fs")).filter((k) =>
        /^[A-Za-z_$][\w$]*$/.test(k),
      );
      const lines = names.map((k) => `export const ${k} = /* @__PURE__ */ __read(${JSON.stringify(k)});`);
      return {
        contents: `const __fs = process.getBuiltinModule("node:fs");\nconst __read = (k) => __fs[k];\n${lines.join("\n")}\nexport default __fs;\n`,
        loader: "js",
      };
    });
  },
};

const base = baseOptions(buildStamp());
const result = await build({
  ...base,
  plugins: [fsWithoutNamespace],
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
