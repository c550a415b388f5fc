import type { InstanceScaling } from '../target/target.js';
import { deployedComponents } from './deployed-components.js';
import { componentState } from './environment-state.js';
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
    const base = { component, environment, signal: ctx.signal, log: ctx.log };
    await scaling.scale({ ...base, slot: next.slot, instances: split.canary });
    if (live !== undefined) await scaling.scale({ ...base, slot: live, instances: split.stable });
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
    const base = { component, environment, signal: ctx.signal, log: ctx.log };
    await scaling.scale({ ...base, slot: next.slot, instances: 0 });
    await scaling.scale({ ...base, slot: current.live, instances: total });
    ctx.log(`${component}: canary copies 0, all ${total} copies on ${live.version}`);
    version = live.version;
  }
  return version;
}
