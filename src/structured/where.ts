// --where: a CEL expression (the language of Kubernetes' validation rules and admission policies)
// over a line's fields. Loaded only when --where is given. The expression is parsed and type-checked
// once, before anything is read; per line it runs against the record's values.
//
// A line is kept when the expression is true. A line whose fields do not fit it (a key it names is
// missing, a value of another type) is not kept: CEL reports an error there, and an error is not true.

import { Environment } from "@marcbachmann/cel-js";
import type { LogRecord } from "./record.ts";

export type WhereTest = (record: LogRecord) => boolean;

/** Compiles the expression; throws an Error whose message says what is wrong, in one line. */
export function compileWhere(expression: string): WhereTest {
  // Fields are not known in advance: every name is a dynamic variable; literals may mix types.
  const env = new Environment({ unlistedVariablesAreDyn: true, homogeneousAggregateLiterals: false });
  let program: ReturnType<Environment["parse"]>;
  try {
    program = env.parse(expression);
  } catch (err) {
    throw new Error(firstLine(err));
  }
  const checked = program.check();
  if (!checked.valid) throw new Error(firstLine(checked.error));
  if (checked.type !== "bool" && checked.type !== "dyn") {
    throw new Error(`it gives a value of type ${checked.type}, not a condition (true or false)`);
  }
  return (record) => {
    // A line that does not fit throws; the stack of that error, never shown, is most of its cost.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      return program(record.values()) === true;
    } catch {
      return false;
    } finally {
      Error.stackTraceLimit = limit;
    }
  };
}

/** The message of a CEL error, without the source excerpt it appends after a blank line. */
function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split("\n")[0] ?? message;
}
