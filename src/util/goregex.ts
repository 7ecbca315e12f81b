// stern's regexes are Go RE2. Most RE2 syntax means the same in JavaScript; this translates the
// parts that differ (leading flag groups, named groups, \A \z, \Q..\E, POSIX classes) and rejects what
// JavaScript cannot express, so that a user's stern regexes keep their meaning.

const POSIX_CLASSES: Record<string, string> = {
  alnum: "0-9A-Za-z",
  alpha: "A-Za-z",
  ascii: "\\x00-\\x7F",
  blank: "\\t ",
  cntrl: "\\x00-\\x1F\\x7F",
  digit: "0-9",
  graph: "!-~",
  lower: "a-z",
  print: " -~",
  punct: "!-\\/:-@\\[-`{-~",
  space: "\\t\\n\\v\\f\\r ",
  upper: "A-Z",
  word: "0-9A-Za-z_",
  xdigit: "0-9A-Fa-f",
};

function escapeLiteral(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}

/** Translates Go RE2 syntax to an equivalent JavaScript RegExp; throws with a readable reason. */
export function compileGoRegex(source: string): RegExp {
  let flags = "";
  let body = source;
  const lead = /^\(\?([imsU]+)\)/.exec(body);
  if (lead) {
    const f = lead[1] as string;
    if (f.includes("U")) throw new Error("the (?U) flag is not supported");
    flags = [...new Set(f)].join("");
    body = body.slice(lead[0].length);
  }
  let out = "";
  let unicode = false;
  let inClass = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c === "\\") {
      const n = body[i + 1];
      if (n === undefined) throw new Error("trailing backslash at end of expression");
      if (!inClass && n === "A") {
        out += "(?<![\\s\\S])";
      } else if (!inClass && n === "z") {
        out += "(?![\\s\\S])";
      } else if (n === "Q") {
        const end = body.indexOf("\\E", i + 2);
        const lit = end === -1 ? body.slice(i + 2) : body.slice(i + 2, end);
        out += escapeLiteral(lit);
        i = end === -1 ? body.length : end + 1;
        continue;
      } else if (n === "p" || n === "P") {
        unicode = true;
        // RE2 allows a one-letter class without braces (\pL); JavaScript needs \p{L}.
        if (body[i + 2] !== "{" && body[i + 2] !== undefined) {
          out += `\\${n}{${body[i + 2]}}`;
          i += 2;
          continue;
        }
        out += c + n;
      } else {
        out += c + n;
      }
      i++;
      continue;
    }
    if (inClass) {
      if (c === "[" && body[i + 1] === ":") {
        const end = body.indexOf(":]", i + 2);
        if (end !== -1) {
          let name = body.slice(i + 2, end);
          const negated = name.startsWith("^");
          if (negated) name = name.slice(1);
          const cls = POSIX_CLASSES[name];
          if (cls === undefined) throw new Error(`invalid character class range: [:${name}:]`);
          if (negated) throw new Error(`negated POSIX class [:^${name}:] is not supported`);
          out += cls;
          i = end + 1;
          continue;
        }
      }
      if (c === "]") inClass = false;
      out += c;
      continue;
    }
    if (c === "[") {
      inClass = true;
      out += c;
      if (body[i + 1] === "^") {
        out += "^";
        i++;
      }
      if (body[i + 1] === "]") {
        out += "\\]";
        i++;
      }
      continue;
    }
    if (c === "(" && body.startsWith("?P<", i + 1)) {
      out += "(?<";
      i += 3;
      continue;
    }
    out += c;
  }
  if (unicode) flags += "u";
  try {
    return new RegExp(out, flags);
  } catch (err) {
    const msg = (err as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, "");
    throw new Error(msg);
  }
}
