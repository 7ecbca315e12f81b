// -p/--prompt: a real terminal (util-linux `script` gives stern a pty) and arrow keys to pick a value.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { e2eHarness } from "./harness.ts";
import { runStern } from "./stern-process.ts";

const BIN = fileURLToPath(new URL("../../bin/stern", import.meta.url));
const { sim } = e2eHarness();

beforeAll(() => {
  const label = "app.kubernetes.io/instance";
  sim
    .addPod({ name: "a-1", labels: { [label]: "alpha" }, containers: [{ name: "app" }] })
    .log("app", "from alpha");
  sim
    .addPod({ name: "b-1", labels: { [label]: "beta" }, containers: [{ name: "app" }] })
    .log("app", "from beta");
  sim.addPod({ name: "c-1", containers: [{ name: "app" }] }).log("app", "no label");
});

describe("--prompt", () => {
  it("without a terminal on stdin it says so", async () => {
    const r = await runStern(["-p"], { env: { KUBECONFIG: sim.kubeconfigPath } });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "Error: --prompt needs an interactive terminal on stdin; use -l app.kubernetes.io/instance=<name>\n",
    );
  });

  it.skipIf(!existsSync("/usr/bin/script"))(
    "offers the instances found and tails the one picked",
    async () => {
      const child = spawn(
        "/usr/bin/script",
        ["-qec", `${process.execPath} ${BIN} -p --no-follow --color never`, "/dev/null"],
        {
          env: { ...process.env, KUBECONFIG: sim.kubeconfigPath, TERM: "xterm" },
        },
      );
      let out = "";
      let sent = false;
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        if (!sent && out.includes("beta")) {
          sent = true;
          setTimeout(() => child.stdin.write("\x1b[B"), 150); // down to "beta"
          setTimeout(() => child.stdin.write("\r"), 400);
        }
      });
      const code = await new Promise((resolve) => child.on("close", resolve));
      expect(code).toBe(0);
      expect(out).toContain("alpha");
      expect(out).toContain("Selector: app.kubernetes.io/instance=beta\r\n");
      expect(out).toContain("b-1 app from beta\r\n");
      expect(out).not.toContain("from alpha");
      expect(out).not.toContain("no label");
    },
  );
});
