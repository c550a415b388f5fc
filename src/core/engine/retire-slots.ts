import type { Clock } from '../time/clock.js';
import type { EnvironmentState } from './environment-state.js';
import type { EnginePorts } from './step-executor.js';

/**
 * Stops the versions kept warm after a switch once their keep-warm time has passed, and
 * forgets them. Only when no deployment of the environment runs: a running one may still
 * need the old colour to switch back to.
 */
export async function retireExpiredSlots(
  ports: EnginePorts,
  environment: string,
  clock: Clock,
  env: {
    get(): Promise<EnvironmentState>;
    update(change: (state: EnvironmentState) => EnvironmentState): Promise<EnvironmentState>;
  },
): Promise<string[]> {
  const now = clock.now().getTime();
  const state = await env.get();
  const retired: string[] = [];
  for (const [component, c] of Object.entries(state.components)) {
    if (c.previous === undefined || c.retireAt === undefined || Date.parse(c.retireAt) > now)
      continue;
    if (c.previous === c.live) continue;
    const slot = c.previous;
    await ports.targetFor(component)?.stop({ component, environment, slot });
    await env.update((s) => {
      const current = s.components[component];
      if (!current || current.previous !== slot) return s;
      const { previous: _p, retireAt: _r, ...rest } = current;
      const slots = { ...rest.slots };
      delete slots[slot];
      return { ...s, components: { ...s.components, [component]: { ...rest, slots } } };
    });
    retired.push(`${component}/${slot}`);
  }
  return retired;
}
