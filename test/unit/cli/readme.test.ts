import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FLAGS } from "../../../src/cli/flags.ts";
import { flagsMarkdown, replaceFlagsSection } from "../../../src/cli/flags-table.ts";

describe("README", () => {
  const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");
  it("has the flag table generated from the flag definitions (run npm run readme)", () => {
    expect(replaceFlagsSection(readme)).toBe(readme);
  });
  it("documents every visible flag", () => {
    const table = flagsMarkdown();
    for (const f of FLAGS.filter((x) => !x.hidden)) expect(table).toContain(`\`--${f.name}\``);
    expect(readme).toContain(table);
  });
});
