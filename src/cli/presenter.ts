// How the engine's streams look: each stream's colours and prefix, its line format, and the
// "+ pod › container" / "- pod › container" lines on stderr, written after the lines read before them.
import type { Presenter, StreamEnd } from "../engine/output.ts";
import type { Sink } from "../engine/sink.ts";
import { statusesOf } from "../engine/targets.ts";
import { type ColorPair, pickColors, type Sgr } from "../format/color.ts";
import { formatEvent } from "../format/event.ts";
import { createLineFormatter, type FormatOptions, type StreamInfo } from "../format/index.ts";
import { type NoticeDetail, noticeLine } from "../format/notice.ts";
import type { Target } from "../shared/target.ts";

export interface PresenterOptions {
  /** The kubeconfig context, when several clusters are tailed at once: shown first on every line. */
  cluster?: { name: string; color: Sgr };
  format: FormatOptions;
  colored: boolean;
  palette: readonly ColorPair[];
  diffContainer: boolean;
  /** --stream: the stream every line is from. */
  stream?: "stdout" | "stderr";
  onlyLogLines: boolean;
  sink: Sink;
  stderr(text: string): void;
  debug(text: string): void;
}

export function createPresenter(o: PresenterOptions): Presenter {
  const infos = new WeakMap<Target, StreamInfo>();
  const infoOf = (target: Target): StreamInfo => {
    let info = infos.get(target);
    if (!info) {
      // Templates get stern's colours even with colour off (a template may print them).
      const recordColors = pickColors(o.palette, target.podName, target.container, o.diffContainer);
      info = {
        context: o.cluster?.name ?? "",
        contextColor: o.colored ? (o.cluster?.color ?? "") : "",
        namespace: target.namespace,
        podName: target.podName,
        containerName: target.container,
        ...(target.previous ? { previous: true } : {}),
        ...(o.stream ? { stream: o.stream } : {}),
        nodeName: target.pod.spec?.nodeName ?? "",
        labels: target.pod.metadata.labels,
        annotations: target.pod.metadata.annotations,
        colors: o.colored ? recordColors : { pod: "", container: "" },
        recordColors,
      };
      infos.set(target, info);
    }
    return info;
  };
  /** `always`: not a stream's start or end but news of what it lost or was told (--only-log-lines too). */
  const notice = (mark: "+" | "-" | "!", target: Target, detail: NoticeDetail, always = false) => {
    if (o.onlyLogLines && !always) return;
    // After the log lines read before it, not ahead of them.
    o.sink.flush();
    o.stderr(noticeLine(mark, infoOf(target), o.format.showNamespace, o.colored, detail));
  };
  const previous = (target: Target) => (target.previous ? { previous: true } : {});
  return {
    formatterFor: (target) => createLineFormatter(o.format, infoOf(target), (msg) => o.stderr(`${msg}\n`)),
    streamStarted: (target) =>
      notice("+", target, { kind: "start", restartCount: restartsOf(target), ...previous(target) }),
    streamEnded: (target, _why: StreamEnd, end) =>
      notice("-", target, { kind: "stop", end, ...previous(target) }),
    waiting: (target, waiting) => notice("!", target, { kind: "waiting", waiting }),
    serverText: (target, text) => notice("!", target, { kind: "server", text }, true),
    linesLost: (target, after, before) => notice("!", target, { kind: "lost", after, before }, true),
    formatEvent: (event) =>
      formatEvent(event, {
        output: o.format.output,
        colored: o.colored,
        showNamespace: o.format.showNamespace,
        ...(o.cluster ? { context: o.cluster } : {}),
      }),
    streamsQueued: (waiting, limit) =>
      o.stderr(
        `${waiting} container(s) wait for a free log stream (--max-log-requests=${limit}); they start as others end\n`,
      ),
    error: (message) => o.stderr(`${message}\n`),
    debug: (message) => o.debug(message),
  };
}

/** The container's restarts when its instance was first seen. */
function restartsOf(target: Target): number {
  return statusesOf(target.pod).find(([s]) => s.name === target.container)?.[0].restartCount ?? 0;
}
