// The container image (Dockerfile: the single executable on distroless's cc image), built and run where
// a container engine answers; elsewhere skipped, saying why.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cleanEnv, ROOT } from "./packaging.ts";

const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };

/** The engine that answers, or why none does. */
function engine(): { cmd?: string; why: string } {
  const why: string[] = [];
  for (const cmd of ["docker", "podman"]) {
    const r = spawnSync(cmd, ["info"], { encoding: "utf8", timeout: 20_000 });
    if (r.status === 0) return { cmd, why: "" };
    const said = (r.error?.message ?? r.stderr).trim().split("\n").pop();
    why.push(`${cmd} info: ${said}`);
  }
  return { why: why.join("; ") };
}

const found = process.platform === "linux" ? engine() : { why: "images are Linux images" };
if (!found.cmd) console.warn(`container image test skipped: no container engine answers (${found.why})`);

describe.skipIf(!found.cmd)("the container image", () => {
  const cmd = found.cmd as string;
  const tag = `stern-ts-test:${process.pid}`;
  let dir: string | undefined;
  afterAll(() => {
    spawnSync(cmd, ["rmi", "-f", tag], { stdio: "ignore" });
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("runs the single executable: --version, --help", () => {
    dir = mkdtempSync(join(tmpdir(), "stern-image-"));
    execFileSync(process.execPath, [join(ROOT, "scripts", "package.mjs"), dir], {
      cwd: ROOT,
      env: cleanEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    execFileSync(cmd, ["build", "-f", join(ROOT, "Dockerfile"), "-t", tag, dir], { stdio: "pipe" });
    const v = execFileSync(cmd, ["run", "--rm", tag, "--version"], { encoding: "utf8" });
    expect(v.split("\n")[0]).toBe(`version: ${version}`);
    const h = execFileSync(cmd, ["run", "--rm", tag, "--help"], { encoding: "utf8" });
    expect(h.startsWith("Tail multiple pods and containers from Kubernetes\n")).toBe(true);
  }, 300_000);
});
