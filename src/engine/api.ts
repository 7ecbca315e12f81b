// What the engine needs of the Kubernetes API: a JSON GET and a streaming GET. ApiClient (src/kube/)
// is the real one; tests give the engine a scripted one and run it in-process.
import type { Query, ResponseBody } from "../kube/client.ts";

export interface KubeApi {
  getJSON<T>(path: string, query: Query, signal?: AbortSignal): Promise<T>;
  stream(path: string, query: Query, signal?: AbortSignal): Promise<ResponseBody>;
}
