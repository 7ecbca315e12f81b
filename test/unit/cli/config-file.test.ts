// Which config file is read: STERNCONFIG, --config, $XDG_CONFIG_HOME/stern/config.yaml, then stern's
// ~/.config/stern/config.yaml.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseArgs } from "../../../src/cli/args.ts";
import { applyConfigFile } from "../../../src/cli/config-file.ts";

let dir: string;
let home: string;
let xdg: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "stern-config-"));
  home = join(dir, "home");
  xdg = join(dir, "xdg");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(path: string, text: string): string {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text);
  return path;
}
const homeFile = () => join(home, ".config", "stern", "config.yaml");
const xdgFile = () => join(xdg, "stern", "config.yaml");

/** The --tail the config gives (-1 when no file is read). */
function tail(argv: string[], env: NodeJS.ProcessEnv): number {
  const args = parseArgs(argv);
  applyConfigFile(args, { HOME: home, ...env });
  return args.values.tail;
}

describe("the config file's place", () => {
  it("reads $XDG_CONFIG_HOME/stern/config.yaml when XDG_CONFIG_HOME is set, before ~/.config", () => {
    write(homeFile(), "tail: 1\n");
    write(xdgFile(), "tail: 2\n");
    expect(tail([], { XDG_CONFIG_HOME: xdg })).toBe(2);
    expect(tail([], {})).toBe(1);
  });

  it("still reads ~/.config/stern/config.yaml when the XDG one is absent", () => {
    write(homeFile(), "tail: 1\n");
    expect(tail([], { XDG_CONFIG_HOME: xdg })).toBe(1);
    expect(tail([], { XDG_CONFIG_HOME: join(dir, "nothing-here") })).toBe(1);
  });

  it("reads no file at all when neither is there", () => {
    expect(tail([], { XDG_CONFIG_HOME: xdg })).toBe(-1);
  });

  it("ignores a relative XDG_CONFIG_HOME, as the XDG spec says", () => {
    write(homeFile(), "tail: 1\n");
    write(join(process.cwd(), "rel-xdg-test-dir", "stern", "config.yaml"), "tail: 3\n");
    try {
      expect(tail([], { XDG_CONFIG_HOME: "rel-xdg-test-dir" })).toBe(1);
    } finally {
      rmSync(join(process.cwd(), "rel-xdg-test-dir"), { recursive: true, force: true });
    }
  });

  it("--config and STERNCONFIG win over the XDG file", () => {
    write(xdgFile(), "tail: 2\n");
    const other = write(join(dir, "other.yaml"), "tail: 5\n");
    const env = write(join(dir, "env.yaml"), "tail: 6\n");
    expect(tail(["--config", other], { XDG_CONFIG_HOME: xdg })).toBe(5);
    expect(tail([], { XDG_CONFIG_HOME: xdg, STERNCONFIG: env })).toBe(6);
  });

  it("names the XDG file in its errors", () => {
    write(xdgFile(), "tail: [1, 2]\n");
    expect(() => tail([], { XDG_CONFIG_HOME: xdg })).toThrow(
      `config file ${xdgFile()}: "tail" takes one value, not a list`,
    );
  });
});
