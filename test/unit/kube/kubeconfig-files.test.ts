// Kubeconfig files that are not small files: devices, pipes, directories, files over the cap.
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { MAX_KUBECONFIG_BYTES, readKubeconfigs } from "../../../src/kube/kubeconfig-files.ts";
import { CappedReadError, cappedReadProblem, readCapped } from "../../../src/util/read-capped.ts";

const dir = mkdtempSync(join(tmpdir(), "stern-kubeconfig-files-"));
const KUBECONFIG = `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:6443"}}]
contexts: [{name: x, context: {cluster: c}}]
current-context: x
`;
const MODULE = new URL("../../../src/kube/kubeconfig-files.ts", import.meta.url).pathname;

/**
 * readKubeconfigs(files) in a child Node, killed after 20 s: a source without end must be refused,
 * and a read that never ends cannot be stopped in-process. Returns the error message ("" for none).
 */
function readInChild(files: string[]): string {
  const code = `
    import { readKubeconfigs } from ${JSON.stringify(MODULE)};
    try { readKubeconfigs(JSON.parse(process.argv[1])); } catch (err) { process.stdout.write(err.message); }
  `;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", code, JSON.stringify(files)], {
    encoding: "utf8",
    timeout: 20_000,
    killSignal: "SIGKILL",
  });
  if (r.signal) throw new Error(`the child was killed (${r.signal}): the read did not end within 20s`);
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout;
}

let writers: ChildProcess[] = [];
afterEach(() => {
  for (const w of writers) w.kill("SIGKILL");
  writers = [];
});

/** A named pipe with a shell writing `script`'s output into it. */
function pipeFrom(name: string, script: string): string {
  const fifo = join(dir, name);
  execFileSync("mkfifo", [fifo]);
  writers.push(spawn("sh", ["-c", `${script} > '${fifo}'`], { stdio: "ignore" }));
  return fifo;
}

describe("kubeconfig files that are not small files", () => {
  it("/dev/zero is refused after the cap, not read forever", () => {
    expect(readInChild(["/dev/zero"])).toBe(
      "cannot load kubeconfig /dev/zero: it is a character device that gave more than 16 MiB",
    );
  });

  it("in a KUBECONFIG list too", () => {
    const good = join(dir, "good-for-list");
    writeFileSync(good, KUBECONFIG);
    expect(readInChild([good, "/dev/zero"])).toBe(
      "cannot load kubeconfig /dev/zero: it is a character device that gave more than 16 MiB",
    );
  });

  it("a pipe that never ends is refused", () => {
    const fifo = pipeFrom("endless", "yes");
    expect(readInChild([fifo])).toBe(
      `cannot load kubeconfig ${fifo}: it is a pipe that gave more than 16 MiB`,
    );
  });

  it("a pipe with a kubeconfig in it is read, as --kubeconfig <(...) gives one", () => {
    const src = join(dir, "for-pipe");
    writeFileSync(src, KUBECONFIG);
    const fifo = pipeFrom("kubeconfig-pipe", `cat '${src}'`);
    expect(readKubeconfigs([fifo]).currentContext).toBe("x");
  });

  it("/dev/null is an empty kubeconfig, as for kubectl", () => {
    expect(readKubeconfigs(["/dev/null"]).allEmpty).toBe(true);
  });

  it("a file over the cap is refused before it is read", () => {
    const big = join(dir, "sparse");
    writeFileSync(big, KUBECONFIG);
    truncateSync(big, MAX_KUBECONFIG_BYTES + 1);
    expect(() => readKubeconfigs([big])).toThrow(`cannot load kubeconfig ${big}: it is larger than 16 MiB`);
  });

  it("the cap counts bytes: a file of exactly the cap is read, one byte more is refused", () => {
    const file = join(dir, "at-cap");
    writeFileSync(file, KUBECONFIG);
    const size = statSync(file).size;
    expect(readKubeconfigs([file], size).currentContext).toBe("x");
    expect(() => readKubeconfigs([file], size - 1)).toThrow(
      `cannot load kubeconfig ${file}: it is larger than ${size - 1} bytes`,
    );
  });

  it("a directory is refused in one line", () => {
    const sub = join(dir, "a-dir");
    mkdirSync(sub);
    expect(() => readKubeconfigs([sub])).toThrow(`cannot load kubeconfig ${sub}: it is a directory`);
  });
});

describe("readCapped", () => {
  it("reads at most the cap from a device, and says what the file is", () => {
    expect(() => readCapped("/dev/zero", 4096)).toThrow(
      new CappedReadError("it is a character device that gave more than 4 KiB"),
    );
    expect(readCapped("/dev/null", 4096).length).toBe(0);
  });

  it("decides from the file's kind and size alone", () => {
    const file = join(dir, "ten");
    writeFileSync(file, "0123456789");
    expect(cappedReadProblem(statSync(file), 10)).toBeUndefined();
    expect(cappedReadProblem(statSync(file), 9)).toBe("it is larger than 9 bytes");
    expect(cappedReadProblem(statSync(dir), 9)).toBe("it is a directory");
    expect(cappedReadProblem(statSync("/dev/zero"), 9)).toBeUndefined();
    expect(readCapped(file, 10).toString()).toBe("0123456789");
  });
});
