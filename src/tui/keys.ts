// Keys and mouse from the terminal, as bytes in raw mode: printable characters, control keys, the
// escape sequences of arrows, pages, Home and End (xterm's and the VT220's), and SGR mouse reports
// (wheel and clicks). A lone ESC is the Escape key.

export type Key =
  | { kind: "char"; ch: string }
  | {
      kind: "key";
      name:
        | "up"
        | "down"
        | "left"
        | "right"
        | "pageup"
        | "pagedown"
        | "home"
        | "end"
        | "enter"
        | "escape"
        | "backspace"
        | "tab"
        | "delete";
    }
  | { kind: "ctrl"; ch: string }
  | { kind: "mouse"; action: "wheelup" | "wheeldown" | "press" | "release"; x: number; y: number };

const CSI_KEYS: Record<string, Key & { kind: "key" }> = {
  A: { kind: "key", name: "up" },
  B: { kind: "key", name: "down" },
  C: { kind: "key", name: "right" },
  D: { kind: "key", name: "left" },
  H: { kind: "key", name: "home" },
  F: { kind: "key", name: "end" },
};

const TILDE_KEYS: Record<string, Key & { kind: "key" }> = {
  "1": { kind: "key", name: "home" },
  "3": { kind: "key", name: "delete" },
  "4": { kind: "key", name: "end" },
  "5": { kind: "key", name: "pageup" },
  "6": { kind: "key", name: "pagedown" },
  "7": { kind: "key", name: "home" },
  "8": { kind: "key", name: "end" },
};

/** The keys in one read of the terminal (a read may hold several, or a paste). */
export function parseKeys(data: string): Key[] {
  const keys: Key[] = [];
  let i = 0;
  while (i < data.length) {
    const c = data[i] as string;
    const code = c.charCodeAt(0);
    if (c === "\x1b") {
      const n = data[i + 1];
      if (n === "[" || n === "O") {
        const m = /^\x1b[[O](<?)([0-9;]*)([A-Za-z~])/.exec(data.slice(i));
        if (m) {
          i += m[0].length;
          const [, lt, params = "", final = ""] = m;
          if (lt === "<" && (final === "M" || final === "m")) {
            const [b = 0, x = 1, y = 1] = params.split(";").map(Number);
            const action =
              b === 64 ? "wheelup" : b === 65 ? "wheeldown" : final === "M" ? "press" : "release";
            if (b === 64 || b === 65 || (b & 3) === 0)
              keys.push({ kind: "mouse", action, x: x - 1, y: y - 1 });
            continue;
          }
          const k = final === "~" ? TILDE_KEYS[params.split(";")[0] ?? ""] : CSI_KEYS[final];
          if (k) keys.push(k);
          continue;
        }
      }
      keys.push({ kind: "key", name: "escape" });
      i++;
      continue;
    }
    if (c === "\r" || c === "\n") keys.push({ kind: "key", name: "enter" });
    else if (c === "\t") keys.push({ kind: "key", name: "tab" });
    else if (c === "\x7f" || c === "\b") keys.push({ kind: "key", name: "backspace" });
    else if (code < 0x20) keys.push({ kind: "ctrl", ch: String.fromCharCode(code + 96) });
    else {
      const cp = data.codePointAt(i) as number;
      const ch = String.fromCodePoint(cp);
      keys.push({ kind: "char", ch });
      i += ch.length;
      continue;
    }
    i++;
  }
  return keys;
}
