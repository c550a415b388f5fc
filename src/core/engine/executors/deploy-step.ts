import type { StartRequest } from '../../target/target.js';
import { componentState, slotForNewVersion, withComponent } from '../environment-state.js';
import {
  artifactFields,
  backendOf,
  deployedComponents,
  type DeployedComponent,
} from '../deployed-components.js';
import type { StepContext, StepExecutor, StepOutcome } from '../step-executor.js';
import { byInstances, startingInstances } from '../instance-routing.js';
import { restorePrevious } from './restore-previous.js';

function startRequest(ctx: StepContext, component: string, slot: string): StartRequest {
  return {
    component,
    environment: ctx.environment.name,
    slot,
    release: ctx.release.version,
    version: ctx.release.version,
    ...artifactFields(ctx.release, component),
    signal: ctx.signal,
    log: ctx.log,
  };
}

/**
 * Starts the release's version of each component: beside the live one (blue/green, canary)
 * or in its place (recreate). Check, then act: the target leaves a slot that already runs
 * this version alone, and the slot is chosen from the environment state, which only
 * changes once the start succeeded, so a repeat after a crash picks the same slot.
 */
export const deployStep: StepExecutor = async (ctx): Promise<StepOutcome> => {
  if (ctx.step.details['previous'] === true) return restorePrevious(ctx);
  const components = (ctx.step.details['components'] as string[] | undefined) ?? [];
  const strategy = ctx.environment.strategy?.type ?? 'recreate';
  const sideBySide = strategy === 'blue-green' || strategy === 'canary';
  const earlier = deployedComponents(ctx.run);
  const started: Record<string, DeployedComponent> = {};
  for (const component of components) {
    const target = ctx.ports.targetFor(component);
    if (!target) {
      const kind = ctx.policy.components[component]?.kind;
      return {
        kind: 'failed',
        error: `${component} has no target eclusa can run here${kind === 'database' ? ' (a database is migrated, not deployed)' : ''}`,
        output: { components: started },
      };
    }
    const current = componentState(await ctx.environmentState(), component);
    const live = current.live === undefined ? undefined : current.slots[current.live];
    const already = earlier[component];
    const slot = already?.slot ?? slotForNewVersion(current, sideBySide);
    const from =
      already?.from ??
      (live && current.live !== undefined
        ? {
            slot: current.live,
            version: live.version,
            release: live.release,
            ...(live.endpoint ? { endpoint: live.endpoint } : {}),
          }
        : undefined);
    const instances =
      byInstances(ctx) && current.live !== slot
        ? await startingInstances(ctx, component, live !== undefined)
        : undefined;
    ctx.log(
      `${component}: starting ${ctx.release.version} in slot ${slot}${instances === undefined ? '' : ` with ${instances} ${instances === 1 ? 'copy' : 'copies'}`}`,
    );
    const instance = await target.start({
      ...startRequest(ctx, component, slot),
      ...(instances === undefined ? {} : { instances }),
    });
    const at = ctx.clock.now().toISOString();
    await ctx.updateEnvironment((state) =>
      withComponent(state, component, (c) => ({
        ...c,
        slots: {
          ...c.slots,
          [slot]: {
            version: ctx.release.version,
            release: ctx.release.version,
            ...(instance.endpoint ? { endpoint: instance.endpoint } : {}),
            deploymentId: ctx.deployment.id,
            startedAt: at,
          },
        },
        // Recreate replaces the only slot: it is live as soon as it runs.
        ...(sideBySide ? {} : { live: slot }),
      })),
    );
    started[component] = {
      slot,
      version: ctx.release.version,
      ...(instance.endpoint ? { endpoint: instance.endpoint } : {}),
      ...(from && (from.slot !== slot || from.version !== ctx.release.version) ? { from } : {}),
    };
    ctx.log(
      `${component}: ${ctx.release.version} runs in slot ${slot}${instance.endpoint ? ` on port ${instance.endpoint.port}` : ''}`,
    );
  }
  if (!sideBySide) await routeRecreated(ctx, earlier, started);
  return { kind: 'succeeded', output: { components: started } };
};

/**
 * Recreate has no rollout step: the new version is live once it runs, so the router (when the
 * environment has one) sends clients to it at once — the component it names, else the first
 * deployed with an endpoint. Applying the same route again changes nothing.
 */
async function routeRecreated(
  ctx: StepContext,
  earlier: Readonly<Record<string, DeployedComponent>>,
  started: Readonly<Record<string, DeployedComponent>>,
): Promise<void> {
  const router = ctx.ports.router();
  if (!router) return;
  const all = { ...earlier, ...started };
  const component =
    ctx.environment.router?.component ??
    Object.keys(all).find((name) => all[name]?.endpoint !== undefined);
  const next = component === undefined ? undefined : started[component];
  if (component === undefined || !next?.endpoint) return;
  await router.apply({
    stable: backendOf(component, next.slot, next.version, next.endpoint),
    canaryWeight: 0,
  });
  ctx.log(`${component}: all traffic to ${next.version} (slot ${next.slot})`);
}
