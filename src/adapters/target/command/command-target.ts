import type { CommandOutcome, CommandRunner } from '../../../core/command/command-runner.js';
import { fillShellTemplate } from '../../../core/command/shell-template.js';
import { EclusaError } from '../../../core/errors/eclusa-error.js';
import { parseDuration } from '../../../core/policy/duration.js';
import type { SecretResolver } from '../../../core/secrets/secret-resolver.js';
import type { SlotRef, StartRequest, Target, TargetInstance } from '../../../core/target/target.js';
import { systemClock, type Clock } from '../../../core/time/clock.js';
import { ShellCommandRunner } from '../../command/shell/shell-command-runner.js';
import type { CommandTargetConfig } from '../target-config.js';
import {
  policyEnvironment,
  scriptEnvironment,
  targetWorkingDirectory,
  slotPlaceholders,
  slotVariables,
  type SlotFields,
} from '../target-environment.js';
import { parseStatusOutput } from './command-status-output.js';

const DEFAULT_TIMEOUT_MS = 10 * 60_000;
const EXCERPT_LINES = 15;

export interface CommandTargetOptions {
  readonly config: CommandTargetConfig;
  /** The component's name in the policy, for error messages (`components.<name>.target`). */
  readonly component: string;
  /** Directory of the policy file: a relative `cwd` starts there. */
  readonly policyDir: string;
  readonly secrets: SecretResolver;
  readonly runner?: CommandRunner;
  /** The environment scripts inherit (ECLUSA_* removed); default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  readonly clock?: Clock;
}

type Script = 'deploy' | 'stop' | 'status';

/**
 * The `command` target: the team's own deploy/stop/status scripts (docker compose on a VM,
 * a PowerShell release script, ssh). eclusa fills the placeholders, runs each script in its
 * own process group with the policy's timeout, and streams its output (redacted) to the log.
 */
export class CommandTarget implements Target {
  readonly kind = 'command';
  private readonly runner: CommandRunner;
  private readonly timeoutMs: number;
  private readonly clock: Clock;

  constructor(private readonly options: CommandTargetOptions) {
    this.runner = options.runner ?? new ShellCommandRunner();
    this.timeoutMs =
      options.config.timeout === undefined
        ? DEFAULT_TIMEOUT_MS
        : (parseDuration(options.config.timeout) ?? DEFAULT_TIMEOUT_MS);
    this.clock = options.clock ?? systemClock;
  }

  async start(request: StartRequest): Promise<TargetInstance> {
    const log = request.log ?? (() => undefined);
    const before = await this.slotStatus(request);
    if (before?.state === 'running' && sameVersion(before, request)) {
      log(`${request.component} ${request.version} already runs in slot ${request.slot}`);
      return before;
    }
    await this.runScript('deploy', this.options.config.deploy, request, request.signal, log);
    const after = await this.slotStatus(request);
    if (after === undefined) {
      return {
        component: request.component,
        environment: request.environment,
        slot: request.slot,
        version: request.version,
        ...(request.digest === undefined ? {} : { digest: request.digest }),
        state: 'running',
        startedAt: this.clock.now().toISOString(),
      };
    }
    if (after.state !== 'running' || !sameVersion(after, request)) {
      throw new EclusaError(
        'failed',
        'TARGET_NOT_RUNNING',
        `${this.field('deploy')} exited 0, but ${this.field('status')} reports slot ${request.slot} as ${after.state} ${after.version}, not running ${request.version}`,
        {
          hint: 'make the deploy script fail when the new version does not come up',
          details: { instance: after },
        },
      );
    }
    return after;
  }

  async stop(slot: SlotRef): Promise<void> {
    const log = slot.log ?? (() => undefined);
    const stopScript = this.options.config.stop;
    if (stopScript === undefined) {
      log(`${this.field('stop')} is not set: nothing stops slot ${slot.slot}`);
      return;
    }
    const current =
      this.options.config.status === undefined ? undefined : await this.slotStatus(slot);
    if (current !== undefined && current.state === 'stopped') return;
    await this.runScript('stop', stopScript, { ...slot, ...current }, slot.signal, log);
  }

  async status(component: string, environment: string): Promise<TargetInstance[]> {
    return this.readStatus({ component, environment, slot: '' }, undefined);
  }

  /** The slot's instance as the status script sees it; undefined without a status script. */
  private async slotStatus(
    fields: SlotFields & { readonly signal?: AbortSignal },
  ): Promise<TargetInstance | undefined> {
    if (this.options.config.status === undefined) return undefined;
    const instances = await this.readStatus(fields, fields.signal);
    return (
      instances.find((instance) => instance.slot === fields.slot) ?? {
        component: fields.component,
        environment: fields.environment,
        slot: fields.slot,
        version: '',
        state: 'stopped',
      }
    );
  }

  private async readStatus(
    fields: SlotFields,
    signal: AbortSignal | undefined,
  ): Promise<TargetInstance[]> {
    const script = this.options.config.status;
    if (script === undefined) return [];
    const outcome = await this.runScript('status', script, fields, signal, () => undefined);
    return parseStatusOutput(
      this.options.secrets.redact(outcome.stdout),
      fields.component,
      fields.environment,
      this.field('status'),
    );
  }

  private async runScript(
    script: Script,
    template: string,
    fields: SlotFields,
    signal: AbortSignal | undefined,
    log: (line: string) => void,
  ): Promise<CommandOutcome> {
    const { config, secrets, policyDir } = this.options;
    const env = {
      ...scriptEnvironment(this.options.env ?? process.env),
      ...policyEnvironment(secrets, config.env, slotPlaceholders(fields), this.field('env')),
      ...slotVariables(fields),
    };
    const cwd = targetWorkingDirectory(policyDir, config.cwd, this.field('cwd'));
    const outcome = await this.runner.run({
      command: fillShellTemplate(template, slotPlaceholders(fields)),
      cwd,
      env,
      timeoutMs: this.timeoutMs,
      ...(signal === undefined ? {} : { signal }),
      keepBackground: script === 'deploy',
      onLine: (line) => log(secrets.redact(line)),
    });
    const excerpt = outcome.tail.slice(-EXCERPT_LINES).map((line) => secrets.redact(line));
    const details = { script, output: excerpt };
    const said = excerpt.length > 0 ? `; last output: ${excerpt.slice(-3).join(' | ')}` : '';
    if (outcome.timedOut) {
      throw new EclusaError(
        'failed',
        'TARGET_COMMAND_TIMEOUT',
        `${this.field(script)} did not finish within ${Math.round(this.timeoutMs / 1000)} s; its process group was killed${said}`,
        {
          hint: `raise ${this.field('timeout')} or find where the script waits`,
          retryable: true,
          details,
        },
      );
    }
    if (outcome.aborted) {
      throw new EclusaError(
        'failed',
        'TARGET_COMMAND_ABORTED',
        `${this.field(script)} was stopped: the deployment was cancelled`,
        { details },
      );
    }
    if (outcome.exitCode !== 0) {
      const how =
        outcome.exitCode === null
          ? `was killed by ${outcome.signal}`
          : `exited ${outcome.exitCode}`;
      throw new EclusaError(
        'failed',
        'TARGET_COMMAND_FAILED',
        `${this.field(script)} ${how}${said}`,
        {
          hint: 'the full output is in the deployment log',
          details,
        },
      );
    }
    return outcome;
  }

  private field(name: string): string {
    return `components.${this.options.component}.target.${name}`;
  }
}

function sameVersion(instance: TargetInstance, request: StartRequest): boolean {
  if (instance.version !== request.version) return false;
  return (
    instance.digest === undefined ||
    request.digest === undefined ||
    instance.digest === request.digest
  );
}
