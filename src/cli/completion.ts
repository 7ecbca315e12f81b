// Shell completion: the scripts printed by --completion, and the hidden `__complete` command they call.

export type Shell = "bash" | "zsh" | "fish";

export function completionScript(shell: Shell): string {
  throw new Error(`completion for ${shell} is not written yet`);
}

/** Answers `stern __complete <words...>`: candidates for the last word, one per line. */
export async function runCompletion(words: string[], env: NodeJS.ProcessEnv): Promise<string[]> {
  void words;
  void env;
  return [];
}
