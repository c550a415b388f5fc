import { textDetail } from '../step-details.js';
import type { StepExecutor } from '../step-executor.js';

const DEFAULT_MESSAGE = 'We are updating the service. Please try again in a few minutes.';

/** Turns the router's maintenance page on or off; the router ignores a repeat. */
export const maintenanceStep: StepExecutor = async (ctx) => {
  const on = ctx.step.details['mode'] === 'on';
  const message = textDetail(ctx.step, 'message') ?? DEFAULT_MESSAGE;
  const router = ctx.ports.router();
  if (!router) {
    return { kind: 'failed', error: `maintenance mode needs a router in ${ctx.environment.name}` };
  }
  await router.setMaintenance(on ? { message } : undefined);
  const at = ctx.clock.now().toISOString();
  await ctx.updateEnvironment((state) => {
    const { maintenance: _m, ...rest } = state;
    return on ? { ...rest, maintenance: { message, since: state.maintenance?.since ?? at } } : rest;
  });
  ctx.log(`maintenance page ${on ? 'on' : 'off'}`);
  return { kind: 'succeeded', output: { mode: on ? 'on' : 'off' } };
};
