// --template / --template-file: the user's Go template over stern's Log record. Loaded only when a
// template is given. Values fixed per stream (names, labels, colors) are built once per stream.

import type { LogRecord } from "../structured/record.ts";
import { defineStruct, GoColor, parseTemplate, StringMap, sternFuncs } from "../template/index.ts";
import type { LineTemplate, StreamInfo } from "./types.ts";

/** stern's Log record as templates see it (also what the template tests run against). */
export const LogType = defineStruct("stern.Log", [
  { go: "Message", json: "message" },
  { go: "Timestamp", json: "timestamp", omitEmpty: true },
  { go: "NodeName", json: "nodeName" },
  { go: "Namespace", json: "namespace" },
  { go: "PodName", json: "podName" },
  { go: "ContainerName", json: "containerName" },
  { go: "Labels", json: "labels" },
  { go: "Annotations", json: "annotations" },
  { go: "PodColor", json: "-", skipJson: true },
  { go: "ContainerColor", json: "-", skipJson: true },
  // Beyond stern: the kubeconfig context, set when several clusters are tailed.
  { go: "Context", json: "context", omitEmpty: true },
  // --previous: true on the lines of a container's previous instance.
  { go: "Previous", json: "previous", omitEmpty: true },
  // --stream: "stdout" or "stderr", the stream the line is from ("" when not known).
  { go: "Stream", json: "stream", omitEmpty: true },
  // Beyond stern, from the line's structured record (JSON, logfmt, klog): the level as -o pretty
  // shows it ("ERROR") and the other fields, flattened (a.b), values as text. Empty for other lines.
  { go: "Level", json: "level", omitEmpty: true },
  { go: "Fields", json: "fields", omitEmpty: true },
]);

const NO_FIELDS = new StringMap(null);

function fieldsOf(record: LogRecord | null | undefined): StringMap {
  if (!record || record.fields.length === 0) return NO_FIELDS;
  const m = new Map<string, string>();
  for (const f of record.fields) if (!m.has(f.key)) m.set(f.key, f.value);
  return new StringMap(m);
}

interface StreamValues {
  labels: StringMap;
  annotations: StringMap;
  podColor: GoColor;
  containerColor: GoColor;
}

/** Parses the template (errors say line and column) and returns the per-line renderer. */
export function compileLineTemplate(text: string, colored: boolean): LineTemplate {
  const template = parseTemplate("log", text, sternFuncs({ colorEnabled: colored }));
  const perStream = new WeakMap<StreamInfo, StreamValues>();
  return {
    // A template that names neither costs no parsing.
    needsRecord: /\.(?:Level|Fields)\b/.test(text),
    render(info, message, timestamp, record) {
      let v = perStream.get(info);
      if (!v) {
        v = {
          labels: new StringMap(info.labels ?? null),
          annotations: new StringMap(info.annotations ?? null),
          podColor: new GoColor((info.recordColors ?? info.colors).pod, colored),
          containerColor: new GoColor((info.recordColors ?? info.colors).container, colored),
        };
        perStream.set(info, v);
      }
      return template.execute(
        LogType.make([
          message,
          timestamp,
          info.nodeName,
          info.namespace,
          info.podName,
          info.containerName,
          v.labels,
          v.annotations,
          v.podColor,
          v.containerColor,
          info.context,
          info.previous === true,
          info.stream ?? "",
          record?.level?.text ?? "",
          fieldsOf(record),
        ]),
      );
    },
  };
}
