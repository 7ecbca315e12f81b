// stderr for the command: what is written there carries text from pods and servers, so on a terminal
// it is made safe first; and bytes that are not UTF-8 (a template's error quotes a line's) go as they are.
import { sanitizeForTerminal } from "../format/terminal.ts";
import { goBytes } from "../util/gostring.ts";

/** stderr, made safe when it is a terminal: notices and errors carry text from pods and servers. */
export function writeStderr(text: string, colored = false): void {
  // goBytes: a template's error quotes a line's bytes that are not UTF-8, and Go writes them as they are.
  const bytes = goBytes(text);
  process.stderr.write(process.stderr.isTTY ? sanitizeForTerminal(bytes, colored) : bytes);
}
