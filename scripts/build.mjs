// Bundles the CLI into ESM files: a few modules to load instead of ~1,000 keeps start-up short, and
// @kubernetes/client-node sits in a chunk of its own that loads only when a cluster is needed.
import { build } from "esbuild";

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
});
