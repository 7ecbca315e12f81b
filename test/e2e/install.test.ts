// The package as users get it: the work tree packed by npm (prepack builds it), the tarball installed
// with `npm install -g` into a prefix of its own, offline (it needs nothing else), and the installed
// `stern` and `kubectl stern` run from elsewhere, with no access to the checkout, against the simulated
// cluster: on exactly the lowest Node that engines.node allows, on the newest (the project's own), and
// an older Node gets one clear line.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { e2eHarness } from "./harness.ts";
import {
  cleanEnv,
  headCommit,
  installGlobal,
  nodeReleases,
  type Packed,
  packWorkTree,
  ROOT,
} from "./packaging.ts";
import { lines, runStern, type SpawnOptions } from "./stern-process.ts";

const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  version: string;
  engines: { node: string };
};
const MINIMUM = `${/>=\s*(\d+\.\d+)/.exec(manifest.engines.node)?.[1]}.0`;
const TOO_OLD = "22.18.0"; // the release just below the minimum
const KUBECTL = "/usr/bin/kubectl";
// As in the simulator's kubectl tests: CI has kubectl and must run these; elsewhere they may be skipped.
const skipKubectl = !existsSync(KUBECTL) && process.env.CI !== "true";
if (skipKubectl) console.warn(`install tests of kubectl stern skipped: ${KUBECTL} not found`);

const { sim, freshNamespace, startStern } = e2eHarness({ namespacePrefix: "inst" });
let dir: string;
let packed: Packed;
let binDir: string;
let nodes: Map<string, string>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "stern-install-"));
  packed = packWorkTree(dir);
  binDir = installGlobal(packed.tarball, join(dir, "prefix"));
  nodes = nodeReleases([MINIMUM, TOO_OLD]);
  nodes.set("newest", join(ROOT, "node_modules", "node", "bin"));
  mkdirSync(join(dir, "home"));
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** How a user runs it: the installed bin first on PATH, that Node next, run from an unrelated directory. */
function as(command: string[], node: string): SpawnOptions {
  return {
    command,
    cwd: join(dir, "home"),
    kubeconfig: sim.kubeconfigPath,
    env: {
      ...cleanEnv(),
      PATH: `${binDir}:${node}:/usr/bin:/bin`,
      HOME: join(dir, "home"),
      NODE_OPTIONS: undefined,
    },
  };
}

describe("the package", () => {
  it("holds the built bundle, bin/, README, LICENSE and package.json, and nothing else", () => {
    const unexpected = packed.files.filter(
      (f) =>
        !["bin/stern", "README.md", "LICENSE", "package.json", "dist/THIRD-PARTY-NOTICES.txt"].includes(f) &&
        !/^dist\/(chunks\/)?[\w-]+\.mjs$/.test(f),
    );
    expect(unexpected).toEqual([]);
    expect(packed.files).toContain("dist/stern.mjs");
    // The client-node chunk makes most of it; a stray source map or test file would show here.
    expect(packed.size).toBeLessThan(1_500_000);
  });

  it("installs stern and kubectl-stern as commands", () => {
    expect(existsSync(join(binDir, "stern"))).toBe(true);
    expect(existsSync(join(binDir, "kubectl-stern"))).toBe(true);
  });
});

const commands: [string, (node: string) => string[]][] = [
  ["stern", () => [join(binDir, "stern")]],
  ["kubectl stern", () => [KUBECTL, "stern"]],
];
for (const release of [MINIMUM, "newest"]) {
  describe(`installed, on Node ${release}`, () => {
    const node = () => nodes.get(release) as string;
    for (const [name, command] of commands) {
      describe.skipIf(name.startsWith("kubectl") && skipKubectl)(name, () => {
        it("--version: the package's version, the commit it was packed from, when", async () => {
          const r = await runStern(["--version"], as(command(node()), node()));
          expect(r.stderr).toBe("");
          const [v, c, b] = lines(r.stdout);
          expect(v).toBe(`version: ${manifest.version}`);
          expect(c).toBe(`commit: ${headCommit()}`);
          expect(b).toMatch(/^built at: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
          expect(Date.now() - Date.parse(b!.slice("built at: ".length))).toBeLessThan(3_600_000);
        });

        it("--help", async () => {
          const r = await runStern(["--help"], as(command(node()), node()));
          expect(r.code).toBe(0);
          expect(r.stdout).toMatch(
            /^Tail multiple pods and containers from Kubernetes\n\nUsage:\n {2}stern /,
          );
        });

        it("--no-follow prints what there is and exits", async () => {
          const ns = freshNamespace();
          const pod = sim.addPod({ namespace: ns, name: "web-1", containers: [{ name: "app" }] });
          pod.log("app", "one", "two");
          const r = await runStern(["-n", ns, "web", "--no-follow"], as(command(node()), node()));
          expect(r.code).toBe(0);
          expect(r.stdout).toBe("web-1 app one\nweb-1 app two\n");
        });

        it("follows a pod replacement: - for the old pod, + and lines for the new", async () => {
          const ns = freshNamespace();
          const dep = sim.addDeployment({ namespace: ns, name: "svc", containers: [{ name: "server" }] });
          const old = dep.pods[0]!;
          const r = startStern(["-n", ns, "svc"], as(command(node()), node()));
          await r.waitFor(`+ ${old.name} › server`);
          const fresh = await dep.replacePod(old.name);
          await r.waitFor(`- ${old.name} › server`);
          await r.waitFor(`+ ${fresh.name} › server`);
          fresh.log("server", "hello from the new pod");
          await r.waitFor(`${fresh.name} server hello from the new pod`);
        });
      });
    }
  });
}

describe("on a Node older than the minimum", () => {
  const expectOneLine = (r: Awaited<ReturnType<typeof runStern>>, version: string) => {
    expect(r).toEqual({
      code: 1,
      stdout: "",
      stderr: `stern: Node.js >= 22.19 is required (this is v${version})\n`,
    });
  };
  it(`Node ${TOO_OLD} gets one clear line`, async () => {
    const node = nodes.get(TOO_OLD) as string;
    expectOneLine(await runStern(["--version"], as([join(binDir, "stern")], node)), TOO_OLD);
  });
  const system = "/usr/bin/node";
  const systemVersion = existsSync(system)
    ? execFileSync(system, ["--version"], { encoding: "utf8" }).trim()
    : "";
  it.skipIf(!/^v(1\d|20|21)\./.test(systemVersion))(
    `the system's Node (${systemVersion || "none"}) too`,
    async () => {
      expectOneLine(
        await runStern(["-n", "x", "web"], as([join(binDir, "stern")], "/usr/bin")),
        systemVersion.slice(1),
      );
    },
  );
});

describe("npx", () => {
  it("npx <tarball> runs stern", async () => {
    const node = nodes.get("newest") as string;
    // A path starting with "/" would be taken for a command: the tarball is named relative to cwd. A cache
    // of its own: npx must not find an earlier run's install.
    const o = as(["npx", "--yes", `./${basename(packed.tarball)}`], node);
    const env = { ...o.env, PATH: `${node}:/usr/bin:/bin`, npm_config_cache: join(dir, "npx-cache") };
    const r = await runStern(["--version"], { ...o, cwd: dir, env });
    expect(r.stdout.split("\n")[0]).toBe(`version: ${manifest.version}`);
  });
});
