// The "+ pod › container" / "- pod › container" lines on stderr.
import { paint, START_MARK, STOP_MARK } from "./color.ts";
import type { StreamInfo } from "./types.ts";

export function noticeLine(
  mark: "+" | "-",
  info: Pick<StreamInfo, "context" | "contextColor" | "namespace" | "podName" | "containerName" | "colors">,
  showNamespace: boolean,
  colored: boolean,
): string {
  const markText = colored ? paint(mark === "+" ? START_MARK : STOP_MARK, mark) : mark;
  const ns =
    (info.context ? `${paint(info.contextColor, info.context)} ` : "") +
    (showNamespace ? `${paint(info.colors.pod, info.namespace)} ` : "");
  return `${markText} ${ns}${paint(info.colors.pod, info.podName)} › ${paint(info.colors.container, info.containerName)}\n`;
}
