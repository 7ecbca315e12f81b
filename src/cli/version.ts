// --version: what stern prints, with the values stamped into the bundle at build time
// (scripts/build-info.mjs). Like stern, a commit or date that is not known is left out, not faked.
declare const __STERN_VERSION__: string;
declare const __STERN_COMMIT__: string;
declare const __STERN_BUILT_AT__: string;

// typeof: the sources also run unbundled (tests), where nothing is stamped.
const VERSION = (typeof __STERN_VERSION__ === "string" && __STERN_VERSION__) || "dev";
const COMMIT = (typeof __STERN_COMMIT__ === "string" && __STERN_COMMIT__) || "";
const BUILT_AT = (typeof __STERN_BUILT_AT__ === "string" && __STERN_BUILT_AT__) || "";

export function versionText(): string {
  let text = `version: ${VERSION}\n`;
  if (COMMIT) text += `commit: ${COMMIT}\n`;
  if (BUILT_AT) text += `built at: ${BUILT_AT}\n`;
  return text;
}

export function userAgent(): string {
  return `stern-ts/${VERSION}`;
}
