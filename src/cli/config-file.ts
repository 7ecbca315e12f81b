// stern's config file (~/.config/stern/config.yaml, --config, STERNCONFIG): a YAML map of flag names
// to values. Flags given on the command line win; unknown keys are reported, never silently dropped.
// Beyond stern, $XDG_CONFIG_HOME/stern/config.yaml is read first when XDG_CONFIG_HOME is set.
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";
import { load } from "js-yaml";
import { readCapped, SMALL_FILE_MAX } from "../util/read-capped.ts";
import type { ParsedArgs } from "./args.ts";
import { convertFlagValue, setFlagValue } from "./args.ts";
import { UsageError } from "./errors.ts";
import { FLAGS } from "./flags.ts";

export const DEFAULT_CONFIG_PATH = "~/.config/stern/config.yaml";

function expandHome(path: string, env: NodeJS.ProcessEnv): string {
  if (path === "~" || path.startsWith("~/")) return join(env.HOME || homedir(), path.slice(1));
  return path;
}

/**
 * Which file: STERNCONFIG beats --config (as in stern); the default may be absent. Without either, the
 * XDG base directory's file when XDG_CONFIG_HOME is set (the spec ignores a relative one) and the file
 * is there, else stern's ~/.config/stern/config.yaml.
 */
export function configPath(args: ParsedArgs, env: NodeJS.ProcessEnv): { path: string; required: boolean } {
  if (env.STERNCONFIG !== undefined && env.STERNCONFIG !== "")
    return { path: env.STERNCONFIG, required: true };
  const flag = args.values.config;
  if (!args.explicit.has("config")) {
    const xdg = env.XDG_CONFIG_HOME;
    if (xdg && isAbsolute(xdg) && existsSync(join(xdg, "stern", "config.yaml"))) {
      return { path: join(xdg, "stern", "config.yaml"), required: false };
    }
  }
  return { path: flag, required: args.explicit.has("config") && flag !== DEFAULT_CONFIG_PATH };
}

/**
 * Fills every flag not given on the command line from the config file. Returns warnings (unknown keys).
 */
export function applyConfigFile(args: ParsedArgs, env: NodeJS.ProcessEnv): string[] {
  const { path, required } = configPath(args, env);
  const file = expandHome(path, env);
  if (!existsSync(file)) {
    if (required) throw new UsageError(`config file ${path} does not exist`);
    return [];
  }
  let data: unknown;
  try {
    data = load(readCapped(file, SMALL_FILE_MAX).toString("utf8"));
  } catch (err) {
    const msg = (err as Error).message.split("\n")[0] ?? "";
    throw new UsageError(`cannot read config file ${path}: ${msg}`);
  }
  if (data === undefined || data === null) return [];
  if (typeof data !== "object" || Array.isArray(data)) {
    throw new UsageError(`config file ${path} must be a map of flag names to values`);
  }
  const warnings: string[] = [];
  for (const [key, raw] of Object.entries(data as Record<string, unknown>)) {
    const spec = FLAGS.find((f) => f.name === key);
    if (!spec || key === "config") {
      warnings.push(
        `unknown key "${key}" in config file ${path} (keys are flag names, like "tail" or "namespace")`,
      );
      continue;
    }
    if (args.explicit.has(key)) continue;
    const isList = spec.type === "stringArray" || spec.type === "stringSlice";
    if (Array.isArray(raw) && !isList) {
      throw new UsageError(`config file ${path}: "${key}" takes one value, not a list`);
    }
    if (raw !== null && typeof raw === "object" && !Array.isArray(raw)) {
      throw new UsageError(`config file ${path}: "${key}" must be a value, not a map`);
    }
    const values = (Array.isArray(raw) ? raw : [raw]).map((v) => (v === null ? "" : String(v)));
    try {
      setFlagValue(
        args.values,
        key,
        convertFlagValue(spec, spec.type === "bool" ? values.map((v) => v === "true") : values),
      );
    } catch (err) {
      throw new UsageError(`config file ${path}: ${(err as Error).message}`);
    }
  }
  return warnings;
}
