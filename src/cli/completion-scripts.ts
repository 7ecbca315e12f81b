// The scripts printed by `stern --completion bash|zsh|fish`. Each one hands the words typed so far (the
// current one last, possibly empty) to `stern __complete` and offers what it prints, one per line;
// values of path flags (--kubeconfig, --template-file, ...) are left to the shell's file completion.
import { FILE_FLAGS } from "./completion-candidates.ts";
import { FLAGS, type FlagSpec } from "./flags.ts";

/** The path flags as typed: `--kubeconfig`, `-T`, ... */
function fileFlagWords(flags: readonly FlagSpec[]): string[] {
  const out: string[] = [];
  for (const f of flags) {
    if (!FILE_FLAGS.includes(f.name) || f.type === "bool") continue;
    out.push(`--${f.name}`);
    if (f.short) out.push(`-${f.short}`);
  }
  return out;
}

export function bashScript(flags: readonly FlagSpec[] = FLAGS): string {
  const words = fileFlagWords(flags);
  const longs = words.filter((w) => w.startsWith("--"));
  return `# bash completion for stern                                -*- shell-script -*-
# Load it with:  source <(stern --completion bash)
# Works with or without the bash-completion package. Candidates come from \`stern __complete\`.

_stern() {
    local line=\${COMP_LINE:0:COMP_POINT}
    # Put back together the words bash split at COMP_WORDBREAKS ("--color=al" arrives as
    # "--color" "=" "al", "ctx:a" as "ctx" ":" "a"): pieces not separated by blanks are one word.
    local -a words=()
    local i w n=-1 pos=0 start
    for ((i = 0; i <= COMP_CWORD; i++)); do
        w=\${COMP_WORDS[i]}
        start=$pos
        while [[ $pos -lt \${#line} && \${line:pos:1} == [[:space:]] ]]; do pos=$((pos + 1)); done
        if ((i == COMP_CWORD)); then
            w=\${line:pos}
        fi
        if ((n >= 0 && pos == start)); then
            words[n]+=$w
        else
            n=$((n + 1))
            words[n]=$w
        fi
        pos=$((pos + \${#w}))
    done
    local cur=\${words[n]} prev=
    ((n > 0)) && prev=\${words[n - 1]}
    COMPREPLY=()

    # Paths: let bash complete file names (complete -o default).
    case " ${words.join(" ")} " in
    *" $prev "*) return 0 ;;
    esac
    case $cur in
    ${longs.map((w) => `${w}=*`).join("|") || "--kubeconfig=*"}) return 0 ;;
    esac

    # The candidates are whole words; bash replaces only the part after the last word break.
    local strip=$((\${#cur} - \${#w})) c out
    out=$(stern __complete "\${words[@]:1}" 2>/dev/null) || out=
    while IFS= read -r c; do
        [[ -n $c && \${c:0:strip} == "\${cur:0:strip}" ]] && COMPREPLY+=("\${c:strip}")
    done <<<"$out"

    if type compopt >/dev/null 2>&1; then
        # No candidates is the answer (not a cue for file names); "deployment/" goes on without a space.
        ((\${#COMPREPLY[@]} == 0)) && compopt +o default
        if ((\${#COMPREPLY[@]} == 1)); then
            case \${COMPREPLY[0]} in
            */ | *= | *,) compopt -o nospace ;;
            esac
        fi
    fi
    return 0
}

complete -o default -F _stern stern
`;
}

export function zshScript(flags: readonly FlagSpec[] = FLAGS): string {
  const words = fileFlagWords(flags);
  const longs = words.filter((w) => w.startsWith("--"));
  return `#compdef stern
# zsh completion for stern. Load it with:  source <(stern --completion zsh)
# (after compinit), or save it as _stern in a directory of $fpath.
# Candidates come from \`stern __complete\`.

_stern() {
    local cur=$PREFIX prev=\${words[CURRENT-1]}
    local -a args cands spaced glued
    # Paths: zsh's own file completion.
    case $prev in
    ${words.join("|") || "--kubeconfig"}) _files; return ;;
    esac
    case $cur in
    ${longs.map((w) => `${w}=*`).join("|") || "--kubeconfig=*"}) compset -P '*='; _files; return ;;
    esac
    args=("\${(@)words[2,CURRENT-1]}" "$cur")
    cands=("\${(@f)$(stern __complete "\${(@)args}" 2>/dev/null)}")
    cands=(\${cands:#})
    (( \${#cands} )) || return 1
    glued=(\${(M)cands:#*[/=,]})
    spaced=(\${cands:#*[/=,]})
    (( \${#glued} )) && compadd -S '' -- "\${(@)glued}"
    (( \${#spaced} )) && compadd -- "\${(@)spaced}"
    return 0
}

if [ "$funcstack[1]" = "_stern" ]; then
    _stern "$@"
else
    compdef _stern stern
fi
`;
}

export function fishScript(flags: readonly FlagSpec[] = FLAGS): string {
  const words = fileFlagWords(flags);
  const longs = words.filter((w) => w.startsWith("--"));
  return `# fish completion for stern. Load it with:  stern --completion fish | source
# or save it as ~/.config/fish/completions/stern.fish. Candidates come from \`stern __complete\`.

function __stern_complete
    set -l tokens (commandline -opc)
    # Quoted below: an empty current word must still be passed on as one (empty) word.
    set -l cur (commandline -ct)
    set -e tokens[1]
    # Paths: fish's own file completion.
    if set -q tokens[1]; and contains -- $tokens[-1] ${words.join(" ") || "--kubeconfig"}
        __fish_complete_path "$cur"
        return
    end
    switch "$cur"
        case ${longs.map((w) => `'${w}=*'`).join(" ") || "'--kubeconfig=*'"}
            set -l flag (string split -m 1 = -- "$cur")[1]
            for p in (__fish_complete_path (string replace -r '^[^=]*=' '' -- "$cur"))
                echo "$flag=$p"
            end
            return
    end
    stern __complete $tokens "$cur" 2>/dev/null
end

complete -c stern -f -a '(__stern_complete)'
`;
}
