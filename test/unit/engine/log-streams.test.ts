// --stream's checks of the server: which versions can know `stream`, and which 422 is its refusal.
import { describe, expect, it } from "vitest";
import { knowsStreams, refusesStream } from "../../../src/engine/log-streams.ts";
import { ApiError } from "../../../src/kube/errors.ts";
import type { Status } from "../../../src/kube/types.ts";

describe("knowsStreams", () => {
  it("1.32 and later, as /version says it (managed clusters write 32+)", () => {
    expect(knowsStreams({ major: "1", minor: "32", gitVersion: "v1.32.4" })).toBe(true);
    expect(knowsStreams({ major: "1", minor: "33+", gitVersion: "v1.33.1-gke.100" })).toBe(true);
    expect(knowsStreams({ major: "1", minor: "31", gitVersion: "v1.31.6" })).toBe(false);
    expect(knowsStreams({ major: "1", minor: "29+" })).toBe(false);
    expect(knowsStreams({ major: "2", minor: "0" })).toBe(true);
    expect(knowsStreams({ gitVersion: "v1.30.0-eks-abc" })).toBe(false);
    expect(knowsStreams({})).toBeUndefined();
  });
});

describe("refusesStream", () => {
  const status = (field: string): Status =>
    ({
      kind: "Status",
      code: 422,
      reason: "Invalid",
      message: `PodLogOptions "web-1" is invalid: ${field}: Forbidden: may not be specified`,
      details: { name: "web-1", kind: "PodLogOptions", causes: [{ reason: "FieldValueForbidden", field }] },
    }) as Status;
  it("a 422 whose cause is the stream field", () => {
    expect(refusesStream(new ApiError(422, status("stream"), ""))).toBe(true);
    expect(refusesStream(new ApiError(422, status("tailLines"), ""))).toBe(false);
    expect(refusesStream(new ApiError(400, status("stream"), ""))).toBe(false);
    expect(refusesStream(new Error("stream"))).toBe(false);
  });
});
