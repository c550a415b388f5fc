import { compileAnalysis } from '../../analysis/analysis-config.js';
import {
  advanceAnalysisRun,
  analysisQueries,
  startAnalysisRun,
  type AnalysisRunState,
} from '../../analysis/analysis-run.js';
import type { MetricsSide } from '../../analysis/metrics-source.js';
import { channelsFor } from '../../plan/notify-events.js';
import { backendOf, deployedComponents } from '../deployed-components.js';
import { byInstances } from '../instance-routing.js';
import { componentState } from '../environment-state.js';
import { routing } from '../routing.js';
import { textDetail } from '../step-details.js';
import type { StepContext, StepExecutor, StepOutcome } from '../step-executor.js';
import { withdrawCanary } from './rollback-traffic.js';

const INCONCLUSIVE_POLL_MS = 2_000;

/** The version under judgment and, while it shares traffic with the live one, that one. */
async function sides(
  ctx: StepContext,
): Promise<{ canary: MetricsSide; stable?: MetricsSide } | undefined> {
  if (byInstances(ctx)) return instanceSides(ctx);
  const routed = routing(ctx);
  const next = routed?.deployed;
  if (!routed || !next?.endpoint) return undefined;
  const canary = { ...backendOf(routed.component, next.slot, next.version, next.endpoint) };
  const current = componentState(await ctx.environmentState(), routed.component);
  const live = current.live === undefined ? undefined : current.slots[current.live];
  if (current.live === next.slot || !live?.endpoint) return { canary };
  return {
    canary,
    stable: backendOf(routed.component, current.live!, live.version, live.endpoint),
  };
}

/**
 * The sides of a canary by instance count: no address of their own (the copies sit behind
 * the cluster's Service), so a Prometheus source tells their series apart by their labels.
 */
async function instanceSides(
  ctx: StepContext,
): Promise<{ canary: MetricsSide; stable?: MetricsSide } | undefined> {
  const deployed = deployedComponents(ctx.run);
  const component = Object.keys(deployed)[0];
  const next = component === undefined ? undefined : deployed[component];
  if (component === undefined || !next) return undefined;
  const canary = { id: `${component}-${next.slot}`, version: next.version };
  const current = componentState(await ctx.environmentState(), component);
  const live = current.live === undefined ? undefined : current.slots[current.live];
  if (current.live === next.slot || !live) return { canary };
  return { canary, stable: { id: `${component}-${current.live!}`, version: live.version } };
}

function summary(state: AnalysisRunState): Record<string, unknown> {
  return {
    verdict: state.verdict,
    summary: state.summary ?? null,
    findings: state.findings,
    measurements: state.measurements,
    points: state.points.slice(-20),
  };
}

/**
 * Judges the new version by its metrics, one measurement per interval: threshold conditions
 * and, when the live version still takes traffic, canary against baseline. The analysis
 * state is a pure JSON state machine kept in the step's output between measurements (each
 * wait is a durable timer), so a restarted engine continues the same judgment. Missing
 * data never passes: it waits for a person (`promote` accepts, `abort` rolls back) or fails,
 * as the policy says.
 */
export const analysisStep: StepExecutor = async (ctx): Promise<StepOutcome> => {
  const name = textDetail(ctx.step, 'analysis') ?? '';
  const document = ctx.policy.analyses?.[name];
  if (!document) return { kind: 'failed', error: `analysis ${name} is not defined in the policy` };
  const source = ctx.ports.metrics?.(name);
  if (!source) return { kind: 'failed', error: `no metrics source for analysis ${name}` };
  const previous = ctx.state.output?.['analysis'] as AnalysisRunState | undefined;
  if (previous?.verdict === 'inconclusive') {
    const promoted = (ctx.run.control.promotes ?? []).some(
      (p) => ctx.state.startedAt !== undefined && p.at >= ctx.state.startedAt,
    );
    if (promoted)
      return {
        kind: 'succeeded',
        output: { accepted: 'promoted by hand after an inconclusive analysis' },
      };
    return {
      kind: 'wait',
      until: new Date(ctx.clock.now().getTime() + INCONCLUSIVE_POLL_MS).toISOString(),
      reason: `analysis ${name} is inconclusive (${previous.summary ?? previous.lastProblem ?? 'no data'}): promote to accept, abort to roll back`,
    };
  }
  const now = ctx.clock.now();
  const durationMs = Number(ctx.step.details['durationMs'] ?? 0) || undefined;
  const config = compileAnalysis(name, document, source.capabilities);
  let state =
    previous ?? startAnalysisRun(config, now, durationMs === undefined ? {} : { durationMs });
  const measured = await sides(ctx);
  if (!measured)
    return {
      kind: 'failed',
      error: `analysis ${name} has no deployed version to measure (none with an endpoint behind the router)`,
    };
  // A router restarted since the traffic step (its process killed, a team's HAProxy started
  // again from its own file) is brought back to the route eclusa last set before the
  // traffic it carries is judged; a router that cannot be reached fails the step.
  await routing(ctx)?.router.ensure();
  const measurement = await source.measure({
    ...measured,
    queries: analysisQueries(config),
    signal: ctx.signal,
  });
  state = advanceAnalysisRun(state, { kind: 'measurement', measurement });
  state = advanceAnalysisRun(state, { kind: 'tick', at: ctx.clock.now().toISOString() });
  const output = { analysis: state };
  switch (state.verdict) {
    case 'running':
      return {
        kind: 'wait',
        until: new Date(ctx.clock.now().getTime() + config.intervalMs).toISOString(),
        reason: `analysing ${name}: ${state.measurements} measurement(s)${state.summary ? `, ${state.summary}` : ''}`,
        output,
      };
    case 'passed':
      ctx.log(state.summary ?? `analysis ${name} passed`);
      return { kind: 'succeeded', output: { analysis: summary(state) } };
    case 'failed': {
      ctx.log(state.summary ?? `analysis ${name} failed`);
      const trigger =
        durationMs !== undefined && !measured.stable ? 'monitoring-failed' : 'analysis-failed';
      // A failing canary stops taking users' requests now, in one router call, before the
      // verdict is stored and the rollback path starts (its traffic step then finds the
      // route in place). Only when the policy rolls back on this failure by itself.
      if (
        measured.stable &&
        ctx.plan.rollback.automatic &&
        ctx.plan.rollback.triggers.includes(trigger)
      ) {
        // If the router refuses now, the rollback's traffic step tries again.
        await withdrawCanary(ctx).catch((error: unknown) =>
          ctx.log(`could not set the canary weight to 0 yet: ${String(error)}`),
        );
      }
      return {
        kind: 'failed',
        trigger,
        // The summary already reads `analysis NAME failed: …`.
        error: state.summary ?? `analysis ${name} failed: ${state.findings.join('; ')}`,
        output: { analysis: summary(state) },
      };
    }
    case 'inconclusive':
      if (config.inconclusive === 'fail') {
        return {
          kind: 'failed',
          trigger: 'analysis-failed',
          error:
            state.summary ?? `analysis ${name} inconclusive: ${state.lastProblem ?? 'no data'}`,
          output: { analysis: summary(state) },
        };
      }
      {
        const reason = `analysis ${name} is inconclusive (${state.summary ?? state.lastProblem ?? 'no data'}): promote to accept, abort to roll back`;
        await tellPaused(ctx, reason);
        return {
          kind: 'wait',
          until: new Date(ctx.clock.now().getTime() + INCONCLUSIVE_POLL_MS).toISOString(),
          reason,
          output,
        };
      }
  }
};

/**
 * A deployment that now waits for a person says so on the environment's channels (the
 * `paused` event), once: when the judgment turns inconclusive. A channel that cannot be
 * reached is logged, never a reason to fail the step.
 */
async function tellPaused(ctx: StepContext, reason: string): Promise<void> {
  const message = `${ctx.policy.project.name} ${ctx.release.version} in ${ctx.environment.name} is paused: ${reason}`;
  for (const channel of channelsFor(ctx.environment, 'paused')) {
    const result = await ctx.ports.notifier.send(channel, message, ctx.signal);
    ctx.log(`${channel}: ${result.delivered ? 'sent' : 'not sent'} (${result.detail})`);
  }
}
