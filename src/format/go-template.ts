// --template: compiles the user's Go template into a LineTemplate. Loaded only when a template is given.
import type { LineTemplate } from "./types.ts";

export function compileLineTemplate(text: string, colored: boolean): LineTemplate {
  void text;
  void colored;
  throw new Error("templates are not supported yet");
}
