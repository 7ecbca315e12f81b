// networking.k8s.io/v1 Ingresses: rules of hosts and paths, each to a Service's port, and a default
// backend. They own no pods: `ingress/NAME` queries reach pods through the Services named.
import { rfc3339 } from "./pod-model.ts";
import type { KubeObject } from "./store.ts";
import type { WorkloadContext } from "./workload.ts";

/** A backend: a Service and its port (a number or a port name). */
export interface IngressBackend {
  service: string;
  port?: number | string;
}

export interface IngressPath extends IngressBackend {
  /** Default "/". */
  path?: string;
  /** Default "Prefix". */
  pathType?: "Prefix" | "Exact" | "ImplementationSpecific";
}

export interface IngressOptions {
  namespace?: string;
  name: string;
  /** spec.ingressClassName (none by default). */
  className?: string;
  rules?: { host?: string; paths: IngressPath[] }[];
  defaultBackend?: IngressBackend;
  /** spec.tls: the hosts served over TLS and their certificate's Secret. */
  tls?: { hosts?: string[]; secretName?: string }[];
  /** status.loadBalancer.ingress: where the controller exposes it. */
  addresses?: ({ ip: string } | { hostname: string })[];
  labels?: Record<string, string>;
}

const backendJson = (b: IngressBackend): Record<string, unknown> => ({
  service: {
    name: b.service,
    port: typeof b.port === "string" ? { name: b.port } : { number: b.port ?? 80 },
  },
});

/** A networking.k8s.io/v1 Ingress as the API server returns it. */
export class IngressHandle {
  readonly namespace: string;
  readonly name: string;
  readonly uid = crypto.randomUUID();
  private readonly o: IngressOptions;
  private readonly ctx: WorkloadContext;
  private readonly createdAt: number;

  constructor(o: IngressOptions, ctx: WorkloadContext) {
    this.o = o;
    this.ctx = ctx;
    this.namespace = o.namespace ?? "default";
    this.name = o.name;
    this.createdAt = ctx.cluster.now();
    ctx.cluster.addNamespace(this.namespace);
    this.publish();
  }

  get json(): KubeObject | undefined {
    return this.ctx.cluster.store.get("ingresses", this.namespace, this.name);
  }

  /** The Services it sends traffic to: its rules' backends, then its default backend's. */
  get services(): string[] {
    const names = (this.o.rules ?? []).flatMap((r) => r.paths.map((p) => p.service));
    if (this.o.defaultBackend) names.push(this.o.defaultBackend.service);
    return [...new Set(names)];
  }

  private publish(): void {
    const spec: Record<string, unknown> = {};
    if (this.o.className !== undefined) spec.ingressClassName = this.o.className;
    if (this.o.defaultBackend) spec.defaultBackend = backendJson(this.o.defaultBackend);
    if (this.o.tls?.length) spec.tls = this.o.tls;
    if (this.o.rules?.length) {
      spec.rules = this.o.rules.map((r) => ({
        ...(r.host !== undefined ? { host: r.host } : {}),
        http: {
          paths: r.paths.map((p) => ({
            path: p.path ?? "/",
            pathType: p.pathType ?? "Prefix",
            backend: backendJson(p),
          })),
        },
      }));
    }
    const metadata: KubeObject["metadata"] = {
      name: this.name,
      namespace: this.namespace,
      uid: this.uid,
      generation: 1,
      creationTimestamp: rfc3339(this.createdAt),
    };
    if (this.o.labels && Object.keys(this.o.labels).length > 0) metadata.labels = { ...this.o.labels };
    const lb = this.o.addresses?.length ? { ingress: this.o.addresses } : {};
    this.ctx.cluster.store.put("ingresses", {
      kind: "Ingress",
      apiVersion: "networking.k8s.io/v1",
      metadata,
      spec,
      status: { loadBalancer: lb },
    });
  }

  delete(): void {
    this.ctx.cluster.store.delete("ingresses", this.namespace, this.name);
  }
}
