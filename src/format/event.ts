// --events: how one Kubernetes event looks in the stream. Text for the default, raw and template
// outputs ("event Warning Pod/web-1 BackOff: Back-off restarting failed container app"); a JSON record
// for -o json/extjson/ppextjson whose "message" sits where a log record's does and whose "event"
// object tells it from log records.
import type { KubeEvent } from "../shared/kube-event.ts";
import { FAILURE, NOTE, paint } from "./color.ts";
import { goQuote } from "./gojson.ts";
import type { OutputMode } from "./types.ts";

export interface EventFormat {
  output: OutputMode;
  colored: boolean;
  showNamespace: boolean;
  /** The kubeconfig context, when several clusters are tailed. */
  context?: { name: string; color: string };
}

export function formatEvent(ev: KubeEvent, f: EventFormat): string {
  if (f.output === "json" || f.output === "extjson" || f.output === "ppextjson") return eventJson(ev, f);
  const c = f.colored;
  const head = c ? paint(NOTE, "event") : "event";
  const context = f.context ? `${c ? paint(f.context.color, f.context.name) : f.context.name} ` : "";
  const ns = f.showNamespace ? `${ev.namespace} ` : "";
  const warning = ev.type === "Warning";
  const what = `${ev.type} ${ev.kind}/${ev.name} ${ev.reason}:`;
  const count = ev.count > 1 ? ` (x${ev.count})` : "";
  return `${context}${head} ${ns}${c && warning ? paint(FAILURE, what) : what} ${ev.message}${count}\n`;
}

function eventJson(ev: KubeEvent, f: EventFormat): string {
  const event =
    `{"type":${goQuote(ev.type)},"reason":${goQuote(ev.reason)},"kind":${goQuote(ev.kind)}` +
    `,"name":${goQuote(ev.name)},"count":${ev.count},"time":${goQuote(new Date(ev.timeMs).toISOString())}}`;
  const pod = ev.kind === "Pod" ? `,"podName":${goQuote(ev.name)}` : "";
  const container = ev.container ? `,"containerName":${goQuote(ev.container)}` : "";
  const context = f.context ? `,"context":${goQuote(f.context.name)}` : "";
  return `{"event":${event},"message":${goQuote(ev.message)},"namespace":${goQuote(ev.namespace)}${pod}${container}${context}}\n`;
}
