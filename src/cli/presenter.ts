// How the engine's streams look: each stream's colours and prefix, its line format, and the
// "+ pod › container" / "- pod › container" lines on stderr, written after the lines read before them.
import type { Presenter, StreamEnd } from "../engine/output.ts";
import type { Sink } from "../engine/sink.ts";
import type { Target } from "../engine/targets.ts";
import { type ColorPair, pickColors, type Sgr } from "../format/color.ts";
import { createLineFormatter, type FormatOptions, type StreamInfo } from "../format/index.ts";
import { noticeLine } from "../format/notice.ts";

export interface PresenterOptions {
  /** The kubeconfig context, when several clusters are tailed at once: shown first on every line. */
  cluster?: { name: string; color: Sgr };
  format: FormatOptions;
  colored: boolean;
  palette: readonly ColorPair[];
  diffContainer: boolean;
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
  const notice = (mark: "+" | "-", target: Target) => {
    if (o.onlyLogLines) return;
    // After the log lines read before it, not ahead of them.
    o.sink.flush();
    o.stderr(noticeLine(mark, infoOf(target), o.format.showNamespace, o.colored));
  };
  return {
    formatterFor: (target) => createLineFormatter(o.format, infoOf(target), (msg) => o.stderr(`${msg}\n`)),
    streamStarted: (target) => notice("+", target),
    streamEnded: (target, _why: StreamEnd) => notice("-", target),
    error: (message) => o.stderr(`${message}\n`),
    debug: (message) => o.debug(message),
  };
}
