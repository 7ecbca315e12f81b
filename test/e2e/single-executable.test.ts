// The single executable (`npm run package`): built once for this file, copied alone to a directory of
// its own and run with no Node on PATH, against the simulated cluster.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execPluginKubeconfig } from "./exec-kubeconfig.ts";
import { e2eHarness } from "./harness.ts";
import { cleanEnv, headCommit, ROOT } from "./packaging.ts";
import { lines, runStern, type SpawnOptions } from "./stern-process.ts";

const { sim, freshNamespace, startStern } = e2eHarness({ namespacePrefix: "sea" });
const NAME = process.platform === "win32" ? "stern.exe" : "stern";
let dir: string;
let exe: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "stern-sea-"));
  execFileSync(process.execPath, [join(ROOT, "scripts", "package.mjs"), join(dir, "release")], {
    cwd: ROOT,
    env: cleanEnv(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  mkdirSync(join(dir, "alone"));
  mkdirSync(join(dir, "empty"));
  exe = join(dir, "alone", NAME);
  copyFileSync(join(dir, "release", NAME), exe);
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const alone = (): SpawnOptions => ({
  command: [exe],
  cwd: join(dir, "alone"),
  kubeconfig: sim.kubeconfigPath,
  env: { ...cleanEnv(), PATH: join(dir, "empty"), HOME: join(dir, "alone"), NODE_OPTIONS: undefined },
});

describe("the single executable", () => {
  it("comes with the licence notices of what it bundles", () => {
    const notices = readFileSync(join(dir, "release", "THIRD-PARTY-NOTICES.txt"), "utf8");
    expect(notices).toContain("@kubernetes/client-node@");
    expect(statSync(exe).size).toBeGreaterThan(10_000_000);
  });

  it("--version", async () => {
    const r = await runStern(["--version"], alone());
    expect(r.stderr).toBe("");
    const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    const [v, c, b] = lines(r.stdout);
    expect([v, c]).toEqual([`version: ${version}`, `commit: ${headCommit()}`]);
    expect(b).toMatch(/^built at: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it("--no-follow against the cluster", async () => {
    const ns = freshNamespace();
    sim.addPod({ namespace: ns, name: "web-1", containers: [{ name: "app" }] }).log("app", "one", "two");
    const r = await runStern(["-n", ns, "web", "--no-follow"], alone());
    expect(r).toEqual({
      code: 0,
      stdout: "web-1 app one\nweb-1 app two\n",
      stderr: "+ web-1 › app\n- web-1 › app\n",
    });
  });

  it("an exec credential plugin: the bundled @kubernetes/client-node at work", async () => {
    const ns = freshNamespace();
    sim.addPod({ namespace: ns, name: "web-1", containers: [{ name: "app" }] }).log("app", "via exec");
    const tokenFile = join(dir, "token");
    writeFileSync(tokenFile, sim.token);
    const r = await runStern(["web", "--no-follow"], {
      ...alone(),
      kubeconfig: execPluginKubeconfig(sim, tokenFile, ns),
    });
    expect(r.stdout).toBe("web-1 app via exec\n");
  });

  it("follows a pod replacement", async () => {
    const ns = freshNamespace();
    const dep = sim.addDeployment({ namespace: ns, name: "svc", containers: [{ name: "server" }] });
    const old = dep.pods[0]!;
    const r = startStern(["-n", ns, "svc"], alone());
    await r.waitFor(`+ ${old.name} › server`);
    const fresh = await dep.replacePod(old.name);
    await r.waitFor(`- ${old.name} › server`);
    await r.waitFor(`+ ${fresh.name} › server`);
    fresh.log("server", "hello from the new pod");
    await r.waitFor(`${fresh.name} server hello from the new pod`);
  });

  it("bad input: one line, exit 1", async () => {
    const r = await runStern(["web", "--since", "soon"], alone());
    expect(r.code).toBe(1);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/^Error: /);
  });
});
