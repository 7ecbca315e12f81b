// Label selectors as the API parses and matches them (apimachinery labels.Parse and Selector.Matches).
import { describe, expect, it } from "vitest";
import { LabelSelectorError, parseLabelSelector } from "../../../src/engine/label-selector.ts";

const matches = (selector: string, labels: Record<string, string> | undefined) =>
  parseLabelSelector(selector).matches(labels);

describe("parseLabelSelector", () => {
  it("equality, inequality and sets", () => {
    const web = { app: "web", tier: "front" };
    expect(matches("app=web", web)).toBe(true);
    expect(matches("app==web", web)).toBe(true);
    expect(matches("app = web , tier=front", web)).toBe(true);
    expect(matches("app=web,tier=back", web)).toBe(false);
    expect(matches("app!=web", web)).toBe(false);
    // != and notin hold where the key is missing, as in the API.
    expect(matches("env!=prod", web)).toBe(true);
    expect(matches("app in (api, web)", web)).toBe(true);
    expect(matches("app notin (api,web)", web)).toBe(false);
    expect(matches("env notin (prod)", web)).toBe(true);
    expect(matches("env in (prod)", web)).toBe(false);
  });

  it("existence, and numbers with > and <", () => {
    expect(matches("kail.ignore", { "kail.ignore": "true" })).toBe(true);
    expect(matches("!kail.ignore", { "kail.ignore": "true" })).toBe(false);
    expect(matches("!kail.ignore", undefined)).toBe(true);
    expect(matches("priority>5", { priority: "7" })).toBe(true);
    expect(matches("priority<5", { priority: "7" })).toBe(false);
    expect(matches("priority>5", { priority: "high" })).toBe(false);
  });

  it("prefixed keys and empty values; an empty selector matches everything", () => {
    expect(matches("topology.kubernetes.io/zone=a", { "topology.kubernetes.io/zone": "a" })).toBe(true);
    expect(matches("node-role.kubernetes.io/worker=", { "node-role.kubernetes.io/worker": "" })).toBe(true);
    expect(matches("", {})).toBe(true);
    expect(matches("a==", { a: "" })).toBe(true);
    expect(parseLabelSelector("a=1,!b").requirements).toEqual([
      { key: "a", op: "in", values: ["1"] },
      { key: "b", op: "!exists", values: [] },
    ]);
  });

  it.each([
    ["=a", 'expected a label key, found "="'],
    ["a b", "expected an operator (=, ==, !=, in, notin, >, <) or ',', found \"b\""],
    ["a in b", "expected '(' after in, found \"b\""],
    ["a in ()", "in needs at least one value"],
    ["a in (b c)", "expected ',' or ')', found \"c\""],
    ["a>x", '> needs an integer, not "x"'],
    ["Bad Key=1", "expected an operator (=, ==, !=, in, notin, >, <) or ',', found \"Key\""],
    ["-a=1", '"-a" is not a valid label key'],
    ["UPPER.example.com/x=1", '"UPPER.example.com/x" is not a valid label key'],
    [`a=${"v".repeat(64)}`, `"${"v".repeat(64)}" is not a valid label value`],
    ["a=1,", "expected a label key, found the end"],
  ])("%j is refused: %s", (selector, message) => {
    expect(() => parseLabelSelector(selector)).toThrow(new LabelSelectorError(message));
  });
});
