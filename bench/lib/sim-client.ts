// The benchmark side of bench/lib/sim-child.ts.
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { SimReply, SimRequest } from "./sim-child.ts";

export class SimProcess {
  readonly kubeconfig: string;
  private readonly child: ChildProcess;
  private nextId = 1;
  private readonly listeners = new Set<(m: SimReply) => void>();

  /** Set once the simulator's process has exited (requests then fail instead of waiting forever). */
  exitedAt: number | undefined;
  readonly exited: Promise<void>;

  private constructor(child: ChildProcess, kubeconfig: string) {
    this.child = child;
    this.kubeconfig = kubeconfig;
    let onExit = () => {};
    this.exited = new Promise((resolve) => {
      onExit = resolve;
    });
    child.on("exit", () => {
      this.exitedAt = Date.now();
      onExit();
      for (const l of [...this.listeners]) l({ type: "exited" } as unknown as SimReply);
    });
    child.on("error", () => {}); // a send after exit: reported by request()
    child.on("message", (m: SimReply) => {
      for (const l of [...this.listeners]) l(m);
    });
  }

  static async start(o: { plainHttp?: boolean } = {}): Promise<SimProcess> {
    const args = o.plainHttp ? ["--plain-http"] : [];
    const child = fork(fileURLToPath(new URL("./sim-child.ts", import.meta.url)), args, { stdio: "inherit" });
    const ready = await new Promise<Extract<SimReply, { type: "ready" }>>((resolve, reject) => {
      child.once("message", (m: SimReply) =>
        m.type === "ready" ? resolve(m) : reject(new Error("sim failed")),
      );
      child.once("exit", () => reject(new Error("sim exited")));
    });
    return new SimProcess(child, ready.kubeconfig);
  }

  on(listener: (m: SimReply) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Sends a request and waits until the simulator has carried it out. */
  request(req: SimRequest): Promise<SimReply> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.exitedAt !== undefined) return reject(new Error("the simulator's process has exited"));
      const off = this.on((m) => {
        if ((m as { type: string }).type === "exited") {
          off();
          reject(new Error("the simulator's process exited"));
        } else if ((m.type === "done" || m.type === "stats") && m.id === id) {
          off();
          resolve(m);
        }
      });
      this.child.send({ id, req });
    });
  }

  waitFor<T extends SimReply["type"]>(
    type: T,
    pred: (m: Extract<SimReply, { type: T }>) => boolean = () => true,
  ) {
    return new Promise<Extract<SimReply, { type: T }>>((resolve) => {
      const off = this.on((m) => {
        if (m.type === type && pred(m as Extract<SimReply, { type: T }>)) {
          off();
          resolve(m as Extract<SimReply, { type: T }>);
        }
      });
    });
  }

  async stop(): Promise<void> {
    await this.request({ type: "stop" });
  }
}
