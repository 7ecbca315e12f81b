// prepack strip / postpack restore: the packed package.json declares no `prepare` script. That script
// builds installs from git (npm runs it in its clone); a tarball is already built, npm never runs a
// tarball's `prepare`, but npm 11 warns on every global install of a package that declares one
// ("install scripts not yet covered by allowScripts"). The working copy is put back after packing.
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";

const manifest = new URL("../package.json", import.meta.url);
const backup = new URL("../package.json.prepack-backup", import.meta.url);

function restore() {
  if (existsSync(backup)) renameSync(backup, manifest);
}

const step = process.argv[2];
if (step === "strip") {
  // A pack that failed between prepack and postpack left the backup: start from it.
  restore();
  const text = readFileSync(manifest, "utf8");
  const pkg = JSON.parse(text);
  if (pkg.scripts?.prepare !== undefined) {
    writeFileSync(backup, text);
    delete pkg.scripts.prepare;
    writeFileSync(manifest, `${JSON.stringify(pkg, null, 2)}\n`);
  }
} else if (step === "restore") {
  restore();
} else {
  throw new Error(`usage: pack-manifest.mjs strip|restore (got ${step})`);
}
