// Go text/template for stern's --template: parse once, execute per log line. See README.md.

import { Program } from "./exec.ts";
import { builtinInfo, type FuncInfo, parse } from "./parse.ts";
import { type FuncMap, signatureOf } from "./stern.ts";

export { TemplateExecError } from "./exec.ts";
export { formatValue, sprint, sprintf } from "./fmt.ts";
export { marshal as jsonMarshal } from "./json.ts";
export type { ParamType } from "./parse.ts";
export { TemplateParseError } from "./parse.ts";
export { type FuncMap, type GoFunc, goFunc, sternFuncs } from "./stern.ts";
export { GoTime } from "./time.ts";
export {
  defineStruct,
  type FieldSpec,
  GoColor,
  JsonNumber,
  NIL_ANY_MAP,
  StringMap,
  StructType,
  StructValue,
} from "./values.ts";

export interface Template {
  /** Renders the template for one value; throws TemplateExecError. */
  execute(data: unknown): string;
}

const ANY_VARIADIC = { params: [], variadic: "any" as const };

/** Parses a template as template.New(name).Funcs(funcs).Parse(text); throws TemplateParseError. */
export function parseTemplate(name: string, text: string, funcs: FuncMap): Template {
  const cache = new Map<string, FuncInfo>();
  const lookup = (fname: string): FuncInfo | undefined => {
    const hit = cache.get(fname);
    if (hit !== undefined) return hit;
    let info: FuncInfo | undefined;
    if (Object.hasOwn(funcs, fname)) {
      const impl = funcs[fname]!;
      info = { name: fname, builtin: null, impl, sig: signatureOf(impl) ?? ANY_VARIADIC };
    } else info = builtinInfo(fname);
    if (info !== undefined) cache.set(fname, info);
    return info;
  };
  const program = new Program(name, parse(name, text, lookup));
  return { execute: (data: unknown) => program.execute(data) };
}
