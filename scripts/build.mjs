// Bundles the CLI into one ESM file: one module to load instead of ~1,000 keeps start-up short.
import { build } from "esbuild";

await build({
  entryPoints: { stern: "src/cli/main.ts" },
  outdir: "dist",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node22",
  minifySyntax: true,
  sourcemap: "linked",
  outExtension: { ".js": ".mjs" },
  banner: { js: "import{createRequire as __sternRequire}from'node:module';const require=__sternRequire(import.meta.url);" },
  logLevel: "warning",
});
