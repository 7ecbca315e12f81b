import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FLAGS } from "../../../src/cli/flags.ts";
import { flagsMarkdown, replaceFlagsSection } from "../../../src/cli/flags-table.ts";

const read = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), "utf8");

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
