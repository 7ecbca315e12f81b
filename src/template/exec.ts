// The evaluator: walks the parse tree with Go's text/template semantics and error messages.

import { quoteGo } from "../util/goquote.ts";
import { callBuiltin, truth } from "./builtins.ts";
import { formatValue, sprint, sprintf, typeName } from "./fmt.ts";
import type {
  ArgNode,
  BranchNode,
  ChainNode,
  CommandNode,
  FieldNode,
  FuncInfo,
  IdentifierNode,
  ListNode,
  Node,
  NumberNode,
  ParamType,
  ParsedTemplates,
  PipeNode,
  TemplateNode,
  VariableNode,
} from "./parse.ts";
import { nodeString } from "./parse.ts";
import { type Civil, civil, DAYS, GoTime, localLocation, MONTHS, UTC } from "./time.ts";
import {
  compareGoStrings,
  GoColor,
  GoComplex,
  isAnyMap,
  JsonNumber,
  StringMap,
  StructValue,
} from "./values.ts";

export class TemplateExecError extends Error {
  override name = "TemplateExecError";
}

const NO_FINAL: unique symbol = Symbol("noFinal");
type Final = unknown;

const BREAK = { signal: "break" };
const CONTINUE = { signal: "continue" };

const MAX_DEPTH = 1000;

type CtxNode = ArgNode | CommandNode | Node;
type CachedNode = FieldNode | VariableNode | ChainNode;

const PARAM_NAMES: Record<ParamType, string> = {
  any: "interface {}",
  reflect: "reflect.Value",
  string: "string",
  int: "int",
  float64: "float64",
  bool: "bool",
  color: "color.Color",
  attr: "color.Attribute",
};

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class Program {
  readonly name: string;
  readonly parsed: ParsedTemplates;
  private lineStarts: number[] | undefined;
  constructor(name: string, parsed: ParsedTemplates) {
    this.name = name;
    this.parsed = parsed;
  }

  execute(data: unknown): string {
    const s = new State(this, data === null ? undefined : data);
    s.walk(s.values[0], this.parsed.root);
    return s.out;
  }

  lookup(name: string): ListNode | undefined {
    return this.parsed.defs.get(name) ?? (name === this.name ? this.parsed.root : undefined);
  }

  /** "NAME:LINE:COL" with COL the byte offset in the line, as Go's ErrorContext reports it. */
  location(pos: number): string {
    const text = this.parsed.text;
    if (this.lineStarts === undefined) {
      this.lineStarts = [0];
      for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) this.lineStarts.push(i + 1);
    }
    let line = 0;
    while (line + 1 < this.lineStarts.length && this.lineStarts[line + 1]! <= pos) line++;
    const col = Buffer.byteLength(text.slice(this.lineStarts[line]!, pos), "utf8");
    return `${this.name}:${line + 1}:${col}`;
  }
}

class State {
  out = "";
  names: string[] = ["$"];
  values: unknown[];
  node: CtxNode | null = null;
  tmplName: string;
  depth = 0;
  lastIface = false;
  private readonly prog: Program;

  constructor(prog: Program, data: unknown) {
    this.prog = prog;
    this.values = [data];
    this.tmplName = prog.name;
  }

  errorf(msg: string): never {
    const n = this.node;
    if (n === null) throw new TemplateExecError(`template: ${this.tmplName}: ${msg}`);
    let ctx = nodeString(n);
    const runes = [...ctx];
    if (runes.length > 20) ctx = `${runes.slice(0, 20).join("")}...`;
    throw new TemplateExecError(
      `template: ${this.prog.location(n.pos)}: executing "${this.tmplName}" at <${ctx}>: ${msg}`,
    );
  }

  // --- variables ---

  private varValue(name: string): unknown {
    for (let i = this.names.length - 1; i >= 0; i--) if (this.names[i] === name) return this.values[i];
    this.errorf(`undefined variable: ${name}`);
  }

  private setVar(name: string, value: unknown): void {
    for (let i = this.names.length - 1; i >= 0; i--) {
      if (this.names[i] === name) {
        this.values[i] = value;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }

  private pop(mark: number): void {
    this.names.length = mark;
    this.values.length = mark;
  }

  // --- walking ---

  walk(dot: unknown, node: Node): void {
    switch (node.kind) {
      case "text":
        this.out += node.text;
        return;
      case "action": {
        const v = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) {
          if (typeof v === "string") this.out += v;
          else if (v === undefined || v === null) this.out += "<no value>";
          // text/template prints what a pointer points to: {{.PodColor}} is "{[96] <nil>}".
          else if (v instanceof GoColor) this.out += `{[${v.params.join(" ")}] <nil>}`;
          else {
            this.node = node;
            this.out += formatValue(v);
          }
        }
        return;
      }
      case "list":
        for (const n of node.nodes) this.walk(dot, n);
        return;
      case "if":
      case "with": {
        const mark = this.names.length;
        const v = this.evalPipeline(dot, node.pipe);
        if (truth(v)) this.walk(node.kind === "with" ? v : dot, node.list);
        else if (node.elseList !== null) this.walk(dot, node.elseList);
        this.pop(mark);
        return;
      }
      case "range":
        this.walkRange(dot, node);
        return;
      case "template":
        this.walkTemplate(dot, node);
        return;
      case "break":
        throw BREAK;
      case "continue":
        throw CONTINUE;
    }
  }

  private walkRange(dot: unknown, r: BranchNode): void {
    this.node = r;
    const outer = this.names.length;
    const val = this.evalPipeline(dot, r.pipe);
    const mark = this.names.length;
    const decl = r.pipe.decl;
    const assign = r.pipe.isAssign;
    const one = (index: unknown, elem: unknown): void => {
      if (decl.length > 0) {
        if (assign) this.setVar(decl[0]!.ident[0]!, decl.length > 1 ? index : elem);
        else this.values[mark - 1] = elem;
      }
      if (decl.length > 1) {
        if (assign) this.setVar(decl[1]!.ident[0]!, elem);
        else this.values[mark - 2] = index;
      }
      try {
        this.walk(elem, r.list);
      } catch (e) {
        if (e !== CONTINUE) throw e;
      } finally {
        this.pop(mark);
      }
    };
    let ran = false;
    try {
      if (Array.isArray(val)) {
        ran = val.length > 0;
        for (let i = 0; i < val.length; i++) one(BigInt(i), val[i]);
      } else if (val instanceof StringMap) {
        const keys = val.keys();
        ran = keys.length > 0;
        for (const k of keys) one(k, val.get(k));
      } else if (typeof val === "bigint") {
        if (decl.length > 1) this.errorf(`can't use ${val} to iterate over more than one variable`);
        ran = val > 0n;
        for (let i = 0n; i < val; i++) one(undefined, i);
      } else if (val === undefined || val === null) {
        // A nil collection is empty, not an error.
      } else if (typeof val === "object" && isAnyMap(val)) {
        const keys = Object.keys(val).sort(compareGoStrings);
        ran = keys.length > 0;
        for (const k of keys) one(k, val[k]);
      } else {
        this.errorf(`range can't iterate over ${formatValue(val)}`);
      }
    } catch (e) {
      if (e !== BREAK) throw e;
      ran = true;
    }
    this.pop(outer);
    if (!ran && r.elseList !== null) this.walk(dot, r.elseList);
  }

  private walkTemplate(dot: unknown, t: TemplateNode): void {
    this.node = t;
    const body = this.prog.lookup(t.name);
    if (body === undefined) this.errorf(`template ${quoteGo(t.name)} not defined`);
    if (this.depth >= MAX_DEPTH) this.errorf(`exceeded maximum template depth (${MAX_DEPTH})`);
    const newDot = t.pipe === null ? undefined : this.evalPipeline(dot, t.pipe);
    const [names, values, name] = [this.names, this.values, this.tmplName];
    this.names = ["$"];
    this.values = [newDot];
    this.tmplName = t.name;
    this.depth++;
    try {
      this.walk(newDot, body);
    } finally {
      this.depth--;
      [this.names, this.values, this.tmplName] = [names, values, name];
    }
  }

  // --- pipelines and commands ---

  evalPipeline(dot: unknown, pipe: PipeNode): unknown {
    this.node = pipe;
    let value: unknown = NO_FINAL;
    const cmds = pipe.cmds;
    for (let i = 0; i < cmds.length; i++) {
      value = this.evalCommand(dot, cmds[i]!, value);
      // A nil interface result becomes Go's invalid value ("<no value>").
      if (value === null) value = undefined;
    }
    const decl = pipe.decl;
    for (let i = 0; i < decl.length; i++) {
      const name = decl[i]!.ident[0]!;
      if (pipe.isAssign) this.setVar(name, value);
      else {
        this.names.push(name);
        this.values.push(value);
      }
    }
    return value;
  }

  private notAFunction(args: readonly ArgNode[] | null, final: Final): void {
    if ((args !== null && args.length > 1) || final !== NO_FINAL) {
      this.errorf(`can't give argument to non-function ${nodeString(args![0]!)}`);
    }
  }

  private evalCommand(dot: unknown, cmd: CommandNode, final: Final): unknown {
    const first = cmd.args[0]!;
    switch (first.kind) {
      case "field":
        this.node = first;
        return this.evalFieldChain(dot, dot, first, first.ident, 0, cmd.args, final);
      case "chain":
        return this.evalChainNode(dot, first, cmd.args, final);
      case "identifier":
        return this.evalFunction(dot, first, cmd, cmd.args, final);
      case "pipe":
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case "variable":
        return this.evalVariableNode(dot, first, cmd.args, final);
    }
    this.node = first;
    this.notAFunction(cmd.args, final);
    switch (first.kind) {
      case "bool":
        return first.val;
      case "dot":
        return dot;
      case "nil":
        this.errorf("nil is not a command");
        break;
      case "number":
        return this.idealConstant(first);
      case "string":
        return first.text;
    }
    this.errorf(`can't evaluate command ${quoteGo(nodeString(first))}`);
  }

  private idealConstant(n: NumberNode): unknown {
    this.node = n;
    const t = n.text;
    if (n.isComplex) return new GoComplex(0, n.float);
    const hexInt = t.length > 2 && t[0] === "0" && (t[1] === "x" || t[1] === "X") && !/[pP]/.test(t);
    if (n.isFloat && !hexInt && t[0] !== "'" && /[.eEpP]/.test(t)) return n.float;
    if (n.isInt) return n.int;
    if (n.isUint) this.errorf(`${t} overflows int`);
    return undefined;
  }

  private evalVariableNode(
    dot: unknown,
    v: VariableNode,
    args: readonly ArgNode[] | null,
    final: Final,
  ): unknown {
    this.node = v;
    const value = this.varValue(v.ident[0]!);
    if (v.ident.length === 1) {
      this.notAFunction(args, final);
      return value;
    }
    return this.evalFieldChain(dot, value, v, v.ident, 1, args, final);
  }

  private evalChainNode(
    dot: unknown,
    chain: ChainNode,
    args: readonly ArgNode[] | null,
    final: Final,
  ): unknown {
    this.node = chain;
    if (chain.node.kind === "nil") this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const pipe = this.evalArg(dot, "reflect", chain.node);
    return this.evalFieldChain(dot, pipe, chain, chain.field, 0, args, final);
  }

  private evalFieldChain(
    dot: unknown,
    receiver: unknown,
    node: CachedNode,
    ident: readonly string[],
    start: number,
    args: readonly ArgNode[] | null,
    final: Final,
  ): unknown {
    this.lastIface = false;
    const n = ident.length;
    for (let i = start; i < n - 1; i++)
      receiver = this.evalField(dot, ident[i]!, node, i, null, NO_FINAL, receiver);
    return this.evalField(dot, ident[n - 1]!, node, n - 1, args, final, receiver);
  }

  private evalField(
    dot: unknown,
    name: string,
    node: CachedNode,
    i: number,
    args: readonly ArgNode[] | null,
    final: Final,
    receiver: unknown,
  ): unknown {
    if (receiver instanceof StructValue) {
      let idx: number | undefined;
      if (node.cacheType[i] === receiver.type) idx = node.cacheIdx[i];
      else {
        idx = receiver.type.index.get(name);
        if (idx !== undefined) {
          node.cacheType[i] = receiver.type;
          node.cacheIdx[i] = idx;
        }
      }
      if (idx !== undefined) {
        if ((args !== null && args.length > 1) || final !== NO_FINAL) {
          this.errorf(`${name} has arguments but cannot be invoked as function`);
        }
        this.lastIface = false;
        return receiver.values[idx];
      }
      this.errorf(`can't evaluate field ${name} in type ${receiver.type.name}`);
    }
    if (receiver === undefined) return undefined;
    if (receiver === null) this.errorf(`nil pointer evaluating interface {}.${name}`);
    const hasArgs = (args !== null && args.length > 1) || final !== NO_FINAL;
    if (typeof receiver === "object") {
      if (receiver instanceof StringMap) {
        if (hasArgs) this.errorf(`${name} is not a method but has arguments`);
        this.lastIface = false;
        return receiver.get(name);
      }
      if (receiver instanceof GoTime || receiver instanceof JsonNumber || receiver instanceof GoColor) {
        const m = methodOf(receiver, name);
        if (m !== undefined) {
          this.lastIface = false;
          return this.evalCall(dot, m, node, name, args, final);
        }
      } else if (!Array.isArray(receiver) && !(receiver instanceof GoColor) && isAnyMap(receiver)) {
        if (hasArgs) this.errorf(`${name} is not a method but has arguments`);
        this.lastIface = true;
        return Object.hasOwn(receiver, name) ? receiver[name] : undefined;
      }
    }
    this.errorf(
      `can't evaluate field ${name} in type ${this.lastIface ? "interface {}" : typeName(receiver)}`,
    );
  }

  private evalFunction(
    dot: unknown,
    node: IdentifierNode,
    cmd: CtxNode,
    args: readonly ArgNode[] | null,
    final: Final,
  ): unknown {
    this.node = node;
    return this.evalCall(dot, node.fn, cmd, node.name, args, final);
  }

  private evalCall(
    dot: unknown,
    fn: FuncInfo,
    node: CtxNode,
    name: string,
    args: readonly ArgNode[] | null,
    final: Final,
  ): unknown {
    const numArgs = args === null ? 0 : args.length - 1;
    const hasFinal = final !== NO_FINAL;
    const numIn = numArgs + (hasFinal ? 1 : 0);
    const { params, variadic } = fn.sig;
    const numFixed = params.length;
    if (variadic !== null) {
      if (numIn < numFixed)
        this.errorf(`wrong number of args for ${name}: want at least ${numFixed} got ${numArgs}`);
    } else if (numIn !== numFixed) {
      this.errorf(`wrong number of args for ${name}: want ${numFixed} got ${numIn}`);
    }
    const builtin = fn.builtin;
    if (builtin === "and" || builtin === "or") {
      // Short-circuit: the deciding value is the result.
      let v: unknown;
      for (let i = 1; i <= numArgs; i++) {
        v = this.evalArg(dot, "reflect", args![i]!);
        if (truth(v) === (builtin === "or")) return v;
      }
      if (hasFinal) v = final;
      return v;
    }
    const argv: unknown[] = new Array(numIn);
    let i = 0;
    for (; i < numFixed && i < numArgs; i++) argv[i] = this.evalArg(dot, params[i]!, args![i + 1]!);
    if (variadic !== null) for (; i < numArgs; i++) argv[i] = this.evalArg(dot, variadic, args![i + 1]!);
    if (hasFinal) {
      const t =
        variadic === null ? params[numFixed - 1]! : numIn - 1 < numFixed ? params[numIn - 1]! : variadic;
      argv[i] = this.validateType(final, t);
    }
    try {
      if (builtin !== null) {
        const callee = builtin === "call" ? (numArgs > 0 ? nodeString(args![1]!) : String(final)) : "";
        return callBuiltin(builtin, argv, callee);
      }
      return fn.impl!(...argv);
    } catch (e) {
      if (e instanceof TemplateExecError) throw e;
      this.node = node;
      this.errorf(`error calling ${name}: ${errText(e)}`);
    }
  }

  private evalArg(dot: unknown, type: ParamType, n: ArgNode): unknown {
    this.node = n;
    switch (n.kind) {
      case "dot":
        return this.validateType(dot, type);
      case "nil":
        if (type === "reflect") return undefined;
        if (type === "any" || type === "color") return null;
        this.errorf(`cannot assign nil to ${PARAM_NAMES[type]}`);
        break;
      case "field":
        return this.validateType(this.evalFieldChain(dot, dot, n, n.ident, 0, null, NO_FINAL), type);
      case "variable":
        return this.validateType(this.evalVariableNode(dot, n, null, NO_FINAL), type);
      case "pipe":
        return this.validateType(this.evalPipeline(dot, n), type);
      case "identifier":
        return this.validateType(this.evalFunction(dot, n, n, null, NO_FINAL), type);
      case "chain":
        return this.validateType(this.evalChainNode(dot, n, null, NO_FINAL), type);
    }
    switch (type) {
      case "bool":
        if (n.kind === "bool") return n.val;
        this.errorf(`expected bool; found ${nodeString(n)}`);
        break;
      case "string":
        if (n.kind === "string") return n.text;
        this.errorf(`expected string; found ${nodeString(n)}`);
        break;
      case "int":
      case "attr":
        if (n.kind === "number" && n.isInt) return n.int;
        this.errorf(`expected integer; found ${nodeString(n)}`);
        break;
      case "float64":
        if (n.kind === "number" && n.isFloat) return n.float;
        this.errorf(`expected float; found ${nodeString(n)}`);
        break;
      case "any":
      case "reflect":
        switch (n.kind) {
          case "bool":
            return n.val;
          case "number":
            return this.idealConstant(n);
          case "string":
            return n.text;
        }
    }
    this.errorf(`can't handle ${nodeString(n)} for arg of type ${PARAM_NAMES[type]}`);
  }

  private validateType(v: unknown, type: ParamType): unknown {
    switch (type) {
      case "reflect":
        return v;
      case "any":
        return v === undefined ? null : v;
      case "string":
        if (typeof v === "string") return v;
        break;
      case "int":
      case "attr":
        if (typeof v === "bigint") return v;
        break;
      case "float64":
        if (typeof v === "number") return v;
        break;
      case "bool":
        if (typeof v === "boolean") return v;
        break;
      case "color":
        if (v instanceof GoColor) return v;
        if (v === null) this.errorf("dereference of nil pointer of type color.Color");
        break;
    }
    if (v === undefined) this.errorf(`invalid value; expected ${PARAM_NAMES[type]}`);
    const got = v === null ? "interface {}" : typeName(v);
    this.errorf(`wrong type for value; expected ${PARAM_NAMES[type]}; got ${got}`);
  }
}

// --- methods on time.Time and json.Number --------------------------------------------------------

const NO_ARGS = { params: [] as ParamType[], variadic: null };

function method(name: string, impl: (...args: unknown[]) => unknown, params: ParamType[] = []): FuncInfo {
  return { name, builtin: null, impl, sig: params.length === 0 ? NO_ARGS : { params, variadic: null } };
}

function methodOf(recv: GoTime | JsonNumber | GoColor, name: string): FuncInfo | undefined {
  if (recv instanceof GoColor) {
    // *color.Color's Sprint and Sprintf (stern's record has two: .PodColor.Sprint "x").
    if (name === "Sprint") {
      return {
        name,
        builtin: null,
        impl: (...a) => recv.sprint(sprint(a)),
        sig: { params: [], variadic: "any" },
      };
    }
    if (name === "Sprintf") {
      return {
        name,
        builtin: null,
        impl: (f, ...a) => recv.sprint(sprintf(f as string, a)),
        sig: { params: ["string"], variadic: "any" },
      };
    }
    return undefined;
  }
  if (recv instanceof JsonNumber) {
    switch (name) {
      case "String":
        return method(name, () => recv.text);
      case "Int64":
        return method(name, () => {
          if (!/^[+-]?\d+$/.test(recv.text))
            throw new Error(`strconv.ParseInt: parsing ${quoteGo(recv.text)}: invalid syntax`);
          return BigInt(recv.text);
        });
      case "Float64":
        return method(name, () => Number(recv.text));
    }
    return undefined;
  }
  const t = recv;
  const c = (): Civil => civil(t);
  switch (name) {
    case "Format":
      return method(name, (layout) => t.format(layout as string), ["string"]);
    case "String":
      return method(name, () => t.toString());
    case "UTC":
      return method(name, () => t.in(UTC));
    case "Local":
      return method(name, () => t.in(localLocation()));
    case "Unix":
      return method(name, () => BigInt(t.sec));
    case "UnixMilli":
      return method(name, () => BigInt(t.sec) * 1000n + BigInt(Math.floor(t.nsec / 1e6)));
    case "UnixMicro":
      return method(name, () => BigInt(t.sec) * 1000000n + BigInt(Math.floor(t.nsec / 1e3)));
    case "UnixNano":
      return method(name, () => BigInt(t.sec) * 1000000000n + BigInt(t.nsec));
    case "IsZero":
      return method(name, () => t.isZero());
    case "Year":
      return method(name, () => BigInt(c().year));
    case "Month":
      return method(name, () => MONTHS[c().month - 1]);
    case "Day":
      return method(name, () => BigInt(c().day));
    case "Hour":
      return method(name, () => BigInt(c().hour));
    case "Minute":
      return method(name, () => BigInt(c().min));
    case "Second":
      return method(name, () => BigInt(c().sec));
    case "Nanosecond":
      return method(name, () => BigInt(t.nsec));
    case "YearDay":
      return method(name, () => BigInt(c().yday));
    case "Weekday":
      return method(name, () => DAYS[c().weekday]);
  }
  return undefined;
}
