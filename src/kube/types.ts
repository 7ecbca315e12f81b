// The API's envelopes around objects, as they arrive in JSON: lists, watch events and Status errors
// (the objects themselves are in shared/pod.ts).
import type { Pod } from "../shared/pod.ts";

export interface PodList {
  metadata: { resourceVersion?: string; continue?: string };
  items: Pod[];
}

export interface Status {
  kind: "Status";
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; kind?: string; retryAfterSeconds?: number };
}

export interface WatchEvent {
  type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";
  object: Pod | Status;
}
