// Label and field selectors: parsing and matching, following apimachinery's labels/fields packages.

export type LabelOp = "exists" | "!" | "=" | "!=" | "in" | "notin" | "gt" | "lt";

export interface LabelRequirement {
  key: string;
  op: LabelOp;
  values: string[];
}

export type LabelSelector = LabelRequirement[];

export interface FieldRequirement {
  field: string;
  op: "=" | "!=";
  value: string;
}

export type FieldSelector = FieldRequirement[];

export class SelectorError extends Error {}

type Token = { kind: "id"; text: string } | { kind: "op"; text: string } | { kind: "end"; text: string };

const symbols = ["!=", "==", "=", "!", "(", ")", ",", ">", "<"];

function lex(input: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i] ?? "";
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const sym = symbols.find((s) => input.startsWith(s, i));
    if (sym) {
      out.push({ kind: "op", text: sym });
      i += sym.length;
      continue;
    }
    let j = i;
    while (j < input.length && !/\s/.test(input[j] ?? "") && !"!=(),<>".includes(input[j] ?? "")) j++;
    out.push({ kind: "id", text: input.slice(i, j) });
    i = j;
  }
  out.push({ kind: "end", text: "" });
  return out;
}

const nameRe = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const dnsRe = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function validLabelKey(key: string): boolean {
  const parts = key.split("/");
  if (parts.length > 2) return false;
  const name = parts.length === 2 ? (parts[1] ?? "") : key;
  if (parts.length === 2) {
    const prefix = parts[0] ?? "";
    if (prefix.length === 0 || prefix.length > 253 || !dnsRe.test(prefix)) return false;
  }
  return name.length > 0 && name.length <= 63 && nameRe.test(name);
}

export function validLabelValue(value: string): boolean {
  return value === "" || (value.length <= 63 && nameRe.test(value));
}

function describe(t: Token): string {
  return t.kind === "end" ? "end of string" : t.text;
}

/** Parses `a=b,c!=d,e in (f,g),!h,i` into requirements; throws SelectorError like the API server. */
export function parseLabelSelector(input: string): LabelSelector {
  const toks = lex(input);
  let p = 0;
  const peek = (): Token => toks[p] ?? { kind: "end", text: "" };
  const next = (): Token => toks[p++] ?? { kind: "end", text: "" };
  const reqs: LabelSelector = [];
  if (peek().kind === "end") return reqs;

  const key = (): string => {
    const t = next();
    if (t.kind !== "id") throw new SelectorError(`found '${describe(t)}', expected: identifier`);
    if (!validLabelKey(t.text)) {
      throw new SelectorError(
        `unable to parse requirement: key: Invalid value: "${t.text}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
      );
    }
    return t.text;
  };
  const checkValue = (k: string, v: string): string => {
    if (!validLabelValue(v)) {
      throw new SelectorError(
        `unable to parse requirement: values[0][${k}]: Invalid value: "${v}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
      );
    }
    return v;
  };

  for (;;) {
    const t = peek();
    if (t.kind === "op" && t.text === "!") {
      next();
      reqs.push({ key: key(), op: "!", values: [] });
    } else {
      const k = key();
      const op = peek();
      if (op.kind === "end" || (op.kind === "op" && op.text === ",")) {
        reqs.push({ key: k, op: "exists", values: [] });
      } else if (op.kind === "op" && (op.text === "=" || op.text === "==" || op.text === "!=")) {
        next();
        const v = peek();
        let value = "";
        if (v.kind === "id") value = next().text;
        else if (!(v.kind === "end" || (v.kind === "op" && v.text === ","))) {
          throw new SelectorError(`found '${describe(v)}', expected: identifier`);
        }
        reqs.push({ key: k, op: op.text === "!=" ? "!=" : "=", values: [checkValue(k, value)] });
      } else if (op.kind === "op" && (op.text === ">" || op.text === "<")) {
        next();
        const v = next();
        if (v.kind !== "id" || !/^-?\d+$/.test(v.text)) {
          throw new SelectorError(
            `unable to parse requirement: values[0]: Invalid value: "${v.text}": for 'Gt', 'Lt' operators, the value must be an integer`,
          );
        }
        reqs.push({ key: k, op: op.text === ">" ? "gt" : "lt", values: [v.text] });
      } else if (op.kind === "id" && (op.text === "in" || op.text === "notin")) {
        next();
        const open = next();
        if (open.text !== "(" || open.kind !== "op") {
          throw new SelectorError(`found '${describe(open)}', expected: '('`);
        }
        const values: string[] = [];
        for (;;) {
          const v = peek();
          if (v.kind === "id") {
            values.push(checkValue(k, next().text));
          } else if (v.kind === "op" && (v.text === "," || v.text === ")")) {
            values.push(""); // as upstream: `in ()` and `in (a,)` contain the empty value
          } else {
            throw new SelectorError(`found '${describe(v)}', expected: ',', ')' or identifier`);
          }
          const sep = next();
          if (sep.kind === "op" && sep.text === ")") break;
          if (!(sep.kind === "op" && sep.text === ",")) {
            throw new SelectorError(`found '${describe(sep)}', expected: ',' or ')'`);
          }
        }
        reqs.push({ key: k, op: op.text, values });
      } else {
        throw new SelectorError(`found '${describe(op)}', expected: in, notin, =, ==, !=, gt, lt`);
      }
    }
    const sep = next();
    if (sep.kind === "end") break;
    if (!(sep.kind === "op" && sep.text === ",")) {
      throw new SelectorError(`found '${describe(sep)}', expected: ',' or 'end of string'`);
    }
  }
  return reqs;
}

export function matchesLabels(sel: LabelSelector, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  return sel.every((r) => {
    const has = Object.hasOwn(l, r.key);
    const v = l[r.key] ?? "";
    switch (r.op) {
      case "exists":
        return has;
      case "!":
        return !has;
      case "=":
      case "in":
        return has && r.values.includes(v);
      case "!=":
      case "notin":
        return !has || !r.values.includes(v);
      case "gt":
      case "lt": {
        if (!has || !/^-?\d+$/.test(v)) return false;
        const n = Number(v);
        const want = Number(r.values[0]);
        return r.op === "gt" ? n > want : n < want;
      }
    }
    return false;
  });
}

function splitUnescaped(s: string, sep: string): string[] {
  const parts: string[] = [];
  let cur = "";
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] ?? "";
    if (ch === "\\" && i + 1 < s.length) {
      cur += ch + (s[i + 1] ?? "");
      i++;
    } else if (ch === sep) {
      parts.push(cur);
      cur = "";
    } else cur += ch;
  }
  parts.push(cur);
  return parts;
}

function unescapeValue(v: string): string {
  let out = "";
  for (let i = 0; i < v.length; i++) {
    const ch = v[i] ?? "";
    if (ch === "\\") {
      const n = v[i + 1];
      if (n === undefined || !"\\,=".includes(n))
        throw new SelectorError(`invalid field selector value: ${v}`);
      out += n;
      i++;
    } else if (ch === "=" || ch === ",") throw new SelectorError(`invalid field selector value: ${v}`);
    else out += ch;
  }
  return out;
}

/** Parses `a=b,c!=d` (also `==`); values may escape `\,` `\=` `\\`. */
export function parseFieldSelector(input: string): FieldSelector {
  if (input.trim() === "") return [];
  return splitUnescaped(input, ",").map((term) => {
    for (let i = 0; i < term.length; i++) {
      for (const op of ["!=", "==", "="]) {
        if (term.startsWith(op, i) && term[i - 1] !== "\\") {
          return {
            field: term.slice(0, i).trim(),
            op: op === "!=" ? "!=" : "=",
            value: unescapeValue(term.slice(i + op.length)),
          };
        }
      }
    }
    throw new SelectorError(`invalid selector: '${input}'; can't understand '${term}'`);
  });
}

export const podFieldLabels = [
  "metadata.name",
  "metadata.namespace",
  "spec.nodeName",
  "spec.restartPolicy",
  "spec.schedulerName",
  "spec.serviceAccountName",
  "spec.hostNetwork",
  "status.phase",
  "status.podIP",
  "status.nominatedNodeName",
];

/** The event fields the API server selects on (pkg/registry/core/event/strategy.go ToSelectableFields). */
const eventFieldLabels = [
  "metadata.name",
  "metadata.namespace",
  "involvedObject.kind",
  "involvedObject.namespace",
  "involvedObject.name",
  "involvedObject.uid",
  "involvedObject.apiVersion",
  "involvedObject.resourceVersion",
  "involvedObject.fieldPath",
  "reason",
  "reportingComponent",
  "source",
  "type",
];

/** events.k8s.io/v1 names for the same fields. */
const eventsV1Aliases: Record<string, string> = {
  "regarding.kind": "involvedObject.kind",
  "regarding.namespace": "involvedObject.namespace",
  "regarding.name": "involvedObject.name",
  "regarding.uid": "involvedObject.uid",
  "regarding.apiVersion": "involvedObject.apiVersion",
  "regarding.resourceVersion": "involvedObject.resourceVersion",
  "regarding.fieldPath": "involvedObject.fieldPath",
  reportingController: "reportingComponent",
  "deprecatedSource.component": "source",
};

const fieldLabels: Record<string, string[]> = {
  pods: podFieldLabels,
  events: eventFieldLabels,
  "events.k8s.io/events": eventFieldLabels,
  namespaces: ["metadata.name", "status.phase"],
};

const aliases: Record<string, Record<string, string>> = {
  pods: { "spec.host": "spec.nodeName" },
  "events.k8s.io/events": eventsV1Aliases,
};

/** Rewrites aliases and rejects labels the resource does not support (400 `field label not supported`). */
export function normalizeFieldSelector(resource: string, sel: FieldSelector): FieldSelector {
  const allowed = fieldLabels[resource] ?? ["metadata.name", "metadata.namespace"];
  return sel.map((r) => {
    const field = aliases[resource]?.[r.field] ?? r.field;
    if (!allowed.includes(field)) throw new SelectorError(`field label not supported: ${r.field}`);
    return { ...r, field };
  });
}

export function matchesFields(sel: FieldSelector, fields: Record<string, string>): boolean {
  return sel.every((r) => {
    const v = fields[r.field] ?? "";
    return r.op === "=" ? v === r.value : v !== r.value;
  });
}

interface Selectable {
  metadata: { name: string; namespace?: string };
  spec?: unknown;
  status?: unknown;
}

function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

/** The selectable fields of an object, as the registry strategies compute them. */
export function selectableFields(resource: string, obj: Selectable): Record<string, string> {
  const f: Record<string, string> = {
    "metadata.name": obj.metadata.name,
    "metadata.namespace": obj.metadata.namespace ?? "",
  };
  const spec = (obj.spec ?? {}) as Record<string, unknown>;
  const st = (obj.status ?? {}) as Record<string, unknown>;
  if (resource === "pods") {
    f["spec.nodeName"] = str(spec.nodeName);
    f["spec.restartPolicy"] = str(spec.restartPolicy);
    f["spec.schedulerName"] = str(spec.schedulerName);
    f["spec.serviceAccountName"] = str(spec.serviceAccountName);
    f["spec.hostNetwork"] = spec.hostNetwork === true ? "true" : "false";
    f["status.phase"] = str(st.phase);
    f["status.podIP"] = str(st.podIP);
    f["status.nominatedNodeName"] = str(st.nominatedNodeName);
  } else if (resource === "namespaces") {
    f["status.phase"] = str(st.phase);
  } else if (resource === "events" || resource === "events.k8s.io/events") {
    Object.assign(f, eventFields(obj as unknown as Record<string, unknown>));
  }
  return f;
}

/** Both shapes of an event, as the core/v1 field names. */
function eventFields(e: Record<string, unknown>): Record<string, string> {
  const about = (e.involvedObject ?? e.regarding ?? {}) as Record<string, unknown>;
  const source = (e.source ?? e.deprecatedSource ?? {}) as Record<string, unknown>;
  const f: Record<string, string> = {
    reason: str(e.reason),
    type: str(e.type),
    reportingComponent: str(e.reportingComponent ?? e.reportingController),
    source: str(source.component),
  };
  for (const k of ["kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath"]) {
    f[`involvedObject.${k}`] = str(about[k]);
  }
  return f;
}
