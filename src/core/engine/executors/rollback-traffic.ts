import { backendOf } from '../deployed-components.js';
import { componentState, liveAgain, withComponent } from '../environment-state.js';
import { byInstances, restoreInstances, withdrawInstances } from '../instance-routing.js';
import { routing } from '../routing.js';
import type { StepContext, StepOutcome } from '../step-executor.js';

/**
 * While the new version shares traffic with the live one (a canary step), sets its weight to
 * 0 in one router call and says which version now takes everything; undefined when the new
 * version takes no share of its own (not routed yet, or already live).
 */
export async function withdrawCanary(ctx: StepContext): Promise<string | undefined> {
  if (byInstances(ctx)) return withdrawInstances(ctx);
  const routed = routing(ctx);
  if (!routed?.deployed) return undefined;
  const { router, component, deployed } = routed;
  const current = componentState(await ctx.environmentState(), component);
  if (current.live === undefined || current.live === deployed.slot) return undefined;
  const live = current.slots[current.live];
  if (!live?.endpoint) return undefined;
  await router.apply({
    stable: backendOf(component, current.live, live.version, live.endpoint),
    canaryWeight: 0,
  });
  ctx.log(`${component}: canary weight 0, all traffic on ${live.version}`);
  return live.version;
}

/**
 * Sends all traffic back to the version that ran before this deployment, in one router call:
 * the canary's weight to 0, or the switch back to the blue slot still kept warm. When the
 * previous version no longer runs (recreate), the redeploy step that follows restores it.
 */
export async function rollbackTraffic(ctx: StepContext): Promise<StepOutcome> {
  if (byInstances(ctx)) return rollbackInstances(ctx);
  const routed = routing(ctx);
  if (!routed?.deployed) return { kind: 'skipped', reason: 'no traffic went to the new version' };
  const { router, component, deployed } = routed;
  const current = componentState(await ctx.environmentState(), component);
  const from = deployed.from;
  if (current.live !== deployed.slot) {
    // The new version never became live: take its share away.
    const version = await withdrawCanary(ctx);
    if (version !== undefined)
      return { kind: 'succeeded', output: { live: current.live, version } };
    return { kind: 'skipped', reason: `${component} has no live version to send traffic to` };
  }
  if (!from?.endpoint || from.slot === deployed.slot) {
    return {
      kind: 'skipped',
      reason: `the previous version of ${component} is not running; it is redeployed next`,
    };
  }
  const target = ctx.ports.targetFor(component);
  const running = target
    ? (await target.status(component, ctx.environment.name)).find(
        (i) => i.slot === from.slot && i.state === 'running' && i.version === from.version,
      )
    : undefined;
  if (!running) {
    return {
      kind: 'skipped',
      reason: `${from.version} no longer runs in slot ${from.slot}; it is redeployed next`,
    };
  }
  const endpoint = running.endpoint ?? from.endpoint;
  await router.apply({
    stable: backendOf(component, from.slot, from.version, endpoint),
    canaryWeight: 0,
  });
  await ctx.updateEnvironment((state) =>
    withComponent(state, component, (c) => liveAgain(c, from.slot)),
  );
  ctx.log(`${component}: switched back to ${from.version} (slot ${from.slot})`);
  return { kind: 'succeeded', output: { live: from.slot, version: from.version } };
}

/**
 * The rollback for a canary by instances: while the new version only shares the copies, its
 * copies go to 0 and the live slot back to full; once it took everything, the previous
 * slot (kept defined at 0 copies until retired) runs every copy again and the new one none.
 */
async function rollbackInstances(ctx: StepContext): Promise<StepOutcome> {
  const restored = await restoreInstances(ctx);
  const version = await withdrawInstances(ctx);
  if (Object.keys(restored).length === 0 && version === undefined)
    return { kind: 'skipped', reason: 'no copies of the new version shared the traffic' };
  return {
    kind: 'succeeded',
    output: { ...(version === undefined ? {} : { version }), restored },
  };
}
