// --tui as a person uses it: the real bin/stern in a real terminal (tmux) against the simulated
// cluster, keys in and the screen out, for each thing the view does.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { e2eHarness } from "./harness.ts";
import { runStern } from "./stern-process.ts";
import { haveTmux, Tmux } from "./tmux.ts";

const BIN = fileURLToPath(new URL("../../bin/stern", import.meta.url));
const { sim, freshNamespace } = e2eHarness({ namespacePrefix: "tui" });

let terms: Tmux[] = [];
afterEach(() => {
  for (const t of terms) t.kill();
  terms = [];
});

/** stern --tui in a terminal of its own, with these arguments. */
function tui(
  args: string[],
  o: { cols?: number; rows?: number; env?: Record<string, string>; pipeFrom?: string } = {},
) {
  const t = new Tmux();
  terms.push(t);
  const quoted = args.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
  const command = `${o.pipeFrom ? `${o.pipeFrom} | ` : ""}'${process.execPath}' '${BIN}' --tui ${quoted}`;
  t.start(command, o.cols ?? 160, o.rows ?? 20, { KUBECONFIG: sim.kubeconfigPath, ...o.env });
  return t;
}

const lineCount = (screen: string, pattern: RegExp) =>
  screen.split("\n").filter((l) => pattern.test(l)).length;

describe.runIf(haveTmux)("--tui", () => {
  it("follows the newest line; held, the screen stays while lines come and are counted; G follows again", async () => {
    const ns = freshNamespace();
    const pod = sim.addPod({ namespace: ns, name: "web", containers: [{ name: "app" }] });
    const emit = pod.emit("app", { lines: 100_000, rate: 20, make: (i) => `n=${i}` });
    const t = tui(["-n", ns, "web"]);
    await t.waitFor((s) => /web app n=30\b/.test(s), "n=30 on screen");
    expect(t.status()).toMatch(/^ FOLLOW │/);
    t.keys("Up", "Up");
    const held = await t.waitFor((s) => / HELD/.test(s), "the view held");
    const frozen = held.split("\n").slice(0, -2).join("\n");
    await t.waitFor((s) => /HELD \+[1-9]\d*/.test(s), "new lines counted");
    // Lines keep coming, the screen above the status line does not move.
    expect(t.screen().split("\n").slice(0, -2).join("\n")).toBe(frozen);
    t.keys("G");
    const after = emit.emitted;
    await t.waitFor((s) => new RegExp(`web app n=${after + 2}\\b`).test(s), "the newest line again");
    expect(t.status()).toMatch(/^ FOLLOW/);
    emit.stop();
  });

  it("/ searches the whole scroll-back, highlights the matches; n and N move between them", async () => {
    const ns = freshNamespace();
    const pod = sim.addPod({ namespace: ns, name: "web", containers: [{ name: "app" }] });
    pod.log(
      "app",
      ...Array.from({ length: 200 }, (_, i) => (i === 20 || i === 120 ? `needle ${i}` : `hay ${i}`)),
    );
    const t = tui(["-n", ns, "web"]);
    await t.waitFor((s) => s.includes("hay 199"), "the last line");
    t.keys("/", { literal: "needle \\d+" }, "Enter");
    const first = await t.waitFor((s) => s.includes("needle 120"), "the newer match");
    expect(first).toContain("/needle \\d+");
    // The match is drawn highlighted (black on yellow).
    expect(t.screen(true)).toMatch(/\x1b\[30m\x1b\[43mneedle 120|\x1b\[30;43mneedle 120/);
    t.keys("N");
    await t.waitFor((s) => s.includes("needle 20"), "the older match");
    t.keys("n");
    await t.waitFor((s) => s.includes("needle 120"), "the newer match again");
  });

  it("f filters every line so far as it is typed; ! inverts; a pattern that does not parse says why", async () => {
    const ns = freshNamespace();
    const pod = sim.addPod({ namespace: ns, name: "web", containers: [{ name: "app" }] });
    pod.log("app", ...Array.from({ length: 300 }, (_, i) => (i % 100 === 0 ? `ERROR ${i}` : `ok ${i}`)));
    const t = tui(["-n", ns, "web"]);
    await t.waitFor((s) => s.includes("ok 299"), "the last line");
    t.keys("f", { literal: "ERROR" });
    const filtered = await t.waitFor((s) => lineCount(s, /ERROR \d/) === 3, "three errors");
    expect(lineCount(filtered, /web app ok/)).toBe(0);
    t.keys("Enter");
    // Three of the 301 lines (the stream's "+" line is one).
    await t.waitFor((s) => / 3\/301 lines │ filter ERROR/.test(s), "the count of the filter");
    // Neither an error nor a line of 2..: the newest line kept is "ok 199".
    t.keys("f", "C-u", { literal: "!ERROR|ok 2" }, "Enter");
    await t.waitFor(
      (s) => /web app ok 199\n \w/.test(s) && !s.includes("app ERROR") && !s.includes("app ok 2"),
      "the inverse",
    );
    t.keys("f", { literal: "(" });
    await t.waitFor((s) => /missing closing \)/.test(s), "the pattern's error");
  });

  it("l shows only lines at a level and above, read from JSON, logfmt and klog lines", async () => {
    const ns = freshNamespace();
    const pod = sim.addPod({ namespace: ns, name: "api", containers: [{ name: "app" }] });
    pod.log(
      "app",
      '{"level":"debug","msg":"d1"}',
      "level=info msg=i1",
      "E1206 12:00:00.000000       1 x.go:1] e1",
      '{"level":"warn","msg":"w1"}',
    );
    const t = tui(["-n", ns, "api"]);
    await t.waitFor((s) => s.includes("w1"), "the lines");
    t.keys("l", "l", "l");
    const warn = await t.waitFor((s) => /level ≥ warn/.test(s), "level warn");
    expect(warn).toContain("w1");
    expect(warn).toContain("e1");
    expect(warn).not.toContain("i1");
    expect(warn).not.toContain("d1");
  });

  it("the sources panel: states, and a pod muted then shown alone", async () => {
    const ns = freshNamespace();
    const a = sim.addPod({ namespace: ns, name: "alpha", containers: [{ name: "app" }] });
    const b = sim.addPod({ namespace: ns, name: "beta", containers: [{ name: "app" }, { name: "side" }] });
    a.log("app", "from alpha");
    b.log("app", "from beta").log("side", "from side");
    const t = tui(["-n", ns, "."]);
    await t.waitFor((s) => s.includes("from side"), "every line");
    t.keys("Tab");
    await t.waitFor((s) => /alpha/.test(s) && /\+ side/.test(s), "the panel");
    // Rows: namespace, alpha, app, beta, app, side: the second row is the pod alpha.
    t.keys("Down", "Space");
    await t.waitFor((s) => !s.includes("alpha app from alpha") && s.includes("×alpha"), "alpha muted");
    t.keys("Space", "Down", "Down", "Down", "o");
    await t.waitFor(
      (s) => s.includes("beta app from beta") && !s.includes("from alpha") && !s.includes("from side"),
      "beta's app alone",
    );
  });

  it("Enter inspects a line: its fields as a tree; c copies it to the clipboard (OSC 52)", async () => {
    const ns = freshNamespace();
    const pod = sim.addPod({ namespace: ns, name: "api", containers: [{ name: "app" }] });
    pod.log("app", '{"level":"error","msg":"boom","req":{"method":"GET","path":"/x"},"ms":12}');
    const t = tui(["-n", ns, "api"]);
    await t.waitFor((s) => s.includes("boom"), "the line");
    t.keys("Up", "Enter");
    const inspect = await t.waitFor((s) => s.includes("Fields (json)"), "the inspector");
    expect(inspect).toMatch(/level: ERROR/);
    expect(inspect).toMatch(/message: boom/);
    expect(inspect).toMatch(/req:\n\s+method: GET\n\s+path: \/x/);
    expect(inspect).toMatch(/pod\s+tui\d+\/api/);
    t.keys("c");
    await t.waitFor((s) => s.includes("copied"), "copied");
    expect(await t.buffer()).toBe(
      '{"level":"error","msg":"boom","req":{"method":"GET","path":"/x"},"ms":12}',
    );
  });

  it("S saves the shown lines, A every line", async () => {
    const ns = freshNamespace();
    const pod = sim.addPod({ namespace: ns, name: "web", containers: [{ name: "app" }] });
    pod.log("app", "keep 1", "drop", "keep 2");
    const dir = mkdtempSync(join(tmpdir(), "stern-tui-save-"));
    const t = tui(["-n", ns, "web"]);
    await t.waitFor((s) => s.includes("keep 2"), "the lines");
    t.keys("f", { literal: "keep" }, "Enter", "S", "C-u", { literal: join(dir, "shown.log") }, "Enter");
    await t.waitFor((s) => s.includes("saved 2 lines"), "saved");
    expect(readFileSync(join(dir, "shown.log"), "utf8")).toBe("web app keep 1\nweb app keep 2\n");
    t.keys("A", "C-u", { literal: join(dir, "all.log") }, "Enter");
    await t.waitFor((s) => s.includes("saved"), "saved all");
    expect(readFileSync(join(dir, "all.log"), "utf8")).toMatch(
      /web app keep 1\nweb app drop\nweb app keep 2\n/,
    );
  });

  it("a pod replaced and a container restarted while held: the view stays, the news is marked, the panel knows", async () => {
    const ns = freshNamespace();
    const dep = sim.addDeployment({ namespace: ns, name: "svc", containers: [{ name: "server" }] });
    const old = dep.pods[0]!;
    old.log("server", ...Array.from({ length: 50 }, (_, i) => `old ${i}`));
    const t = tui(["-n", ns, "svc"], { rows: 15 });
    await t.waitFor((s) => s.includes("old 49"), "the old pod's lines");
    t.keys("PageUp");
    const held = await t.waitFor((s) => /HELD/.test(s), "held");
    const top = held.split("\n")[0];
    const fresh = await dep.replacePod(old.name);
    fresh.log("server", "hello");
    fresh.restart("server", { exitCode: 137, reason: "OOMKilled" });
    fresh.log("server", "again");
    await t.waitFor((s) => /HELD \+[3-9]/.test(s), "the news counted");
    expect(t.screen().split("\n")[0]).toBe(top);
    t.keys("G");
    const now = await t.waitFor((s) => s.includes("again"), "the newest lines");
    expect(now).toMatch(new RegExp(`- ${old.name} › server`));
    expect(now).toMatch(/exit 137, OOMKilled/);
    t.keys("Tab");
    await t.waitFor(
      (s) => /- server exit 0, Completed/.test(s) || /\+ server r1/.test(s),
      "the panel's states",
    );
  });

  it("redraws for a new size", async () => {
    const ns = freshNamespace();
    const pod = sim.addPod({ namespace: ns, name: "web", containers: [{ name: "app" }] });
    pod.log("app", `wide ${"x".repeat(150)} end`);
    const t = tui(["-n", ns, "web"], { cols: 180 });
    await t.waitFor((s) => s.includes("x end"), "the whole line");
    t.resize(80, 20);
    await t.waitFor(
      (s) => !s.includes("x end") && s.split("\n")[0]!.length <= 80 && /FOLLOW/.test(s),
      "cut at 80",
    );
    t.keys("z");
    await t.waitFor((s) => s.includes("x end"), "wrapped onto more rows");
  });

  it("q, and SIGTERM, give the terminal back (main screen, cursor); without a terminal, one line", async () => {
    const ns = freshNamespace();
    sim.addPod({ namespace: ns, name: "web", containers: [{ name: "app" }] }).log("app", "hi");
    const t = tui(["-n", ns, "web"]);
    await t.waitFor((s) => s.includes("web app hi"), "the view");
    expect(t.display("#{alternate_on}")).toBe("1");
    t.keys("q");
    await t.waitFor((s) => s.includes("EXITED 0"), "exit 0");
    expect(t.display("#{alternate_on} #{cursor_flag}")).toBe("0 1");
    const u = tui(["-n", ns, "web"]);
    await u.waitFor((s) => s.includes("web app hi"), "the view");
    const pid = u.display("#{pane_pid}");
    // The shell's child is stern's node process.
    const { execSync } = await import("node:child_process");
    const child = execSync(`pgrep -P ${pid} -f bin/stern`, { encoding: "utf8" }).trim().split("\n")[0];
    process.kill(Number(child), "SIGTERM");
    await u.waitFor((s) => s.includes("EXITED 143"), "exit 143");
    expect(u.display("#{alternate_on} #{cursor_flag}")).toBe("0 1");
    const r = await runStern(["--tui", "-n", ns, "web"], { kubeconfig: sim.kubeconfigPath });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("Error: --tui needs a terminal on stdout\n");
  });

  it("--stdin --tui reads lines from the pipe and keys from the terminal", async () => {
    const t = tui(["--stdin"], { pipeFrom: "printf 'first\\nsecond ERROR\\nthird\\n'" });
    await t.waitFor((s) => s.includes("third"), "the lines");
    t.keys("f", { literal: "ERROR" }, "Enter");
    await t.waitFor((s) => s.includes("second ERROR") && !s.includes("third"), "filtered");
    t.keys("q");
    await t.waitFor((s) => s.includes("EXITED 0"), "exit 0");
  });

  it("a pod's bytes never drive the terminal; NO_COLOR draws no colours", async () => {
    const ns = freshNamespace();
    const pod = sim.addPod({ namespace: ns, name: "evil", containers: [{ name: "app" }] });
    pod.log("app", "title \x1b]0;pwned\x07 here", "clear \x1b[2J\x1b[H screen", "\x1b[8mhidden");
    const t = tui(["-n", ns, "evil"], { env: { NO_COLOR: "1" } });
    await t.waitFor(
      (s) => s.includes("clear  screen") && s.includes("title  here") && s.includes("hidden"),
      "the lines",
    );
    expect(t.display("#{pane_title}")).not.toContain("pwned");
    // No colour anywhere: the status line's reverse video is the only attribute.
    const attrs = t.screen(true).match(/\x1b\[[0-9;]*m/g) ?? [];
    expect(attrs.filter((a) => /\b(3[0-7]|9[0-7]|8)\b/.test(a.replace(/^\x1b\[|m$/g, "")))).toEqual([]);
  });
});
