// Kubernetes label selectors, parsed and matched as apimachinery's labels.Parse does: `a=b`, `a==b`,
// `a!=b`, `a in (b,c)`, `a notin (b)`, `a`, `!a`, `a>3`, `a<3`, joined by commas (all must hold).
// For what the API cannot do for us (--ignore leaves out pods that match, a negation of several
// requirements no one API selector says) and to check a selector before it is sent (--node-selector).
// Pure.

export type Operator = "exists" | "!exists" | "in" | "notin" | "gt" | "lt";

export interface Requirement {
  key: string;
  op: Operator;
  values: readonly string[];
}

export class LabelSelectorError extends Error {}

export interface LabelSelector {
  readonly source: string;
  readonly requirements: readonly Requirement[];
  matches(labels: Readonly<Record<string, string>> | undefined): boolean;
}

type Token =
  | { kind: "id"; text: string }
  | { kind: "op"; text: "=" | "==" | "!=" | "!" | ">" | "<" | "," | "(" | ")" }
  | { kind: "end" };

const SPECIAL = new Set([" ", "\t", "\n", "\r", ",", "=", "!", "(", ")", "<", ">"]);

function lex(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === "==" || two === "!=") {
      out.push({ kind: "op", text: two });
      i += 2;
      continue;
    }
    if (c === "=" || c === "!" || c === ">" || c === "<" || c === "," || c === "(" || c === ")") {
      out.push({ kind: "op", text: c });
      i++;
      continue;
    }
    let j = i;
    while (j < text.length && !SPECIAL.has(text[j] as string)) j++;
    out.push({ kind: "id", text: text.slice(i, j) });
    i = j;
  }
  out.push({ kind: "end" });
  return out;
}

const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A label key: an optional DNS subdomain prefix and "/", then a name of at most 63 characters. */
function checkKey(key: string): void {
  const slash = key.lastIndexOf("/");
  const prefix = slash === -1 ? undefined : key.slice(0, slash);
  const name = slash === -1 ? key : key.slice(slash + 1);
  const bad =
    name.length === 0 ||
    name.length > 63 ||
    !NAME.test(name) ||
    (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix)));
  if (bad) throw new LabelSelectorError(`"${key}" is not a valid label key`);
}

/** A label value: empty, or at most 63 alphanumerics, '-', '_' and '.', alphanumeric at both ends. */
function checkValue(value: string): void {
  if (value !== "" && (value.length > 63 || !NAME.test(value)))
    throw new LabelSelectorError(`"${value}" is not a valid label value`);
}

export function parseLabelSelector(source: string): LabelSelector {
  const tokens = lex(source);
  let at = 0;
  const peek = (): Token => tokens[at] as Token;
  const next = (): Token => tokens[at++] as Token;
  const describe = (t: Token) => (t.kind === "end" ? "the end" : `"${t.text}"`);
  const expect = (what: string): never => {
    throw new LabelSelectorError(`expected ${what}, found ${describe(peek())}`);
  };
  const requirements: Requirement[] = [];
  if (peek().kind === "end") return selector(source, requirements);
  for (;;) {
    let t = next();
    if (t.kind === "op" && t.text === "!") {
      t = next();
      if (t.kind !== "id") {
        at--;
        expect("a label key after '!'");
      }
      checkKey((t as { text: string }).text);
      requirements.push({ key: (t as { text: string }).text, op: "!exists", values: [] });
    } else if (t.kind === "id") {
      const key = t.text;
      checkKey(key);
      const op = peek();
      if (op.kind === "end" || (op.kind === "op" && op.text === ",")) {
        requirements.push({ key, op: "exists", values: [] });
      } else if (op.kind === "id" && (op.text === "in" || op.text === "notin")) {
        next();
        if (!(peek().kind === "op" && (peek() as { text: string }).text === "("))
          expect(`'(' after ${op.text}`);
        next();
        const values: string[] = [];
        for (;;) {
          const v = next();
          if (v.kind === "id") {
            checkValue(v.text);
            values.push(v.text);
          } else if (v.kind === "op" && v.text === ")" && values.length === 0) {
            throw new LabelSelectorError(`${op.text} needs at least one value`);
          } else {
            at--;
            expect("a label value");
          }
          const sep = next();
          if (sep.kind === "op" && sep.text === ")") break;
          if (!(sep.kind === "op" && sep.text === ",")) {
            at--;
            expect("',' or ')'");
          }
        }
        requirements.push({ key, op: op.text, values });
      } else if (op.kind === "op" && ["=", "==", "!=", ">", "<"].includes(op.text)) {
        next();
        const v = peek();
        // `a=` selects the empty value.
        const value = v.kind === "id" ? v.text : "";
        if (v.kind === "id") next();
        if (op.text === ">" || op.text === "<") {
          if (!/^-?\d+$/.test(value))
            throw new LabelSelectorError(`${op.text} needs an integer, not "${value}"`);
          requirements.push({ key, op: op.text === ">" ? "gt" : "lt", values: [value] });
        } else {
          checkValue(value);
          requirements.push({ key, op: op.text === "!=" ? "notin" : "in", values: [value] });
        }
      } else {
        expect("an operator (=, ==, !=, in, notin, >, <) or ','");
      }
    } else {
      at--;
      expect("a label key");
    }
    const sep = next();
    if (sep.kind === "end") break;
    if (!(sep.kind === "op" && sep.text === ",")) {
      at--;
      expect("','");
    }
  }
  return selector(source, requirements);
}

function selector(source: string, requirements: Requirement[]): LabelSelector {
  return {
    source,
    requirements,
    matches: (labels) => requirements.every((r) => holds(r, labels ?? {})),
  };
}

function holds(r: Requirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.hasOwn(labels, r.key);
  const value = labels[r.key] ?? "";
  switch (r.op) {
    case "exists":
      return has;
    case "!exists":
      return !has;
    case "in":
      return has && r.values.includes(value);
    case "notin":
      return !has || !r.values.includes(value);
    case "gt":
    case "lt": {
      if (!has || !/^-?\d+$/.test(value)) return false;
      const n = Number(value);
      const bound = Number(r.values[0]);
      return r.op === "gt" ? n > bound : n < bound;
    }
  }
}
