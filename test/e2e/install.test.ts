// The package as users get it: the work tree packed by npm (prepack builds it), the tarball installed
// with `npm install -g` into a prefix of its own, offline (it needs nothing else), and the installed
// `stern` and `kubectl stern` run from elsewhere, with no access to the checkout, against the simulated
// cluster: on exactly the lowest Node that engines.node allows, on the newest (the project's own), and
// an older Node gets one clear line.
import { execFileSync, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
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
  it("holds the built bundle and its types, bin/, README, the docs, CHANGELOG, LICENSE and package.json, and nothing else", () => {
    const unexpected = packed.files.filter(
      (f) =>
        ![
          "bin/stern",
          "bin/kubectl_complete-stern",
          "README.md",
          "CHANGELOG.md",
          "LICENSE",
          "package.json",
          "dist/THIRD-PARTY-NOTICES.txt",
        ].includes(f) &&
        !/^docs\/[\w-]+\.md$/.test(f) &&
        !/^dist\/(chunks\/)?[\w-]+\.mjs$/.test(f) &&
        !/^dist\/types\/([\w-]+\/)*[\w-]+\.d\.ts$/.test(f),
    );
    expect(unexpected).toEqual([]);
    expect(packed.files).toContain("dist/stern.mjs");
    // The client-node chunk makes most of it; a stray source map or test file would show here.
    expect(packed.size).toBeLessThan(1_500_000);
  });

  it("declares no install script, so that npm has nothing to warn about; the checkout keeps `prepare`", () => {
    const inside = JSON.parse(
      execFileSync("tar", ["-xzOf", packed.tarball, "package/package.json"], { encoding: "utf8" }),
    ) as { scripts: Record<string, string> };
    for (const s of ["preinstall", "install", "postinstall", "prepare"])
      expect(inside.scripts[s]).toBeUndefined();
    // postpack put the packed work tree's package.json back as it was.
    expect(readFileSync(join(dir, "src", "package.json"), "utf8")).toBe(
      readFileSync(join(ROOT, "package.json"), "utf8"),
    );
    expect(existsSync(join(dir, "src", "package.json.prepack-backup"))).toBe(false);
  });

  it("installs globally without a word on stderr (npm 11 warned about `prepare`)", () => {
    const r = spawnSync(
      "npm",
      [
        "install",
        "-g",
        "--prefix",
        join(dir, "quiet-prefix"),
        "--offline",
        "--no-audit",
        "--no-fund",
        packed.tarball,
      ],
      { cwd: dir, env: cleanEnv(), encoding: "utf8" },
    );
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^\s*added 1 package in /);
  });

  it("installs stern (also as stern-ts), kubectl-stern and kubectl_complete-stern as commands", () => {
    expect(existsSync(join(binDir, "stern"))).toBe(true);
    expect(existsSync(join(binDir, "stern-ts"))).toBe(true);
    expect(existsSync(join(binDir, "kubectl-stern"))).toBe(true);
    expect(existsSync(join(binDir, "kubectl_complete-stern"))).toBe(true);
  });

  it("stern-ts is the same program as stern", async () => {
    const node = nodes.get("newest") as string;
    const sternTs = await runStern(["--version"], as([join(binDir, "stern-ts")], node));
    expect(sternTs.code).toBe(0);
    expect(sternTs).toEqual(await runStern(["--version"], as([join(binDir, "stern")], node)));
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

        it("--help: cobra's help, -h/--help row included", async () => {
          const r = await runStern(["--help"], as(command(node()), node()));
          expect(r.stdout).toContain("\n  -h, --help ");
          expect(r.stdout).toContain('\n  -t, --timestamps string[="default"] ');
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

// kubectl 1.26 and later completes a plugin's arguments by running kubectl_complete-<plugin> from the
// PATH with the words after the plugin's name, and passes on what it prints.
for (const release of [MINIMUM, "newest"]) {
  describe.skipIf(skipKubectl)(`kubectl completes kubectl stern, on Node ${release}`, () => {
    const node = () => nodes.get(release) as string;
    const complete = (words: string[], noDesc = false) =>
      runStern([noDesc ? "__completeNoDesc" : "__complete", "stern", ...words], as([KUBECTL], node()));

    it("flags, with their descriptions, and cobra's directive", async () => {
      const r = await complete(["--no-f"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe("--no-follow\tExit when all logs have been shown.\n:4\n");
      expect((await complete(["--no-f"], true)).stdout).toBe("--no-follow\n:4\n");
      expect((await complete(["--color", ""])).stdout).toBe("auto\nalways\nnever\n:4\n");
    });

    it("namespaces and kind/name from the cluster", async () => {
      const ns = freshNamespace();
      sim.addDeployment({ namespace: ns, name: "shop", containers: [{ name: "app" }] });
      const r = await complete(["-n", ns]);
      expect(r.stdout).toBe(`${ns}\n:4\n`);
      const kinds = await complete(["-n", ns, "deploym"]);
      // "<kind>/" goes on without a space: NoSpace and NoFileComp.
      expect(kinds.stdout).toBe("deployment/\n:6\n");
      expect((await complete(["-n", ns, "deployment/"])).stdout).toBe("deployment/shop\n:4\n");
    });

    it("leaves a path to the shell: directive 0, no candidates", async () => {
      expect((await complete(["--kubeconfig", ""])).stdout).toBe(":0\n");
    });
  });
}

describe("as a library", () => {
  // The example of docs/library.md, as a user copies it.
  const example = () => {
    const doc = readFileSync(join(ROOT, "docs", "library.md"), "utf8");
    const code = /```ts\n([\s\S]*?)```/.exec(doc)?.[1];
    if (!code) throw new Error("docs/library.md has no ts example");
    return code;
  };
  let app: string;
  beforeAll(() => {
    app = join(dir, "app");
    mkdirSync(app);
    writeFileSync(
      join(app, "package.json"),
      JSON.stringify({
        name: "tail-web",
        type: "module",
        private: true,
        dependencies: { "stern-ts": `file:${packed.tarball}` },
      }),
    );
    execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", "--loglevel=error"], {
      cwd: app,
      env: cleanEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    writeFileSync(join(app, "tail.ts"), example());
    // Node's own types, as a TypeScript user of any Node library has them.
    symlinkSync(join(ROOT, "node_modules", "@types"), join(app, "node_modules", "@types"));
  }, 120_000);

  it("type-checks against the package's own declarations", () => {
    writeFileSync(
      join(app, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "es2023",
          module: "nodenext",
          moduleResolution: "nodenext",
          strict: true,
          noEmit: true,
          allowImportingTsExtensions: true,
          types: ["node"],
        },
        files: ["tail.ts"],
      }),
    );
    const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
    const r = spawnSync(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: app, encoding: "utf8" });
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
    // A wrong use is caught: the types are the package's, not any.
    writeFileSync(
      join(app, "wrong.ts"),
      'import { runStern } from "stern-ts";\nawait runStern({}, {}, 1);\n',
    );
    const config = JSON.parse(readFileSync(join(app, "tsconfig.json"), "utf8"));
    writeFileSync(join(app, "tsconfig.wrong.json"), JSON.stringify({ ...config, files: ["wrong.ts"] }));
    const wrong = spawnSync(process.execPath, [tsc, "-p", "tsconfig.wrong.json"], {
      cwd: app,
      encoding: "utf8",
    });
    expect(wrong.status).not.toBe(0);
    expect(wrong.stdout).toMatch(/wrong\.ts\(2,/);
  });

  it("embeds the engine: the example tails the simulated cluster its own way", async () => {
    const ns = freshNamespace();
    sim.addPod({ namespace: ns, name: "web-1", containers: [{ name: "app" }] }).log("app", "hello", "world");
    sim.addPod({ namespace: ns, name: "db-1", containers: [{ name: "app" }] }).log("app", "not this one");
    const kubeconfig = join(app, `kubeconfig-${ns}`);
    writeFileSync(
      kubeconfig,
      readFileSync(sim.kubeconfigPath, "utf8").replace(/namespace: .*/, `namespace: ${ns}`),
    );
    // Not spawnSync: the simulated cluster answers from this process.
    const r = await runStern([], {
      command: [process.execPath, "tail.ts"],
      cwd: app,
      env: { ...cleanEnv(), KUBECONFIG: kubeconfig },
    });
    expect(r.stderr).toBe("+ web-1 app\n- web-1 app (completed)\n");
    expect(r.stdout).toBe(
      '{"pod":"web-1","container":"app","line":"hello"}\n{"pod":"web-1","container":"app","line":"world"}\n',
    );
    expect(r.code).toBe(0);
  });
});

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
