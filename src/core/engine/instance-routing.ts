import type { InstanceScaling } from '../target/target.js';
import { deployedComponents } from './deployed-components.js';
import { componentState, liveAgain, withComponent } from './environment-state.js';
import { instanceShare, instanceSplit, type InstanceSplit } from './instance-split.js';
import type { StepContext } from './step-executor.js';

/** The environment's canary moves traffic by instance count (`strategy.by: instances`). */
export function byInstances(ctx: StepContext): boolean {
  const strategy = ctx.environment.strategy;
  return strategy?.type === 'canary' && strategy.by === 'instances';
}

/** The weight of the first canary step: how many copies the deploy step starts. */
export function firstCanaryWeight(ctx: StepContext): number {
  const strategy = ctx.environment.strategy;
  return strategy?.type === 'canary' ? (strategy.steps[0]?.weight ?? 100) : 100;
}

function scalingOf(ctx: StepContext, component: string): InstanceScaling {
  const target = ctx.ports.targetFor(component);
  if (!target?.instances) {
    throw new Error(
      `${component}: its ${target?.kind ?? 'missing'} target cannot run a chosen number of copies, which a canary by instances needs`,
    );
  }
  return target.instances;
}

/** The step's signal and log, for a scaling call on one of the component's slots. */
function slotOf(ctx: StepContext, component: string) {
  return (slot: string, instances: number) => ({
    component,
    environment: ctx.environment.name,
    slot,
    instances,
    signal: ctx.signal,
    log: ctx.log,
  });
}

/** How many copies the component's new slot starts with: the first step's share, else all. */
export async function startingInstances(
  ctx: StepContext,
  component: string,
  hasLive: boolean,
): Promise<number> {
  const scaling = scalingOf(ctx, component);
  const total = await scaling.total(component, ctx.environment.name);
  return hasLive ? instanceSplit(total, firstCanaryWeight(ctx)).canary : total;
}

/**
 * Gives every component of the run `weight` % of its copies on the new version: the new
 * slot scaled up first, then the live one down, so capacity never dips. At 100 % the live
 * slot runs no copy (it stays defined, for a quick switch back, until it is retired).
 */
export async function shiftInstances(
  ctx: StepContext,
  weight: number,
): Promise<Record<string, InstanceSplit>> {
  const splits: Record<string, InstanceSplit> = {};
  const environment = ctx.environment.name;
  for (const [component, next] of Object.entries(deployedComponents(ctx.run))) {
    const scaling = scalingOf(ctx, component);
    const current = componentState(await ctx.environmentState(), component);
    const total = await scaling.total(component, environment);
    const live = current.live === next.slot ? undefined : current.live;
    const split = live === undefined ? { canary: total, stable: 0 } : instanceSplit(total, weight);
    const slot = slotOf(ctx, component);
    await scaling.scale(slot(next.slot, split.canary));
    if (live !== undefined) await scaling.scale(slot(live, split.stable));
    splits[component] = split;
    ctx.log(
      `${component}: ${split.canary} of ${split.canary + split.stable} copies run ${next.version} (${instanceShare(split)}% of traffic)`,
    );
  }
  return splits;
}

/**
 * Takes every copy away from the new version while it still shares traffic with the live
 * one: the canary's copies to 0 first (they answer badly), then the live slot back to its
 * full count. Says which version now takes everything; undefined when nothing was shared.
 */
export async function withdrawInstances(ctx: StepContext): Promise<string | undefined> {
  let version: string | undefined;
  const environment = ctx.environment.name;
  for (const [component, next] of Object.entries(deployedComponents(ctx.run))) {
    const current = componentState(await ctx.environmentState(), component);
    if (current.live === undefined || current.live === next.slot) continue;
    const live = current.slots[current.live];
    if (!live) continue;
    const scaling = scalingOf(ctx, component);
    const total = await scaling.total(component, environment);
    const slot = slotOf(ctx, component);
    await scaling.scale(slot(next.slot, 0));
    await scaling.scale(slot(current.live, total));
    ctx.log(`${component}: canary copies 0, all ${total} copies on ${live.version}`);
    version = live.version;
  }
  return version;
}

/**
 * Once the new version took every copy, gives them back: the previous slot (kept defined at
 * 0 copies until retired) runs the full count again, then the new one none, and the
 * previous slot is live again. Says which version each component went back to; a previous
 * slot already retired is left to the redeploy step that follows.
 */
export async function restoreInstances(ctx: StepContext): Promise<Record<string, string>> {
  const restored: Record<string, string> = {};
  const environment = ctx.environment.name;
  for (const [component, next] of Object.entries(deployedComponents(ctx.run))) {
    const current = componentState(await ctx.environmentState(), component);
    const from = next.from;
    if (current.live !== next.slot || !from || from.slot === next.slot) continue;
    const target = ctx.ports.targetFor(component);
    if (!target?.instances) continue;
    const previous = (await target.status(component, environment)).find(
      (i) => i.slot === from.slot && i.version === from.version,
    );
    if (!previous) continue;
    const total = await target.instances.total(component, environment);
    const slot = slotOf(ctx, component);
    await target.instances.scale(slot(from.slot, total));
    await target.instances.scale(slot(next.slot, 0));
    await ctx.updateEnvironment((state) =>
      withComponent(state, component, (c) => liveAgain(c, from.slot)),
    );
    ctx.log(`${component}: all ${total} copies back on ${from.version} (slot ${from.slot})`);
    restored[component] = from.version;
  }
  return restored;
}
