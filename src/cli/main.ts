// The stern command: flags -> kubeconfig -> engine, with exit codes and one-line errors.
import { shouldColor } from "../engine/color.ts";
import { Sink } from "../engine/sink.ts";
import { runStern } from "../engine/stern.ts";
import { ApiClient } from "../kube/client.ts";
import { resolveKubeconfig } from "../kube/kubeconfig.ts";
import { parseArgs } from "./args.ts";
import { describeError } from "./errors.ts";
import { helpText } from "./help.ts";
import { buildOptions } from "./options.ts";

const VERSION = "0.1.0";

async function main(argv: string[]): Promise<number> {
  if (argv[0] === "__complete") {
    const { runCompletion } = await import("./completion.ts");
    for (const c of await runCompletion(argv.slice(1), process.env)) process.stdout.write(`${c}\n`);
    return 0;
  }
  if (argv.includes("-h") || argv.includes("--help")) {
    process.stdout.write(helpText());
    return 0;
  }
  const opts = buildOptions(parseArgs(argv));
  const kube = await resolveKubeconfig({
    kubeconfig: opts.kubeconfig,
    context: opts.context,
    env: process.env,
  });
  const namespaces = opts.allNamespaces ? [""] : (opts.namespaces ?? [kube.namespace]);
  const client = new ApiClient(kube.connection, {
    connectTimeoutMs: opts.connectTimeoutMs,
    userAgent: `stern-ts/${VERSION}`,
  });
  const colored = shouldColor(opts.colorMode, process.stdout.isTTY === true, process.env);
  const { timestamps, zone, ...engine } = opts.engine;

  const sink = new Sink(process.stdout);
  const controller = new AbortController();
  let exitCode = 0;
  const stop = (code: number) => {
    if (controller.signal.aborted) process.exit(code); // a second Ctrl-C: no more waiting
    exitCode = code;
    controller.abort();
  };
  process.on("SIGINT", () => stop(130));
  process.on("SIGTERM", () => stop(143));
  const verbosity = opts.verbosity;
  await runStern(
    client,
    {
      ...engine,
      namespaces,
      colored,
      format: {
        output: "default",
        showNamespace: opts.allNamespaces || namespaces.length > 1,
        timestamps,
        zone,
      },
    },
    {
      sink,
      stderr: (text) => process.stderr.write(text),
      debug: (text) => {
        if (verbosity > 0) process.stderr.write(`debug: ${text}\n`);
      },
    },
    controller.signal,
  );
  await sink.end();
  return exitCode;
}

process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  // The reader went away (stern x | head): that is how such a pipeline ends, not an error.
  if (err.code === "EPIPE") process.exit(0);
  process.stderr.write(`Error: cannot write output: ${err.message}\n`);
  process.exit(1);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // Open sockets (keep-alive agents) must not hold the process once the work is done.
    setImmediate(() => process.exit(code));
  },
  (err: unknown) => {
    process.stderr.write(`Error: ${describeError(err)}\n`);
    if (process.env.STERN_DEBUG_STACK) process.stderr.write(`${(err as Error)?.stack}\n`);
    process.exit(1);
  },
);
