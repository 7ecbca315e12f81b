// stern's completion functions under cobra's protocol (src/cli/cobra-complete.ts, itself compared with
// cobra in test/oracle/cobra.test.ts): what each word of a line completes to, and the directive.
import { describe, expect, it } from "vitest";
import { Directive, getCompletions } from "../../../src/cli/cobra-complete.ts";
import { completionScript } from "../../../src/cli/completion.ts";
import {
  type CandidateSource,
  type ClusterScope,
  type CompleteOptions,
  type KindSpec,
  sternCompletion,
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

/** The candidates (descriptions dropped) and directive for the last word of the line. */
async function completion(line: string[], src = fake().source, o: CompleteOptions = {}) {
  const r = await getCompletions(sternCompletion(src, o), line);
  return { words: r.completions.map((c) => c.split("\t")[0] as string).sort(), directive: r.directive };
}
const complete = async (line: string[], src = fake().source) => (await completion(line, src)).words;
const completeWords = async (line: string[], src: CandidateSource, o: CompleteOptions = {}) =>
  (await completion(line, src, o)).words;
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
    // With its description, as cobra gives flag names.
    const r = await getCompletions(sternCompletion(fake().source, { flags }), ["--bra"]);
    expect(r.completions).toEqual(["--brand-new\t"]);
    expect(await completeWords(["--brand-new", ""], fake().source, { flags })).toEqual(["x", "y"]);
  });

  it("completes a short flag as itself", async () => {
    expect(await complete(["-n"])).toEqual(["-n"]);
    expect(await complete(["-A"])).toEqual(["-A"]);
    expect(await complete(["-Z"])).toEqual([]);
    // ...with its description, and no file names for a word that starts with '-'.
    const r = await getCompletions(sternCompletion(fake().source), ["-n"]);
    expect(r).toEqual({
      completions: [`-n\t${FLAGS.find((f) => f.name === "namespace")?.description}`],
      directive: Directive.NoFileComp,
    });
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
    expect(await complete(["--completion", ""])).toEqual(["bash", "fish", "powershell", "zsh"]);
    expect(await complete(["--container-state", ""])).toEqual(
      sorted(["running", "waiting", "terminated", "all"]),
    );
  });

  it("handles --flag=value, -xvalue and -x=value", async () => {
    // After '=', the value alone: cobra's scripts put the flag back in front.
    expect(await complete(["--color="])).toEqual(["always", "auto", "never"]);
    expect(await complete(["--color=n"])).toEqual(["never"]);
    expect(await complete(["-oj"])).toEqual(["-ojson"]);
    expect(await complete(["-o=r"])).toEqual(["raw"]);
    expect(await complete(["-Ao", ""])).toEqual(
      sorted(["default", "raw", "json", "extjson", "ppextjson", "pretty"]),
    );
  });

  it("takes --timestamps values only after '=', as pflag does", async () => {
    expect(await complete(["--timestamps="])).toEqual(["default", "short"]);
    expect(await complete(["-t=s"])).toEqual(["short"]);
    // A bare --timestamps does not take the next word: that word is the query.
    expect(await complete(["--timestamps", "deploy"])).toEqual(["deploy/", "deployment/"]);
  });

  it("completes the last item of a comma-separated list", async () => {
    expect(await complete(["--container-state", "running,"])).toEqual(
      sorted(["running,waiting", "running,terminated", "running,all"]),
    );
    expect(await complete(["--container-state=running,t"])).toEqual(["running,terminated"]);
    expect(await complete(["-n", "default,k"])).toEqual(["default,kube-system"]);
  });

  it("offers true/false after a bool flag's '='", async () => {
    expect(await complete(["--no-follow="])).toEqual(["false", "true"]);
  });

  it("offers nothing for free-form values, and no file names either", async () => {
    expect(await completion(["--since", ""])).toEqual({ words: [], directive: Directive.NoFileComp });
    expect(await completion(["--tail="])).toEqual({ words: [], directive: Directive.NoFileComp });
  });

  it("leaves paths to the shell's file completion", async () => {
    for (const line of [["--kubeconfig", ""], ["--kubeconfig=/tm"], ["-T", ""], ["--config", "x"]]) {
      expect(await completion(line)).toEqual({ words: [], directive: Directive.Default });
    }
  });
});

describe("values from the cluster", () => {
  it("completes namespaces, nodes and contexts", async () => {
    expect(await complete(["-n", ""])).toEqual(["default", "kube-system", "other"]);
    expect(await complete(["--namespace", "k"])).toEqual(["kube-system"]);
    expect(await complete(["--namespace=o"])).toEqual(["other"]);
    expect(await complete(["-nk"])).toEqual(["-nkube-system"]);
    expect(await complete(["--node", ""])).toEqual(["node-a", "node-b"]);
    expect(await complete(["--context", "p"])).toEqual(["prod"]);
    expect(await complete(["--context=arn:"])).toEqual(["arn:aws:eks:eu:1:cluster/x"]);
    expect((await completion(["-n", ""])).directive).toBe(Directive.NoFileComp);
  });

  it("passes the --kubeconfig and --context typed on the line", async () => {
    const f = fake();
    await completeWords(["--kubeconfig", "/tmp/k", "--context=prod", "-n", ""], f.source);
    expect(f.calls).toEqual([{ what: "namespaces", scope: { kubeconfig: "/tmp/k", context: "prod" } }]);
    // The shells' scripts eval the line: words arrive unquoted.
    const g = fake();
    await completeWords(["--kubeconfig=/tmp/a b", "--node", ""], g.source);
    expect(g.calls[0]?.scope).toEqual({ kubeconfig: "/tmp/a b" });
  });

  it("prints nothing when the source fails", async () => {
    const boom = async () => {
      throw new Error("connection refused");
    };
    const { source } = fake({ namespaces: boom, names: boom, contexts: boom });
    // Nothing, and no file names in their place.
    for (const line of [["-n", ""], ["deployment/"], ["--context", ""]]) {
      expect(await completion(line, source)).toEqual({ words: [], directive: Directive.NoFileComp });
    }
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
    // As stern: "<kind>/" goes on without a space, and file names are never offered.
    expect((await completion(["deploy"])).directive).toBe(Directive.NoFileComp | Directive.NoSpace);
    expect((await completion(["deployment/"])).directive).toBe(Directive.NoFileComp);
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

describe("scripts", () => {
  it("registers cobra's completion function for stern in each shell", () => {
    expect(completionScript("bash")).toContain("complete -o default -F __start_stern stern");
    expect(completionScript("zsh").startsWith("#compdef stern\n")).toBe(true);
    // stern's own last line, so that sourcing the script is enough.
    expect(completionScript("zsh").endsWith("\ncompdef _stern stern")).toBe(true);
    expect(completionScript("fish")).toContain("complete -c stern -n '__stern_prepare_completions'");
    expect(completionScript("powershell")).toContain("Register-ArgumentCompleter -CommandName 'stern'");
    for (const shell of ["bash", "zsh", "fish", "powershell"] as const) {
      expect(completionScript(shell)).toContain("__complete");
    }
  });
});
