// Lexer and parser for Go's text/template language, following the documented grammar and messages.

import { quoteGo } from "../util/goquote.ts";
import { decodeGoBytes, goBytes, isWellFormed } from "../util/gostring.ts";
import type { StructType } from "./values.ts";

export class TemplateParseError extends Error {
  override name = "TemplateParseError";
}

// --- tokens --------------------------------------------------------------------------------------

type ItemType =
  | "error"
  | "bool"
  | "char"
  | "charConstant"
  | "declare"
  | "assign"
  | "eof"
  | "field"
  | "identifier"
  | "leftDelim"
  | "leftParen"
  | "number"
  | "pipe"
  | "rawString"
  | "rightDelim"
  | "rightParen"
  | "space"
  | "string"
  | "text"
  | "variable"
  // keywords
  | "block"
  | "break"
  | "continue"
  | "dot"
  | "define"
  | "else"
  | "end"
  | "if"
  | "nil"
  | "range"
  | "template"
  | "with";

interface Item {
  typ: ItemType;
  val: string;
  pos: number;
}

const KEYWORDS: Record<string, ItemType> = {
  ".": "dot",
  block: "block",
  break: "break",
  continue: "continue",
  define: "define",
  else: "else",
  end: "end",
  if: "if",
  range: "range",
  nil: "nil",
  template: "template",
  with: "with",
};
const KEYWORD_TYPES = new Set<ItemType>(Object.values(KEYWORDS));

function itemString(i: Item): string {
  if (i.typ === "eof") return "EOF";
  if (i.typ === "error") return i.val;
  if (KEYWORD_TYPES.has(i.typ)) return `<${i.val}>`;
  const runes = [...i.val];
  if (runes.length > 10) return `${goQuote(runes.slice(0, 10).join(""))}...`;
  return goQuote(i.val);
}

/** strconv.Quote, as Go's %q writes names and tokens in its messages. */
const goQuote = (s: string): string => quoteGo(s);

const isSpace = (c: string | undefined): boolean => c === " " || c === "\t" || c === "\r" || c === "\n";
const ALNUM = /[\p{L}\p{Nd}_]/u;
const isAlphaNumeric = (c: string | undefined): boolean =>
  c !== undefined &&
  (c === "_" ||
    (c >= "a" && c <= "z") ||
    (c >= "A" && c <= "Z") ||
    (c >= "0" && c <= "9") ||
    (c > "\x7f" && ALNUM.test(c)));

function formatU(c: string): string {
  const cp = c.codePointAt(0) ?? 0;
  const hex = cp.toString(16).toUpperCase().padStart(4, "0");
  return cp >= 0x20 && cp !== 0x7f ? `U+${hex} '${c}'` : `U+${hex}`;
}

const LEFT = "{{";
const RIGHT = "}}";

/** Tokenizes the whole template; an error token ends the stream as Go's lexer does. */
function lex(input: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  let start = 0;
  let parenDepth = 0;
  const emit = (typ: ItemType): void => {
    items.push({ typ, val: input.slice(start, pos), pos: start });
    start = pos;
  };
  const errorf = (msg: string): false => {
    items.push({ typ: "error", val: msg, pos: start });
    return false;
  };
  const atRightDelim = (): [boolean, boolean] => {
    if (isSpace(input[pos]) && input[pos + 1] === "-" && input.startsWith(RIGHT, pos + 2))
      return [true, true];
    if (input.startsWith(RIGHT, pos)) return [true, false];
    return [false, false];
  };
  const atTerminator = (): boolean => {
    const r = input[pos];
    if (r === undefined || isSpace(r)) return true;
    if (r === "." || r === "," || r === "|" || r === ":" || r === ")" || r === "(") return true;
    return input.startsWith(RIGHT, pos);
  };
  const leftTrimLength = (s: string): number => s.length - s.replace(/^[ \t\r\n]+/, "").length;
  const rightTrimLength = (s: string): number => s.length - s.replace(/[ \t\r\n]+$/, "").length;
  const nextRune = (): string | undefined => {
    const cp = input.codePointAt(pos);
    if (cp === undefined) return undefined;
    const ch = String.fromCodePoint(cp);
    pos += ch.length;
    return ch;
  };

  // Returns false after an error token.
  const lexText = (): boolean | "action" => {
    const x = input.indexOf(LEFT, pos);
    if (x < 0) {
      pos = input.length;
      if (pos > start) emit("text");
      items.push({ typ: "eof", val: "", pos });
      return false;
    }
    if (x > start) {
      pos = x;
      let trim = 0;
      const after = input.slice(x + LEFT.length, x + LEFT.length + 2);
      if (after[0] === "-" && isSpace(after[1])) trim = rightTrimLength(input.slice(start, pos));
      const text = input.slice(start, pos - trim);
      if (text.length > 0) items.push({ typ: "text", val: text, pos: start });
      start = pos;
    }
    return "action";
  };

  const lexLeftDelim = (): boolean => {
    pos += LEFT.length;
    const trim = input[pos] === "-" && isSpace(input[pos + 1]);
    const afterMarker = trim ? 2 : 0;
    if (input.startsWith("/*", pos + afterMarker)) {
      pos += afterMarker;
      start = pos;
      // comment
      const x = input.indexOf("*/", pos + 2);
      if (x < 0) return errorf("unclosed comment");
      pos = x + 2;
      const [delim, trimSpace] = atRightDelim();
      if (!delim) return errorf("comment ends before closing delimiter");
      if (trimSpace) pos += 2;
      pos += RIGHT.length;
      if (trimSpace) pos += leftTrimLength(input.slice(pos));
      start = pos;
      return true;
    }
    items.push({ typ: "leftDelim", val: LEFT, pos: start });
    pos += afterMarker;
    start = pos;
    parenDepth = 0;
    return lexInsideAction();
  };

  const scanNumber = (): boolean => {
    if (input[pos] === "+" || input[pos] === "-") pos++;
    let digits = "0123456789_";
    if (input[pos] === "0") {
      pos++;
      const c = input[pos];
      if (c === "x" || c === "X") {
        pos++;
        digits = "0123456789abcdefABCDEF_";
      } else if (c === "o" || c === "O") {
        pos++;
        digits = "01234567_";
      } else if (c === "b" || c === "B") {
        pos++;
        digits = "01_";
      }
    }
    const run = (set: string): void => {
      while (pos < input.length && set.includes(input[pos]!)) pos++;
    };
    run(digits);
    if (input[pos] === ".") {
      pos++;
      run(digits);
    }
    if (digits.length === 11 && (input[pos] === "e" || input[pos] === "E")) {
      pos++;
      if (input[pos] === "+" || input[pos] === "-") pos++;
      run("0123456789_");
    }
    if (digits.length === 23 && (input[pos] === "p" || input[pos] === "P")) {
      pos++;
      if (input[pos] === "+" || input[pos] === "-") pos++;
      run("0123456789_");
    }
    if (input[pos] === "i") pos++;
    if (isAlphaNumeric(input[pos])) {
      pos++;
      return false;
    }
    return true;
  };

  const lexQuoted = (quote: string, typ: ItemType, msg: string): boolean => {
    for (;;) {
      const r = nextRune();
      if (r === "\\" && quote !== "`") {
        const r2 = nextRune();
        if (r2 !== undefined && r2 !== "\n") continue;
        return errorf(msg);
      }
      if (r === undefined || (r === "\n" && quote !== "`")) return errorf(msg);
      if (r === quote) break;
    }
    emit(typ);
    return true;
  };

  const lexFieldOrVariable = (typ: "field" | "variable"): boolean => {
    if (atTerminator()) {
      emit(typ === "variable" ? "variable" : "dot");
      return true;
    }
    let r: string | undefined;
    for (;;) {
      const save = pos;
      r = nextRune();
      if (!isAlphaNumeric(r)) {
        pos = save;
        break;
      }
    }
    if (!atTerminator()) return errorf(`bad character ${formatU(r ?? "")}`);
    emit(typ);
    return true;
  };

  const lexInsideAction = (): boolean => {
    for (;;) {
      const [delim, trimSpace] = atRightDelim();
      if (delim) {
        if (parenDepth !== 0) return errorf("unclosed left paren");
        if (trimSpace) {
          pos += 2;
          start = pos;
        }
        pos += RIGHT.length;
        emit("rightDelim");
        if (trimSpace) {
          pos += leftTrimLength(input.slice(pos));
          start = pos;
        }
        return true;
      }
      const r = nextRune();
      if (r === undefined) return errorf("unclosed action");
      if (isSpace(r)) {
        pos -= 1;
        let n = 0;
        while (isSpace(input[pos])) {
          pos++;
          n++;
        }
        // A trim-marked closing delimiter starts with a space: leave it for the delimiter.
        if (
          input[pos - 1] !== undefined &&
          isSpace(input[pos - 1]) &&
          input[pos] === "-" &&
          input.startsWith(RIGHT, pos + 1)
        ) {
          pos--;
          if (n === 1) continue;
        }
        emit("space");
        continue;
      }
      switch (r) {
        case "=":
          emit("assign");
          continue;
        case ":":
          if (input[pos] !== "=") return errorf("expected :=");
          pos++;
          emit("declare");
          continue;
        case "|":
          emit("pipe");
          continue;
        case '"':
          if (!lexQuoted('"', "string", "unterminated quoted string")) return false;
          continue;
        case "`":
          if (!lexQuoted("`", "rawString", "unterminated raw quoted string")) return false;
          continue;
        case "'":
          if (!lexQuoted("'", "charConstant", "unterminated character constant")) return false;
          continue;
        case "$":
          if (!lexFieldOrVariable("variable")) return false;
          continue;
        case "(":
          emit("leftParen");
          parenDepth++;
          continue;
        case ")":
          parenDepth--;
          if (parenDepth < 0) return errorf("unexpected right paren");
          emit("rightParen");
          continue;
      }
      if (r === ".") {
        const c = input[pos];
        if (c === undefined || c < "0" || c > "9") {
          if (!lexFieldOrVariable("field")) return false;
          continue;
        }
      }
      if (r === "." || r === "+" || r === "-" || (r >= "0" && r <= "9")) {
        pos = start;
        if (!scanNumber()) return errorf(`bad number syntax: ${goQuote(input.slice(start, pos))}`);
        emit("number");
        continue;
      }
      if (isAlphaNumeric(r)) {
        for (;;) {
          const save = pos;
          const c = nextRune();
          if (!isAlphaNumeric(c)) {
            pos = save;
            break;
          }
        }
        if (!atTerminator())
          return errorf(`bad character ${formatU(String.fromCodePoint(input.codePointAt(pos) ?? 0))}`);
        const word = input.slice(start, pos);
        const kw = KEYWORDS[word];
        if (kw !== undefined && Object.hasOwn(KEYWORDS, word)) emit(kw);
        else if (word === "true" || word === "false") emit("bool");
        else emit("identifier");
        continue;
      }
      const cp = r.codePointAt(0)!;
      if (cp < 0x80 && cp >= 0x20 && cp !== 0x7f) {
        emit("char");
        continue;
      }
      return errorf(`unrecognized character in action: ${formatU(r)}`);
    }
  };

  for (;;) {
    const t = lexText();
    if (t === false) break;
    if (!lexLeftDelim()) break;
  }
  return items;
}

// --- nodes ---------------------------------------------------------------------------------------

export type ParamType = "any" | "reflect" | "string" | "int" | "float64" | "bool" | "color" | "attr";

export interface FuncSig {
  params: ParamType[];
  variadic: ParamType | null;
}

export interface FuncInfo {
  name: string;
  builtin: string | null;
  impl: ((...args: unknown[]) => unknown) | null;
  sig: FuncSig;
}

export interface TextNode {
  kind: "text";
  pos: number;
  text: string;
}
export interface FieldNode {
  kind: "field";
  pos: number;
  ident: string[];
  // Inline cache for struct field lookups, per identifier.
  cacheType: (StructType | undefined)[];
  cacheIdx: number[];
}
export interface VariableNode {
  kind: "variable";
  pos: number;
  ident: string[];
  cacheType: (StructType | undefined)[];
  cacheIdx: number[];
}
export interface IdentifierNode {
  kind: "identifier";
  pos: number;
  name: string;
  fn: FuncInfo;
}
export interface DotNode {
  kind: "dot";
  pos: number;
}
export interface NilNode {
  kind: "nil";
  pos: number;
}
export interface BoolNode {
  kind: "bool";
  pos: number;
  val: boolean;
}
export interface NumberNode {
  kind: "number";
  pos: number;
  text: string;
  isInt: boolean;
  isUint: boolean;
  isFloat: boolean;
  isComplex: boolean;
  int: bigint;
  float: number;
}
export interface StringNode {
  kind: "string";
  pos: number;
  quoted: string;
  text: string;
}
export interface ChainNode {
  kind: "chain";
  pos: number;
  node: ArgNode;
  field: string[];
  cacheType: (StructType | undefined)[];
  cacheIdx: number[];
}
export interface PipeNode {
  kind: "pipe";
  pos: number;
  line: number;
  isAssign: boolean;
  decl: VariableNode[];
  cmds: CommandNode[];
}
export interface CommandNode {
  kind: "command";
  pos: number;
  args: ArgNode[];
}
export type ArgNode =
  | FieldNode
  | VariableNode
  | IdentifierNode
  | DotNode
  | NilNode
  | BoolNode
  | NumberNode
  | StringNode
  | ChainNode
  | PipeNode;

export interface ActionNode {
  kind: "action";
  pos: number;
  pipe: PipeNode;
}
export interface BranchNode {
  kind: "if" | "range" | "with";
  pos: number;
  pipe: PipeNode;
  list: ListNode;
  elseList: ListNode | null;
}
export interface ListNode {
  kind: "list";
  pos: number;
  nodes: Node[];
}
export interface TemplateNode {
  kind: "template";
  pos: number;
  name: string;
  pipe: PipeNode | null;
}
export interface BreakNode {
  kind: "break" | "continue";
  pos: number;
}
interface EndNode {
  kind: "end";
  pos: number;
}
interface ElseNode {
  kind: "else";
  pos: number;
}
export type Node = TextNode | ActionNode | BranchNode | ListNode | TemplateNode | BreakNode;
type ParsedNode = Node | EndNode | ElseNode;

// --- node strings (for error contexts) -----------------------------------------------------------

export function nodeString(n: ArgNode | CommandNode | Node | EndNode | ElseNode): string {
  switch (n.kind) {
    case "text":
      return n.text;
    case "field":
      return `.${n.ident.join(".")}`;
    case "variable":
      return n.ident.join(".");
    case "identifier":
      return n.name;
    case "dot":
      return ".";
    case "nil":
      return "nil";
    case "bool":
      return n.val ? "true" : "false";
    case "number":
      return n.text;
    case "string":
      return n.quoted;
    case "chain": {
      let s = nodeString(n.node);
      if (n.node.kind === "pipe") s = `(${s})`;
      for (const f of n.field) s += `.${f}`;
      return s;
    }
    case "command":
      return n.args.map((a) => (a.kind === "pipe" ? `(${nodeString(a)})` : nodeString(a))).join(" ");
    case "pipe": {
      let s = "";
      if (n.decl.length > 0)
        s = `${n.decl.map((v) => nodeString(v)).join(", ")}${n.isAssign ? " = " : " := "}`;
      return s + n.cmds.map((c) => nodeString(c)).join(" | ");
    }
    case "action":
      return `{{${nodeString(n.pipe)}}}`;
    case "if":
    case "range":
    case "with": {
      let s = `{{${n.kind} ${nodeString(n.pipe)}}}${nodeString(n.list)}`;
      if (n.elseList !== null) s += `{{else}}${nodeString(n.elseList)}`;
      return `${s}{{end}}`;
    }
    case "list":
      return n.nodes.map((x) => nodeString(x)).join("");
    case "template":
      return n.pipe === null
        ? `{{template ${goQuote(n.name)}}}`
        : `{{template ${goQuote(n.name)} ${nodeString(n.pipe)}}}`;
    case "break":
      return "{{break}}";
    case "continue":
      return "{{continue}}";
    case "end":
      return "{{end}}";
    case "else":
      return "{{else}}";
  }
}

// --- literals ------------------------------------------------------------------------------------

/** strconv.Unquote for "..." and `...` literals and '...' character constants. */
export function unquote(s: string): string | undefined {
  const q = s[0];
  if (s.length < 2 || s[s.length - 1] !== q) return undefined;
  const body = s.slice(1, -1);
  if (q === "`") return body.includes("`") ? undefined : body.replace(/\r/g, "");
  if (q !== '"' && q !== "'") return undefined;
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === q) return undefined;
    if (c === "\n") return undefined;
    if (c !== "\\") {
      out += c;
      continue;
    }
    const e = body[++i];
    switch (e) {
      case "a":
        out += "\x07";
        break;
      case "b":
        out += "\b";
        break;
      case "f":
        out += "\f";
        break;
      case "n":
        out += "\n";
        break;
      case "r":
        out += "\r";
        break;
      case "t":
        out += "\t";
        break;
      case "v":
        out += "\v";
        break;
      case "\\":
        out += "\\";
        break;
      case "'":
      case '"':
        if (e !== q) return undefined;
        out += e;
        break;
      case "x":
      case "u":
      case "U": {
        const n = e === "x" ? 2 : e === "u" ? 4 : 8;
        const h = body.slice(i + 1, i + 1 + n);
        if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(h)) return undefined;
        const v = Number.parseInt(h, 16);
        if (e === "x") {
          out += rawByte(v, q);
        } else {
          if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) return undefined;
          out += String.fromCodePoint(v);
        }
        i += n;
        break;
      }
      default: {
        if (e !== undefined && e >= "0" && e <= "7") {
          const o = body.slice(i, i + 3);
          if (!/^[0-7]{3}$/.test(o)) return undefined;
          const v = Number.parseInt(o, 8);
          if (v > 255) return undefined;
          out += rawByte(v, q);
          i += 2;
          break;
        }
        return undefined;
      }
    }
  }
  if (q === "'") return [...out].length === 1 ? out : undefined;
  // Bytes from \x and octal escapes that spell UTF-8 ("\xc3\xa9") are its characters, as in Go.
  return isWellFormed(out) ? out : decodeGoBytes(goBytes(out));
}

/**
 * A \x or octal escape: in a string a byte (one of 0x80 and above as its raw-byte surrogate, see
 * util/gostring.ts), in a character constant the code point.
 */
function rawByte(v: number, q: string): string {
  return v < 0x80 || q === "'" ? String.fromCharCode(v) : String.fromCharCode(0xdc00 + v);
}

function parseGoInt(text: string): bigint | undefined {
  let t = text;
  let neg = false;
  if (t[0] === "+" || t[0] === "-") {
    neg = t[0] === "-";
    t = t.slice(1);
  }
  let base = 10;
  let digits = t;
  const p = t.slice(0, 2).toLowerCase();
  if (p === "0x") [base, digits] = [16, t.slice(2)];
  else if (p === "0o") [base, digits] = [8, t.slice(2)];
  else if (p === "0b") [base, digits] = [2, t.slice(2)];
  else if (t.length > 1 && t[0] === "0") [base, digits] = [8, t.slice(1)];
  // Underscores only between digits (or after a base prefix).
  if (/^_|__|_$/.test(digits) && !(base !== 10 && /^_[^_]/.test(digits) && !/__|_$/.test(digits)))
    return undefined;
  const clean = digits.replace(/_/g, "");
  if (clean === "") return undefined;
  const re = base === 16 ? /^[0-9a-fA-F]+$/ : base === 8 ? /^[0-7]+$/ : base === 2 ? /^[01]+$/ : /^\d+$/;
  if (!re.test(clean)) return undefined;
  let v = 0n;
  const b = BigInt(base);
  for (const ch of clean) v = v * b + BigInt(Number.parseInt(ch, 16));
  return neg ? -v : v;
}

function parseGoFloat(text: string): number | undefined {
  const t = text.replace(/_/g, "");
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return Number(t);
  const m = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?\d+)$/.exec(t);
  if (m !== null && (m[2] !== "" || m[3] !== "")) {
    const mant = Number.parseInt(`${m[2] || "0"}${m[3]}`, 16) / 16 ** m[3]!.length;
    const v = mant * 2 ** Number(m[4]);
    return m[1] === "-" ? -v : v;
  }
  return undefined;
}

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);
const UINT64_MAX = (1n << 64n) - 1n;

// --- parser --------------------------------------------------------------------------------------

export interface ParsedTemplates {
  root: ListNode;
  defs: Map<string, ListNode>;
  text: string;
}

const BUILTIN_SIGS: Record<string, FuncSig> = {
  and: { params: ["reflect"], variadic: "reflect" },
  or: { params: ["reflect"], variadic: "reflect" },
  not: { params: ["reflect"], variadic: null },
  len: { params: ["reflect"], variadic: null },
  index: { params: ["reflect"], variadic: "reflect" },
  slice: { params: ["reflect"], variadic: "reflect" },
  print: { params: [], variadic: "any" },
  printf: { params: ["string"], variadic: "any" },
  println: { params: [], variadic: "any" },
  html: { params: [], variadic: "any" },
  js: { params: [], variadic: "any" },
  urlquery: { params: [], variadic: "any" },
  call: { params: ["reflect"], variadic: "reflect" },
  eq: { params: ["reflect"], variadic: "reflect" },
  ne: { params: ["reflect", "reflect"], variadic: null },
  lt: { params: ["reflect", "reflect"], variadic: null },
  le: { params: ["reflect", "reflect"], variadic: null },
  gt: { params: ["reflect", "reflect"], variadic: null },
  ge: { params: ["reflect", "reflect"], variadic: null },
};

export type FuncLookup = (name: string) => FuncInfo | undefined;

export function builtinInfo(name: string): FuncInfo | undefined {
  const sig = BUILTIN_SIGS[name];
  if (sig === undefined || !Object.hasOwn(BUILTIN_SIGS, name)) return undefined;
  return { name, builtin: name, impl: null, sig };
}

class Parser {
  private readonly name: string;
  private readonly items: Item[];
  private idx = 0;
  private vars: string[] = ["$"];
  private rangeDepth = 0;
  private actionLine = 0;
  private last: Item;
  private readonly lookup: FuncLookup;
  readonly defs = new Map<string, ListNode>();
  private readonly lineStarts: number[];

  constructor(name: string, text: string, lookup: FuncLookup) {
    this.name = name;
    this.items = lex(text);
    this.lookup = lookup;
    this.last = this.items[0]!;
    this.lineStarts = [0];
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) this.lineStarts.push(i + 1);
  }

  lineOf(pos: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  errorf(msg: string): never {
    throw new TemplateParseError(`template: ${this.name}:${this.lineOf(this.last.pos)}: ${msg}`);
  }

  private next(): Item {
    const it = this.items[this.idx] ?? this.items[this.items.length - 1]!;
    if (this.idx < this.items.length) this.idx++;
    this.last = it;
    return it;
  }
  private backup(n = 1): void {
    this.idx -= n;
  }
  private peek(): Item {
    return this.items[this.idx] ?? this.items[this.items.length - 1]!;
  }
  private nextNonSpace(): Item {
    let t = this.next();
    while (t.typ === "space") t = this.next();
    return t;
  }
  private peekNonSpace(): Item {
    const t = this.nextNonSpace();
    this.backup();
    return t;
  }
  private expect(typ: ItemType, context: string): Item {
    const t = this.nextNonSpace();
    if (t.typ !== typ) this.unexpected(t, context);
    return t;
  }
  private unexpected(t: Item, context: string): never {
    if (t.typ === "error") {
      let extra = "";
      const line = this.lineOf(t.pos);
      if (this.actionLine !== 0 && this.actionLine !== line) {
        extra = ` in action started at ${this.name}:${this.actionLine}`;
        if (t.val.endsWith(" action")) extra = extra.slice(" in action".length);
      }
      this.errorf(`${t.val}${extra}`);
    }
    this.errorf(`unexpected ${itemString(t)} in ${context}`);
  }

  parse(): ListNode {
    const root: ListNode = { kind: "list", pos: this.peek().pos, nodes: [] };
    while (this.peek().typ !== "eof") {
      if (this.peek().typ === "leftDelim") {
        const save = this.idx;
        this.next();
        if (this.nextNonSpace().typ === "define") {
          this.parseDefinition();
          continue;
        }
        this.idx = save;
      }
      const n = this.textOrAction();
      if (n.kind === "end" || n.kind === "else") this.errorf(`unexpected ${nodeString(n)}`);
      root.nodes.push(n);
    }
    this.next();
    return root;
  }

  private addDef(name: string, list: ListNode): void {
    const old = this.defs.get(name);
    if (old !== undefined && !isEmptyTree(old) && !isEmptyTree(list)) {
      this.errorf(`template: multiple definition of template ${goQuote(name)}`);
    }
    if (old === undefined || isEmptyTree(old)) this.defs.set(name, list);
  }

  private parseDefinition(): void {
    const context = "define clause";
    const t = this.nextNonSpace();
    if (t.typ !== "string" && t.typ !== "rawString") this.unexpected(t, context);
    const name = unquote(t.val);
    if (name === undefined) this.errorf(`invalid syntax`);
    this.expect("rightDelim", context);
    const savedVars = this.vars;
    this.vars = ["$"];
    const [list, end] = this.itemList();
    if (end.kind !== "end") this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    this.vars = savedVars;
    this.addDef(name, list);
  }

  private itemList(): [ListNode, EndNode | ElseNode] {
    const list: ListNode = { kind: "list", pos: this.peekNonSpace().pos, nodes: [] };
    while (this.peekNonSpace().typ !== "eof") {
      const n = this.textOrAction();
      if (n.kind === "end" || n.kind === "else") return [list, n];
      list.nodes.push(n);
    }
    this.errorf("unexpected EOF");
  }

  private textOrAction(): ParsedNode {
    const t = this.nextNonSpace();
    switch (t.typ) {
      case "text":
        return { kind: "text", pos: t.pos, text: t.val };
      case "leftDelim": {
        this.actionLine = this.lineOf(t.pos);
        try {
          return this.action();
        } finally {
          this.actionLine = 0;
        }
      }
      default:
        this.unexpected(t, "input");
    }
  }

  private action(): ParsedNode {
    const t = this.nextNonSpace();
    switch (t.typ) {
      case "block":
        return this.blockControl();
      case "break":
      case "continue":
        return this.breakControl(t);
      case "else":
        return this.elseControl();
      case "end":
        return { kind: "end", pos: this.expect("rightDelim", "end").pos };
      case "if":
        return this.branch("if");
      case "range":
        return this.branch("range");
      case "template":
        return this.templateControl();
      case "with":
        return this.branch("with");
    }
    this.backup();
    const pos = this.peek().pos;
    return { kind: "action", pos, pipe: this.pipeline("command", "rightDelim") };
  }

  private breakControl(t: Item): BreakNode {
    const kw = t.typ as "break" | "continue";
    const next = this.nextNonSpace();
    if (next.typ !== "rightDelim") this.unexpected(next, `{{${kw}}}`);
    if (this.rangeDepth === 0) this.errorf(`{{${kw}}} outside {{range}}`);
    return { kind: kw, pos: t.pos };
  }

  private elseControl(): ElseNode {
    const p = this.peekNonSpace();
    if (p.typ === "if" || p.typ === "with") return { kind: "else", pos: p.pos };
    return { kind: "else", pos: this.expect("rightDelim", "else").pos };
  }

  private branch(context: "if" | "range" | "with"): BranchNode {
    const mark = this.vars.length;
    const pipe = this.pipeline(context, "rightDelim");
    if (context === "range") this.rangeDepth++;
    const [list, next] = this.itemList();
    if (context === "range") this.rangeDepth--;
    let elseList: ListNode | null = null;
    if (next.kind === "else") {
      if (context === "if" && this.peek().typ === "if") {
        this.next();
        elseList = { kind: "list", pos: next.pos, nodes: [this.branch("if")] };
      } else if (context === "with" && this.peek().typ === "with") {
        this.next();
        elseList = { kind: "list", pos: next.pos, nodes: [this.branch("with")] };
      } else {
        const [l, n2] = this.itemList();
        if (n2.kind !== "end") this.errorf(`expected end; found ${nodeString(n2)}`);
        elseList = l;
      }
    }
    this.vars.length = mark;
    return { kind: context, pos: pipe.pos, pipe, list, elseList };
  }

  private parseTemplateName(t: Item, context: string): string {
    if (t.typ === "string" || t.typ === "rawString") {
      const s = unquote(t.val);
      if (s === undefined) this.errorf(`invalid syntax`);
      return s;
    }
    this.unexpected(t, context);
  }

  private templateControl(): TemplateNode {
    const context = "template clause";
    const t = this.nextNonSpace();
    const name = this.parseTemplateName(t, context);
    let pipe: PipeNode | null = null;
    if (this.nextNonSpace().typ !== "rightDelim") {
      this.backup();
      pipe = this.pipeline(context, "rightDelim");
    }
    return { kind: "template", pos: t.pos, name, pipe };
  }

  private blockControl(): TemplateNode {
    const context = "block clause";
    const t = this.nextNonSpace();
    const name = this.parseTemplateName(t, context);
    const pipe = this.pipeline(context, "rightDelim");
    const savedVars = this.vars;
    const savedDepth = this.rangeDepth;
    this.vars = ["$"];
    this.rangeDepth = 0;
    const [list, end] = this.itemList();
    if (end.kind !== "end") this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    this.vars = savedVars;
    this.rangeDepth = savedDepth;
    this.addDef(name, list);
    return { kind: "template", pos: t.pos, name, pipe };
  }

  private pipeline(context: string, end: "rightDelim" | "rightParen"): PipeNode {
    const first = this.peekNonSpace();
    const pipe: PipeNode = {
      kind: "pipe",
      pos: first.pos,
      line: this.lineOf(first.pos),
      isAssign: false,
      decl: [],
      cmds: [],
    };
    for (;;) {
      const v = this.peekNonSpace();
      if (v.typ !== "variable") break;
      this.nextNonSpace();
      const afterVarIdx = this.idx;
      const tokenAfterVariable = this.peek();
      const next = this.peekNonSpace();
      if (next.typ === "assign" || next.typ === "declare") {
        pipe.isAssign = next.typ === "assign";
        this.nextNonSpace();
        pipe.decl.push(this.newVariable(v.pos, v.val));
        this.vars.push(v.val);
      } else if (next.typ === "char" && next.val === ",") {
        this.nextNonSpace();
        pipe.decl.push(this.newVariable(v.pos, v.val));
        this.vars.push(v.val);
        if (context === "range" && pipe.decl.length < 2) {
          const p = this.peekNonSpace().typ;
          if (p === "variable" || p === "rightDelim" || p === "rightParen") continue;
          this.errorf("range can only initialize variables");
        }
        this.errorf(`too many declarations in ${context}`);
      } else if (tokenAfterVariable.typ === "space") {
        this.idx = afterVarIdx - 1;
      } else {
        this.idx = afterVarIdx - 1;
      }
      break;
    }
    for (;;) {
      const t = this.nextNonSpace();
      if (t.typ === end) {
        this.checkPipeline(pipe, context);
        return pipe;
      }
      switch (t.typ) {
        case "bool":
        case "charConstant":
        case "dot":
        case "field":
        case "identifier":
        case "number":
        case "nil":
        case "rawString":
        case "string":
        case "variable":
        case "leftParen":
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(t, context);
      }
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    for (let i = 1; i < pipe.cmds.length; i++) {
      const k = pipe.cmds[i]!.args[0]!.kind;
      if (k === "bool" || k === "dot" || k === "nil" || k === "number" || k === "string") {
        this.errorf(`non executable command in pipeline stage ${i + 1}`);
      }
    }
  }

  private command(): CommandNode {
    const cmd: CommandNode = { kind: "command", pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand !== null) cmd.args.push(operand);
      const t = this.next();
      if (t.typ === "space") continue;
      if (t.typ === "rightDelim" || t.typ === "rightParen") this.backup();
      else if (t.typ !== "pipe") this.unexpected(t, "operand");
      break;
    }
    if (cmd.args.length === 0) this.errorf("empty command");
    return cmd;
  }

  private operand(): ArgNode | null {
    const node = this.term();
    if (node === null) return null;
    if (this.peek().typ === "field") {
      const chainPos = this.peek().pos;
      const fields: string[] = [];
      while (this.peek().typ === "field") fields.push(this.next().val.slice(1));
      switch (node.kind) {
        case "field":
          return this.newField(chainPos, [...node.ident, ...fields]);
        case "variable":
          return { ...this.newVariable(chainPos, node.ident[0]!), ident: [...node.ident, ...fields] };
        case "bool":
        case "string":
        case "number":
        case "nil":
        case "dot":
          this.errorf(`unexpected . after term ${goQuote(nodeString(node))}`);
          break;
        default:
          return { kind: "chain", pos: chainPos, node, field: fields, cacheType: [], cacheIdx: [] };
      }
    }
    return node;
  }

  private newField(pos: number, ident: string[]): FieldNode {
    return { kind: "field", pos, ident, cacheType: [], cacheIdx: [] };
  }

  private newVariable(pos: number, name: string): VariableNode {
    return { kind: "variable", pos, ident: name.split("."), cacheType: [], cacheIdx: [] };
  }

  private term(): ArgNode | null {
    const t = this.nextNonSpace();
    switch (t.typ) {
      case "identifier": {
        const fn = this.lookup(t.val);
        if (fn === undefined) this.errorf(`function ${goQuote(t.val)} not defined`);
        return { kind: "identifier", pos: t.pos, name: t.val, fn };
      }
      case "dot":
        return { kind: "dot", pos: t.pos };
      case "nil":
        return { kind: "nil", pos: t.pos };
      case "variable": {
        if (!this.vars.includes(t.val)) this.errorf(`undefined variable ${goQuote(t.val)}`);
        return this.newVariable(t.pos, t.val);
      }
      case "field":
        return this.newField(t.pos, [t.val.slice(1)]);
      case "bool":
        return { kind: "bool", pos: t.pos, val: t.val === "true" };
      case "charConstant":
      case "number":
        return this.newNumber(t);
      case "leftParen":
        return this.pipeline("parenthesized pipeline", "rightParen");
      case "string":
      case "rawString": {
        const s = unquote(t.val);
        if (s === undefined) this.errorf("invalid syntax");
        return { kind: "string", pos: t.pos, quoted: t.val, text: s };
      }
    }
    this.backup();
    return null;
  }

  private newNumber(t: Item): NumberNode {
    const n: NumberNode = {
      kind: "number",
      pos: t.pos,
      text: t.val,
      isInt: false,
      isUint: false,
      isFloat: false,
      isComplex: false,
      int: 0n,
      float: 0,
    };
    if (t.typ === "charConstant") {
      const s = unquote(t.val);
      if (s === undefined) this.errorf(`malformed character constant: ${t.val}`);
      const cp = s.codePointAt(0)!;
      n.int = BigInt(cp);
      n.float = cp;
      n.isInt = n.isUint = n.isFloat = true;
      return n;
    }
    const text = t.val;
    if (text.endsWith("i")) {
      // An imaginary constant; 0i simplifies to the number 0, as in Go.
      const im = parseGoFloat(text.slice(0, -1));
      if (im === undefined) this.errorf(`illegal number syntax: ${goQuote(text)}`);
      if (im !== 0) {
        n.isComplex = true;
        n.float = im;
        return n;
      }
      n.isInt = n.isUint = n.isFloat = true;
      return n;
    }
    const iv = parseGoInt(text);
    if (iv !== undefined) {
      if (iv >= 0n && iv <= UINT64_MAX) n.isUint = true;
      if (iv >= INT64_MIN && iv <= INT64_MAX) {
        n.isInt = true;
        n.int = iv;
      }
      if (n.isInt || n.isUint) {
        n.isFloat = true;
        n.float = Number(iv);
      } else this.errorf(`integer overflow: ${goQuote(text)}`);
      if (!n.isInt) n.int = iv;
      return n;
    }
    const fv = parseGoFloat(text);
    if (fv !== undefined && Number.isFinite(fv)) {
      if (!/[.eEpP]/.test(text)) this.errorf(`integer overflow: ${goQuote(text)}`);
      n.isFloat = true;
      n.float = fv;
      if (Number.isInteger(fv) && Math.abs(fv) < 2 ** 63) {
        n.isInt = true;
        n.int = BigInt(fv);
      }
      return n;
    }
    this.errorf(`illegal number syntax: ${goQuote(text)}`);
  }
}

function isEmptyTree(l: ListNode): boolean {
  return l.nodes.every((n) => n.kind === "text" && n.text.trim() === "");
}

export function parse(name: string, text: string, lookup: FuncLookup): ParsedTemplates {
  const p = new Parser(name, text, lookup);
  const root = p.parse();
  return { root, defs: p.defs, text };
}
