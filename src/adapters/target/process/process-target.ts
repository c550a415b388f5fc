import { appendFileSync, mkdirSync, rmSync } from 'node:fs';
import { fillShellTemplate } from '../../../core/command/shell-template.js';
import { EclusaError, invalidInput } from '../../../core/errors/eclusa-error.js';
import { parseDuration } from '../../../core/policy/duration.js';
import type { SecretResolver } from '../../../core/secrets/secret-resolver.js';
import type { SlotRef, StartRequest, Target, TargetInstance } from '../../../core/target/target.js';
import { terminateGroups } from '../../os/process-group.js';
import type { ProcessTargetConfig } from '../target-config.js';
import {
  essentialEnvironment,
  policyEnvironment,
  slotPlaceholders,
  slotVariables,
  targetWorkingDirectory,
} from '../target-environment.js';
import { awaitReady } from './await-ready.js';
import { fileSize, readLogTail } from './log-tail.js';
import { componentRunDir, listSlots, logFile, stateFile } from './slot-paths.js';
import { inspectSlot } from './slot-instance.js';
import { stopSlotProcesses } from './slot-processes.js';
import { readSlotState, slotIdentity, type SupervisorSpec } from './slot-state.js';
import { chooseSlotPort } from './slot-port.js';
import { startFailure } from './start-failure.js';
import {
  defaultSupervisorCommand,
  launchSupervisor,
  type SupervisorCommand,
} from './supervisor-launch.js';

const HOST = '127.0.0.1';
const DEFAULT_READY_TIMEOUT_MS = 30_000;
const EXCERPT_LINES = 20;
const DEFAULT_RESTART: SupervisorSpec['restart'] = {
  max: 5,
  backoffMs: 500,
  maxBackoffMs: 30_000,
  resetAfterMs: 60_000,
};

export interface ProcessTargetOptions {
  readonly config: ProcessTargetConfig;
  /** The component's name in the policy, for error messages (`components.<name>.target`). */
  readonly component: string;
  /** ECLUSA_HOME: slots keep state and logs under run/<env>/<component>/. */
  readonly home: string;
  /** Directory of the policy file: a relative `cwd` starts there. */
  readonly policyDir: string;
  readonly secrets: SecretResolver;
  /** Where PATH, HOME … come from (the app gets only those and the policy's env); default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  readonly supervisor?: SupervisorCommand;
  /** Between SIGTERM and SIGKILL when stopping; default 10 s. */
  readonly stopGraceMs?: number;
  readonly restart?: Partial<SupervisorSpec['restart']>;
}

/**
 * The `process` target, eclusa's embedded default: each slot runs the component's command
 * under a supervisor of its own on a free local port, detached from eclusa, with state and
 * logs under ECLUSA_HOME/run. See docs/targets.md.
 */
export class ProcessTarget implements Target {
  readonly kind = 'process';
  private readonly readyTimeoutMs: number;
  private readonly stopGraceMs: number;
  private readonly supervisor: SupervisorCommand;

  constructor(private readonly options: ProcessTargetOptions) {
    const { readyTimeout } = options.config;
    this.readyTimeoutMs =
      (readyTimeout === undefined ? undefined : parseDuration(readyTimeout)) ??
      DEFAULT_READY_TIMEOUT_MS;
    this.stopGraceMs = options.stopGraceMs ?? 10_000;
    this.supervisor = options.supervisor ?? defaultSupervisorCommand();
    if (options.config.command.includes('${')) {
      throw invalidInput(
        'TARGET_SECRET_IN_COMMAND',
        `${this.field('command')} holds a \${…} reference`,
        {
          hint: 'the command line is visible to every user of the machine: put secrets in target.env and use them as $NAME',
        },
      );
    }
  }

  async start(request: StartRequest): Promise<TargetInstance> {
    const log = request.log ?? (() => undefined);
    const dir = componentRunDir(this.options.home, request.environment, request.component);
    const file = stateFile(dir, request.slot);
    const current = readSlotState(file);
    if (current !== undefined) {
      const seen = await inspectSlot(current);
      const sameDigest = request.digest === undefined || current.digest === request.digest;
      if (seen.state === 'running' && current.version === request.version && sameDigest) {
        log(
          `${request.component} ${request.version} already runs in slot ${request.slot} (pid ${seen.pid})`,
        );
        return seen;
      }
      log(`stopping ${current.version} in slot ${request.slot} first (${seen.state})`);
      await this.stop(request);
    }
    const port = await chooseSlotPort(request, dir, HOST);
    const cwd = targetWorkingDirectory(
      this.options.policyDir,
      this.options.config.cwd,
      this.field('cwd'),
    );
    const { env, command } = this.prepare(request, port);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const logPath = logFile(dir, request.slot, request.version);
    const from = fileSize(logPath);
    appendFileSync(
      logPath,
      `=== eclusa: ${request.component} ${request.version} (release ${request.release}) in slot ${request.slot} on port ${port}, ${new Date().toISOString()}\n`,
      { mode: 0o600 },
    );
    const { healthPath } = this.options.config;
    const spec: SupervisorSpec = {
      identity: slotIdentity(request, { host: HOST, port, healthPath, logFile: logPath }),
      command,
      cwd,
      stateFile: file,
      restart: { ...DEFAULT_RESTART, ...this.options.restart },
      stopGraceMs: this.stopGraceMs,
    };
    log(
      `starting ${request.component} ${request.version} in slot ${request.slot} on ${HOST}:${port}`,
    );
    const supervisorPid = await launchSupervisor(this.supervisor, spec, env);
    const outcome = await awaitReady({
      stateFile: file,
      supervisorPid,
      host: HOST,
      port,
      ...(healthPath === undefined ? {} : { healthPath }),
      timeoutMs: this.readyTimeoutMs,
      ...(request.signal === undefined ? {} : { signal: request.signal }),
    });
    if (outcome.kind === 'ready') {
      log(`${request.component} ${request.version} is ready on ${HOST}:${port}`);
      return inspectSlot(outcome.state);
    }
    await this.stop(request);
    // A supervisor that never wrote its state file is not known to stop(): end it here.
    await terminateGroups([supervisorPid], this.stopGraceMs);
    const lines = readLogTail(logPath, from, EXCERPT_LINES).map((line) =>
      this.options.secrets.redact(line),
    );
    throw startFailure({
      request,
      outcome,
      port,
      lines,
      logFile: logPath,
      readyTimeoutMs: this.readyTimeoutMs,
      field: this.field('readyTimeout'),
    });
  }

  async stop(slot: SlotRef): Promise<void> {
    const dir = componentRunDir(this.options.home, slot.environment, slot.component);
    const file = stateFile(dir, slot.slot);
    const state = readSlotState(file);
    if (state === undefined) return;
    slot.log?.(`stopping ${state.component} ${state.version} in slot ${slot.slot}`);
    if (!(await stopSlotProcesses(() => readSlotState(file), state, this.stopGraceMs))) {
      throw new EclusaError(
        'failed',
        'TARGET_STOP_FAILED',
        `slot ${slot.slot} of ${slot.component} did not stop, even after SIGKILL`,
        {
          hint: `look at the processes of group ${state.app?.pid ?? state.supervisor.pid} (ps -g)`,
          retryable: true,
        },
      );
    }
    rmSync(file, { force: true });
  }

  async status(component: string, environment: string): Promise<TargetInstance[]> {
    const dir = componentRunDir(this.options.home, environment, component);
    const states = listSlots(dir).flatMap((slot) => readSlotState(stateFile(dir, slot)) ?? []);
    return Promise.all(states.map((state) => inspectSlot(state)));
  }

  /** The app's environment and command line for a start on `port`. */
  private prepare(
    request: StartRequest,
    port: number,
  ): { env: Record<string, string>; command: string } {
    const placeholders = { ...slotPlaceholders(request), port: String(port) };
    const env = {
      ...essentialEnvironment(this.options.env ?? process.env),
      ...policyEnvironment(
        this.options.secrets,
        this.options.config.env,
        placeholders,
        this.field('env'),
      ),
      ...slotVariables(request),
      PORT: String(port),
      ECLUSA_PORT: String(port),
    };
    return { env, command: fillShellTemplate(this.options.config.command, placeholders) };
  }

  private field(name: string): string {
    return `components.${this.options.component}.target.${name}`;
  }
}
