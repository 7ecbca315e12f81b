// --version: what stern prints, with the values stamped into the bundle at build time.
declare const __STERN_VERSION__: string;
declare const __STERN_COMMIT__: string;
declare const __STERN_BUILT_AT__: string;

export function versionText(): string {
  const v = typeof __STERN_VERSION__ === "string" ? __STERN_VERSION__ : "dev";
  const c = typeof __STERN_COMMIT__ === "string" ? __STERN_COMMIT__ : "unknown";
  const b = typeof __STERN_BUILT_AT__ === "string" ? __STERN_BUILT_AT__ : "unknown";
  return `version: ${v}\ncommit: ${c}\nbuilt at: ${b}\n`;
}

export function userAgent(): string {
  return `stern-ts/${typeof __STERN_VERSION__ === "string" ? __STERN_VERSION__ : "dev"}`;
}
