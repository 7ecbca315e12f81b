// JSON as Go's encoding/json writes it: HTML-sensitive characters and line separators escaped,
// map keys sorted. stern's -o json output is Go's, byte for byte.

const GO_ESCAPES: Record<string, string> = {
  "<": "\\u003c",
  ">": "\\u003e",
  "&": "\\u0026",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
};
const NEEDS_ESCAPE = /[<>&\u2028\u2029]/g;

export function goQuote(text: string): string {
  const json = JSON.stringify(text);
  return NEEDS_ESCAPE.test(json) ? json.replace(NEEDS_ESCAPE, (c) => GO_ESCAPES[c] as string) : json;
}

/** A map[string]string: keys sorted, nil as null. */
export function goStringMap(map: Record<string, string> | undefined): string {
  if (map === undefined || map === null) return "null";
  const keys = Object.keys(map).sort();
  return `{${keys.map((k) => `${goQuote(k)}:${goQuote(map[k] as string)}`).join(",")}}`;
}

/** Go's json.Valid. */
export function isValidJson(text: string): boolean {
  if (text.trim() === "") return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
