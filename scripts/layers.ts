// The layers of src/ (.dependency-cruiser.cjs), checked with dependency-cruiser: `npm run lint:layers`.
//
// dependency-cruiser reads TypeScript through the typescript package, 2.x to 6.x only; with ours (7,
// the native compiler) it skips every .ts file and passes having read nothing. So it reads JavaScript
// instead: each file of src/ and sim/ with its types stripped by esbuild but every import kept (type-only
// ones as plain imports: a layer may not even name a type from above it), as <name>.ts.mjs in a
// temporary folder. The report names the real files.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { cruise, format, type ICruiseResult } from "dependency-cruiser";
import extractDepcruiseOptions from "dependency-cruiser/config-utl/extract-depcruise-options";
import { transform } from "esbuild";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** src/ and what it must not import but could (sim/): a file that is not copied cannot be caught. */
const COPIED = ["src", "sim"];
const MIRROR_EXT = ".mjs";

/** `import type {…}` and `export type {…} from` as plain imports, so that esbuild keeps them. */
function typeImportsAsImports(source: string): string {
  return source
    .replace(/\bimport\s+type\s+(?=[{*]|\w+\s+from\b)/g, "import ")
    .replace(/\bexport\s+type\s+(?=\{[^}]*\}\s*from\b)/g, "export ");
}

async function toJavaScript(source: string): Promise<string> {
  // verbatimModuleSyntax: imports are kept as written, used or not ({ type A } ones as `import "x"`).
  const { code } = await transform(typeImportsAsImports(source), {
    loader: "ts",
    format: "esm",
    tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
  });
  // ./x.ts is ./x.ts.mjs in the copy.
  return code.replace(/(["'])(\.{1,2}\/[^"']*\.ts)\1/g, `$1$2${MIRROR_EXT}$1`);
}

async function copyAsJavaScript(into: string): Promise<void> {
  for (const folder of COPIED) {
    const names = await readdir(join(ROOT, folder), { recursive: true });
    const sources = names.filter((n) => n.endsWith(".ts")).map((n) => join(folder, n));
    await Promise.all(
      sources.map(async (file) => {
        const target = join(into, file + MIRROR_EXT);
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, await toJavaScript(await readFile(join(ROOT, file), "utf8")));
      }),
    );
  }
}

/** What would make a clean report mean nothing: no imports read, or imports of files not in the copy. */
function unread(result: ICruiseResult): string[] {
  const local = result.modules.flatMap((m) =>
    m.dependencies.filter((d) => d.module.startsWith(".")).map((d) => ({ from: m.source, ...d })),
  );
  if (local.length === 0) return ["no import between our files was read"];
  return local
    .filter((d) => d.couldNotResolve)
    .map((d) => `${d.from} imports ${d.module}: no such file in ${COPIED.join("/ or ")}/`);
}

const realNames = (text: string) => text.replaceAll(`.ts${MIRROR_EXT}`, ".ts");

const mirror = await mkdtemp(join(tmpdir(), "stern-layers-"));
try {
  await copyAsJavaScript(mirror);
  const options = await extractDepcruiseOptions(join(ROOT, ".dependency-cruiser.cjs"));
  const { output } = await cruise(["src"], { ...options, baseDir: mirror });
  if (typeof output === "string")
    throw new Error("dependency-cruiser gave a report where a result was asked for");
  const result = output;
  const report = await format(result, { outputType: "err-long" });
  process.stdout.write(realNames(String(report.output)));
  const problems = unread(result);
  for (const p of problems) process.stdout.write(`  error not-read: ${realNames(p)}\n`);
  process.exitCode = report.exitCode > 0 || problems.length > 0 ? 1 : 0;
} finally {
  await rm(mirror, { recursive: true, force: true });
}
