// The "+ pod › container" / "- pod › container" lines on stderr, with what the pod's status says: how
// an instance ended ("- web-1 › app (exit 137, OOMKilled, restart 3)"), how often it has restarted
// ("+ web-1 › app (restart 3)"), and what a container waits for ("! web-1 › app CrashLoopBackOff: ...").
import type { InstanceEnd, Waiting } from "../shared/endings.ts";
import { FAILURE, NOTE, paint, START_MARK, STOP_MARK, WAIT_MARK } from "./color.ts";
import { describeEnd, describeWaiting, endFailed, waitingFailed } from "./ending-text.ts";
import type { StreamInfo } from "./types.ts";

type NoticeInfo = Pick<
  StreamInfo,
  "context" | "contextColor" | "namespace" | "podName" | "containerName" | "colors"
>;

export type NoticeDetail =
  | { kind: "start"; restartCount: number; previous?: boolean }
  | { kind: "stop"; end: InstanceEnd | undefined; previous?: boolean }
  | { kind: "waiting"; waiting: Waiting }
  | { kind: "server"; text: string }
  | { kind: "lost"; after: string; before: string };

export function noticeLine(
  mark: "+" | "-" | "!",
  info: NoticeInfo,
  showNamespace: boolean,
  colored: boolean,
  detail?: NoticeDetail,
): string {
  const sgr = mark === "+" ? START_MARK : mark === "-" ? STOP_MARK : WAIT_MARK;
  const markText = colored ? paint(sgr, mark) : mark;
  const ns =
    (info.context ? `${paint(info.contextColor, info.context)} ` : "") +
    (showNamespace ? `${paint(info.colors.pod, info.namespace)} ` : "");
  const head = `${markText} ${ns}${paint(info.colors.pod, info.podName)} › ${paint(info.colors.container, info.containerName)}`;
  const tail = detail ? detailText(detail, colored) : "";
  return `${head}${tail}\n`;
}

function detailText(d: NoticeDetail, colored: boolean): string {
  const color = (failed: boolean, text: string) => (colored ? paint(failed ? FAILURE : NOTE, text) : text);
  if (d.kind === "waiting") return ` ${color(waitingFailed(d.waiting), describeWaiting(d.waiting))}`;
  // Text from the kubelet in the log body (not the container's): one line, whatever it holds.
  if (d.kind === "server") return ` ${color(true, `kubelet: ${d.text.replace(/[\r\n]+/g, " ")}`)}`;
  if (d.kind === "lost")
    return ` ${color(true, `lines lost: logged after ${d.after} and before ${d.before}, in a log file rotated away before they could be read`)}`;
  const parts: string[] = [];
  if (d.previous) parts.push("previous");
  if (d.kind === "start") {
    if (d.restartCount > 0 && !d.previous) parts.push(`restart ${d.restartCount}`);
    return parts.length > 0 ? ` ${color(false, `(${parts.join(", ")})`)}` : "";
  }
  const why = d.end ? describeEnd(d.end) : "";
  if (why !== "") parts.push(why);
  return parts.length > 0
    ? ` ${color(d.end !== undefined && endFailed(d.end), `(${parts.join(", ")})`)}`
    : "";
}
