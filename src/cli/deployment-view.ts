import type { RunnerEvent } from '../core/engine/deployment-runner.js';
import type { RunState } from '../core/engine/run-state.js';
import type { DeploymentRecord } from '../core/store/records.js';
import type { CliIo } from './cli-io.js';

/** The JSON shape of CLI-CONTRACT.md for `deploy --json --wait` and `deployment show --json`. */
export function deploymentJson(
  deployment: DeploymentRecord,
  state: RunState,
): Record<string, unknown> {
  const steps =
    state.phase === 'rollback' || state.status === 'rolled_back' || state.status === 'aborted'
      ? [...state.steps, ...state.rollbackSteps.map((s) => ({ ...s, phase: 'rollback' }))]
      : state.steps;
  return {
    id: deployment.id,
    release: deployment.release,
    environment: deployment.environment,
    status: state.status,
    requestedBy: deployment.requestedBy,
    createdAt: deployment.createdAt,
    ...(state.startedAt ? { startedAt: state.startedAt } : {}),
    ...(state.finishedAt ? { finishedAt: state.finishedAt } : {}),
    ...(state.outcome ? { outcome: state.outcome } : {}),
    ...(state.rollbackCause ? { rollbackCause: state.rollbackCause } : {}),
    steps: steps.map((s) => ({
      id: s.id,
      kind: s.kind,
      name: s.name,
      status: s.status,
      phase: 'phase' in s ? s.phase : 'deploy',
      attempt: s.attempt,
      startedAt: s.startedAt ?? null,
      finishedAt: s.finishedAt ?? null,
      ...(s.waiting ? { waiting: s.waiting } : {}),
      ...(s.error ? { error: s.error } : {}),
    })),
  };
}

const MARK: Record<string, string> = {
  succeeded: '✓',
  failed: '✗',
  skipped: '-',
  running: '…',
  pending: ' ',
};

function seconds(from?: string, to?: string): string {
  if (!from || !to) return '';
  return ` (${((Date.parse(to) - Date.parse(from)) / 1000).toFixed(1)} s)`;
}

/**
 * Prints each runner event as it happens: a line per step start and end, logs indented.
 * With `--json` each event is a JSON line on stderr, so that stdout holds the one JSON
 * document the command ends with (the CLI contract) and a script can still follow along.
 */
export function progressPrinter(io: CliIo, json: boolean): (event: RunnerEvent) => void {
  return (event) => {
    if (json) {
      io.err(
        JSON.stringify({
          event: event.kind,
          ...('step' in event && typeof event.step === 'object'
            ? { step: { id: event.step.id, kind: event.step.kind, status: event.step.status } }
            : {}),
          ...(event.kind === 'log' ? { step: event.step, line: event.line } : {}),
          ...(event.kind === 'rollback-started' ? { reason: event.reason } : {}),
          ...(event.kind === 'incident-opened'
            ? {
                incident: {
                  id: event.incident.id,
                  severity: event.incident.severity,
                  reason: event.incident.reason,
                },
              }
            : {}),
          ...(event.kind === 'finished'
            ? { status: event.state.status, outcome: event.state.outcome }
            : {}),
        }),
      );
      return;
    }
    switch (event.kind) {
      case 'step-started':
        io.out(
          `${event.phase === 'rollback' ? 'undo ' : ''}→ ${event.step.kind.padEnd(11)} ${event.step.name}`,
        );
        break;
      case 'step-finished':
        io.out(
          `  ${MARK[event.step.status] ?? '?'} ${event.step.status}${seconds(event.step.startedAt, event.step.finishedAt)}${event.step.error ? `: ${event.step.error}` : ''}`,
        );
        break;
      case 'step-waiting':
        io.out(`  … ${event.step.waiting ?? 'waiting'}`);
        break;
      case 'log':
        io.out(`    ${event.line}`);
        break;
      case 'rollback-started':
        io.out(`⟲ rolling back: ${event.reason}`);
        break;
      case 'incident-opened':
        io.out(
          `! incident ${event.incident.id} (${event.incident.severity}) opened: ${event.incident.reason}`,
        );
        break;
      case 'finished':
        io.out(
          `${event.state.status === 'succeeded' ? '✓' : '✗'} ${event.state.status}: ${event.state.outcome ?? ''}`,
        );
        break;
    }
  };
}

/** Exit codes of CLI-CONTRACT.md for a deployment that has ended. */
export function exitCodeFor(status: RunState['status']): number {
  switch (status) {
    case 'succeeded':
      return 0;
    case 'rolled_back':
    case 'aborted':
      return 4;
    case 'failed':
      return 5;
    default:
      return 0;
  }
}
