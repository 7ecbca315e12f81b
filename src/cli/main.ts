// The stern command: what needs no cluster (--version, --help, completion scripts) is answered from
// the few modules this one imports; a run (run.ts: config file, kubeconfig, engine, formats) and the
// rest are loaded only when needed, which keeps `stern --version` close to Node's own start.
import { parseArgs } from "./args.ts";
import { UsageError } from "./errors.ts";
import { writeStderr } from "./stderr.ts";
import { versionText } from "./version.ts";

async function main(argv: string[]): Promise<number> {
  if (argv[0] === "__complete" || argv[0] === "__completeNoDesc") {
    const { runCompletion } = await import("./completion.ts");
    const printed = await runCompletion(argv[0], argv.slice(1), process.env);
    process.stdout.write(printed.stdout);
    process.stderr.write(printed.stderr);
    return printed.code;
  }
  const args = parseArgs(argv);
  if (args.help) {
    const { helpText } = await import("./help.ts");
    process.stdout.write(helpText());
    return 0;
  }
  if (args.values.version) {
    process.stdout.write(versionText());
    return 0;
  }
  const shell = args.values.completion;
  if (shell !== "") {
    const { completionScript, isShell, SHELLS } = await import("./completion.ts");
    if (!isShell(shell)) throw new Error(`unsupported shell type "${shell}": use ${SHELLS.join(", ")}`);
    process.stdout.write(completionScript(shell));
    return 0;
  }
  if (args.values["show-hidden-options"]) {
    const { hiddenOptionsText } = await import("./help.ts");
    process.stdout.write(hiddenOptionsText());
    return 0;
  }
  // --tui: its module loads beside the run's, not after it.
  const view = args.values.tui ? import("./tui.ts") : undefined;
  const { run } = await import("./run.ts");
  await view;
  return run(args);
}

process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  // The reader went away (stern x | head): that is how such a pipeline ends, not an error.
  if (err.code === "EPIPE") process.exit(0);
  writeStderr(`Error: cannot write output: ${err.message}\n`);
  process.exit(1);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // Open sockets (keep-alive agents) must not hold the process once the work is done.
    setImmediate(() => process.exit(code));
  },
  async (err: unknown) => {
    // A usage error is its message; others need the texts that know the API client's errors.
    const text = err instanceof UsageError ? err.message : (await import("./run.ts")).describeError(err);
    writeStderr(`Error: ${text}\n`);
    if (process.env.STERN_DEBUG_STACK) process.stderr.write(`${(err as Error)?.stack}\n`);
    process.exit(1);
  },
);
