// The licence texts of the packages a bundle contains: the bundle is a copy of their code, and their
// licences (MIT, ISC, Apache-2.0, ...) ask that their notices travel with it.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Package directories (node_modules/x or node_modules/@s/x) of the bundle's inputs. */
function packageDirs(metafile) {
  const dirs = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (m) dirs.add(m[1]);
  }
  return [...dirs].sort();
}

function licenceText(dir) {
  const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
  return file ? readFileSync(join(dir, file), "utf8").trim() : undefined;
}

export function writeNotices(metafile, outFile) {
  const parts = [];
  for (const dir of packageDirs(metafile)) {
    const manifest = join(dir, "package.json");
    if (!existsSync(manifest)) continue;
    const { name, version, license } = JSON.parse(readFileSync(manifest, "utf8"));
    const text = licenceText(dir) ?? `Licensed under ${license ?? "(no licence named)"}.`;
    parts.push(`${name}@${version} (${license ?? "unknown"})\n\n${text}\n`);
  }
  const header = "Third-party software bundled into stern-ts, with the notices of its licences.\n";
  writeFileSync(outFile, `${header}\n${parts.join(`\n${"-".repeat(78)}\n\n`)}`);
  return parts.length;
}
