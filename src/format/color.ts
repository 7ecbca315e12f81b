// Where a line gets its color: stern's six pod/container pairs, chosen by the FNV-1 hash of the pod
// name, written as fatih/color writes them so output matches stern's bytes.

/** An SGR attribute list such as "96" or "38;2;255;97;136"; "" means no color. */
export type Sgr = string;

export interface ColorPair {
  pod: Sgr;
  container: Sgr;
}

export const DEFAULT_PALETTE: readonly ColorPair[] = [
  { pod: "96", container: "36" }, // cyan
  { pod: "92", container: "32" }, // green
  { pod: "95", container: "35" }, // magenta
  { pod: "93", container: "33" }, // yellow
  { pod: "94", container: "34" }, // blue
  { pod: "91", container: "31" }, // red
];

export const START_MARK: Sgr = "92;1"; // "+" bright green, bold
export const STOP_MARK: Sgr = "91;1"; // "-" bright red, bold
export const HIGHLIGHT: Sgr = "31;1"; // matches of -i/-H: red, bold
export const FAILURE: Sgr = "31"; // why a container failed, a Warning event: red
export const WAIT_MARK: Sgr = "93;1"; // "!" a waiting container: bright yellow, bold
export const PREVIOUS_MARK: Sgr = "2;3"; // "(previous)" before a previous instance's lines: dim italic
export const NOTE: Sgr = "2"; // how a container ended well, a Normal event: dim

/** FNV-1 (not FNV-1a) 32-bit over the UTF-8 bytes, as Go's hash/fnv New32. */
export function fnv1(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, "utf8")) {
    hash = Math.imul(hash, 0x01000193) >>> 0;
    hash = (hash ^ byte) >>> 0;
  }
  return hash;
}

export function pickColors(
  palette: readonly ColorPair[],
  podName: string,
  containerName: string,
  diffContainer: boolean,
): ColorPair {
  const pair = palette[fnv1(podName) % palette.length] as ColorPair;
  if (!diffContainer) return pair;
  const other = palette[fnv1(containerName) % palette.length] as ColorPair;
  return { pod: pair.pod, container: other.container };
}

export { paint } from "../util/ansi.ts";

export function parsePalette(podColors: string[], containerColors: string[]): ColorPair[] {
  if (podColors.length === 0) throw new Error("pod-colors must not be empty");
  const containers = containerColors.length === 0 ? podColors : containerColors;
  if (containers.length !== podColors.length) {
    throw new Error("pod-colors and container-colors must have the same length");
  }
  return podColors.map((pod, i) => ({ pod: parseSgr(pod), container: parseSgr(containers[i] as string) }));
}

function parseSgr(text: string): Sgr {
  const parts = text.split(";").map((p) => p.trim());
  for (const p of parts) {
    if (!/^\d+$/.test(p))
      throw new Error(`invalid SGR sequence "${text}" (expected numbers separated by ";")`);
  }
  return parts.map((p) => String(Number(p))).join(";");
}

export type ColorMode = "auto" | "always" | "never";

/** --color auto: a terminal on stdout, NO_COLOR unset and TERM not dumb; FORCE_COLOR forces either way. */
export function shouldColor(mode: ColorMode, stdoutIsTTY: boolean, env: NodeJS.ProcessEnv): boolean {
  if (mode === "always") return true;
  if (mode === "never") return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !(force === "0" || force === "false");
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.TERM === "dumb") return false;
  return stdoutIsTTY;
}
