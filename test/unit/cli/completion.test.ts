import { describe, expect, it } from "vitest";
import { completionScript } from "../../../src/cli/completion.ts";
import {
  type CandidateSource,
  type ClusterScope,
  completeWords,
  type KindSpec,
  unquote,
} from "../../../src/cli/completion-candidates.ts";
import { FLAGS, type FlagSpec } from "../../../src/cli/flags.ts";

interface Call {
  what: string;
  scope: ClusterScope;
  namespace?: string | undefined;
}

/** A fake cluster: records what was asked, with which connection flags. */
function fake(over: Partial<CandidateSource> = {}) {
  const calls: Call[] = [];
  const objects: Record<string, Record<string, string[]>> = {
    default: { deployment: ["web", "api"], pod: ["web-1", "api-1"] },
    other: { deployment: ["worker"], pod: [] },
  };
  const source: CandidateSource = {
    async contexts(scope) {
      calls.push({ what: "contexts", scope });
      return ["sim", "prod", "arn:aws:eks:eu:1:cluster/x"];
    },
    async namespaces(scope) {
      calls.push({ what: "namespaces", scope });
      return ["default", "kube-system", "other"];
    },
    async nodes(scope) {
      calls.push({ what: "nodes", scope });
      return ["node-a", "node-b"];
    },
    async names(scope, kind: KindSpec, namespace) {
      calls.push({ what: `names:${kind.name}`, scope, namespace });
      return objects[namespace ?? "default"]?.[kind.name] ?? [];
    },
    ...over,
  };
  return { source, calls };
}

const complete = async (line: string[], src = fake().source) => (await completeWords(line, src)).sort();
const sorted = (xs: string[]) => [...xs].sort();

describe("flag names", () => {
  it("completes long flags from the table", async () => {
    expect(await complete(["--col"])).toEqual(["--color"]);
    expect(await complete(["--container"])).toEqual(
      sorted(["--container", "--container-colors", "--container-state"]),
    );
    expect(await complete(["--he"])).toEqual(["--head", "--help"]);
    expect(await complete(["--hel"])).toEqual(["--help"]);
  });

  it("lists every visible flag, long and short, for a bare dash", async () => {
    const got = await complete(["-"]);
    for (const f of FLAGS) {
      expect(got.includes(`--${f.name}`)).toBe(!f.hidden);
      if (f.short) expect(got).toContain(`-${f.short}`);
    }
    expect(got).toContain("--help");
  });

  it("offers hidden flags only once two letters are typed", async () => {
    expect(await complete(["--"])).not.toContain("--token");
    expect(await complete(["--t"])).not.toContain("--token");
    expect(await complete(["--to"])).toEqual(["--token"]);
    expect(await complete(["--cl"])).toEqual(sorted(["--client-certificate", "--client-key", "--cluster"]));
  });

  it("leaves out flags already given, unless they repeat", async () => {
    expect(await complete(["--color", "never", "--col"])).toEqual([]);
    expect(await complete(["--color=never", "--col"])).toEqual([]);
    expect(await complete(["-n", "a", "--names"])).toEqual(["--namespace"]);
    expect(await complete(["-i", "x", "--incl"])).toEqual(["--include"]);
  });

  it("reads the flag table it is given, so new flags complete without changes here", async () => {
    const flags: FlagSpec[] = [
      ...FLAGS,
      { name: "brand-new", type: "string", default: "", description: "", choices: ["x", "y"] },
    ];
    expect(await completeWords(["--bra"], fake().source, { flags })).toEqual(["--brand-new"]);
    expect(await completeWords(["--brand-new", ""], fake().source, { flags })).toEqual(["x", "y"]);
  });

  it("completes a short flag as itself", async () => {
    expect(await complete(["-n"])).toEqual(["-n"]);
    expect(await complete(["-A"])).toEqual(["-A"]);
    expect(await complete(["-Z"])).toEqual([]);
  });
});

describe("fixed values", () => {
  it("uses each flag's choices", async () => {
    expect(await complete(["--color", ""])).toEqual(sorted(["auto", "always", "never"]));
    expect(await complete(["--color", "a"])).toEqual(["always", "auto"]);
    expect(await complete(["-o", ""])).toEqual(
      sorted(["default", "raw", "json", "extjson", "ppextjson", "pretty"]),
    );
    expect(await complete(["-o", "j"])).toEqual(["json"]);
    expect(await complete(["--output", "ext"])).toEqual(["extjson"]);
    expect(await complete(["--completion", ""])).toEqual(["bash", "fish", "zsh"]);
    expect(await complete(["--container-state", ""])).toEqual(
      sorted(["running", "waiting", "terminated", "all"]),
    );
  });

  it("handles --flag=value, -xvalue and -x=value", async () => {
    expect(await complete(["--color="])).toEqual(["--color=always", "--color=auto", "--color=never"]);
    expect(await complete(["--color=n"])).toEqual(["--color=never"]);
    expect(await complete(["-oj"])).toEqual(["-ojson"]);
    expect(await complete(["-o=r"])).toEqual(["-o=raw"]);
    expect(await complete(["-Ao", ""])).toEqual(
      sorted(["default", "raw", "json", "extjson", "ppextjson", "pretty"]),
    );
  });

  it("takes --timestamps values only after '=', as pflag does", async () => {
    expect(await complete(["--timestamps="])).toEqual(["--timestamps=default", "--timestamps=short"]);
    expect(await complete(["-t=s"])).toEqual(["-t=short"]);
    // A bare --timestamps does not take the next word: that word is the query.
    expect(await complete(["--timestamps", "deploy"])).toEqual(["deploy/", "deployment/"]);
  });

  it("completes the last item of a comma-separated list", async () => {
    expect(await complete(["--container-state", "running,"])).toEqual(
      sorted(["running,waiting", "running,terminated", "running,all"]),
    );
    expect(await complete(["--container-state=running,t"])).toEqual(["--container-state=running,terminated"]);
    expect(await complete(["-n", "default,k"])).toEqual(["default,kube-system"]);
  });

  it("offers true/false after a bool flag's '='", async () => {
    expect(await complete(["--no-follow="])).toEqual(["--no-follow=false", "--no-follow=true"]);
  });

  it("offers nothing for free-form values", async () => {
    expect(await complete(["--since", ""])).toEqual([]);
    expect(await complete(["--tail="])).toEqual([]);
    expect(await complete(["--kubeconfig", ""])).toEqual([]);
  });
});

describe("values from the cluster", () => {
  it("completes namespaces, nodes and contexts", async () => {
    expect(await complete(["-n", ""])).toEqual(["default", "kube-system", "other"]);
    expect(await complete(["--namespace", "k"])).toEqual(["kube-system"]);
    expect(await complete(["--namespace=o"])).toEqual(["--namespace=other"]);
    expect(await complete(["-nk"])).toEqual(["-nkube-system"]);
    expect(await complete(["--node", ""])).toEqual(["node-a", "node-b"]);
    expect(await complete(["--context", "p"])).toEqual(["prod"]);
    expect(await complete(["--context=arn:"])).toEqual(["--context=arn:aws:eks:eu:1:cluster/x"]);
  });

  it("passes the --kubeconfig and --context typed on the line", async () => {
    const f = fake();
    await completeWords(["--kubeconfig", "/tmp/k", "--context=prod", "-n", ""], f.source);
    expect(f.calls).toEqual([{ what: "namespaces", scope: { kubeconfig: "/tmp/k", context: "prod" } }]);
    const g = fake();
    await completeWords(["--kubeconfig='/tmp/a b'", "--node", ""], g.source);
    expect(g.calls[0]?.scope).toEqual({ kubeconfig: "/tmp/a b" });
  });

  it("prints nothing when the source fails", async () => {
    const boom = async () => {
      throw new Error("connection refused");
    };
    const { source } = fake({ namespaces: boom, names: boom, contexts: boom });
    expect(await complete(["-n", ""], source)).toEqual([]);
    expect(await complete(["deployment/"], source)).toEqual([]);
    expect(await complete(["--context", ""], source)).toEqual([]);
  });

  it("gives up after the time bound", async () => {
    const never = () => new Promise<string[]>(() => {});
    let aborted = false;
    const { source } = fake({
      namespaces: (_scope, signal) => {
        signal.addEventListener("abort", () => {
          aborted = true;
        });
        return never();
      },
    });
    const t0 = Date.now();
    expect(await completeWords(["-n", ""], source, { timeoutMs: 50 })).toEqual([]);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(aborted).toBe(true);
  });

  it("drops candidates that are not single words", async () => {
    const { source } = fake({ namespaces: async () => ["ok", "", "two words", "line\nbreak"] });
    expect(await complete(["-n", ""], source)).toEqual(["ok"]);
  });
});

describe("the query", () => {
  it("completes kinds as <kind>/", async () => {
    expect(await complete([""])).toEqual(
      sorted([
        "pod/",
        "replicationcontroller/",
        "service/",
        "daemonset/",
        "deployment/",
        "replicaset/",
        "statefulset/",
        "job/",
        "cronjob/",
      ]),
    );
    expect(await complete(["deploy"])).toEqual(["deploy/", "deployment/"]);
    expect(await complete(["st"])).toEqual(["statefulset/", "sts/"]);
    expect(await complete(["c"])).toEqual(["cj/", "cronjob/"]);
    expect(await complete(["web"])).toEqual([]);
  });

  it("completes kind/ with object names, in the namespace of the line", async () => {
    const f = fake();
    expect(await complete(["deployment/"], f.source)).toEqual(["deployment/api", "deployment/web"]);
    expect(f.calls[0]).toEqual({ what: "names:deployment", scope: {}, namespace: undefined });
    expect(await complete(["deploy/w"])).toEqual(["deploy/web"]);
    expect(await complete(["po/"])).toEqual(["po/api-1", "po/web-1"]);
    expect(await complete(["-n", "other", "deployment/"])).toEqual(["deployment/worker"]);
    expect(await complete(["--namespace=other,other", "deployment/"])).toEqual(["deployment/worker"]);
  });

  it("does not complete names across namespaces (as stern) or for unknown kinds", async () => {
    expect(await complete(["-A", "deployment/"])).toEqual([]);
    expect(await complete(["-n", "default,other", "deployment/"])).toEqual([]);
    expect(await complete(["Deployment/"])).toEqual([]);
    expect(await complete(["widget/"])).toEqual([]);
    expect(await complete(["deployment/a/b"])).toEqual([]);
  });

  it("completes only the first positional, and positionals after --", async () => {
    expect(await complete(["web", ""])).toEqual([]);
    expect(await complete(["--", "dep"])).toEqual(["deploy/", "deployment/"]);
    expect(await complete(["--", "-n"])).toEqual([]);
    expect(await complete(["-n", "x", "--color", "never", "-A", "dep"])).toEqual(["deploy/", "deployment/"]);
  });
});

describe("unquote", () => {
  it("removes shell quoting", () => {
    expect(unquote(`'a b'`)).toBe("a b");
    expect(unquote(`"a'b"`)).toBe("a'b");
    expect(unquote(String.raw`a\ b`)).toBe("a b");
    expect(unquote("plain")).toBe("plain");
  });
});

describe("scripts", () => {
  it("registers the function for each shell", () => {
    expect(completionScript("bash")).toContain("complete -o default -F _stern stern");
    expect(completionScript("zsh").startsWith("#compdef stern\n")).toBe(true);
    expect(completionScript("zsh")).toContain("compdef _stern stern");
    expect(completionScript("fish")).toContain("complete -c stern -f -a '(__stern_complete)'");
    for (const shell of ["bash", "zsh", "fish"] as const) {
      expect(completionScript(shell)).toContain("stern __complete");
      expect(completionScript(shell)).toContain("--kubeconfig");
      expect(completionScript(shell)).toContain("-T");
    }
  });

  it("hands an empty current word over as a word", () => {
    // fish drops an unquoted empty variable; bash and zsh build the list with the word quoted.
    expect(completionScript("fish")).toContain(`stern __complete $tokens "$cur"`);
    expect(completionScript("bash")).toContain(`stern __complete "\${words[@]:1}"`);
    expect(completionScript("zsh")).toContain(`args=("\${(@)words[2,CURRENT-1]}" "$cur")`);
  });
});
