import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { StartRequest } from '../../../core/target/target.js';

/** Who a supervised slot is: written once by the process target, read by the supervisor. */
export interface SlotIdentity {
  readonly component: string;
  readonly environment: string;
  readonly slot: string;
  readonly release: string;
  readonly version: string;
  readonly digest?: string;
  readonly host: string;
  readonly port: number;
  readonly healthPath?: string;
  readonly logFile: string;
}

/** What the process target hands its supervisor (in ECLUSA_SUPERVISOR_SPEC; no secrets). */
export interface SupervisorSpec {
  readonly identity: SlotIdentity;
  /** The filled command line, run by /bin/sh -c. */
  readonly command: string;
  readonly cwd: string;
  readonly stateFile: string;
  readonly restart: {
    /** Consecutive crashes tolerated; one more and the supervisor gives up. */
    readonly max: number;
    readonly backoffMs: number;
    readonly maxBackoffMs: number;
    /** An app that stayed up this long has its crash count reset. */
    readonly resetAfterMs: number;
  };
  readonly stopGraceMs: number;
}

export interface ProcessRef {
  readonly pid: number;
  /** Start time in clock ticks since boot (Linux), to tell the process from a later one with its pid. */
  readonly startTime?: string;
}

export interface RestartRecord {
  readonly at: string;
  readonly exitCode: number | null;
  readonly signal: string | null;
}

/**
 * The state file of a slot (`<slot>.json`), written only by the slot's supervisor, atomically.
 * `app.pid` is also the app's process group id: the app runs in a session of its own.
 */
export interface SlotState extends SlotIdentity {
  readonly format: 1;
  readonly phase: 'running' | 'restarting' | 'failed' | 'stopped';
  readonly supervisor: ProcessRef;
  readonly app?: ProcessRef;
  readonly startedAt: string;
  readonly restarts: readonly RestartRecord[];
  readonly reason?: string;
}

export function writeSlotState(file: string, state: SlotState): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, file);
}

/** The slot's state, or undefined when there is none (or it is not one of ours). */
export function readSlotState(file: string): SlotState | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const state = JSON.parse(text) as Partial<SlotState>;
    return state.format === 1 && typeof state.supervisor?.pid === 'number'
      ? (state as SlotState)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The identity of a slot started for `request`. */
export function slotIdentity(
  request: StartRequest,
  where: { host: string; port: number; healthPath: string | undefined; logFile: string },
): SlotIdentity {
  return {
    component: request.component,
    environment: request.environment,
    slot: request.slot,
    release: request.release,
    version: request.version,
    ...(request.digest === undefined ? {} : { digest: request.digest }),
    host: where.host,
    port: where.port,
    ...(where.healthPath === undefined ? {} : { healthPath: where.healthPath }),
    logFile: where.logFile,
  };
}
