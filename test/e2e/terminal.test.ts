// What a hostile pod can do to the terminal stern writes to, in a real terminal (tmux): escape
// sequences from log lines, termination and waiting messages, events and decoded JSON must not
// retitle the window, write the clipboard (OSC 52), clear the screen or hide text.
import { execFile, execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { e2eHarness } from "./harness.ts";
import { waitUntil } from "./stern-process.ts";

const BIN = fileURLToPath(new URL("../../bin/stern", import.meta.url));
const TMUX = "/usr/bin/tmux";
const { sim, freshNamespace } = e2eHarness({ namespacePrefix: "tty" });

const socket = `stern-test-${process.pid}`;
const tmux = (...args: string[]) =>
  execFileSync(TMUX, ["-L", socket, "-f", "/dev/null", ...args], { encoding: "utf8" });
const tmuxMaybe = (...args: string[]) =>
  new Promise<string | undefined>((resolve) =>
    execFile(TMUX, ["-L", socket, "-f", "/dev/null", ...args], { encoding: "utf8" }, (err, out) =>
      resolve(err ? undefined : out),
    ),
  );

afterEach(async () => {
  await tmuxMaybe("kill-server");
});

/** Starts stern in a fresh tmux pane. */
function startInTerminal(args: string[]): void {
  tmux("-u", "new-session", "-d", "-s", "t", "-x", "200", "-y", "50", "sh");
  // Clipboard writes (OSC 52) from the pane become tmux buffers; titles are the pane's title.
  tmux("set-option", "-s", "set-clipboard", "on");
  tmux("set-option", "-g", "allow-rename", "on");
  const cmd = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
  tmux("send-keys", "-t", "t", `KUBECONFIG='${sim.kubeconfigPath}' ${cmd}`, "Enter");
}

/** The pane's whole history: text only, or with its attributes as escape sequences. */
const screen = (attributes = false) =>
  tmux("capture-pane", "-p", "-J", ...(attributes ? ["-e"] : []), "-t", "t", "-S", "-");

describe.runIf(existsSync(TMUX))("a hostile pod and a real terminal", () => {
  it("no title, clipboard, screen clearing or hidden text from lines, messages, events or decoded JSON", async () => {
    const ns = freshNamespace();
    const pod = sim.addPod({ namespace: ns, name: "evil", containers: [{ name: "app" }] });
    pod.log(
      "app",
      "title \x1b]0;pwned-line\x07 set",
      "clip \x1b]52;c;cHduZWQtY2xpcA==\x07 written",
      '{"level":"info","msg":"json \\u001b]2;pwned-json\\u0007 decoded"}',
      "\x1b[8mconcealed",
      "after the concealed line",
      "clear \x1b[2J\x1b[H screen",
    );
    pod.event("Warning", "BackOff", "event \x1b]0;pwned-event\x07 note");
    startInTerminal(["-n", ns, "evil", "--events", "-o", "pretty", "--color", "always"]);
    await waitUntil(() => screen().includes("screen"), 15_000);
    pod.terminate("app", {
      exitCode: 1,
      reason: "Error",
      message: "ended \x1b]0;pwned-end\x07 \x1b]52;c;cHduZWQtZW5k\x07 message",
    });
    await waitUntil(() => screen().includes("message"), 15_000);
    const title = tmux("display-message", "-p", "-t", "t", "#{pane_title}").trim();
    expect(title).not.toMatch(/pwned/);
    expect(await tmuxMaybe("show-buffer")).toBeUndefined();
    const text = screen();
    for (const shown of [
      "title  set",
      "clip  written",
      "json  decoded",
      "concealed",
      "after the concealed line",
    ])
      expect(text).toContain(shown);
    expect(text).toContain("event  note");
    expect(text).toMatch(/- evil › app \(exit 1, Error, ended {3}message\)/);
    // The screen was not cleared: the command line that started stern is still on it.
    expect(text.split("\n")[0]).toContain("KUBECONFIG=");
    // Nothing on it is concealed.
    expect(screen(true)).not.toMatch(/\x1b\[(?:[0-9;]*;)?8(?:;[0-9;]*)?m/);
  });
});
