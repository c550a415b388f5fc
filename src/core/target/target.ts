/**
 * The Target port: runs versions of one component in one environment. Each running copy
 * sits in a *slot* (`blue`/`green` for blue/green, `stable`/`canary` for canary, `main`
 * for recreate), so two versions can run side by side.
 *
 * Every method follows "check, then act": asking for what already holds (a slot already
 * running that version, a slot already stopped) does nothing and succeeds, so the engine
 * may repeat a call after a crash without harm.
 */
export interface TargetEndpoint {
  readonly host: string;
  readonly port: number;
}

export type InstanceState = 'running' | 'stopped' | 'failed' | 'unknown';

export interface TargetInstance {
  readonly component: string;
  readonly environment: string;
  readonly slot: string;
  readonly version: string;
  readonly digest?: string;
  readonly state: InstanceState;
  /** Where the instance answers (process target); absent for targets that do not know. */
  readonly endpoint?: TargetEndpoint;
  readonly pid?: number;
  readonly startedAt?: string;
  /** Path of the log kept for this version, when the target keeps one. */
  readonly logFile?: string;
  /** Why the state is `failed` or `unknown`. */
  readonly reason?: string;
}

export interface StartRequest {
  readonly component: string;
  readonly environment: string;
  readonly slot: string;
  readonly release: string;
  readonly version: string;
  /** `sha256:…` of the artifact, when the release names one. */
  readonly digest?: string;
  /** The full artifact reference `REF@sha256:…`. */
  readonly artifact?: string;
  /**
   * A fixed port for the instance (process target); refused when another program holds it.
   * Absent: the target picks a free one.
   */
  readonly port?: number;
  /**
   * How many copies the slot runs, for targets that run several (see `InstanceScaling`);
   * absent: the component's full count. Ignored by targets that run one copy per slot.
   */
  readonly instances?: number;
  readonly signal?: AbortSignal;
  /** Receives each line of output the target produces while acting. */
  readonly log?: (line: string) => void;
}

export interface SlotRef {
  readonly component: string;
  readonly environment: string;
  readonly slot: string;
  readonly signal?: AbortSignal;
  readonly log?: (line: string) => void;
}

/**
 * Targets that run several copies of a version behind a load balancer of their own (a
 * Kubernetes Service in front of replicas) can split traffic without a router: the share a
 * version gets is its share of the running copies — the canary by instance count.
 */
export interface InstanceScaling {
  /** How many copies the component runs when one version takes all the traffic. */
  total(component: string, environment: string): Promise<number>;
  /** Sets how many copies the slot runs (0 keeps it defined but idle) and waits until they are ready. */
  scale(slot: SlotRef & { readonly instances: number }): Promise<void>;
}

export interface Target {
  readonly kind: string;
  /** Present on targets that can run a slot at a chosen number of copies. */
  readonly instances?: InstanceScaling;
  /** Starts `version` in the slot and waits until it is ready; returns it running. */
  start(request: StartRequest): Promise<TargetInstance>;
  /** Stops whatever runs in the slot (process group included); a stopped slot is fine. */
  stop(slot: SlotRef): Promise<void>;
  /** What runs in each slot of the component now: read from the world, not remembered. */
  status(component: string, environment: string): Promise<TargetInstance[]>;
}
