// Every command-line flag, once: the parser, the help text and the README table are made from this.

import type { PflagType } from "./pflag.ts";

/** A flag's type is one of pflag's: the parser (pflag.ts) owns the list. */
export type FlagType = PflagType;

export interface FlagSpec {
  name: string;
  short?: string;
  type: FlagType;
  /** Default as stern shows it in help ("" = none shown). */
  default: string | number | boolean | readonly string[];
  description: string;
  hidden?: boolean;
  choices?: readonly string[];
}

const TABLE = [
  {
    name: "after-context",
    type: "int",
    default: 0,
    description:
      "With --include: print N lines of each container after a matching line, as grep -A ('--' between groups). There is no -A: it is --all-namespaces.",
  },
  {
    name: "all-namespaces",
    short: "A",
    type: "bool",
    default: false,
    description:
      "If present, tail across all namespaces. A specific namespace is ignored even if specified with --namespace.",
  },
  {
    name: "as",
    type: "string",
    default: "",
    hidden: true,
    description:
      "Username to impersonate for the operation. User could be a regular user or a service account in a namespace.",
  },
  {
    name: "as-group",
    type: "stringArray",
    default: [],
    hidden: true,
    description:
      "Group to impersonate for the operation, this flag can be repeated to specify multiple groups.",
  },
  {
    name: "as-uid",
    type: "string",
    default: "",
    hidden: true,
    description: "UID to impersonate for the operation.",
  },
  {
    name: "before-context",
    short: "B",
    type: "int",
    default: 0,
    description: "With --include: print N lines of each container before a matching line, as grep -B.",
  },
  {
    name: "burst",
    type: "int",
    default: 0,
    description:
      "Maximum burst for throttle to the Kubernetes API server. Defaults to 0: 500, or 10 when --qps is given. Ignored when --qps=-1.",
  },
  {
    name: "cache-dir",
    type: "string",
    default: "~/.kube/cache",
    hidden: true,
    description: "Default cache directory",
  },
  {
    name: "certificate-authority",
    type: "string",
    default: "",
    hidden: true,
    description: "Path to a cert file for the certificate authority",
  },
  {
    name: "client-certificate",
    type: "string",
    default: "",
    hidden: true,
    description: "Path to a client certificate file for TLS",
  },
  {
    name: "client-key",
    type: "string",
    default: "",
    hidden: true,
    description: "Path to a client key file for TLS",
  },
  {
    name: "cluster",
    type: "string",
    default: "",
    hidden: true,
    description: "The name of the kubeconfig cluster to use",
  },
  {
    name: "color",
    type: "string",
    default: "auto",
    choices: ["auto", "always", "never"],
    description:
      "Force set color output. 'auto':  colorize if tty attached (and NO_COLOR is unset; FORCE_COLOR forces), 'always': always colorize, 'never': never colorize.",
  },
  {
    name: "completion",
    type: "string",
    default: "",
    choices: ["bash", "zsh", "fish", "powershell"],
    description:
      "Output stern command-line completion code for the specified shell. Can be 'bash', 'zsh', 'fish' or 'powershell'.",
  },
  {
    name: "condition",
    type: "string",
    default: "",
    description:
      "The condition to filter on: [condition-name[=condition-value]. The default condition-value is true. Match is case-insensitive. Currently only supported with --tail=0 or --no-follow.",
  },
  {
    name: "config",
    type: "string",
    default: "~/.config/stern/config.yaml",
    description: "Path to the stern config file",
  },
  {
    name: "container",
    short: "c",
    type: "string",
    default: ".*",
    description: "Container name when multiple containers in pod. (regular expression)",
  },
  {
    name: "container-colors",
    type: "stringSlice",
    default: [],
    description:
      "Specifies the colors used to highlight container names. Use the same format as --pod-colors. Defaults to the values of --pod-colors if omitted, and must match its length.",
  },
  {
    name: "container-state",
    type: "stringSlice",
    default: ["all"],
    choices: ["running", "waiting", "terminated", "all"],
    description:
      "Tail containers with state in running, waiting, terminated, or all. 'all' matches all container states. To specify multiple states, repeat this or set comma-separated value.",
  },
  {
    name: "context",
    type: "stringSlice",
    default: [],
    description:
      "The name of the kubeconfig context to use. To tail several clusters at once, repeat this or set comma-separated value.",
  },
  {
    name: "context-lines",
    short: "C",
    type: "int",
    default: 0,
    description:
      "With --include: N lines of context before and after each match, as grep -C (--before-context and --after-context win). Not --context, which is the kubeconfig context.",
  },
  {
    name: "context-regex",
    type: "string",
    default: "",
    description: "Tail every kubeconfig context whose name matches this regular expression, all at once.",
  },
  {
    name: "diff-container",
    short: "d",
    type: "bool",
    default: false,
    description: "Display different colors for different containers.",
  },
  {
    name: "disable-compression",
    type: "bool",
    default: false,
    hidden: true,
    description: "If true, opt-out of response compression for all requests to the server",
  },
  {
    name: "dry-run",
    type: "bool",
    default: false,
    description:
      "List the containers the query matches (context, namespace, pod, container, state) and the log streams and requests a run would open, then exit without opening any.",
  },
  {
    name: "ephemeral-containers",
    type: "bool",
    default: true,
    description: "Include or exclude ephemeral containers.",
  },
  {
    name: "event-types",
    type: "stringSlice",
    default: [],
    choices: ["Normal", "Warning"],
    description:
      "With --events: only events of these types (Normal, Warning). To specify both, repeat this or set comma-separated value.",
  },
  {
    name: "events",
    type: "bool",
    default: false,
    description:
      "Interleave the Kubernetes events of the followed pods and their owners (ReplicaSet, Deployment, Job, ...) as 'event Warning Pod/web-1 BackOff: ...' lines; -o json gives them as records.",
  },
  {
    name: "exclude",
    short: "e",
    type: "stringArray",
    default: [],
    description: "Log lines to exclude. (regular expression)",
  },
  {
    name: "exclude-container",
    short: "E",
    type: "stringArray",
    default: [],
    description: "Container name to exclude when multiple containers in pod. (regular expression)",
  },
  {
    name: "exclude-fields",
    type: "stringSlice",
    default: [],
    description:
      "Keys of structured log lines that -o pretty leaves out (comma-separated; a key also covers the keys nested under it). Implies -o pretty.",
  },
  {
    name: "exclude-pod",
    type: "stringArray",
    default: [],
    description: "Pod name to exclude. (regular expression)",
  },
  {
    name: "exit-on",
    type: "stringArray",
    default: [],
    description:
      "End the run (exit 0) at the first shown log line matching this regular expression, after printing it. Repeatable: any of them.",
  },
  {
    name: "exit-on-level",
    type: "string",
    default: "",
    choices: ["trace", "debug", "info", "notice", "warn", "error", "critical", "fatal"],
    description:
      "End the run (exit 1) at the first shown structured log line at this level or above (as --level), after printing it.",
  },
  {
    name: "field-selector",
    type: "string",
    default: "",
    description: 'Selector (field query) to filter on. If present, default to ".*" for the pod-query.',
  },
  {
    name: "head",
    type: "int",
    default: 0,
    description: "The first N lines of each container's log (0: all). Cannot be used with --tail.",
  },
  {
    name: "fields",
    type: "stringSlice",
    default: [],
    description:
      "Keys of structured log lines (JSON, logfmt, klog) that -o pretty shows, in the line's order (comma-separated; a key also covers the keys nested under it, as a.b under a). Implies -o pretty.",
  },
  {
    name: "highlight",
    short: "H",
    type: "stringArray",
    default: [],
    description: "Log lines to highlight. (regular expression)",
  },
  {
    name: "ignore",
    type: "stringArray",
    default: [],
    description:
      "Leave out pods whose labels match this label selector (kail's --ignore), e.g. kail.ignore=true. Repeatable: a pod matching any is left out.",
  },
  {
    name: "include",
    short: "i",
    type: "stringArray",
    default: [],
    description: "Log lines to include. (regular expression)",
  },
  {
    name: "init-containers",
    type: "bool",
    default: true,
    description: "Include or exclude init containers.",
  },
  {
    name: "insecure-skip-tls-verify",
    type: "bool",
    default: false,
    hidden: true,
    description:
      "If true, the server's certificate will not be checked for validity. This will make your HTTPS connections insecure",
  },
  {
    name: "kubeconfig",
    type: "string",
    default: "",
    description: "Path to the kubeconfig file to use for CLI requests.",
  },
  {
    name: "limit-bytes",
    type: "int",
    default: 0,
    description:
      "At most this many bytes of each container's log, as 'kubectl logs --limit-bytes' (the last line may be cut). 0: no limit.",
  },
  {
    name: "level",
    type: "string",
    default: "",
    choices: ["trace", "debug", "info", "notice", "warn", "error", "critical", "fatal"],
    description:
      "Show only log lines at this level or above: trace, debug, info, notice, warn, error, critical, fatal, or a number (syslog 0-7, pino/bunyan 10-60). Lines without a level are kept unless --level-strict.",
  },
  {
    name: "level-strict",
    type: "bool",
    default: false,
    description: "With --level, drop the lines that have no level too (alone: show only lines with a level).",
  },
  {
    name: "max-log-requests",
    type: "int",
    default: -1,
    description:
      "Maximum number of concurrent logs to request. Defaults to 50, but 5 when specifying --no-follow. Containers beyond it wait for a free slot.",
  },
  {
    name: "multiline",
    type: "bool",
    default: false,
    description:
      "Keep multi-line records (stack traces) together: a line that starts with whitespace, 'at ', 'Caused by:' or '...' continues the previous line of its container.",
  },
  {
    name: "namespace",
    short: "n",
    type: "stringSlice",
    default: [],
    description:
      "Kubernetes namespace to use. Default to namespace configured in kubernetes context. To specify multiple namespaces, repeat this or set comma-separated value.",
  },
  {
    name: "no-follow",
    type: "bool",
    default: false,
    description: "Exit when all logs have been shown.",
  },
  {
    name: "node",
    type: "string",
    default: "",
    description: "Node name to filter on.",
  },
  {
    name: "node-selector",
    type: "string",
    default: "",
    description:
      "Only pods on nodes whose labels match this label selector, e.g. topology.kubernetes.io/zone=a. Nodes are watched: pods on a node that starts matching are followed too.",
  },
  {
    name: "only-log-lines",
    type: "bool",
    default: false,
    description: "Print only log lines",
  },
  {
    name: "output",
    short: "o",
    type: "string",
    default: "default",
    choices: ["default", "raw", "json", "extjson", "ppextjson", "pretty"],
    description:
      "Specify predefined template. Currently support: [default, raw, json, extjson, ppextjson, pretty] (pretty: JSON, logfmt and klog lines as LEVEL message key=value)",
  },
  {
    name: "pod-colors",
    type: "stringSlice",
    default: [],
    description:
      'Specifies the colors used to highlight pod names. Provide colors as a comma-separated list using SGR (Select Graphic Rendition) sequences, e.g., "91,92,93,94,95,96".',
  },
  {
    name: "previous",
    type: "bool",
    default: false,
    description:
      "Print each restarted container's previous instance (marked '(previous)') before its current one. With --no-follow, only the previous instances, as 'kubectl logs -p'.",
  },
  {
    name: "prompt",
    short: "p",
    type: "bool",
    default: false,
    description: "Toggle interactive prompt for selecting 'app.kubernetes.io/instance' label values.",
  },
  {
    name: "qps",
    type: "float",
    default: 0,
    description:
      "Maximum QPS to the Kubernetes API server. Defaults to 0: 50 requests per second. Use -1 to disable client-side throttling.",
  },
  {
    name: "request-timeout",
    type: "string",
    default: "0",
    hidden: true,
    description:
      "The length of time to wait for the API server to answer a request (connecting and response headers; not the body of a stream). Non-zero values should contain a corresponding time unit (e.g. 1s, 2m, 3h). 0 means the built-in 10s for connecting.",
  },
  {
    name: "selector",
    short: "l",
    type: "string",
    default: "",
    description: 'Selector (label query) to filter on. If present, default to ".*" for the pod-query.',
  },
  {
    name: "server",
    type: "string",
    default: "",
    hidden: true,
    description: "The address and port of the Kubernetes API server",
  },
  {
    name: "show-hidden-options",
    type: "bool",
    default: false,
    description: "Print a list of hidden options.",
  },
  {
    name: "since",
    short: "s",
    type: "duration",
    default: "48h0m0s",
    description: "Return logs newer than a relative duration like 5s, 2m, or 3h.",
  },
  {
    name: "since-time",
    type: "string",
    default: "",
    description:
      "Only return logs after a specific date (RFC3339), e.g. 2024-05-01T10:00:00Z. Cannot be used with --since.",
  },
  {
    name: "sort",
    type: "bool",
    default: false,
    description:
      "Print the lines of all containers in timestamp order: merged with --no-follow, held for --sort-window while following.",
  },
  {
    name: "sort-window",
    type: "duration",
    default: "250ms",
    description:
      "With --sort while following: how long a line is held to put lines of all containers in order.",
  },
  {
    name: "stdin",
    type: "bool",
    default: false,
    description: "Parse logs from stdin. All Kubernetes related flags are ignored when it is set.",
  },
  {
    name: "stream",
    type: "string",
    default: "",
    choices: ["stdout", "stderr"],
    description:
      "Only this stream of each container: stdout or stderr (needs a server with the PodLogsQuerySplitStreams feature gate, Kubernetes 1.32+; .Stream in templates and -o json). Cannot be used with --tail.",
  },
  {
    name: "tui",
    type: "bool",
    default: false,
    description:
      "Show the lines in an interactive view: follow, pause and scroll back, search, filter, mute pods, inspect a line, save. Press ? in it for the keys.",
  },
  {
    name: "tail",
    type: "int",
    default: -1,
    description: "The number of lines from the end of the logs to show. Defaults to -1, showing all logs.",
  },
  {
    name: "template",
    type: "string",
    default: "",
    description: "Template to use for log lines, leave empty to use --output flag.",
  },
  {
    name: "template-file",
    short: "T",
    type: "string",
    default: "",
    description:
      "Path to template to use for log lines, leave empty to use --output flag. It overrides --template option.",
  },
  {
    name: "timestamps",
    short: "t",
    type: "string",
    default: "",
    choices: ["default", "short"],
    description:
      "Print timestamps with the specified format. One of 'default' or 'short' in the form '--timestamps=format' ('=' cannot be omitted). If specified but without value, 'default' is used.",
  },
  {
    name: "timezone",
    type: "string",
    default: "Local",
    description: "Set timestamps to specific timezone.",
  },
  {
    name: "tls-server-name",
    type: "string",
    default: "",
    hidden: true,
    description:
      "Server name to use for server certificate validation. If it is not provided, the hostname used to contact the server is used",
  },
  {
    name: "token",
    type: "string",
    default: "",
    hidden: true,
    description: "Bearer token for authentication to the API server",
  },
  {
    name: "until",
    type: "duration",
    default: "0s",
    description:
      "Stop printing a container's lines at this long ago (like 5m): its lines stamped later are not shown; with --no-follow the run ends once every stream has passed it.",
  },
  {
    name: "until-done",
    type: "bool",
    default: false,
    description:
      "Follow every matched pod until all have finished, then exit with the outcome: a Job's (or a CronJob's newest run's) condition, else 0 when every pod succeeded; a failure's exit code is its container's, and a line on stderr says what failed.",
  },
  {
    name: "until-time",
    type: "string",
    default: "",
    description: "As --until, at a specific date (RFC3339).",
  },
  {
    name: "user",
    type: "string",
    default: "",
    hidden: true,
    description: "The name of the kubeconfig user to use",
  },
  {
    name: "verbosity",
    type: "int",
    default: 0,
    description: "Number of the log level verbosity",
  },
  {
    name: "version",
    short: "v",
    type: "bool",
    default: false,
    description: "Print the version and exit.",
  },
  {
    name: "where",
    type: "string",
    default: "",
    description:
      "Show only structured log lines (JSON, logfmt, klog) whose fields satisfy this CEL expression, e.g. 'status >= 500 && path.startsWith(\"/api\")'.",
  },
] as const satisfies readonly FlagSpec[];

export const FLAGS: readonly FlagSpec[] = TABLE;

type Spec = (typeof TABLE)[number];
/** Every flag's name, from the table. */
export type FlagName = Spec["name"];
type ValueOf<T extends FlagType> = T extends "bool"
  ? boolean
  : T extends "int" | "float"
    ? number
    : T extends "duration"
      ? number // milliseconds
      : T extends "stringArray" | "stringSlice"
        ? string[]
        : string;
/** The parsed command line, typed by the table: `values.tail` is a number, `values.namespace` a list. */
export type FlagValues = { [S in Spec as S["name"]]: ValueOf<S["type"]> };
/** The names of the flags whose values are of type T. */
export type FlagsOfType<T> = { [K in FlagName]: FlagValues[K] extends T ? K : never }[FlagName];

export function flagByName(name: string): FlagSpec | undefined {
  return FLAGS.find((f) => f.name === name || f.short === name);
}
