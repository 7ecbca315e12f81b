import { describe, expect, it } from "vitest";
import {
  createLineFormatter,
  type FormatOptions,
  noticeLine,
  type StreamInfo,
} from "../../src/engine/format.ts";
import { parseRfc3339, Zone } from "../../src/engine/timestamp.ts";

const info = (colored: boolean): StreamInfo => ({
  namespace: "ns1",
  podName: "pod1",
  containerName: "container1",
  nodeName: "node1",
  labels: undefined,
  annotations: undefined,
  colors: colored ? { pod: "96", container: "36" } : { pod: "", container: "" },
});

function render(
  opts: Partial<FormatOptions>,
  colored = false,
  ts = "2023-03-12T00:29:33.637476100Z",
): string {
  const f = createLineFormatter(
    { output: "default", showNamespace: false, timestamps: undefined, zone: new Zone("UTC"), ...opts },
    info(colored),
  );
  const out: Buffer[] = [];
  const n = f.append(out, parseRfc3339(ts), Buffer.from("default message"));
  const text = Buffer.concat(out).toString();
  expect(Buffer.byteLength(text)).toBe(n);
  return text;
}

describe("line format", () => {
  it("default: pod container message", () => {
    expect(render({})).toBe("pod1 container1 default message\n");
  });
  it("default with namespace", () => {
    expect(render({ showNamespace: true })).toBe("ns1 pod1 container1 default message\n");
  });
  it("default with timestamps after the container", () => {
    expect(render({ timestamps: "default" })).toBe(
      "pod1 container1 2023-03-12T00:29:33.637476100Z default message\n",
    );
    expect(render({ timestamps: "short", zone: new Zone("Asia/Tokyo") })).toBe(
      "pod1 container1 03-12 09:29:33 default message\n",
    );
  });
  it("colors pod (and namespace) with the pod color, container with its own", () => {
    expect(render({ showNamespace: true }, true)).toBe(
      "\x1b[96mns1\x1b[0m \x1b[96mpod1\x1b[0m \x1b[36mcontainer1\x1b[0m default message\n",
    );
  });
  it("raw: the message alone", () => {
    expect(render({ output: "raw" })).toBe("default message\n");
    expect(render({ output: "raw", timestamps: "default" })).toBe(
      "2023-03-12T00:29:33.637476100Z default message\n",
    );
  });
});

describe("notices", () => {
  it("plain", () => {
    expect(noticeLine("+", info(false), false, false)).toBe("+ pod1 › container1\n");
    expect(noticeLine("-", info(false), true, false)).toBe("- ns1 pod1 › container1\n");
  });
  it("colored like stern", () => {
    expect(noticeLine("+", info(true), false, true)).toBe(
      "\x1b[92;1m+\x1b[0m \x1b[96mpod1\x1b[0m › \x1b[36mcontainer1\x1b[0m\n",
    );
    expect(noticeLine("-", info(true), false, true)).toBe(
      "\x1b[91;1m-\x1b[0m \x1b[96mpod1\x1b[0m › \x1b[36mcontainer1\x1b[0m\n",
    );
  });
});
