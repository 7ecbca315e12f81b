// The simulated Kubernetes API server: tests and the demo import everything from here.
export type { SimCerts } from "./certs.ts";
export { generateCerts } from "./certs.ts";
export type { OpenLogStream, StreamFilter } from "./cluster.ts";
export type { Demo, DemoOptions } from "./demo.ts";
export { demoLine, populateDemo } from "./demo.ts";
export type { DeploymentHandle, DeploymentOptions } from "./deployments.ts";
export type { DelayRule, FailRule, Faults } from "./faults.ts";
export type { IngressBackend, IngressHandle, IngressOptions, IngressPath } from "./ingress.ts";
export type { CronJobHandle, CronJobOptions, JobHandle, JobOptions } from "./jobs.ts";
export { renderKubeconfig } from "./kubeconfig.ts";
export { formatTimestamp } from "./logbuffer.ts";
export type { EmitHandle, EmitOptions, FastOptions, PodHandle, TerminateOptions } from "./pod-handle.ts";
export { fastLine } from "./pod-handle.ts";
export type { ContainerSpec, ContainerStateName } from "./pod-model.ts";
export type { AddPodOptions, SimOptions, WriteKubeconfigOptions } from "./scenario.ts";
export { Sim, startSim } from "./scenario.ts";
export type { DenyRule, RequestRecord } from "./server.ts";
export type { KubeObject } from "./store.ts";
export type { PodTemplateOptions } from "./workload.ts";
export type {
  DaemonSetHandle,
  DaemonSetOptions,
  ReplicaSetHandle,
  ReplicaSetOptions,
  ReplicationControllerHandle,
  ReplicationControllerOptions,
  ServiceHandle,
  ServiceOptions,
  ServicePort,
  StatefulSetHandle,
  StatefulSetOptions,
} from "./workloads.ts";
