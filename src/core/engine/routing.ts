import type { TrafficRouter } from '../router/traffic-router.js';
import { deployedComponents, type DeployedComponent } from './deployed-components.js';
import type { StepContext } from './step-executor.js';

/** The component behind the environment's router: the one it names, else the first deployed. */
export function routedComponent(ctx: StepContext): string | undefined {
  const named = ctx.environment.router?.component;
  if (named !== undefined) return named;
  const deployed = deployedComponents(ctx.run);
  return Object.keys(deployed).find((c) => deployed[c]?.endpoint !== undefined);
}

/** The router and the component it fronts, when this environment has both. */
export function routing(
  ctx: StepContext,
): { router: TrafficRouter; component: string; deployed?: DeployedComponent } | undefined {
  const router = ctx.ports.router();
  const component = routedComponent(ctx);
  if (!router || component === undefined) return undefined;
  const deployed = deployedComponents(ctx.run)[component];
  return { router, component, ...(deployed ? { deployed } : {}) };
}
