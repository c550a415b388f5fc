import { artifactFields, backendOf, deployedComponents } from '../deployed-components.js';
import { liveAgain, withComponent } from '../environment-state.js';
import { routing } from '../routing.js';
import type { StepContext, StepOutcome } from '../step-executor.js';

/**
 * The rollback path's redeploy: makes the version that ran before this deployment run and
 * take the traffic again, then stops what this deployment started. Check, then act: a
 * previous version still running is left as it is; a stopped slot is fine to stop again.
 */
export async function restorePrevious(ctx: StepContext): Promise<StepOutcome> {
  const deployed = deployedComponents(ctx.run);
  const routed = routing(ctx);
  const restored: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [component, started] of Object.entries(deployed)) {
    const target = ctx.ports.targetFor(component);
    if (!target) continue;
    const from = started.from;
    if (!from) {
      problems.push(`${component} had no earlier version to restore; ${started.version} stays`);
      restored[component] = { kept: started.version, reason: 'no earlier version' };
      continue;
    }
    const previousRelease = await ctx.read((r) => r.getRelease(from.release));
    const instance = await target.start({
      component,
      environment: ctx.environment.name,
      slot: from.slot,
      release: from.release,
      version: from.version,
      ...artifactFields(previousRelease, component),
      signal: ctx.signal,
      log: ctx.log,
    });
    if (routed?.component === component && instance.endpoint) {
      await routed.router.apply({
        stable: backendOf(component, from.slot, from.version, instance.endpoint),
        canaryWeight: 0,
      });
    }
    const at = ctx.clock.now().toISOString();
    await ctx.updateEnvironment((state) =>
      withComponent(state, component, (c) => {
        const rest = liveAgain(c, from.slot);
        const slots = { ...rest.slots };
        if (started.slot !== from.slot) delete slots[started.slot];
        slots[from.slot] = {
          version: from.version,
          release: from.release,
          ...(instance.endpoint ? { endpoint: instance.endpoint } : {}),
          deploymentId: c.slots[from.slot]?.deploymentId ?? ctx.deployment.id,
          startedAt: c.slots[from.slot]?.startedAt ?? at,
        };
        return { ...rest, slots };
      }),
    );
    if (started.slot !== from.slot) {
      await target.stop({
        component,
        environment: ctx.environment.name,
        slot: started.slot,
        signal: ctx.signal,
        log: ctx.log,
      });
    }
    restored[component] = { version: from.version, slot: from.slot };
    ctx.log(`${component}: ${from.version} runs again in slot ${from.slot}`);
  }
  return {
    kind: 'succeeded',
    output: { restored, ...(problems.length ? { notes: problems } : {}) },
  };
}
