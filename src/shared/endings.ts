// How a container instance ended and what a container waits for, as data: the engine reads them from
// a pod's status (engine/endings.ts), the output side puts them in words (format/ending-text.ts).

/** How one instance ended. */
export interface InstanceEnd {
  exitCode: number | undefined;
  signal: number | undefined;
  /** Completed, Error, OOMKilled, ContainerCannotRun, DeadlineExceeded, ... */
  reason: string | undefined;
  message: string | undefined;
  /** The container's restarts so far, as `kubectl get pods` shows them. */
  restartCount: number;
  /** The pod was evicted: the kubelet's message. */
  evicted: string | undefined;
}

/** A container waiting for something worth telling: why, the kubelet's message, its image. */
export interface Waiting {
  reason: string;
  message: string | undefined;
  image: string | undefined;
}
