// npm run release [-- --repo https://github.com/<owner>/stern-ts]: the files of a release, named and
// laid out as stern's GoReleaser writes them, in release/dist/:
//
//   stern_<version>_<os>_<arch>.tar.gz   the single executable, LICENSE and the licence notices
//   stern_<version>_windows_<arch>.zip   the same, for Windows (stern ships both)
//   checksums.txt                        sha256 of every archive, "<hex>  <name>", sorted by name
//   stern-ts.yaml                        a krew plugin manifest (kubectl stern-ts), with --repo
//   stern-ts.rb                          a Homebrew formula, with --repo
//
// A single executable holds the Node binary of the machine that builds it, so this builds the archive
// of this machine's platform only (through scripts/package.mjs, into release/), and says which it
// cannot. Archives of other platforms, built there and copied into release/dist/, are taken in: the
// checksums, the manifest and the formula cover every archive present. The container image is built
// when a container engine answers (docker or podman), from Dockerfile and release/stern.
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const { version, description } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));

/** The platforms a release is for, in GoReleaser's names, and the Node platform that builds each. */
export const TARGETS = [
  { os: "linux", arch: "amd64", node: "linux-x64" },
  { os: "linux", arch: "arm64", node: "linux-arm64" },
  { os: "darwin", arch: "amd64", node: "darwin-x64" },
  { os: "darwin", arch: "arm64", node: "darwin-arm64" },
  { os: "windows", arch: "amd64", node: "win32-x64" },
];

export const archiveName = (os, arch, ext = "tar.gz") => `stern_${version}_${os}_${arch}.${ext}`;
const ARCHIVE = /^stern_(.+)_(linux|darwin|windows)_(\w+)\.(tar\.gz|zip)$/;

/** The archives of this version in dir, as { name, os, arch, ext }, in TARGETS' order. */
export function archivesIn(dir) {
  const found = readdirSync(dir)
    .map((name) => ({ name, m: ARCHIVE.exec(name) }))
    .filter(({ m }) => m !== null && m[1] === version)
    .map(({ name, m }) => ({ name, os: m[2], arch: m[3], ext: m[4] }));
  const rank = (a) => TARGETS.findIndex((t) => t.os === a.os && t.arch === a.arch);
  return found.sort((a, b) => rank(a) - rank(b) || a.ext.localeCompare(b.ext));
}

export const sha256 = (file) => createHash("sha256").update(readFileSync(file)).digest("hex");

/** GoReleaser's checksums.txt: "<sha256>  <name>\n" for each archive, sorted by name. */
export function checksums(dir) {
  return archivesIn(dir)
    .map((a) => a.name)
    .sort()
    .map((name) => `${sha256(join(dir, name))}  ${name}\n`)
    .join("");
}

const DESCRIPTION = `stern-ts tails the logs of many pods and containers at once, each line prefixed
with its pod and container in color: a clone of stern (the same flags, output
and colors) in TypeScript, that never loses a log line nor prints one twice.
The query is a regular expression on pod names; pods that come and go are
followed.
`;

/** The krew manifest for `kubectl stern-ts`, from the tar.gz archives present (stern's krew uses those). */
export function krewManifest(dir, repo) {
  const sums = new Map(
    checksums(dir)
      .trim()
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => l.split("  ").reverse()),
  );
  const platforms = archivesIn(dir)
    .filter((a) => a.ext === "tar.gz")
    .map(
      (a) => `    - bin: ${a.os === "windows" ? "stern.exe" : "stern"}
      uri: ${repo}/releases/download/v${version}/${a.name}
      sha256: ${sums.get(a.name)}
      selector:
        matchLabels:
          os: ${a.os}
          arch: ${a.arch}
`,
    );
  if (platforms.length === 0) throw new Error(`no tar.gz archive of version ${version} in ${dir}`);
  return `apiVersion: krew.googlecontainertools.github.com/v1alpha2
kind: Plugin
metadata:
  name: stern-ts
spec:
  version: v${version}
  platforms:
${platforms.join("")}  shortDescription: Multi pod and container log tailing (stern in TypeScript)
  homepage: ${repo}
  description: |
${DESCRIPTION.replace(/^/gm, "    ").trimEnd()}
  caveats: |
    This is "kubectl stern-ts"; the krew plugin "stern" is stern itself, and
    both can be installed.
`;
}

/** A Homebrew formula from the macOS and Linux archives present. */
export function brewFormula(dir, repo) {
  const block = (os, arch, cpu) => {
    const a = archivesIn(dir).find((x) => x.os === os && x.arch === arch && x.ext === "tar.gz");
    if (!a) return "";
    return `    if ${cpu}
      url "${repo}/releases/download/v${version}/${a.name}"
      sha256 "${sha256(join(dir, a.name))}"

      def install
        bin.install "stern"
      end
    end
`;
  };
  const mac =
    block("darwin", "amd64", "Hardware::CPU.intel?") + block("darwin", "arm64", "Hardware::CPU.arm?");
  const linux =
    block("linux", "amd64", "Hardware::CPU.intel? && Hardware::CPU.is_64_bit?") +
    block("linux", "arm64", "Hardware::CPU.arm? && Hardware::CPU.is_64_bit?");
  if (mac === "" && linux === "")
    throw new Error(`no macOS or Linux archive of version ${version} in ${dir}`);
  return `# typed: false
# frozen_string_literal: true

class SternTs < Formula
  desc "${description.replaceAll('"', '\\"')}"
  homepage "${repo}"
  version "${version}"
  license "Apache-2.0"
  conflicts_with "stern", because: "both install a \`stern\` executable"
${mac ? `\n  on_macos do\n${mac}  end\n` : ""}${linux ? `\n  on_linux do\n${linux}  end\n` : ""}
  test do
    assert_match "version: ${version}", shell_output("#{bin}/stern --version")
  end
end
`;
}

const hostTarget = () => {
  const node = `${process.platform}-${process.arch}`;
  return TARGETS.find((t) => t.node === node);
};

/** The container engine that answers, if any (docker or podman). */
function containerEngine() {
  for (const cmd of ["docker", "podman"]) {
    const r = spawnSync(cmd, ["info"], { stdio: "ignore", timeout: 20_000 });
    if (r.status === 0) return cmd;
  }
  return undefined;
}

function main(argv) {
  const repoAt = argv.indexOf("--repo");
  const repo = repoAt >= 0 ? argv[repoAt + 1]?.replace(/\/+$/, "") : undefined;
  const outAt = argv.indexOf("--out");
  const release = outAt >= 0 ? argv[outAt + 1] : join(ROOT, "release");
  const dist = join(release, "dist");
  mkdirSync(dist, { recursive: true });
  const say = (line) => process.stdout.write(`${line}\n`);

  const host = hostTarget();
  if (!host) {
    say(`not built: this machine (${process.platform}-${process.arch}) is none of the release's platforms`);
  } else {
    execFileSync(process.execPath, [join(ROOT, "scripts", "package.mjs"), release], {
      cwd: ROOT,
      stdio: ["ignore", "ignore", "inherit"],
    });
    const exe = host.os === "windows" ? "stern.exe" : "stern";
    const stage = mkdtempSync(join(tmpdir(), "stern-release-"));
    try {
      // GoReleaser's archives hold their files at the top, no folder around them.
      for (const f of [exe, "THIRD-PARTY-NOTICES.txt"]) copyFileSync(join(release, f), join(stage, f));
      copyFileSync(join(ROOT, "LICENSE"), join(stage, "LICENSE"));
      const files = [exe, "LICENSE", "THIRD-PARTY-NOTICES.txt"];
      const exts = host.os === "windows" ? ["tar.gz", "zip"] : ["tar.gz"];
      for (const ext of exts) {
        const archive = join(dist, archiveName(host.os, host.arch, ext));
        rmSync(archive, { force: true });
        // -a: bsdtar (macOS, Windows) picks the format from the name; GNU tar (Linux) makes only tar.gz here.
        const flags = ext === "zip" ? ["-a", "-cf"] : ["-czf"];
        execFileSync("tar", [...flags, archive, "-C", stage, ...files]);
        say(`built: ${archive}`);
      }
    } finally {
      rmSync(stage, { recursive: true, force: true });
    }
  }
  for (const t of TARGETS) {
    if (t === host || existsSync(join(dist, archiveName(t.os, t.arch)))) continue;
    say(
      `not built: ${archiveName(t.os, t.arch)}${t.os === "windows" ? " and .zip" : ""} (a single executable ` +
        `holds the Node of the machine that builds it: run this on ${t.node} and copy the archive into ${dist})`,
    );
  }

  writeFileSync(join(dist, "checksums.txt"), checksums(dist));
  say(`written: ${join(dist, "checksums.txt")} (${archivesIn(dist).length} archives)`);
  if (repo) {
    writeFileSync(join(dist, "stern-ts.yaml"), krewManifest(dist, repo));
    writeFileSync(join(dist, "stern-ts.rb"), brewFormula(dist, repo));
    say(`written: ${join(dist, "stern-ts.yaml")} (krew) and ${join(dist, "stern-ts.rb")} (Homebrew)`);
  } else {
    say("not written: the krew manifest and the Homebrew formula need --repo <https URL of the repository>");
  }

  const engine = host?.os === "linux" ? containerEngine() : undefined;
  if (engine) {
    const tag = `stern-ts:${version}`;
    execFileSync(engine, ["build", "-f", join(ROOT, "Dockerfile"), "-t", tag, release], { stdio: "inherit" });
    say(`built: container image ${tag} (${engine})`);
  } else {
    say(
      host?.os === "linux"
        ? "not built: the container image (no container engine answers: docker info and podman info fail)"
        : "not built: the container image (it is made on linux-x64 or linux-arm64)",
    );
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
