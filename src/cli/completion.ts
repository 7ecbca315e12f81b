// Shell completion: the scripts printed by --completion (cobra's, for stern) and cobra's hidden
// `__complete` command they call, which kubectl's plugin completion calls too (kubectl_complete-stern).
import { type COMPLETE, type COMPLETE_NO_DESC, type Printed, runComplete } from "./cobra-complete.ts";
import { USAGE_SUFFIX } from "./command.ts";
import { sternCompletion } from "./completion-candidates.ts";
import { clusterSource } from "./completion-cluster.ts";
import { COMPLETION_SCRIPTS, type Shell } from "./completion-scripts.ts";

export type { Shell };
export const SHELLS = Object.keys(COMPLETION_SCRIPTS) as Shell[];

export function isShell(name: string): name is Shell {
  return Object.hasOwn(COMPLETION_SCRIPTS, name);
}

export function completionScript(shell: Shell): string {
  return COMPLETION_SCRIPTS[shell];
}

/** Bound on what completion may wait for (kubeconfig, API server), in ms. */
const TIMEOUT_MS = 3000;

/**
 * `stern __complete <words...>` (or `__completeNoDesc`): the candidates for the last word, then cobra's
 * `:<directive>` line. A cluster that cannot be reached, or answers too slowly, means no candidates.
 */
export function runCompletion(
  calledAs: typeof COMPLETE | typeof COMPLETE_NO_DESC,
  words: string[],
  env: NodeJS.ProcessEnv,
): Promise<Printed> {
  const cmd = sternCompletion(clusterSource(env, TIMEOUT_MS), { timeoutMs: TIMEOUT_MS });
  return runComplete(cmd, calledAs, words, env, USAGE_SUFFIX);
}
