// Shell completion end to end: cobra's scripts (what `stern --completion` prints) loaded into a real
// bash (with the bash-completion package they need, as stern's do), zsh and fish, calling the real
// bin/stern (`stern __complete`) against the simulated cluster.
import { execFile, execFileSync, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { completionScript } from "../../src/cli/completion.ts";
import { e2eHarness } from "./harness.ts";
import { runStern } from "./stern-process.ts";

const BIN = fileURLToPath(new URL("../../bin/stern", import.meta.url));
const BASH = "/bin/bash";
// cobra's bash script needs the bash-completion package (_get_comp_words_by_ref); .ci/run installs it.
const BASH_COMPLETION = "/usr/share/bash-completion/bash_completion";
const hasBash = existsSync(BASH) && existsSync(BASH_COMPLETION);
if (!hasBash) console.warn(`bash completion tests skipped: ${BASH} or ${BASH_COMPLETION} not found`);
const which = (cmd: string): string | undefined => {
  try {
    return execFileSync("sh", ["-c", `command -v ${cmd}`], { encoding: "utf8" }).trim() || undefined;
  } catch {
    return undefined;
  }
};

const { sim } = e2eHarness({
  sim: {
    namespaces: ["default", "other", "third"],
    contexts: [
      { name: "sim", namespace: "default" },
      { name: "staging", namespace: "other" },
    ],
  },
});
let dir: string;

beforeAll(() => {
  sim.addDeployment({ name: "web", containers: [{ name: "app" }], nodeNames: ["node-a"] });
  sim.addDeployment({ name: "api", containers: [{ name: "app" }], nodeNames: ["node-b"] });
  sim.addDeployment({ namespace: "other", name: "worker", containers: [{ name: "app" }] });
  sim.addPod({ name: "solo", containers: [{ name: "app" }], nodeName: "node-a" });
  sim.addStatefulSet({ name: "db", containers: [{ name: "pg" }], nodeNames: ["node-a"] });
  sim.addCronJob({ name: "nightly", containers: [{ name: "job" }], nodeNames: ["node-a"] });
  sim.addService({ name: "front", selector: { app: "web" } });

  dir = mkdtempSync(join(tmpdir(), "stern-completion-"));
  // `stern` on PATH is the product under test, run by the Node that runs the tests.
  writeFileSync(join(dir, "stern"), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  chmodSync(join(dir, "stern"), 0o755);
  for (const shell of ["bash", "zsh", "fish"] as const) {
    writeFileSync(join(dir, `stern.${shell}`), completionScript(shell));
  }
  // Sources bash-completion and the script, then plays bash's part: COMP_* set as bash sets them, the
  // registered function called as bash calls it; prints COMPREPLY, and the compopt calls as
  // "#compopt ..." (the script calls compopt only when \`type -t compopt\` says it is the builtin).
  writeFileSync(
    join(dir, "drive.bash"),
    `source ${BASH_COMPLETION}
source "$1"; shift
compopt() { printf '#compopt %s\\n' "$*"; }
type() { if [[ $1 == -t && $2 == compopt ]]; then echo builtin; else builtin type "$@"; fi; }
spec=$(complete -p stern) || exit 3
fn=\${spec##*-F }; fn=\${fn%% *}
COMP_LINE=$1 COMP_POINT=$2; shift 2
COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
COMP_TYPE=9 COMP_KEY=9
"$fn" stern "\${COMP_WORDS[COMP_CWORD]}" "\${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\\n' "\${COMPREPLY[@]}"
`,
  );
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** COMP_WORDS as bash makes them: blanks separate words, and runs of '=' or ':' are words of their own. */
function compWords(line: string): string[] {
  const words: string[] = [];
  for (const token of line.split(/[ \t]+/).filter((t) => t !== "")) {
    words.push(...token.split(/([=:]+)/).filter((p) => p !== ""));
  }
  if (line === "" || /[ \t]$/.test(line)) words.push("");
  return words;
}

interface Tab {
  replies: string[];
  compopt: string[];
  stderr: string;
}

/** Presses TAB at `point` (default: the end) of `line` in bash. */
function tab(line: string, o: { point?: number; env?: Record<string, string> } = {}): Promise<Tab> {
  const point = o.point ?? line.length;
  const words = compWords(line.slice(0, point));
  // The current word extends past the cursor, as bash gives it.
  const after = /^[^ \t=:]*/.exec(line.slice(point))?.[0] ?? "";
  const all = compWords(line);
  const cword = words.length - 1;
  const compWordsFull = [...words.slice(0, cword), (words[cword] ?? "") + after, ...all.slice(cword + 1)];
  // bash calls the function with COMP_CWORD pointing into the full list: pass the full list and cut.
  const args = [join(dir, "stern.bash"), line, String(point), ...compWordsFull.slice(0, cword + 1)];
  const env = {
    PATH: `${dir}:${process.env.PATH ?? ""}`,
    HOME: dir,
    KUBECONFIG: sim.kubeconfigPath,
    ...o.env,
  };
  return new Promise((resolve, reject) => {
    execFile(BASH, [join(dir, "drive.bash"), ...args], { env, timeout: 10_000 }, (err, stdout, stderr) => {
      if (err) {
        reject(new Error(`${err.message}\n${stderr}`));
        return;
      }
      const out = stdout.split("\n").filter((l) => l !== "");
      resolve({
        replies: out.filter((l) => !l.startsWith("#compopt ")).sort(),
        compopt: out.filter((l) => l.startsWith("#compopt ")).map((l) => l.slice(9)),
        stderr,
      });
    });
  });
}

const replies = async (line: string, o?: Parameters<typeof tab>[1]) => (await tab(line, o)).replies;

describe.skipIf(!hasBash)("bash completion", () => {
  it("completes flags", async () => {
    expect(await replies("stern --col")).toEqual(["--color"]);
    expect(await replies("stern --no-f")).toEqual(["--no-follow"]);
    expect(await replies("stern -")).toContain("--namespace");
    expect(await replies("stern -")).toContain("-n");
  });

  it("completes fixed values, also after '='", async () => {
    expect(await replies("stern --color ")).toEqual(["always", "auto", "never"]);
    expect(await replies("stern -o j")).toEqual(["json"]);
    expect(await replies("stern --completion ")).toEqual(["bash", "fish", "powershell", "zsh"]);
    // bash split "--color=al" into "--color" "=" "al": the reply replaces "al" only.
    expect(await replies("stern --color=al")).toEqual(["always"]);
    // Right after "=", bash replaces what follows the "=" (nothing yet).
    expect(await replies("stern --color=")).toEqual(["always", "auto", "never"]);
    expect(await replies("stern --timestamps=")).toEqual(["default", "short"]);
  });

  it("shows flags with their descriptions, fitted to the terminal's width", async () => {
    const t = await replies("stern --container", { env: { COLUMNS: "60" } });
    expect(t).toEqual([
      "--container         (Container name when multiple containe…)",
      "--container-colors  (Specifies the colors used to highligh…)",
      "--container-state   (Tail containers with state in running…)",
    ]);
    // One candidate: put in as it is, without its description.
    expect(await replies("stern --container-s", { env: { COLUMNS: "60" } })).toEqual(["--container-state"]);
  });

  it("completes namespaces, contexts and nodes from the cluster", async () => {
    expect(await replies("stern -n ")).toEqual(["default", "other", "third"]);
    expect(await replies("stern --namespace=o")).toEqual(["other"]);
    expect(await replies("stern --context ")).toEqual(["sim", "staging"]);
    // node-1: the sim's default node for the "worker" deployment's pod.
    expect(await replies("stern --node ")).toEqual(["node-1", "node-a", "node-b"]);
  });

  it("completes kinds, then object names in the namespace of the line", async () => {
    const t = await tab("stern deploy");
    expect(t.replies).toEqual(["deploy/", "deployment/"]);
    expect(await replies("stern ")).toContain("pod/");
    expect(await replies("stern deployment/")).toEqual(["deployment/api", "deployment/web"]);
    expect(await replies("stern deploy/w")).toEqual(["deploy/web"]);
    expect(await replies("stern -n other deployment/")).toEqual(["deployment/worker"]);
    expect(await replies("stern --context staging deployment/")).toEqual(["deployment/worker"]);
    expect(await replies("stern pod/so")).toEqual(["pod/solo"]);
    expect(await replies("stern sts/")).toEqual(["sts/db"]);
    expect(await replies("stern cronjob/")).toEqual(["cronjob/nightly"]);
    expect(await replies("stern svc/f")).toEqual(["svc/front"]);
    // A kind the cluster does not serve (404): nothing, and no file names either.
    sim.faults.failNext({ path: "/apis/apps/v1/namespaces/default/daemonsets", status: 404 });
    const ds = await tab("stern ds/");
    expect(ds.replies).toEqual([]);
    expect(ds.compopt).toContain("+o default");
    // One candidate ending in "/": no space after it.
    expect((await tab("stern deployme")).compopt).toContain("-o nospace");
  });

  it("completes the word under the cursor, not the end of the line", async () => {
    const line = "stern --col --no-follow";
    expect(await replies(line, { point: "stern --col".length })).toEqual(["--color"]);
  });

  it("leaves path flags to bash's file completion", async () => {
    const t = await tab("stern --kubeconfig ");
    expect(t.replies).toEqual([]);
    expect(t.compopt).toEqual([]);
    // ...and turns file names off when there is nothing to offer.
    expect((await tab("stern --since ")).compopt).toContain("+o default");
  });

  it("prints nothing, quickly, when the cluster cannot be reached", async () => {
    const t0 = Date.now();
    const missing = { KUBECONFIG: join(dir, "no-such-kubeconfig") };
    expect(await replies("stern -n ", { env: missing })).toEqual([]);
    const down = join(dir, "down.kubeconfig");
    sim.writeKubeconfig(down);
    const text = readFileSync(down, "utf8");
    writeFileSync(down, text.replace(/server: .*/, "server: https://127.0.0.1:1"));
    expect(await replies("stern -n ", { env: { KUBECONFIG: down } })).toEqual([]);
    expect(await replies("stern deployment/", { env: { KUBECONFIG: down } })).toEqual([]);
    expect(Date.now() - t0).toBeLessThan(8000);
  });

  it("gives up on a server that does not answer, after about 3 s", async () => {
    sim.faults.delay({ path: "/api/v1/nodes", ms: 20_000 });
    try {
      const t0 = Date.now();
      const t = await tab("stern --node ");
      expect(t.replies).toEqual([]);
      expect(t.compopt).toContain("+o default");
      expect(Date.now() - t0).toBeGreaterThan(2500);
      expect(Date.now() - t0).toBeLessThan(6000);
    } finally {
      sim.faults.clear();
    }
  });
});

// The real thing: an interactive bash on a pseudo-terminal (util-linux `script`), keys typed, TAB
// pressed, and the edited line read back through a key bound to print $READLINE_LINE.
const SCRIPT = which("script");
describe.skipIf(!hasBash || !SCRIPT)("bash completion at a terminal", () => {
  it("edits the line as a user sees it", async () => {
    const rc = join(dir, "rc.bash");
    const dump = join(dir, "lines.txt");
    writeFileSync(
      rc,
      `source ${BASH_COMPLETION}
source "${join(dir, "stern.bash")}"
bind -x '"\\C-t": printf "<%s>\\n" "$READLINE_LINE" >> "${dump}"'
PS1='READY$ '
`,
    );
    const typed = [
      "stern --color=al",
      "stern -n th",
      "stern deployme",
      "stern deployment/w",
      "stern --context=stag",
      "stern --timez",
    ];
    const child = spawn(SCRIPT as string, ["-qfc", `${BASH} --noprofile --rcfile ${rc} -i`, "/dev/null"], {
      env: {
        ...process.env,
        PATH: `${dir}:${process.env.PATH ?? ""}`,
        HOME: dir,
        KUBECONFIG: sim.kubeconfigPath,
      },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    const until = async (ok: () => boolean, what: string) => {
      for (const t0 = Date.now(); !ok(); await new Promise((r) => setTimeout(r, 50))) {
        if (Date.now() - t0 > 10_000) throw new Error(`timed out waiting for ${what}; terminal:\n${out}`);
      }
    };
    const dumped = () =>
      existsSync(dump)
        ? readFileSync(dump, "utf8")
            .split("\n")
            .filter((l) => l)
        : [];
    try {
      // Keys typed before readline owns the terminal would meet the line discipline instead.
      await until(() => out.includes("READY$ "), "the prompt");
      // TAB, then ^T (print the line), then ^U (clear it): readline runs them in order.
      child.stdin.write(typed.map((l) => `${l}\t\x14\x15`).join(""));
      await until(() => dumped().length >= typed.length, "the edited lines");
      expect(dumped()).toEqual([
        "<stern --color=always >",
        "<stern -n third >",
        "<stern deployment/>",
        "<stern deployment/web >",
        "<stern --context=staging >",
        "<stern --timezone >",
      ]);
    } finally {
      child.stdin.end("exit\n");
      child.kill();
    }
  });
});

describe("stern __complete", () => {
  it("exits 0 with no candidates, and no file names, when there is no kubeconfig", async () => {
    const r = await runStern(["__complete", "-n", ""], {
      env: { KUBECONFIG: join(dir, "nope"), HOME: dir },
    });
    expect(r).toEqual({
      code: 0,
      stdout: ":4\n",
      stderr: "Completion ended with directive: ShellCompDirectiveNoFileComp\n",
    });
  });

  it("answers one candidate per line, then cobra's directive", async () => {
    const r = await runStern(["__complete", "deployment/"], { kubeconfig: sim.kubeconfigPath });
    expect(r.code).toBe(0);
    const out = r.stdout.split("\n");
    expect(out.slice(-2)).toEqual([":4", ""]);
    expect(out.slice(0, -2).sort()).toEqual(["deployment/api", "deployment/web"]);
  });

  it("gives flags with their descriptions, and without for __completeNoDesc", async () => {
    const r = await runStern(["__complete", "--no-f"], { kubeconfig: sim.kubeconfigPath });
    expect(r.stdout).toBe("--no-follow\tExit when all logs have been shown.\n:4\n");
    const n = await runStern(["__completeNoDesc", "--no-f"], { kubeconfig: sim.kubeconfigPath });
    expect(n.stdout).toBe("--no-follow\n:4\n");
  });
});

// zsh, for real: an interactive zsh on a pseudo-terminal (its zpty module), compinit, the script
// sourced, keys typed; a key bound to a widget appends the edited line to a file.
const ZSH_DRIVER = `zmodload zsh/zpty || exit 3
dir=$1 dump=$2 want=$3; shift 3
zpty z zsh -f -i
# The prompt is spelled apart so that the echo of this line does not look like it.
zpty -w z "autoload -Uz compinit; compinit -u -d $dir/zcompdump; source $dir/stern.zsh; dump() { print -r -- \\"<\\$BUFFER>\\" >> $dump }; zle -N dump; bindkey '^T' dump; bindkey '^I' menu-complete; PS1='READ''Y> '"
# Keys typed before zle reads the terminal would meet the line discipline instead.
zpty -r z out '*READY> *' || exit 4
for keys in "$@"; do zpty -w -n z "$keys"; done
for ((i = 0; i < 400; i++)); do
  [[ -f $dump && \${#\${(f)"$(<$dump)"}} -ge $want ]] && break
  sleep 0.05
done
# What the terminal showed, for a failure's message.
zpty -w z exit
while zpty -r z out; do print -rn -- "$out"; done
`;

const ZSH = which("zsh");
const FISH = which("fish");
/** Runs a shell asynchronously: the simulated cluster answers from this process meanwhile. */
function run(shell: string, args: string[], timeout: number): Promise<string> {
  const env = { PATH: `${dir}:${process.env.PATH ?? ""}`, HOME: dir, KUBECONFIG: sim.kubeconfigPath };
  return new Promise((resolve, reject) => {
    execFile(shell, args, { env, timeout, encoding: "utf8" }, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
    );
  });
}

describe.skipIf(!ZSH)("zsh completion, in a real zsh", () => {
  // TAB (bound to menu-complete: one candidate is put in, several are listed and the first put in),
  // ^T prints the line, ^U clears it.
  const TAB = "\t";
  const SHOW = "\x14";
  const CLEAR = "\x15";
  it("edits the line as a user sees it: flags, values, namespaces, kind/name, paths", async () => {
    writeFileSync(join(dir, "drive.zsh"), ZSH_DRIVER);
    const dump = join(dir, "zsh-lines.txt");
    const typed: [string, string[]][] = [
      ["stern --na", ["stern --namespace "]],
      ["stern -o js", ["stern -o json "]],
      ["stern --color=al", ["stern --color=always "]],
      ["stern -n th", ["stern -n third "]],
      ["stern --context stag", ["stern --context staging "]],
      ["stern deployme", ["stern deployment/"]],
      ["stern deployment/w", ["stern deployment/web "]],
      ["stern -n other deployment/", ["stern -n other deployment/worker "]],
      [`stern --kubeconfig ${dir}/stern.fi`, [`stern --kubeconfig ${dir}/stern.fish `]],
      // Several candidates: the first is put in (menu-complete) and all are listed below the line.
      ["stern -n ", ["stern -n default"]],
    ];
    const keys = typed.map(([line]) => `${line}${TAB}${SHOW}${CLEAR}`);
    const want = typed.flatMap(([, seen]) => seen);
    const terminal = await run(
      ZSH as string,
      ["-f", join(dir, "drive.zsh"), dir, dump, String(want.length), ...keys],
      25_000,
    );
    const seen = readFileSync(dump, "utf8")
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => l.slice(1, -1));
    expect(seen, `the terminal showed:\n${terminal}`).toEqual(want);
    expect(terminal).toMatch(/\ndefault +other +third\r?\n/);
  });
});

describe.skipIf(!FISH)("fish completion, in a real fish", () => {
  /** What fish offers for the line (complete -C), descriptions dropped, sorted. */
  const offers = async (line: string): Promise<string[]> =>
    (
      await run(
        FISH as string,
        ["--no-config", "-c", `source ${join(dir, "stern.fish")}; complete -C ${JSON.stringify(line)}`],
        10_000,
      )
    )
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => l.split("\t")[0] as string)
      .sort();

  it("completes flags and their values", async () => {
    expect(await offers("stern --na")).toEqual(["--namespace"]);
    expect(await offers("stern --color ")).toEqual(["always", "auto", "never"]);
    expect(await offers("stern --color=al")).toEqual(["--color=always"]);
    expect(await offers("stern -o j")).toEqual(["json"]);
  });

  it("completes namespaces and kind/name from the cluster", async () => {
    expect(await offers("stern -n ")).toEqual(["default", "other", "third"]);
    expect(await offers("stern --namespace=o")).toEqual(["--namespace=other"]);
    expect(await offers("stern deploy")).toEqual(["deploy/", "deployment/"]);
    expect(await offers("stern deployment/")).toEqual(["deployment/api", "deployment/web"]);
    expect(await offers("stern -n other deployment/")).toEqual(["deployment/worker"]);
  });

  it("leaves paths to fish", async () => {
    expect(await offers(`stern --kubeconfig ${dir}/stern.fi`)).toEqual([`${dir}/stern.fish`]);
    expect(await offers(`stern --kubeconfig=${dir}/stern.fi`)).toEqual([`--kubeconfig=${dir}/stern.fish`]);
  });
});

it.skipIf(!!ZSH && !!FISH)("notes which shells are missing", () => {
  // .ci/run installs both; elsewhere only the unit tests cover those scripts' text.
  console.info(`completion e2e: skipped ${[!ZSH && "zsh", !FISH && "fish"].filter(Boolean).join(" and ")}`);
});
