// A release (scripts/release.mjs), as GoReleaser lays out stern's: this machine's archive built (the
// single executable, LICENSE, the notices), an archive from "another machine" taken in, checksums.txt
// as sha256sum checks it, the krew manifest and the Homebrew formula made from the archives present,
// and a clear word on what could not be built here.
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { load } from "js-yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanEnv, ROOT } from "./packaging.ts";
import { lines, runStern } from "./stern-process.ts";

const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
const REPO = "https://example.invalid/owner/stern-ts";
const HOST = `${process.platform}-${process.arch}`;
// What this file checks is built on Linux (GNU tar, sha256sum); elsewhere the script is the same.
const onLinuxX64 = HOST === "linux-x64";
const OWN = `stern_${version}_linux_amd64.tar.gz`;
const OTHER = `stern_${version}_darwin_arm64.tar.gz`;

let dir: string;
let dist: string;
let said: string[];

const sha256 = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

beforeAll(() => {
  if (!onLinuxX64) return;
  dir = mkdtempSync(join(tmpdir(), "stern-release-"));
  dist = join(dir, "release", "dist");
  // An archive built on another machine, copied in before the run.
  const other = join(dir, "other");
  mkdirSync(other);
  writeFileSync(join(other, "stern"), "#!/bin/sh\necho not this machine's\n");
  chmodSync(join(other, "stern"), 0o755);
  mkdirSync(dist, { recursive: true });
  execFileSync("tar", ["-czf", join(dist, OTHER), "-C", other, "stern"]);
  const out = execFileSync(
    process.execPath,
    [join(ROOT, "scripts", "release.mjs"), "--out", join(dir, "release"), "--repo", REPO],
    { cwd: ROOT, env: cleanEnv(), encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
  );
  said = lines(out);
}, 180_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!onLinuxX64)("npm run release", () => {
  it("says what it built and what it cannot build here", () => {
    expect(said).toContain(`built: ${join(dist, OWN)}`);
    for (const name of [
      `stern_${version}_linux_arm64.tar.gz`,
      `stern_${version}_darwin_amd64.tar.gz`,
      `stern_${version}_windows_amd64.tar.gz and .zip`,
    ]) {
      expect(said.some((l) => l.startsWith(`not built: ${name} (`))).toBe(true);
    }
    // The archive copied in is not asked for again.
    expect(said.some((l) => l.includes("darwin_arm64"))).toBe(false);
    expect(said.some((l) => /^(not )?built: the container image|^built: container image/.test(l))).toBe(true);
  });

  it("archives the executable, LICENSE and the notices at the top, as GoReleaser does", async () => {
    const listed = execFileSync("tar", ["-tzf", join(dist, OWN)], { encoding: "utf8" });
    expect(lines(listed).sort()).toEqual(["LICENSE", "THIRD-PARTY-NOTICES.txt", "stern"]);
    const x = join(dir, "extracted");
    mkdirSync(x);
    execFileSync("tar", ["-xzf", join(dist, OWN), "-C", x]);
    expect(statSync(join(x, "stern")).mode & 0o111).toBe(0o111);
    expect(readFileSync(join(x, "LICENSE"), "utf8")).toBe(readFileSync(join(ROOT, "LICENSE"), "utf8"));
    const r = await runStern(["--version"], { command: [join(x, "stern")], env: { PATH: "/nonexistent" } });
    expect(lines(r.stdout)[0]).toBe(`version: ${version}`);
  });

  it("writes checksums.txt that sha256sum checks, one line per archive, by name", () => {
    const text = readFileSync(join(dist, "checksums.txt"), "utf8");
    expect(text).toBe(`${sha256(join(dist, OTHER))}  ${OTHER}\n${sha256(join(dist, OWN))}  ${OWN}\n`);
    const check = spawnSync("sha256sum", ["-c", "checksums.txt"], { cwd: dist, encoding: "utf8" });
    expect(check.status).toBe(0);
    expect(lines(check.stdout).sort()).toEqual([`${OTHER}: OK`, `${OWN}: OK`]);
  });

  it("makes the krew manifest of kubectl stern-ts from the archives present", () => {
    const m = load(readFileSync(join(dist, "stern-ts.yaml"), "utf8")) as {
      apiVersion: string;
      kind: string;
      metadata: { name: string };
      spec: {
        version: string;
        homepage: string;
        shortDescription: string;
        description: string;
        platforms: { bin: string; uri: string; sha256: string; selector: { matchLabels: object } }[];
      };
    };
    expect([m.apiVersion, m.kind, m.metadata.name]).toEqual([
      "krew.googlecontainertools.github.com/v1alpha2",
      "Plugin",
      "stern-ts",
    ]);
    expect(m.spec.version).toBe(`v${version}`);
    expect(m.spec.homepage).toBe(REPO);
    expect(m.spec.shortDescription.length).toBeGreaterThan(0);
    expect(m.spec.platforms).toEqual([
      {
        bin: "stern",
        uri: `${REPO}/releases/download/v${version}/${OWN}`,
        sha256: sha256(join(dist, OWN)),
        selector: { matchLabels: { os: "linux", arch: "amd64" } },
      },
      {
        bin: "stern",
        uri: `${REPO}/releases/download/v${version}/${OTHER}`,
        sha256: sha256(join(dist, OTHER)),
        selector: { matchLabels: { os: "darwin", arch: "arm64" } },
      },
    ]);
  });

  it("makes the Homebrew formula from the archives present, in conflict with stern's", () => {
    const rb = readFileSync(join(dist, "stern-ts.rb"), "utf8");
    expect(rb).toMatch(/^class SternTs < Formula$/m);
    expect(rb).toContain(`version "${version}"`);
    expect(rb).toContain('conflicts_with "stern"');
    for (const [name, block] of [
      [OWN, "on_linux"],
      [OTHER, "on_macos"],
    ] as const) {
      const at = rb.indexOf(`url "${REPO}/releases/download/v${version}/${name}"`);
      expect(at).toBeGreaterThan(rb.indexOf(`${block} do`));
      expect(rb.slice(at).split("\n")[1]?.trim()).toBe(`sha256 "${sha256(join(dist, name))}"`);
    }
    const ruby = spawnSync("ruby", ["-c", join(dist, "stern-ts.rb")], { encoding: "utf8" });
    if (ruby.error === undefined) expect(ruby.stdout).toBe("Syntax OK\n");
  });
});

it.skipIf(onLinuxX64)("notes that the release is checked on linux-x64 only", () => {
  console.info(`release test: skipped on ${HOST} (the script is run and checked on linux-x64)`);
});
