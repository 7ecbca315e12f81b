import { describe, expect, it } from "vitest";
import { compileGoRegex } from "../../src/util/goregex.ts";

describe("compileGoRegex", () => {
  const cases: [string, string, boolean][] = [
    ["web-\\w", "web-backend", true],
    ["web-\\w", "web-123", true],
    ["web-\\w", "web-", false],
    ["^web$", "web", true],
    ["^web$", "web-1", false],
    ["(?i)WEB", "my-web-1", true],
    ["(?i)^WEB", "my-web", false],
    ["(?P<app>api)-\\d+", "api-12", true],
    ["\\Aapi", "api-1", true],
    ["\\Aapi", "my-api", false],
    ["api\\z", "my-api", true],
    ["api\\z", "api-1", false],
    ["\\Q.+\\E", "a.+b", true],
    ["\\Q.+\\E", "aab", false],
    ["[[:digit:]]+x", "ab12x", true],
    ["[[:alpha:]]{3}", "12ab3", false],
    ["[^[:space:]]", " ", false],
    ["[]a]", "]", true],
    ["\\pL+", "é", true],
    [".*", "", true],
    ["", "anything", true],
  ];
  it.each(cases)("%s on %s -> %s", (re, text, match) => {
    expect(compileGoRegex(re).test(text)).toBe(match);
  });

  it.each([
    ["(", "Unterminated group"],
    ["a[", "Unterminated character class"],
    ["(?U)a", "(?U)"],
    ["[[:nope:]]", "[:nope:]"],
    ["a\\", "trailing backslash"],
  ])("rejects %s", (re, why) => {
    expect(() => compileGoRegex(re)).toThrow(why);
  });
});
