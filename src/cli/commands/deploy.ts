import type { DeploymentRunner, DriveResult } from '../../core/engine/deployment-runner.js';
import { parseRun } from '../../core/engine/run-persistence.js';
import { isTerminal } from '../../core/engine/run-state.js';
import { invalidInput } from '../../core/errors/eclusa-error.js';
import {
  controlDeployment,
  createDeployment,
  type ControlRequest,
} from '../../core/services/deployment-service.js';
import type { Store } from '../../core/store/store.js';
import { writeJson, type CliIo } from '../cli-io.js';
import { deploymentJson, exitCodeFor, progressPrinter } from '../deployment-view.js';
import { adoptOrphans, createRunner, spawnWorker } from '../engine-runtime.js';
import { withRuntime, type Runtime } from '../governance-runtime.js';
import { incidentLine } from './incident.js';

export interface DeployOptions {
  readonly release: string;
  readonly env: string;
  readonly wait?: boolean;
  readonly file?: string;
  readonly json?: boolean;
}

const POLL_MS = 500;

async function loadDeployment(store: Store, id: string) {
  const found = await store.read(async (r) => {
    const record = await r.getDeploymentRun(id);
    const deployment = await r.getDeployment(id);
    return record && deployment ? parseRun(record, deployment) : undefined;
  });
  if (!found)
    throw invalidInput('UNKNOWN_DEPLOYMENT', `no deployment ${id}`, {
      hint: 'list them with eclusa status',
    });
  return found;
}

/**
 * Drives a deployment until it ends: runs it when it is this process's turn, waits in the
 * queue or while another process holds the lease (taking over if that lease expires).
 */
async function driveToEnd(
  io: CliIo,
  runtime: Runtime,
  runner: DeploymentRunner,
  id: string,
  quiet: boolean,
): Promise<number> {
  let said = '';
  const say = (text: string): void => {
    if (text !== said && !quiet) io.err(text);
    said = text;
  };
  for (;;) {
    const result: DriveResult = await runner.drive(id);
    if (result.kind === 'finished') return exitCodeFor(result.state.status);
    if (result.kind === 'queued') say(`queued behind ${result.behind}`);
    if (result.kind === 'busy')
      say(`run by ${result.owner}; waiting (lease until ${result.until})`);
    if (result.kind === 'paused') say(`paused; continue with eclusa deployment resume ${id}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    const run = await loadDeployment(runtime.store, id);
    if (isTerminal(run.state.status)) return exitCodeFor(run.state.status);
  }
}

/** `eclusa deploy`: refused (exit 3) unless the gates pass; with --wait, streams every step and exits 0/4/5. */
export async function deployCommand(io: CliIo, options: DeployOptions): Promise<number> {
  return withRuntime(io, { file: options.file, writes: true }, async (runtime) => {
    const deployment = await createDeployment(runtime.context, {
      release: options.release,
      environment: options.env,
    });
    const policyFile = runtime.context.policy.file;
    if (!options.wait) {
      const log = spawnWorker(io, runtime.home, deployment.id, policyFile);
      if (options.json)
        writeJson(io, {
          id: deployment.id,
          release: deployment.release,
          environment: deployment.environment,
          status: deployment.status,
          log,
        });
      else
        io.out(
          `${deployment.id} queued: ${deployment.release} → ${deployment.environment} (follow with eclusa deployment show ${deployment.id}; log ${log})`,
        );
      return 0;
    }
    if (!options.json)
      io.out(`${deployment.id}: ${deployment.release} → ${deployment.environment}`);
    const runner = createRunner(io, runtime, progressPrinter(io, options.json === true));
    const code = await driveToEnd(io, runtime, runner, deployment.id, options.json === true);
    if (options.json) {
      const run = await loadDeployment(runtime.store, deployment.id);
      writeJson(io, deploymentJson(run.deployment, run.state));
    }
    return code;
  });
}

/** `eclusa deployment run ID`: the worker that drives one deployment (started by deploy and by takeover). */
export async function deploymentRunCommand(
  io: CliIo,
  id: string,
  options: { file?: string },
): Promise<number> {
  return withRuntime(io, { file: options.file, writes: true }, async (runtime) => {
    const runner = createRunner(io, runtime, progressPrinter(io, false));
    return driveToEnd(io, runtime, runner, id, false);
  });
}

export async function deploymentShowCommand(
  io: CliIo,
  id: string,
  options: { file?: string; json?: boolean },
): Promise<number> {
  return withRuntime(io, { file: options.file, writes: false }, async (runtime) => {
    await adoptOrphans(
      io,
      runtime.store,
      runtime.home,
      runtime.context.policy.file,
      runtime.context.clock.now(),
    );
    const run = await loadDeployment(runtime.store, id);
    const incidents = await runtime.store.read((r) => r.listIncidents({ deploymentId: id }));
    const view: Record<string, unknown> = {
      ...deploymentJson(run.deployment, run.state),
      incidents,
    };
    if (options.json) writeJson(io, view);
    else {
      io.out(
        `${run.deployment.id}  ${run.deployment.release} → ${run.deployment.environment}  ${run.state.status}${run.state.outcome ? `: ${run.state.outcome}` : ''}`,
      );
      for (const step of view['steps'] as {
        id: string;
        kind: string;
        status: string;
        name: string;
        phase: string;
        waiting?: string;
        error?: string;
      }[]) {
        io.out(
          `  ${step.phase === 'rollback' ? 'undo ' : ''}${step.status.padEnd(9)} ${step.kind.padEnd(11)} ${step.name}${step.waiting ? ` — ${step.waiting}` : ''}${step.error ? ` — ${step.error}` : ''}`,
        );
      }
      for (const incident of incidents) io.out(`incident ${incidentLine(incident)}`);
    }
    return 0;
  });
}

/** pause / resume / promote / abort: recorded, then acted on by whoever drives the deployment. */
export async function deploymentControlCommand(
  io: CliIo,
  id: string,
  request: ControlRequest,
  options: { file?: string; json?: boolean },
): Promise<number> {
  return withRuntime(io, { file: options.file, writes: true }, async (runtime) => {
    const state = await controlDeployment(runtime.context, id, request);
    const adopted = await adoptOrphans(
      io,
      runtime.store,
      runtime.home,
      runtime.context.policy.file,
      runtime.context.clock.now(),
    );
    if (options.json)
      writeJson(io, {
        id,
        requested: request.kind,
        status: state.status,
        worker: adopted.includes(id),
      });
    else io.out(`${request.kind} requested for ${id} (${state.status})`);
    return 0;
  });
}

/** `eclusa rollback --env E`: rolls back the deployment running there now. */
export async function rollbackCommand(
  io: CliIo,
  options: { env: string; reason: string; to?: string; file?: string; json?: boolean },
): Promise<number> {
  return withRuntime(io, { file: options.file, writes: true }, async (runtime) => {
    const active = (
      await runtime.store.read((r) => r.listActiveDeploymentRuns({ environment: options.env }))
    )[0];
    if (!active) {
      throw invalidInput('NOTHING_TO_ROLL_BACK', `no deployment is running in ${options.env}`, {
        hint: `to return to an earlier release, deploy it: eclusa deploy --release ${options.to ?? 'V'} --env ${options.env} --wait`,
      });
    }
    await controlDeployment(runtime.context, active.deploymentId, {
      kind: 'rollback',
      reason: options.reason,
    });
    const runner = createRunner(io, runtime, progressPrinter(io, options.json === true));
    const code = await driveToEnd(io, runtime, runner, active.deploymentId, options.json === true);
    if (options.json) {
      const run = await loadDeployment(runtime.store, active.deploymentId);
      writeJson(io, deploymentJson(run.deployment, run.state));
    }
    return code;
  });
}
