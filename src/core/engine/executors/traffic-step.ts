import { parseDuration } from '../../policy/duration.js';
import { backendOf, deployedComponents } from '../deployed-components.js';
import { componentState, withComponent } from '../environment-state.js';
import { byInstances, shiftInstances } from '../instance-routing.js';
import type { InstanceSplit } from '../instance-split.js';
import { routing } from '../routing.js';
import type { StepContext, StepExecutor, StepOutcome } from '../step-executor.js';
import { rollbackTraffic } from './rollback-traffic.js';

const DEFAULT_KEEP_PREVIOUS_MS = 30_000;

function keepPreviousMs(ctx: StepContext): number {
  const strategy = ctx.environment.strategy;
  const keep =
    strategy && (strategy.type === 'blue-green' || strategy.type === 'canary')
      ? strategy.keepPrevious
      : undefined;
  // Like Argo Rollouts' scaleDownDelaySeconds: 30 s of instant switch-back unless the policy says.
  return keep === undefined
    ? DEFAULT_KEEP_PREVIOUS_MS
    : (parseDuration(keep) ?? DEFAULT_KEEP_PREVIOUS_MS);
}

/**
 * Moves traffic to the new version: a share of it (canary) or all of it (the blue/green
 * switch, or the last canary step) — through the router, or, for a canary by instances, by
 * the number of copies each version runs. At 100 % the new slot becomes live and the old one is
 * kept warm until `keepPrevious` has passed. Applying a route already in place changes
 * nothing, so a repeat after a crash is harmless.
 */
export const trafficStep: StepExecutor = async (ctx): Promise<StepOutcome> => {
  if (ctx.step.phase === 'rollback') return rollbackTraffic(ctx);
  const weight = Number(ctx.step.details['weight'] ?? 100);
  const deployed = deployedComponents(ctx.run);
  const routed = routing(ctx);
  const now = ctx.clock.now();
  let instances: Record<string, InstanceSplit> | undefined;
  if (byInstances(ctx)) {
    instances = await shiftInstances(ctx, weight);
  } else if (routed?.deployed?.endpoint) {
    const { router, component, deployed: next } = routed;
    const current = componentState(await ctx.environmentState(), component);
    const live = current.live === undefined ? undefined : current.slots[current.live];
    const canary = backendOf(component, next.slot, next.version, next.endpoint!);
    if (weight >= 100 || !live?.endpoint || current.live === next.slot) {
      await router.apply({ stable: canary, canaryWeight: 0 });
    } else {
      const stable = backendOf(component, current.live!, live.version, live.endpoint);
      await router.apply({ stable, canary, canaryWeight: weight });
    }
    ctx.log(`${component}: ${weight}% of traffic to ${next.version} (slot ${next.slot})`);
  } else if (weight < 100) {
    return {
      kind: 'failed',
      error: `a ${weight}% traffic split needs a router in ${ctx.environment.name}`,
    };
  }
  if (weight < 100)
    return { kind: 'succeeded', output: { weight, ...(instances ? { instances } : {}) } };
  const retireAt = new Date(now.getTime() + keepPreviousMs(ctx)).toISOString();
  await ctx.updateEnvironment((state) => {
    let next = state;
    for (const [component, started] of Object.entries(deployed)) {
      next = withComponent(next, component, (c) => {
        if (c.live === started.slot) return c;
        const previous = c.live;
        return {
          ...c,
          live: started.slot,
          ...(previous === undefined ? {} : { previous, retireAt }),
        };
      });
    }
    return next;
  });
  return {
    kind: 'succeeded',
    output: {
      weight,
      ...(instances ? { instances } : {}),
      live: Object.fromEntries(Object.entries(deployed).map(([c, d]) => [c, d.slot])),
    },
  };
};
