// Shell completion: the scripts printed by --completion, and the hidden `__complete` command they call.
import { completeWords } from "./completion-candidates.ts";
import { clusterSource } from "./completion-cluster.ts";
import { bashScript, fishScript, zshScript } from "./completion-scripts.ts";

export type Shell = "bash" | "zsh" | "fish";

export function completionScript(shell: Shell): string {
  switch (shell) {
    case "bash":
      return bashScript();
    case "zsh":
      return zshScript();
    case "fish":
      return fishScript();
    default:
      throw new Error(`unsupported shell type: "${String(shell)}"`);
  }
}

/** Bound on what completion may wait for (kubeconfig, API server), in ms. */
const TIMEOUT_MS = 3000;

/**
 * Answers `stern __complete <words...>`: candidates for the last word, one per line. Never throws:
 * whatever goes wrong (no kubeconfig, server down or slow) means no candidates.
 */
export async function runCompletion(words: string[], env: NodeJS.ProcessEnv): Promise<string[]> {
  try {
    return await completeWords(words, clusterSource(env, TIMEOUT_MS), { timeoutMs: TIMEOUT_MS });
  } catch {
    return [];
  }
}
