import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { describe, expect, it } from "vitest";
import { FLAGS } from "../../../src/cli/flags.ts";
import { flagsMarkdown, replaceFlagsSection } from "../../../src/cli/flags-table.ts";

const ROOT = new URL("../../../", import.meta.url).pathname;
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");

describe("docs/flags.md", () => {
  const flags = read("docs/flags.md");
  it("has the flag table generated from the flag definitions (run npm run readme)", () => {
    expect(replaceFlagsSection(flags)).toBe(flags);
  });
  it("documents every visible flag", () => {
    const table = flagsMarkdown();
    for (const f of FLAGS.filter((x) => !x.hidden)) expect(table).toContain(`\`--${f.name}\``);
    expect(flags).toContain(table);
  });
  it("is linked from the README", () => {
    expect(read("README.md")).toContain("](docs/flags.md)");
  });
});

// The text of a Markdown file without its code: fenced blocks and inline code spans.
function prose(md: string): string {
  return md.replace(/^```[\s\S]*?^```/gm, "").replace(/`[^`\n]*`/g, "");
}

// The anchors GitHub makes for a file's headings: lower case, punctuation dropped, spaces as hyphens,
// -1, -2 ... for repeats.
function anchors(md: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const m of md.replace(/^```[\s\S]*?^```/gm, "").matchAll(/^#{1,6} +(.+?) *#*$/gm)) {
    const slug = m[1]!
      .replace(/`/g, "")
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, "")
      .replace(/ /g, "-");
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    out.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return out;
}

describe("the README and docs/", () => {
  const files = [
    "README.md",
    "CHANGELOG.md",
    ...readdirSync(join(ROOT, "docs"))
      .filter((f) => f.endsWith(".md"))
      .map((f) => `docs/${f}`),
  ].filter((f) => existsSync(join(ROOT, f)));

  it("link only to files and headings that exist", () => {
    const broken: string[] = [];
    for (const file of files) {
      for (const m of prose(read(file)).matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1]!;
        if (/^[a-z]+:/.test(target)) continue; // https:, mailto:
        const [path, anchor] = target.split("#", 2) as [string, string | undefined];
        const resolved = path === "" ? file : normalize(join(dirname(file), path));
        const full = join(ROOT, resolved);
        if (!existsSync(full)) {
          broken.push(`${file}: ${target} (no ${resolved})`);
          continue;
        }
        if (anchor !== undefined && statSync(full).isFile() && resolved.endsWith(".md")) {
          if (!anchors(read(resolved)).has(anchor)) broken.push(`${file}: ${target} (no heading #${anchor})`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it("keep the README under 20 KB", () => {
    expect(statSync(join(ROOT, "README.md")).size).toBeLessThan(20 * 1024);
  });
});
