// npm run package: a single executable for this machine's platform (Node's single executable
// applications): this Node binary with the CLI injected as one CommonJS script (a SEA runs exactly
// one script; it cannot load the ESM bundle's chunks). Output: release/stern (stern.exe on Windows)
// and the licence notices of what it contains, or in the directory given as the first argument.
// Other platforms: run it there (docs/install.md, "Releases for other platforms").
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { inject } from "postject";
import { baseOptions, buildStamp } from "./build-info.mjs";
import { writeNotices } from "./notices.mjs";

const has = (cmd) => spawnSync(cmd, ["--version"], { stdio: "ignore" }).status === 0;
const out = process.argv[2] ?? "release";
const work = join(out, "sea");
const exe = join(out, process.platform === "win32" ? "stern.exe" : "stern");
// Only what this script writes: release/dist (scripts/release.mjs) may hold other platforms' archives.
for (const stale of [work, exe, join(out, "THIRD-PARTY-NOTICES.txt")])
  rmSync(stale, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

const script = join(work, "stern.cjs");
const base = baseOptions(buildStamp());
const result = await build({
  ...base,
  outfile: script,
  format: "cjs",
  // A dependency (yargs-parser) calls createRequire(import.meta.url); in a SEA, __filename is the executable.
  banner: { js: "var __sternMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  define: { ...base.define, "import.meta.url": "__sternMetaUrl" },
});
writeNotices(result.metafile, join(out, "THIRD-PARTY-NOTICES.txt"));

const config = join(work, "sea-config.json");
const blob = join(work, "stern.blob");
writeFileSync(
  config,
  JSON.stringify({
    main: script,
    output: blob,
    disableExperimentalSEAWarning: true,
    // V8's compiled code in the blob: no parse-and-compile of 2.5 MB of script at each start.
    useCodeCache: true,
    // What bin/stern sets for the npm package; here Node applies it as it starts.
    execArgv: ["--max-semi-space-size=2"],
  }),
);
execFileSync(process.execPath, ["--experimental-sea-config", config], { stdio: "inherit" });

copyFileSync(process.execPath, exe);
chmodSync(exe, 0o755);
// Linux: Node's binary carries its symbol tables (18 MB of 124); binutils' strip drops them.
if (process.platform === "linux" && has("strip")) execFileSync("strip", [exe]);
const mac = process.platform === "darwin";
// macOS refuses a modified signed binary: drop Node's signature, sign ad hoc after injecting.
if (mac) execFileSync("codesign", ["--remove-signature", exe]);
await inject(exe, "NODE_SEA_BLOB", readFileSync(blob), {
  sentinelFuse: "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2",
  ...(mac ? { machoSegmentName: "NODE_SEA" } : {}),
});
if (mac) execFileSync("codesign", ["--sign", "-", exe]);
rmSync(work, { recursive: true, force: true });
console.log(
  `${exe}: ${(statSync(exe).size / 1048576).toFixed(1)} MB (Node ${process.version}, ${process.platform}-${process.arch})`,
);
